"""Expected demand by origin (optional): per gemeente of origin, doelgroep and year the
households expected to need a home, from the region's registration of people leaving
institutions."""

from __future__ import annotations

import pandas as pd

from analysis.codes import NO_GROUP
from analysis.contracts.base import Column, Contract, RowRule


def _no_target_group(df: pd.DataFrame) -> pd.Series:
    return df["doelgroep"] == NO_GROUP


CONTRACT = Contract(
    id="prognose_vraag",
    version="1.0",
    title="Verwachte vraag aandachtsgroepen",
    description=(
        "De verwachte vraag naar herkomst: per herkomstgemeente, doelgroep en jaar het aantal "
        "huishoudens dat naar verwachting een woning nodig heeft, uit de regionale registratie "
        "van uitstromers uit instellingen. Optioneel: zonder dit bestand is de vraag het "
        "gemiddelde van de gerealiseerde verhuringen naar herkomstgemeente over de laatste "
        "jaren, en zo wordt zij ook benoemd. Alleen doelgroepen op het spoor 'verdeelafspraak' "
        "in de instellingen van het verdeelmodel tellen mee; andere doelgroepen uit de "
        "codelijst mogen in het bestand staan, maar worden genegeerd ('geen' is geen doelgroep "
        "en wordt geweigerd). Jaren na de monitorperiode zijn juist de bedoeling. Elk jaar dat "
        "in het bestand staat moet alle gemeenten van de regio hebben, met ten minste één rij "
        "(aantal 0 mag); een doelgroep zonder vraag in een gemeente mag ontbreken en telt als 0."
    ),
    grain="één rij per herkomstgemeente × doelgroep × jaar",
    file_patterns=("prognose_vraag*", "verwachte_vraag*"),
    columns=(
        Column("gemeente", "gemeente in regio",
               "Herkomstgemeente van de huishoudens (CBS-code of officiële naam).",
               aliases=("gemeente_code", "gemeentecode", "cbs_gemeentecode", "herkomstgemeente",
                        "herkomst_gemeente", "gemeente_herkomst")),
        Column("doelgroep", "code", "Aandachtsgroep van de huishoudens.",
               codelist="doelgroepen", aliases=("aandachtsgroep",)),
        Column("jaar", "jaar",
               "Jaar waarin de huishoudens een woning nodig hebben (ook na de monitorperiode).",
               minimum=2000, maximum=2050, aliases=("prognosejaar",)),
        Column("aantal", "geheel getal",
               "Aantal huishoudens dat naar verwachting een woning nodig heeft.",
               unit="huishoudens", minimum=0,
               aliases=("aantal_huishoudens", "verwachte_vraag", "vraag", "huishoudens")),
    ),
    key=("gemeente", "doelgroep", "jaar"),
    period_column="jaar",
    rules=(
        RowRule("doelgroep", "is 'geen'; dat is geen aandachtsgroep", _no_target_group,
                expected="een aandachtsgroep uit de codelijst doelgroepen"),
    ),
    complete_per=("jaar",),
    required=False,
)
