"""Tidy data for analysts: the indicator table and the model results as Parquet, CSV and XLSX,
with the same columns in all three (a name beside every code). The XLSX has a codebook that
stands on its own: every column, every indicator and the code lists used.

Only what the protection step let through is published: a hidden value is empty in Parquet and
CSV and `tables.SUPPRESSED` in the XLSX. The status says only whether a value is hidden, never
why: which hidden cell is a small count and which hides one would let a reader solve them from
a published total.

Text that a spreadsheet would take for a formula (a name starting with `=`, `+`, `-` or `@`)
is text in the XLSX and starts with a single quote in the CSV (`formulas`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis import codes
from analysis.disclosure import SHOWN
from analysis.formulas import escape_frame
from analysis.indicators.catalogue import catalogue
from analysis.indicators.herkomst import OUTSIDE_REGION
from analysis.indicators.table import AANDACHTSGROEPEN, ALLE
from analysis.layout import DEMO_LABEL
from analysis.model.config import MODEL_SPOOR
from analysis.model.prognose import period
from analysis.protection import HIDDEN_COLUMNS, KEY, rule_text
from analysis.report.data import ReportData
from analysis.report.shared import ORIGINS_OUTSIDE
from analysis.report.taakstelling import input_sentence
from analysis.report.workbook import (
    COUNT,
    TEXT,
    UNITS,
    YEAR,
    Format,
    fill_notes,
    fill_table,
    new_workbook,
    number_format,
)
from analysis.storage import write_file
from analysis.tables import SUPPRESSED, fmt_percent

HIDDEN = "afgeschermd"  # the published status of every hidden value, whatever hid it
# Without teller and noemer: beside the waarde they could give a small count away.
EXPORTED_INDICATOR_COLUMNS = ["indicator", *KEY, "waarde", "status"]

INDICATOR_COLUMNS = {
    "indicator": "Id van de indicator; titel, definitie, eenheid, teller, noemer en bron staan op "
                 "het blad 'indicatoren'.",
    "gebiedsniveau": "gemeente, regio of wijk.",
    "gebied": "CBS-code van de gemeente (GM…) of de wijk (WK…), of de naam van de regio.",
    "gebied_naam": "Naam van het gebied; leeg bij een wijk zonder bekende naam.",
    "periode": "Jaar (bijvoorbeeld 2024) of een reeks jaren (bijvoorbeeld 2021-2025: de "
               "monitorperiode, of de planperiode van de woonopgave); voor de periodieke "
               "monitor ook een kwartaal of halfjaar (2025-K3, 2025-H1) of het lopende jaar "
               "(2025 t/m K3: januari tot en met september), en voor de taakstelling voor "
               "statushouders het halfjaar (2025-H1); tekst.",
    "doelgroep": "Code van de doelgroep (blad 'doelgroepen'); 'aandachtsgroepen' = alle "
                 "behalve 'geen'; 'alle' = geen uitsplitsing; 'verdeelafspraak' = de "
                 "doelgroepen van het verdeelmodel.",
    "doelgroep_naam": "Naam van de doelgroep.",
    "categorie": "Nadere uitsplitsing (toewijzingsroute, urgentiecategorie, herkomst, eenheid "
                 "van de woonopgave, gemeente van de wijk; blad 'categorieen'), anders 'alle'.",
    "categorie_naam": "Naam van de categorie.",
    "waarde": "factor × teller / noemer; bij aantallen gelijk aan de teller. Eenheid en "
              "decimalen volgen uit de indicator (blad 'indicatoren'); niet afgerond. Leeg "
              "(in Excel: x) als de waarde is afgeschermd.",
    "status": f"'{SHOWN}': de waarde is gepubliceerd; '{HIDDEN}': de waarde is niet "
              "gepubliceerd om kleine aantallen huishoudens te beschermen (blad "
              "'toelichting').",
}
MODEL_COLUMNS = {
    "jaar": "Jaar van de modelrun.",
    "gemeente": "CBS-gemeentecode.",
    "gemeente_naam": "Naam van de gemeente.",
    "sleutelaandeel": "Aandeel in de verdeelsleutel, in procenten (0–100), zoals in de "
                      "indicatortabel.",
    "mutatiebasis": "Mutaties waarop de capaciteit is gebaseerd.",
    "grensruimte": "Mutatiegrens × mutatiebasis, afgerond.",
    "reeds_toegezegd": "Verhuringen binnen de grens buiten het model (bijv. statushouders).",
    "capaciteit": "Grensruimte min reeds toegezegd (niet negatief).",
    "vraag_eigen": "Huishoudens uit de doelgroepen met deze gemeente als herkomst.",
    "geplaatst_eigen": "Eigen huishoudens gehuisvest in de eigen gemeente.",
    "uitgeplaatst": "Eigen huishoudens gehuisvest in andere gemeenten.",
    "niet_geplaatst": "Eigen huishoudens die nergens passen (deel van het tekort).",
    "ontvangen_overloop": "Huishoudens ontvangen uit andere gemeenten.",
    "ontvangen_pool": "Huishoudens ontvangen uit de regionale pool.",
    "taakstelling": "Totaal te huisvesten volgens het model.",
    "ruimte_over": "Capaciteit min taakstelling.",
    "realisatie": "Werkelijke verhuringen aan de doelgroepen van het model.",
    "saldo": "Realisatie min taakstelling.",
    HIDDEN_COLUMNS: "De kolommen van deze rij die zijn afgeschermd om kleine aantallen "
                    "huishoudens te beschermen; daar is de cel leeg (in Excel: x). Leeg als "
                    "niets is afgeschermd.",
}
TASK_COLUMNS = {
    **MODEL_COLUMNS,
    "periode": "De taakstelling voor een komend jaar ('prognose' en het jaar), apart van de "
               "jaren van de monitor.",
    "jaar": "Jaar van de taakstelling.",
    "mutatiebasis": "Verwachte mutaties waarop de capaciteit is gebaseerd.",
    "reeds_toegezegd": "Woningen binnen de grens die al zijn toegezegd buiten het model.",
    "vraag_eigen": "Verwachte huishoudens uit de doelgroepen met deze gemeente als herkomst.",
    "sociale_huurvoorraad": "Sociale huurvoorraad in het laatste jaar van de monitor.",
    "mutatiegraad": "Gemiddelde mutatiegraad (mutaties per 100 sociale huurwoningen) over de "
                    "jaren van het gemiddelde.",
    "verwachte_mutaties": "Verwachte mutaties in het jaar van de taakstelling, in woningen.",
}
# The doelgroep codes of the indicator table that are totals, not a group of the code list.
DOELGROEP_TOTALS = {
    AANDACHTSGROEPEN: ("Alle aandachtsgroepen", "Alle doelgroepen behalve 'geen' samen."),
    ALLE: ("Alle huishoudens", "Geen uitsplitsing naar doelgroep."),
    MODEL_SPOOR: ("Doelgroepen met verdeelafspraak",
                  "De doelgroepen die het verdeelmodel verdeelt, samen."),
}
# Code lists that categorie codes come from, with the kind of breakdown they are.
CATEGORY_LISTS = {"toewijzingsroutes": "toewijzingsroute",
                  "urgentiecategorieen": "urgentiecategorie",
                  "eenheden": "eenheid van de woonopgave", "herkomst_bijzonder": "herkomst"}


def _categories() -> dict[str, tuple[str, str, str]]:
    """Every categorie code → (naam, soort, beschrijving)."""
    found = {code: (naam, "gemeente", "Herkomstgemeente (bij herkomst en bestemming) of de "
                                      "gemeente van de wijk (bij wijkcijfers).")
             for code, naam in _gemeente_names().items()}
    found[ALLE] = ("Alle", "geen uitsplitsing", "Geen nadere uitsplitsing.")
    found[OUTSIDE_REGION] = (ORIGINS_OUTSIDE[OUTSIDE_REGION], "herkomst",
                             "Het huishouden kwam uit een gemeente buiten de regio.")
    for name, kind in CATEGORY_LISTS.items():
        found |= {row["code"]: (row["naam"], kind, row.get("beschrijving", ""))
                  for row in codes.load(name)}
    return found


def _gemeente_names() -> dict[str, str]:
    """Official names as the documents print them (’s-Gravenhage)."""
    return {code: codes.typographic(naam) for code, naam in codes.labels("gemeenten").items()}


def _doelgroepen() -> dict[str, tuple[str, str]]:
    """Every doelgroep code of the indicator table → (naam, beschrijving)."""
    listed = {row["code"]: (row["naam"], row["beschrijving"]) for row in codes.load("doelgroepen")}
    return listed | DOELGROEP_TOTALS


def _gebieden(data: ReportData) -> dict[str, str]:
    """gemeente and wijk codes, and the region's name, → name; wijken from the map layer."""
    wijken = data.wijken_map()
    names = _gemeente_names() | {data.region.naam: data.region.naam}
    if wijken is not None:
        names |= dict(zip(wijken["code"].astype(str), wijken["naam"].astype(str), strict=True))
    return names


