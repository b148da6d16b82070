"""Waiting times and chances: the median inschrijfduur and zoekduur at letting, and the mean
number of reacties per advert, per allocation route (categorie) and doelgroep.

A median does not add up, so the region's and the period's medians are taken over the lettings
themselves, never from the medians of the gemeenten or years. The mean number of reacties is a
ratio of sums and rolls up like every other ratio (`table.roll_up`). Every row's noemer is the
number of lettings with a value: the small-count rule reads it (`bescherming` soort maat).
A column the delivered lettings do not have (empty throughout) gives no rows at all; the
reports read that as "not delivered"."""

from __future__ import annotations

from itertools import product

import numpy as np
import pandas as pd

from analysis import codes
from analysis.config import RegionConfig
from analysis.context import Context
from analysis.indicators.table import (
    AANDACHTSGROEPEN,
    ALLE,
    finish,
    period_label,
    roll_up,
    with_doelgroep_totals,
)

MEDIANS = {"inschrijfduur_mediaan": "inschrijfduur", "zoekduur_mediaan": "zoekduur"}
REACTIES = "reacties_per_advertentie"
CELL = ["gebiedsniveau", "gebied", "periode", "doelgroep", "categorie"]


def compute(ctx: Context) -> list[pd.DataFrame]:
    lettings, region = ctx.lettings, ctx.region
    parts = [median_rows(lettings, column, indicator, region)
             for indicator, column in MEDIANS.items() if lettings[column].notna().any()]
    if lettings["reacties"].notna().any():
        parts.append(_reacties(lettings, region))
    return parts


def median_rows(lettings: pd.DataFrame, column: str, indicator: str, region: RegionConfig
                ) -> pd.DataFrame:
    """The median of `column` over the lettings of each cell: gemeente and region, year and
    period, doelgroep (also 'aandachtsgroepen' and 'alle') and route (also 'alle'). Every cell
    is a row, as in the counts; one without lettings with a value has noemer 0 and no waarde."""
    known = lettings[lettings[column].notna()]
    values = known[column].astype("float64")
    split = {"gebied": known["gemeente"], "periode": known["jaar"],
             "doelgroep": known["doelgroep"], "categorie": known["toewijzingsroute"]}
    # Per dimension: split by the column (None), or one total over it.
    totals = {"gebied": [None, region.naam], "periode": [None, period_label(region.jaren)],
              "doelgroep": [None, AANDACHTSGROEPEN, ALLE], "categorie": [None, ALLE]}
    priority = (known["doelgroep"] != codes.NO_GROUP).to_numpy()
    everyone = np.ones(len(known), dtype=bool)
    found = []
    for choice in product(*totals.values()):
        fixed = {dim: total for dim, total in zip(totals, choice, strict=True) if total}
        rows = priority if fixed.get("doelgroep") == AANDACHTSGROEPEN else everyone
        # one key that never varies, so that a cell with every dimension totalled groups too
        by = [pd.Series(0, index=values.index[rows], name="een"),
              *(split[dim][rows].rename(dim) for dim in totals if dim not in fixed)]
        grouped = (values[rows].groupby(by, observed=True).agg(["median", "size"])
                   .reset_index().drop(columns="een"))
        found.append(grouped.assign(**fixed, gebiedsniveau="regio" if "gebied" in fixed
                                    else "gemeente"))
    cells = pd.concat(found, ignore_index=True).astype({dim: str for dim in totals})
    cells = cells.rename(columns={"median": "waarde", "size": "noemer"}).set_index(CELL)
    rows = cells.reindex(_all_cells(region)).reset_index()
    rows["noemer"] = rows["noemer"].fillna(0.0)
    return finish(rows.assign(teller=float("nan")), indicator)


def _all_cells(region: RegionConfig) -> pd.MultiIndex:
    """Every cell of a route × doelgroep breakdown, as the counts of lettings have them."""
    perioden = [*(str(j) for j in region.jaren), period_label(region.jaren)]
    doelgroepen = [*codes.codes("doelgroepen"), AANDACHTSGROEPEN, ALLE]
    categorieen = [*codes.codes("toewijzingsroutes"), ALLE]
    frames = [pd.MultiIndex.from_product([[level], gebieden, perioden, doelgroepen, categorieen],
                                         names=CELL).to_frame(index=False)
              for level, gebieden in (("gemeente", list(region.gemeenten)),
                                      ("regio", [region.naam]))]
    return pd.MultiIndex.from_frame(pd.concat(frames, ignore_index=True))


def _reacties(lettings: pd.DataFrame, region: RegionConfig) -> pd.DataFrame:
    """Reacties per advert: all reacties over the lettings with a number of reacties, summed
    per gemeente and year before dividing (so region and period agree with the gemeenten)."""
    frame = lettings.assign(reacties=lettings["reacties"].astype("float64"),
                            advertenties=lettings["reacties"].notna().astype("float64"))

    def summed(by: list[str]) -> pd.DataFrame:
        return (frame.groupby(["gemeente", "jaar", *by], observed=False)
                .agg(teller=("reacties", "sum"), noemer=("advertenties", "sum")).reset_index())

    per_route = summed(["doelgroep", "toewijzingsroute"]).rename(
        columns={"toewijzingsroute": "categorie"})
    parts = pd.concat([per_route, summed(["doelgroep"]).assign(categorie=ALLE)],
                      ignore_index=True).astype({"gemeente": str, "doelgroep": str,
                                                 "categorie": str, "jaar": int})
    return roll_up(with_doelgroep_totals(parts, noemer_per_doelgroep=True), REACTIES, region)
