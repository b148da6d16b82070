"""Inflow of priority groups relative to households and to the social-rent stock."""

from __future__ import annotations

import pandas as pd

from analysis.context import Context
from analysis.indicators.counts import count, per_gemeente_jaar
from analysis.indicators.table import period_label, roll_up, with_doelgroep_totals


def compute(ctx: Context) -> list[pd.DataFrame]:
    per_group = count(ctx.lettings, ["doelgroep"])
    results = []
    for frame, column, indicator in (
        (ctx.cbs, "huishoudens", "instroom_per_1000_huishoudens"),
        (ctx.voorraad, "sociale_huurvoorraad", "instroom_per_100_sociale_huurwoningen"),
    ):
        reference = per_gemeente_jaar(frame, column)
        parts = per_group.merge(reference, on=["gemeente", "jaar"])
        results.append(roll_up(with_doelgroep_totals(parts), indicator, ctx.region))
        # A stock on 1 January: per year only, a sum over the years means nothing.
        stock = roll_up(reference.rename(columns={"noemer": "teller"})
                        .assign(doelgroep="alle", categorie="alle"), column, ctx.region)
        results.append(stock[stock["periode"] != period_label(ctx.region.jaren)])
    return results
