"""Lettings in total, per allocation route, per doelgroep and per urgency category."""

from __future__ import annotations

import pandas as pd

from analysis.context import Context
from analysis.indicators.counts import count
from analysis.indicators.table import roll_up, with_doelgroep_totals


def compute(ctx: Context) -> list[pd.DataFrame]:
    lettings, region = ctx.lettings, ctx.region
    per_group = with_doelgroep_totals(count(lettings, ["doelgroep"]))
    per_route = with_doelgroep_totals(
        count(lettings, ["doelgroep", "toewijzingsroute"], categorie="toewijzingsroute"))
    urgent = count(lettings, ["urgentiecategorie"], mask=lettings["toewijzingsroute"] == "urgentie",
                   categorie="urgentiecategorie")
    return [
        roll_up(per_group, "verhuringen", region),
        roll_up(per_route, "verhuringen_route", region),
        roll_up(urgent, "verhuringen_urgentie", region),
    ]
