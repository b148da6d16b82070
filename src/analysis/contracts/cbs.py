"""CBS reference figures: inhabitants and households per gemeente and year (denominators)."""

from __future__ import annotations

import pandas as pd

from analysis.contracts.base import Column, Contract, RowRule


def _more_households_than_inhabitants(df: pd.DataFrame) -> pd.Series:
    return df["huishoudens"] > df["inwoners"]


CONTRACT = Contract(
    id="cbs",
    version="1.0",
    title="CBS kerncijfers",
    description=(
        "Inwoners en particuliere huishoudens op 1 januari (CBS StatLine, Regionale kerncijfers "
        "Nederland), als noemer voor instroom per 1.000 huishoudens."
    ),
    grain="één rij per gemeente per jaar",
    file_patterns=("cbs*", "kerncijfers*"),
    columns=(
        Column("gemeente", "gemeente in regio", "Gemeente (CBS-code of officiële naam).",
               aliases=("gemeente_code", "gemeentecode", "regio", "regios", "cbs_gemeentecode")),
        Column("jaar", "jaar", "Peiljaar (1 januari).", in_period=True, aliases=("perioden",)),
        Column("inwoners", "geheel getal", "Inwoners op 1 januari.", unit="personen", minimum=0,
               aliases=("bevolking", "aantal_inwoners", "totale_bevolking")),
        Column("huishoudens", "geheel getal", "Particuliere huishoudens op 1 januari.",
               unit="huishoudens", minimum=0,
               aliases=("particuliere_huishoudens", "aantal_huishoudens")),
    ),
    key=("gemeente", "jaar"),
    period_column="jaar",
    rules=(
        RowRule("huishoudens", "is groter dan het aantal inwoners",
                _more_households_than_inhabitants),
    ),
    complete_over=("gemeente", "jaar"),
)
