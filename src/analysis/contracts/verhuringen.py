"""SVH lettings: one row per letting of a social-rent home in the region."""

from __future__ import annotations

import pandas as pd

from analysis.contracts.base import Column, Contract, RowRule


def _urgent_without_category(df: pd.DataFrame) -> pd.Series:
    return (df["toewijzingsroute"] == "urgentie") & df["urgentiecategorie"].isna()


def _category_without_urgency(df: pd.DataFrame) -> pd.Series:
    return (df["toewijzingsroute"] != "urgentie") & df["urgentiecategorie"].notna()


def _statushouder_route_other_group(df: pd.DataFrame) -> pd.Series:
    return (df["toewijzingsroute"] == "statushouder") & (df["doelgroep"] != "statushouders")


def _searched_before_registering(df: pd.DataFrame) -> pd.Series:
    # Empty cells are None before typing; as floats they compare as False.
    return df["zoekduur"].astype("float64") > df["inschrijfduur"].astype("float64")


# Persons a household type has (CBS definitions), as (fewest, most); None: no upper bound.
HOUSEHOLD_SIZES: dict[str, tuple[int, int | None]] = {
    "eenpersoons": (1, 1),
    "paar_zonder_kinderen": (2, 2),
    "paar_met_kinderen": (3, None),
    "eenoudergezin": (2, None),
    "overig": (2, None),
}


def _size_against_household(df: pd.DataFrame) -> pd.Series:
    size = df["aantal_personen"].astype("float64")
    household = df["huishoudtype"]  # mapped per category when it is categorical
    fewest = household.map({k: low for k, (low, _) in HOUSEHOLD_SIZES.items()}).astype("float64")
    most = household.map({k: high for k, (_, high) in HOUSEHOLD_SIZES.items()}).astype("float64")
    return (size < fewest) | (size > most)


def _statushouder_without_size(df: pd.DataFrame) -> pd.Series:
    # Only where the column is delivered at all: then every statushouder household needs its
    # size, or the persons housed (compared with the task in persons) would be too low.
    size = df["aantal_personen"]
    return (df["doelgroep"] == "statushouders") & size.isna() & size.notna().any()


def _wijk_outside_gemeente(df: pd.DataFrame) -> pd.Series:
    wijk = df["wijk_code"]
    return wijk.notna() & (_gemeente_number(wijk) != _gemeente_number(df["gemeente"]))


def _gemeente_number(codes: pd.Series) -> pd.Series:
    """0518 of WK051801 and of GM0518; worked out per category when the codes are categorical."""
    return codes.map(lambda code: code[2:6], na_action="ignore").astype("string")