def _named(frame: pd.DataFrame, names: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """`frame` with `<column>_naam` right after each code column in `names`; an unknown code
    gets no name."""
    columns: dict[str, pd.Series] = {}
    for column in frame.columns:
        columns[column] = frame[column]
        if column in names:
            columns[f"{column}_naam"] = frame[column].map(names[column]).astype("str")
    return pd.DataFrame(columns)


def _frame_columns(frame: pd.DataFrame) -> dict[str, list]:
    """Column → values as the sheet writer takes them: a gap (NaN, NA) as None."""
    cells = frame.astype(object)
    return {str(c): cells[c].where(frame[c].notna(), None).tolist() for c in frame.columns}


def _default_formats(frame: pd.DataFrame) -> dict[str, Format]:
    """Text as text (codes such as 2024 stay text), numbers as counts."""
    return {str(c): COUNT if pd.api.types.is_numeric_dtype(frame[c]) else TEXT
            for c in frame.columns}


def _write(frame: pd.DataFrame, hidden: pd.DataFrame, folder: Path, name: str,
           formats: Mapping[str, Format], about: list[str | tuple[str, str]],
           codebook: dict[str, pd.DataFrame], data: ReportData) -> list[Path]:
    """The three formats; the XLSX as 'toelichting' (with the DEMO label), 'data' with the
    `hidden` cells (a mask on some of the columns) as SUPPRESSED, then the codebook sheets."""
    title = f"Woonzorgmonitor {data.region.naam}: {name} {data.period.replace('-', '–')}"

    def xlsx(path: Path) -> None:
        book = new_workbook(title)
        notes = book.create_sheet("toelichting")
        sheets = [("data", f"De {name}: één rij per gegeven, kopregel op rij 1."),
                  *((sheet, f"Codeboek: {sheet}.") for sheet in codebook)]
        lines = ([DEMO_LABEL, "Deze cijfers komen uit de demodataset: ze beschrijven geen echte "
                  "huishoudens, woningen of plannen."] if data.demo else [])
        fill_notes(notes, [*lines, *about, "", *sheets], title=title, demo=data.demo,
                   links=[sheet for sheet, _ in sheets])
        shown = _frame_columns(frame)
        for column, mask in hidden.items():
            shown[column] = [SUPPRESSED if h else v
                             for v, h in zip(shown[column], mask, strict=True)]
        fill_table(book.create_sheet("data"), shown, formats, title=title, demo=data.demo)
        for sheet, table in codebook.items():
            fill_table(book.create_sheet(sheet), _frame_columns(table), _default_formats(table),
                       title=f"{title} — {sheet}", demo=data.demo)
        book.save(path)

    return [
        write_file(folder / f"{name}.parquet", lambda path: frame.to_parquet(path, index=False)),
        # Dutch Excel opens this directly: semicolons, decimal comma, UTF-8 with BOM; text that
        # Excel would run as a formula gets a quote before it.
        write_file(folder / f"{name}.csv", lambda path: escape_frame(frame).to_csv(
            path, sep=";", decimal=",", index=False, encoding="utf-8-sig")),
        write_file(folder / f"{name}.xlsx", xlsx),
    ]


def _columns_sheet(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"kolom": list(columns), "betekenis": list(columns.values())})


