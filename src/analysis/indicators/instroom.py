"""Inflow of priority groups relative to households and to the social-rent stock."""

from __future__ import annotations

import pandas as pd

from analysis.context import Context
from analysis.indicators.counts import count, per_gemeente_jaar
from analysis.indicators.table import roll_up, with_doelgroep_totals


def compute(ctx: Context) -> list[pd.DataFrame]:
    per_group = count(ctx.lettings, ["doelgroep"])
    results = []
    for frame, column, indicator in (
        (ctx.cbs, "huishoudens", "instroom_per_1000_huishoudens"),
        (ctx.voorraad, "sociale_huurvoorraad", "instroom_per_100_sociale_huurwoningen"),
    ):
        parts = per_group.merge(per_gemeente_jaar(frame, column), on=["gemeente", "jaar"])
        results.append(roll_up(with_doelgroep_totals(parts), indicator, ctx.region))
    return results
