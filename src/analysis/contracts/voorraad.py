"""SVH stock and turnover: social-rent stock and vacancies (mutaties) per gemeente and year."""

from __future__ import annotations

import pandas as pd

from analysis.contracts.base import Column, Contract, RowRule


def _more_vacancies_than_stock(df: pd.DataFrame) -> pd.Series:
    return df["mutaties"] > df["sociale_huurvoorraad"]


CONTRACT = Contract(
    id="voorraad",
    version="1.0",
    title="SVH voorraad en mutaties",
    description=(
        "Omvang van de sociale huurvoorraad van de corporaties en het aantal mutaties "
        "(woningen die in het jaar vrijkwamen voor een nieuwe huurder)."
    ),
    grain="één rij per gemeente per jaar",
    file_patterns=("svh_voorraad*", "voorraad*"),
    columns=(
        Column("gemeente", "gemeente in regio", "Gemeente (CBS-code of officiële naam).",
               aliases=("gemeente_code", "gemeentecode", "cbs_gemeentecode")),
        Column("jaar", "jaar", "Verslagjaar.", in_period=True),
        Column("sociale_huurvoorraad", "geheel getal",
               "Sociale huurwoningen van corporaties op 1 januari van het jaar.", unit="woningen",
               minimum=0, aliases=("voorraad", "woningvoorraad_sociaal", "sociale_voorraad")),
        Column("mutaties", "geheel getal",
               "Sociale huurwoningen die in het jaar vrijkwamen en opnieuw zijn verhuurd.",
               unit="woningen", minimum=0,
               aliases=("aantal_mutaties", "mutaties_sociale_huur", "vrijgekomen_woningen")),
    ),
    key=("gemeente", "jaar"),
    period_column="jaar",
    rules=(
        RowRule("mutaties", "is groter dan de sociale huurvoorraad", _more_vacancies_than_stock),
    ),
    complete_over=("gemeente", "jaar"),
)
