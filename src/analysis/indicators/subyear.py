"""Figures within the year, for the periodic monitor: the lettings and the limit share per
quarter or half year of the monitor's year and the year before, and year to date (labels in
`analysis.periods`). Only what the monitor shows: the indicator table is large enough.

Mutaties are delivered per year. Within the year each letting fills a vacated home, so the
lettings are the noemer of the limit share (`aandeel_verhuringen_mutatiegrens`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import codes
from analysis.context import Context
from analysis.indicators.table import AANDACHTSGROEPEN, ALLE, roll_up_within
from analysis.periods import Period

GROUPS = (codes.NO_GROUP, AANDACHTSGROEPEN)  # with ALLE: the doelgroepen within the year


def labelled(lettings: pd.DataFrame, period: Period, years: list[int]) -> pd.DataFrame:
    """The lettings of `years`, each once for every period it counts in: its quarter (or half
    year) and, up to the monitor's part of the year, the year to date. `periode` lists every
    label of those years, so a period without lettings counts 0."""
    lettings = lettings[["gemeente", "datum_verhuring", "aandachtsgroep", "telt_mee"]]
    dates = lettings["datum_verhuring"]
    jaar = dates.dt.year.to_numpy()
    nummer = (dates.dt.month.to_numpy() - 1) // (12 // period.per_year) + 1
    within = np.isin(jaar, years)
    part = (pd.Series(jaar[within]).astype(str) + f"-{period.letter}"
            + pd.Series(nummer[within]).astype(str))
    frames = [lettings[within].assign(periode=part.to_numpy())]
    labels = [p.label for j in years for p in period.in_year(j).parts()]
    if not period.closes_year:  # through the last part, the year to date is the year itself
        early = within & (nummer <= period.nummer)
        to_date = {j: period.in_year(j).year_to_date for j in years}
        frames.append(lettings[early].assign(periode=pd.Series(jaar[early]).map(to_date)
                                             .to_numpy()))
        labels += list(to_date.values())
    out = pd.concat(frames, ignore_index=True)
    out["periode"] = pd.Categorical(out["periode"], categories=labels)
    out["groep"] = pd.Categorical(np.where(out["aandachtsgroep"], AANDACHTSGROEPEN,
                                           codes.NO_GROUP), categories=list(GROUPS))
    return out


def _count(rows: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """Lettings per gemeente × periode (× `by`), zeros included, as a 'teller'."""
    return (rows.groupby(["gemeente", "periode", *(by or [])], observed=False).size()
            .rename("teller").reset_index())


def compute(ctx: Context) -> list[pd.DataFrame]:
    lettings, region = ctx.lettings, ctx.region
    period = region.monitor_period(lettings["datum_verhuring"].max().date())
    years = [j for j in (period.jaar - 1, period.jaar) if j in region.jaren]
    rows = labelled(lettings, period, years)
    everyone = _count(rows)
    per_group = _count(rows, ["groep"]).rename(columns={"groep": "doelgroep"})
    counting = _count(rows[rows["telt_mee"]]).assign(doelgroep=ALLE, categorie=ALLE)
    share = counting.merge(everyone.rename(columns={"teller": "noemer"}),
                           on=["gemeente", "periode"])
    return [
        roll_up_within(pd.concat([everyone.assign(doelgroep=ALLE), per_group])
                       .assign(categorie=ALLE), "verhuringen", region),
        roll_up_within(counting, "verhuringen_mutatiegrens", region),
        roll_up_within(share, "aandeel_verhuringen_mutatiegrens", region),
    ]
