"""The 30% limit: the share of vacancies (mutaties) let to priority groups per gemeente."""

from __future__ import annotations

import pandas as pd

from analysis.context import Context
from analysis.indicators.counts import count, per_gemeente_jaar
from analysis.indicators.table import roll_up, with_doelgroep_totals


def compute(ctx: Context) -> list[pd.DataFrame]:
    lettings, region = ctx.lettings, ctx.region
    mutaties = per_gemeente_jaar(ctx.voorraad, "mutaties")

    def share(mask: pd.Series, indicator: str) -> pd.DataFrame:
        parts = count(lettings, [], mask=mask).merge(mutaties, on=["gemeente", "jaar"])
        return roll_up(parts, indicator, region)

    per_group = with_doelgroep_totals(
        count(lettings, ["doelgroep"]).merge(mutaties, on=["gemeente", "jaar"]))
    counting = count(lettings, [], mask=lettings["telt_mee"])
    return [
        roll_up(mutaties.rename(columns={"noemer": "teller"}).assign(doelgroep="alle",
                                                                     categorie="alle"),
                "mutaties", region),
        roll_up(counting, "verhuringen_mutatiegrens", region),
        share(lettings["telt_mee"], "aandeel_mutaties_aandachtsgroepen"),
        share(lettings["telt_mee_zonder"],
              "aandeel_mutaties_aandachtsgroepen_zonder_statushouders"),
        roll_up(per_group, "aandeel_mutaties_doelgroep", region),
    ]