def _indicator_sheet() -> pd.DataFrame:
    return pd.DataFrame([
        {"indicator": i.id, "titel": i.titel, "thema": i.thema, "definitie": i.definitie,
         "eenheid": i.eenheid, "betekenis_eenheid": UNITS[i.eenheid], "teller": i.teller,
         "noemer": i.noemer, "factor": i.factor,
         "uitsplitsingen": ", ".join(i.uitsplitsingen), "bron": i.bron,
         "kanttekeningen": i.kanttekeningen}
        for i in catalogue().values()])


def _indicators(data: ReportData, folder: Path) -> list[Path]:
    doelgroepen, categories = _doelgroepen(), _categories()
    published = data.indicators[EXPORTED_INDICATOR_COLUMNS]
    published = published.assign(status=published["status"].where(
        published["status"] == SHOWN, HIDDEN))
    frame = _named(published, {
        "gebied": _gebieden(data),
        "doelgroep": {code: naam for code, (naam, _) in doelgroepen.items()},
        "categorie": {code: naam for code, (naam, _, _) in categories.items()}})
    units = frame["indicator"].map({i.id: number_format(i.eenheid)
                                    for i in catalogue().values()})
    formats = {**_default_formats(frame), "waarde": units.tolist()}
    used = frame["categorie"].unique()
    codebook = {
        "codeboek": _columns_sheet(INDICATOR_COLUMNS),
        "indicatoren": _indicator_sheet(),
        "doelgroepen": pd.DataFrame([{"code": code, "naam": naam, "beschrijving": text}
                                     for code, (naam, text) in doelgroepen.items()]),
        "categorieen": pd.DataFrame([{"code": code, "naam": naam, "soort": kind,
                                      "beschrijving": text}
                                     for code, (naam, kind, text) in categories.items()
                                     if code in used]),
        "gebieden": frame[["gebiedsniveau", "gebied", "gebied_naam"]].drop_duplicates(),
    }
    about = [
        "De indicatortabel van de Woonzorgmonitor: één rij per indicator, gebied, periode, "
        "doelgroep en categorie. Regiocijfers zijn de som van de tellers en noemers van de "
        "gemeenten, cijfers over een reeks jaren de som over de jaren; pas daarna wordt "
        "gedeeld. De waarden zijn niet afgerond; de celopmaak toont ze met de decimalen van "
        "hun eenheid.",
        ("Openbaarheid", f"{rule_text(data.region.openbaarheid)} Teller en noemer publiceren "
                         "we niet: samen met de waarde zouden ze kleine aantallen kunnen "
                         f"prijsgeven. De kolom status zegt of een waarde is {HIDDEN}."),
        ("Regio", f"{data.region.naam}: "
                  + ", ".join(data.gemeente_name(g) for g in data.region.gemeenten)),
        ("Monitorperiode", data.period),
    ]
    hidden = pd.DataFrame({"waarde": frame["status"] == HIDDEN})
    return _write(frame, hidden, folder, "indicatoren", formats, about, codebook, data)


