"""PPM: the housing task per target group, with plans and deliveries per phase."""

from __future__ import annotations

import pandas as pd

from analysis.codes import NO_GROUP
from analysis.contracts.base import Column, Contract, RowRule


def _no_target_group(df: pd.DataFrame) -> pd.Series:
    return df["doelgroep"] == NO_GROUP


CONTRACT = Contract(
    id="ppm",
    version="1.0",
    title="PPM woonopgave",
    description=(
        "Plan- en projectmonitor van de woonopgave: per gemeente, doelgroep en jaar de "
        "afgesproken opgave (fase 'opgave') en de woningen of plaatsen per planfase."
    ),
    grain="één rij per gemeente × doelgroep × jaar × fase",
    file_patterns=("ppm*", "woonopgave*"),
    columns=(
        Column("gemeente", "gemeente in regio", "Gemeente (CBS-code of officiële naam).",
               aliases=("gemeente_code", "gemeentecode", "cbs_gemeentecode")),
        Column("doelgroep", "code", "Aandachtsgroep waarvoor de woningen of plaatsen zijn.",
               codelist="doelgroepen", aliases=("aandachtsgroep",)),
        Column("jaar", "jaar",
               "Jaar van de opgave, van de planning of van de oplevering (ook toekomstige jaren).",
               minimum=2000, maximum=2050),
        Column("fase", "code", "Planfase, of 'opgave' voor de afgesproken taak.",
               codelist="ppm_fasen", aliases=("planfase", "status")),
        Column("aantal", "geheel getal", "Aantal woningen, plaatsen of standplaatsen.",
               minimum=0, unit="zie eenheid", aliases=("aantal_woningen", "woningen")),
        Column("eenheid", "code", "Eenheid van het aantal.", codelist="eenheden"),
    ),
    key=("gemeente", "doelgroep", "jaar", "fase"),
    period_column="jaar",
    rules=(
        RowRule("doelgroep", "is 'geen'; dat is geen doelgroep van de woonopgave",
                _no_target_group),
    ),
)