CONTRACT = Contract(
    id="verhuringen",
    version="1.2",
    title="SVH verhuringen",
    description=(
        "Geanonimiseerde verhuringen van sociale huurwoningen door de corporaties in de regio "
        "(Sociale Verhuurders Haaglanden / Woonnet Haaglanden). Bevat geen persoonsgegevens: "
        "kolommen zoals BSN, naam, adres, postcode of geboortedatum worden geweigerd."
    ),
    grain="één rij per verhuring",
    file_patterns=("svh_verhuringen*", "verhuringen*"),
    columns=(
        Column("verhuring_id", "tekst", "Unieke, niet-herleidbare sleutel van de verhuring.",
               aliases=("id", "verhuringnummer", "verhuring_nummer", "mutatie_id")),
        Column("datum_verhuring", "datum", "Ingangsdatum van het huurcontract.", in_period=True,
               aliases=("ingangsdatum", "datum", "ingangsdatum_huurcontract", "verhuurdatum")),
        Column("gemeente", "gemeente in regio",
               "Gemeente waarin de verhuurde woning ligt (CBS-code of officiële naam).",
               aliases=("gemeente_code", "gemeentecode", "gemeente_woning", "cbs_gemeentecode")),
        Column("wijk_code", "wijkcode",
               "CBS-wijkcode van de woning (WKggggww); moet bij de gemeente horen.",
               required=False, nullable=True, aliases=("wijk", "wijkcode", "cbs_wijkcode")),
        Column("corporatie", "tekst", "Woningcorporatie die de woning verhuurt.",
               aliases=("woningcorporatie", "verhuurder", "corporatie_naam", "naam_corporatie")),
        Column("woningtype", "code", "Type woning.", codelist="woningtypen",
               aliases=("type_woning",)),
        Column("huurklasse", "code", "Huurklasse van de kale huur bij verhuring.",
               codelist="huurklassen", aliases=("huurprijsklasse",)),
        Column("kale_huur", "decimaal getal", "Kale huur per maand bij verhuring.",
               required=False, nullable=True, unit="euro per maand", minimum=0, maximum=5000,
               aliases=("huurprijs", "netto_huur", "kale_huurprijs")),
        Column("toewijzingsroute", "code", "Manier waarop de woning is toegewezen.",
               codelist="toewijzingsroutes", aliases=("route", "toewijzing", "verhuurmodel")),
        Column("urgentiecategorie", "code",
               "Urgentiecategorie uit de huisvestingsverordening; alleen bij route urgentie.",
               nullable=True, codelist="urgentiecategorieen",
               aliases=("urgentie_categorie", "urgentie")),
        Column("doelgroep", "code",
               "Aandachtsgroep waartoe het huishouden behoort ('geen' voor regulier).",
               codelist="doelgroepen", aliases=("aandachtsgroep",)),
        Column("herkomst_gemeente", "herkomst",
               "Gemeente waar het huishouden vandaan kwam (CBS-code of naam), of "
               "'buitenland' of 'onbekend'.",
               aliases=("herkomstgemeente", "herkomst", "vorige_gemeente", "gemeente_herkomst")),
        Column("tenzij_reden", "code",
               "Reden waarom een huishouden buiten de herkomstgemeente is gehuisvest "
               "(beginsel 'herkomstgemeente, tenzij').",
               required=False, nullable=True, codelist="tenzij_redenen",
               aliases=("reden_elders", "tenzij")),
        Column("huishoudtype", "code", "Samenstelling van het huishouden.",
               codelist="huishoudtypen", aliases=("huishouden", "samenstelling_huishouden")),
        # Needed to set lettings (households) against the statushouder task (persons).
        Column("aantal_personen", "geheel getal",
               "Aantal personen in het huishouden bij verhuring; moet passen bij het "
               "huishoudtype. Is de kolom aangeleverd, dan is hij verplicht bij verhuringen aan "
               "statushouders.",
               required=False, nullable=True, unit="personen", minimum=1, maximum=20,
               aliases=("personen", "huishoudgrootte", "aantal_personen_huishouden",
                        "grootte_huishouden")),
        Column("leeftijdsklasse", "code", "Leeftijdsklasse van de hoofdhuurder.",
               codelist="leeftijdsklassen", aliases=("leeftijd", "leeftijdscategorie")),
        # Waiting times as the SVH tabellenboek reports them; 50 years or more is a typing
        # error (a year, a date), not a wait.
        Column("inschrijfduur", "decimaal getal",
               "Maanden tussen de inschrijving als woningzoekende en de verhuring.",
               required=False, nullable=True, unit="maanden", minimum=0, maximum=600,
               aliases=("inschrijfduur_maanden", "inschrijftijd", "duur_inschrijving")),
        Column("zoekduur", "decimaal getal",
               "Maanden tussen de eerste reactie op aanbod en de verhuring; leeg bij directe "
               "bemiddeling, waarbij het huishouden niet reageert.",
               required=False, nullable=True, unit="maanden", minimum=0, maximum=600,
               aliases=("zoekduur_maanden", "zoektijd", "actieve_zoekduur")),
        Column("reacties", "geheel getal",
               "Aantal reacties op de advertentie van de woning; leeg als de woning niet is "
               "geadverteerd (directe bemiddeling).",
               required=False, nullable=True, unit="aantal reacties", minimum=0, maximum=10000,
               aliases=("aantal_reacties", "reacties_advertentie", "aantal_reageerders")),
    ),
    key=("verhuring_id",),
    period_column="datum_verhuring",
    rules=(
        RowRule("urgentiecategorie", "ontbreekt terwijl de toewijzingsroute 'urgentie' is",
                _urgent_without_category),
        RowRule("urgentiecategorie", "is ingevuld terwijl de toewijzingsroute geen 'urgentie' is",
                _category_without_urgency),
        RowRule("doelgroep",
                "is niet 'statushouders' terwijl de toewijzingsroute 'statushouder' is",
                _statushouder_route_other_group),
        RowRule("wijk_code", "hoort niet bij de gemeente van de woning", _wijk_outside_gemeente),
        RowRule("zoekduur", "is langer dan de inschrijfduur (zoeken begint na de inschrijving)",
                _searched_before_registering),
        RowRule("aantal_personen", "past niet bij het huishoudtype", _size_against_household,
                expected="1 bij een eenpersoonshuishouden, 2 bij een paar zonder kinderen, "
                         "3 of meer bij een paar met kinderen, 2 of meer bij een eenoudergezin "
                         "of een overig meerpersoonshuishouden"),
        RowRule("aantal_personen",
                "ontbreekt bij een verhuring aan statushouders (de kolom is wel aangeleverd)",
                _statushouder_without_size,
                expected="het aantal personen van het huishouden, want de taakstelling telt "
                         "personen; of laat de kolom helemaal weg"),
    ),
)