def _model_export(results: pd.DataFrame, columns: dict[str, str], name: str, about: list,
                  data: ReportData, folder: Path) -> list[Path]:
    """A table of the verdeelmodel's results per gemeente, with its codebook."""
    # Whole households and homes stay whole numbers where hiding left gaps; a fraction fails.
    whole = [c for c in results.select_dtypes("number").columns
             if c not in ("sleutelaandeel", "mutatiegraad")]
    frame = _named(results.astype({"gemeente": str} | dict.fromkeys(whole, "Int64")),
                   {"gemeente": _gemeente_names()})
    listed = frame[HIDDEN_COLUMNS].str.split(", ")
    hidden = pd.DataFrame({c: [c in names for names in listed] for c in whole})
    formats = {**_default_formats(frame), "jaar": YEAR,
               "sleutelaandeel": number_format("procent"),
               "mutatiegraad": number_format("procent")}
    gemeenten = frame[["gemeente", "gemeente_naam"]].drop_duplicates()
    codebook = {"codeboek": _columns_sheet({c: columns[c] for c in frame.columns}),
                "gemeenten": gemeenten.rename(columns={"gemeente": "code",
                                                       "gemeente_naam": "naam"})}
    model_groups = ", ".join(codes.labels("doelgroepen")[d]
                             for d in data.model_config.model_doelgroepen)
    about = [
        *about,
        ("Doelgroepen", f"Met verdeelafspraak: {model_groups}."),
        ("Openbaarheid", f"{rule_text(data.region.openbaarheid)} De kolom {HIDDEN_COLUMNS} "
                         "noemt per rij de afgeschermde kolommen."),
        ("Mutatiegrens", f"{fmt_percent(100 * data.model_config.mutatiegrens, 0)} van de "
                         "mutaties"),
    ]
    return _write(frame, hidden, folder, name, formats, about, codebook, data)


def _model(data: ReportData, folder: Path) -> list[Path]:
    about = [
        "De uitkomsten van het verdeelmodel per jaar en gemeente, achteraf toegepast op de "
        "gerealiseerde instroom: wat elke gemeente volgens de verdeelsleutel en de mutatiegrens "
        "zou huisvesten (taakstelling), naast wat zij werkelijk huisvestte (realisatie).",
        ("Monitorperiode", data.period),
    ]
    return _model_export(data.model.resultaten, MODEL_COLUMNS, "verdeelmodel", about, data,
                         folder)


def _prognosis(data: ReportData, folder: Path) -> list[Path]:
    ahead = data.prognose
    results = ahead.run.resultaten
    # The period as the disclosure check keys it: apart from the monitor years.
    results = results.assign(periode=period(ahead.jaar))[
        ["periode", *[c for c in results.columns if c != "periode"]]]
    about = [
        f"De taakstelling {ahead.jaar} per gemeente: het verdeelmodel toegepast op de verwachte "
        "vraag naar herkomst, de verwachte mutaties en de reeds toegezegde woningen van dat "
        "jaar. De rekenwijze staat in de methodebijlage van de regionale analyse.",
        ("Invoer", input_sentence(ahead)),
    ]
    return _model_export(results, TASK_COLUMNS, "taakstelling", about, data, folder)


def write_exports(data: ReportData, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [*_indicators(data, folder), *_model(data, folder), *_prognosis(data, folder)]
