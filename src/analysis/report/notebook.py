"""The first cell of every report notebook, as one call: the processed data and the names the
notebook's text uses, plus the modules it shows content with (imported from here in one line)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from analysis import figures
from analysis.figures import maps
from analysis.report import (
    appendix,
    editions,
    scenario,
    shared,
    show,
    signals,
    statushouders,
    taakstelling,
    trends,
    wachttijden,
)
from analysis.report.data import ReportData, load_report_data

__all__ = ["appendix", "editions", "figures", "maps", "scenario", "setup", "shared", "show",
           "signals", "statushouders", "taakstelling", "trends", "wachttijden"]


class Setup(NamedTuple):
    data: ReportData
    R: str  # the region's name
    P: str  # the monitor period, e.g. 2021-2025
    LAST: str  # its last year
    GRENS: float  # the limit on mutaties to aandachtsgroepen, in percent


def setup(processed: str | Path) -> Setup:
    data = load_report_data(Path(processed))
    return Setup(data, data.region.naam, data.period, data.last_year,
                 shared.limit_percent(data))
