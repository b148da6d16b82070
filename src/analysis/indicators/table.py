"""The tidy indicator table and the one way gemeente figures roll up to region and period.

Every indicator is computed at gemeente × jaar level as a teller (and a noemer, for ratios).
Region rows are the sum of the gemeente tellers and noemers, period rows the sum over years, and
only then is the ratio taken: so region and period figures always agree with the gemeenten.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import codes
from analysis.config import RegionConfig
from analysis.indicators.catalogue import catalogue

COLUMNS = ("indicator", "gebiedsniveau", "gebied", "periode", "doelgroep", "categorie",
           "waarde", "teller", "noemer")
ALLE = "alle"  # no breakdown on this dimension
AANDACHTSGROEPEN = "aandachtsgroepen"  # every doelgroep except 'geen'
KEYS = ["gemeente", "jaar", "doelgroep", "categorie"]


def period_label(jaren: tuple[int, ...] | list[int]) -> str:
    return f"{min(jaren)}-{max(jaren)}"


def with_doelgroep_totals(parts: pd.DataFrame, noemer_per_doelgroep: bool = False
                          ) -> pd.DataFrame:
    """Add doelgroep 'aandachtsgroepen' (all but 'geen') and 'alle' to per-doelgroep parts.

    A noemer that is the same for every doelgroep (mutaties, huishoudens) is kept; one that is
    counted per doelgroep is summed like the teller."""
    keys = ["gemeente", "jaar", "categorie"]
    value_columns = [c for c in ("teller", "noemer") if c in parts]
    priority = parts[parts["doelgroep"] != codes.NO_GROUP].groupby(keys, observed=True,
                                                                    as_index=False)
    everyone = parts.groupby(keys, observed=True, as_index=False)
    noemer = "sum" if noemer_per_doelgroep else "first"
    aggregations = {"teller": "sum", **({"noemer": noemer} if "noemer" in parts else {})}
    extra = [
        priority.agg(aggregations)[[*keys, *value_columns]].assign(doelgroep=AANDACHTSGROEPEN),
        everyone.agg(aggregations)[[*keys, *value_columns]].assign(doelgroep=ALLE),
    ]
    return pd.concat([parts.astype({"doelgroep": str}), *extra], ignore_index=True)


def _sums(parts: pd.DataFrame, keys: list[str], sort: bool = True) -> pd.DataFrame:
    """Teller and noemer summed per `keys`; a noemer with no value at all stays empty."""
    groups = parts.groupby(keys, sort=sort)
    return pd.DataFrame({"teller": groups["teller"].sum(),
                         "noemer": groups["noemer"].sum(min_count=1)}).reset_index()


def roll_up(parts: pd.DataFrame, indicator: str, region: RegionConfig) -> pd.DataFrame:
    """Gemeente × jaar parts (KEYS + teller [+ noemer]) → tidy rows for gemeente and region,
    per year and for the whole period."""
    factor = catalogue()[indicator].factor
    parts = parts.copy()
    if "noemer" not in parts:
        parts["noemer"] = np.nan
    parts = parts.astype({"gemeente": str, "doelgroep": str, "categorie": str,
                          "teller": "float64", "noemer": "float64"})
    parts["jaar"] = parts["jaar"].astype(int)
    per_region = _sums(parts, ["jaar", "doelgroep", "categorie"]).assign(
        gemeente=region.naam, gebiedsniveau="regio")
    levels = pd.concat([parts.assign(gebiedsniveau="gemeente"), per_region], ignore_index=True)
    yearly = levels.assign(periode=levels["jaar"].astype(str))
    whole = _sums(levels, ["gebiedsniveau", "gemeente", "doelgroep", "categorie"],
                  sort=False).assign(periode=period_label(region.jaren))
    rows = pd.concat([yearly.drop(columns="jaar"), whole], ignore_index=True)
    return finish(rows.rename(columns={"gemeente": "gebied"}), indicator, factor)


def roll_up_within(parts: pd.DataFrame, indicator: str, region: RegionConfig) -> pd.DataFrame:
    """Gemeente × periode parts, for periods within a year (`analysis.periods`), → tidy rows for
    gemeente and region. No sum over the periods: a quarter and the year to date overlap."""
    parts = parts.assign(**({} if "noemer" in parts else {"noemer": np.nan})).astype(
        {"gemeente": str, "periode": str, "doelgroep": str, "categorie": str,
         "teller": "float64", "noemer": "float64"})
    per_region = _sums(parts, ["periode", "doelgroep", "categorie"], sort=False).assign(
        gemeente=region.naam, gebiedsniveau="regio")
    rows = pd.concat([parts.assign(gebiedsniveau="gemeente"), per_region], ignore_index=True)
    return finish(rows.rename(columns={"gemeente": "gebied"}), indicator)


def finish(rows: pd.DataFrame, indicator: str, factor: float | None = None) -> pd.DataFrame:
    """Compute `waarde` (factor × teller / noemer, or the teller for counts) and order columns."""
    factor = catalogue()[indicator].factor if factor is None else factor
    rows = rows.assign(indicator=indicator)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = factor * rows["teller"] / rows["noemer"].where(rows["noemer"] != 0)
    if "waarde" not in rows:
        rows["waarde"] = np.where(rows["noemer"].isna(), rows["teller"], ratio)
    return rows[list(COLUMNS)]
