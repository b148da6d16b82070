"""Developments over the years for the trend charts of the regional report and the appendix:
one indicator per year for a few areas, and the lettings per year of the largest groups."""

from __future__ import annotations

import pandas as pd

from analysis import codes
from analysis.editions import CHANGED
from analysis.indicators.table import AANDACHTSGROEPEN
from analysis.report.data import ReportData

LARGEST_GROUPS = 6  # lines in the inflow chart; the rest is one line (the palette has 8)
OTHERS, TOGETHER = "Overige aandachtsgroepen", "Aandachtsgroepen samen"


def years(data: ReportData) -> list[str]:
    return [str(jaar) for jaar in data.region.jaren]


def by_year(data: ReportData, indicator: str, gebieden: list[str],
            doelgroep: str = "alle") -> pd.DataFrame:
    """Years × areas (gemeente codes or the region, named): one indicator, NaN where hidden."""
    frame = pd.DataFrame({jaar: data.values(indicator, periode=jaar, doelgroep=doelgroep)
                          .reindex(gebieden) for jaar in years(data)}).T
    return frame.set_axis([data.gemeente_name(g) for g in gebieden], axis=1)


def previous_by_year(data: ReportData, indicator: str, gebieden: list[str],
                     doelgroep: str = "alle") -> pd.DataFrame | None:
    """As `by_year`, the previous edition's figures where they moved beyond the tolerance in
    the settings (NaN elsewhere: there it matched this edition); None without an earlier
    edition. For the mark of the previous edition in a trend chart."""
    if data.previous_edition is None:
        return None
    changes = data.changes
    moved = changes[changes["soort"].eq(CHANGED) & changes["indicator"].eq(indicator)
                    & changes["doelgroep"].eq(doelgroep) & changes["categorie"].eq("alle")]
    frame = (moved.pivot_table(index="periode", columns="gebied", values="vorige")
             .reindex(index=years(data), columns=gebieden))
    return frame.set_axis([data.gemeente_name(g) for g in gebieden], axis=1)


def _lettings(data: ReportData, gebied: str) -> pd.DataFrame:
    """The area's lettings per doelgroep (columns, codes) for each year and the whole period
    (rows), NaN where hidden: read once for the inflow chart."""
    rows = data.rows("verhuringen", gebied=gebied, categorie="alle")
    return rows.pivot_table(index="periode", columns="doelgroep", values="waarde",
                            dropna=False).reindex([*years(data), data.period])


def _largest_groups(lettings: pd.DataFrame) -> list[str]:
    """The largest doelgroepen over the period among those with a published year: a group
    hidden in every year would be an empty line (small gemeenten)."""
    period, yearly = lettings.iloc[-1], lettings.iloc[:-1]
    shown = [d for d in codes.aandachtsgroepen()
             if d in lettings and yearly[d].notna().any()]
    return sorted(shown, key=lambda d: -1 if pd.isna(period[d]) else period[d],
                  reverse=True)[:LARGEST_GROUPS]


def inflow_by_year(data: ReportData, gebied: str | None = None) -> pd.DataFrame:
    """Years × the largest doelgroepen of the area over the period, plus the other
    aandachtsgroepen together: lettings in a gemeente, or in the region without one. Where no
    group has a published year, the aandachtsgroepen together."""
    lettings = _lettings(data, gebied or data.region.naam)
    yearly, labels = lettings.iloc[:-1], codes.labels("doelgroepen")
    largest = _largest_groups(lettings)
    if not largest:
        return pd.DataFrame({TOGETHER: yearly[AANDACHTSGROEPEN]}).rename_axis(None)
    frame = pd.DataFrame({labels[d]: yearly[d] for d in largest}).rename_axis(None)
    # The rest is only known in a year where every large group is published.
    frame[OTHERS] = (yearly[AANDACHTSGROEPEN]
                     - frame.sum(axis=1, min_count=len(largest)))
    return frame


def previous_inflow_by_year(data: ReportData, gebied: str | None = None
                            ) -> pd.DataFrame | None:
    """`inflow_by_year` as the previous edition had it, where a group's figure moved (the
    other groups together are not compared); None without an earlier edition."""
    gebied = gebied or data.region.naam
    labels = codes.labels("doelgroepen")
    moved = {labels[d]: previous_by_year(data, "verhuringen", [gebied], d)
             for d in _largest_groups(_lettings(data, gebied))}
    if any(frame is None for frame in moved.values()):
        return None
    return pd.DataFrame({label: frame.iloc[:, 0] for label, frame in moved.items()})
