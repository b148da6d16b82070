"""Where households come from: own-origin share and the origin → destination matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.context import Context
from analysis.indicators.counts import count
from analysis.indicators.table import roll_up, with_doelgroep_totals

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
    return [
        roll_up(with_doelgroep_totals(own_share, noemer_per_doelgroep=True),
                "aandeel_eigen_herkomst", region),
        roll_up(with_doelgroep_totals(matrix), "herkomst_bestemming", region),
    ]
