"""Where households come from: own-origin share, the origin → destination matrix, the share of
each origin among a gemeente's new tenants and of each destination among a gemeente's own."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.config import RegionConfig
from analysis.context import Context
from analysis.indicators.counts import count
from analysis.indicators.table import finish, period_label, roll_up, with_doelgroep_totals

OUTSIDE_REGION = "buiten_regio"


def origin_category(lettings: pd.DataFrame, region_codes: tuple[str, ...]) -> pd.Categorical:
    """Origin as a region gemeente, or 'buiten_regio', 'buitenland', 'onbekend'."""
    herkomst = lettings["herkomst_gemeente"].astype(str)
    special = herkomst.isin(["buitenland", "onbekend"])
    category = np.where(herkomst.isin(region_codes) | special, herkomst, OUTSIDE_REGION)
    return pd.Categorical(category, categories=[*region_codes, OUTSIDE_REGION, "buitenland",
                                                "onbekend"])


def compute(ctx: Context) -> list[pd.DataFrame]:
    lettings, region = ctx.lettings, ctx.region
    herkomst = lettings["herkomst_gemeente"].astype(str)
    own = count(lettings, ["doelgroep"], mask=herkomst == lettings["gemeente"].astype(str))
    known = count(lettings, ["doelgroep"], mask=herkomst != "onbekend")
    own_share = own.merge(known.rename(columns={"teller": "noemer"}),
                          on=["gemeente", "jaar", "doelgroep", "categorie"])
    matrix = count(lettings.assign(herkomst=origin_category(lettings, region.gemeenten)),
                   ["doelgroep", "herkomst"], categorie="herkomst")
    by_origin = matrix[matrix["categorie"] != "onbekend"].merge(
        known.drop(columns="categorie").rename(columns={"teller": "noemer"}),
        on=["gemeente", "jaar", "doelgroep"])
    pairs = with_doelgroep_totals(matrix)
    return [
        roll_up(with_doelgroep_totals(own_share, noemer_per_doelgroep=True),
                "aandeel_eigen_herkomst", region),
        roll_up(pairs, "herkomst_bestemming", region),
        roll_up(with_doelgroep_totals(by_origin, noemer_per_doelgroep=True), "aandeel_herkomst",
                region),
        _destination_shares(pairs, region),
    ]


def _destination_shares(pairs: pd.DataFrame, region: RegionConfig) -> pd.DataFrame:
    """Of the households from each gemeente of the region that were housed in the region, the
    share per gemeente of the home; per year and over the period. A region row would be 100%
    by definition, so there is none."""
    from_region = pairs[pairs["categorie"].isin(region.gemeenten)].astype({"jaar": int})
    whole = (from_region.groupby(["gemeente", "doelgroep", "categorie"], as_index=False)
             ["teller"].sum().assign(periode=period_label(region.jaren)))
    rows = pd.concat([from_region.assign(periode=from_region["jaar"].astype(str))
                      .drop(columns="jaar"), whole], ignore_index=True)
    rows["noemer"] = rows.groupby(["periode", "doelgroep", "categorie"])["teller"].transform("sum")
    return finish(rows.assign(gebiedsniveau="gemeente").rename(columns={"gemeente": "gebied"}),
                  "aandeel_bestemming")
