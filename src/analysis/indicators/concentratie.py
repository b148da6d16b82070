"""Concentration of priority-group lettings per wijk against the gemeente (kansrijke woonstart).

Only lettings with a CBS wijk code count, for the wijk and for the gemeente it is compared with,
so the wijken of a gemeente add up to the gemeente figure."""

from __future__ import annotations

import pandas as pd

from analysis.context import Context
from analysis.indicators.table import finish, period_label


def compute(ctx: Context) -> list[pd.DataFrame]:
    lettings = ctx.lettings[ctx.lettings["wijk_code"].notna()]
    if lettings.empty:
        return []
    frame = lettings.assign(wijk=lettings["wijk_code"].astype(str),
                            jaar=lettings["jaar"].astype(int))
    per_year = (frame.groupby(["wijk", "jaar"], observed=True)
                .agg(teller=("aandachtsgroep", "sum"), noemer=("aandachtsgroep", "size"))
                .reset_index())
    whole = (per_year.groupby("wijk", as_index=False)[["teller", "noemer"]].sum()
             .assign(periode=period_label(ctx.region.jaren)))
    wijk = pd.concat([per_year.assign(periode=per_year["jaar"].astype(str)), whole],
                     ignore_index=True).drop(columns="jaar")
    wijk["gemeente"] = "GM" + wijk["wijk"].str[2:6]
    wijk = wijk.astype({"teller": "float64", "noemer": "float64"})
    gemeente = (wijk.groupby(["gemeente", "periode"], as_index=False)[["teller", "noemer"]].sum()
                .rename(columns={"teller": "g_teller", "noemer": "g_noemer"}))
    wijk = wijk.merge(gemeente, on=["gemeente", "periode"])
    base = wijk.assign(gebiedsniveau="wijk", gebied=wijk["wijk"], doelgroep="aandachtsgroepen",
                       categorie=wijk["gemeente"])
    share = finish(base, "aandeel_aandachtsgroepen_wijk")
    index = finish(base.assign(teller=base["teller"] / base["noemer"],
                               noemer=base["g_teller"] / base["g_noemer"]),
                   "concentratie_index_wijk")
    return [share, index]
