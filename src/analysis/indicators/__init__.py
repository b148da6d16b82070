"""Indicators: a catalogue of definitions (catalogus.yml) and one compute module per theme,
together producing one tidy table (see `table.COLUMNS`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from analysis.context import Context
from analysis.indicators import (
    concentratie,
    herkomst,
    instroom,
    mutatiegrens,
    statushouders,
    subyear,
    verdeling,
    verhuringen,
    wachttijden,
    woonopgave,
)
from analysis.indicators.catalogue import Indicator, catalogue
from analysis.indicators.table import COLUMNS

if TYPE_CHECKING:
    from analysis.model.run import ModelRun


def compute_indicators(ctx: Context, run: ModelRun) -> pd.DataFrame:
    """The full indicator table; every indicator in it is defined in the catalogue."""
    parts = [
        *verhuringen.compute(ctx),
        *mutatiegrens.compute(ctx),
        *instroom.compute(ctx),
        *herkomst.compute(ctx),
        *woonopgave.compute(ctx),
        *verdeling.compute(ctx, run),
        *concentratie.compute(ctx),
        *subyear.compute(ctx),
        *wachttijden.compute(ctx),
        *statushouders.compute(ctx),
    ]
    table = pd.concat(parts, ignore_index=True)
    unknown = set(table["indicator"]) - set(catalogue())
    if unknown:
        raise ValueError(f"indicatoren zonder definitie in catalogus.yml: {sorted(unknown)}")
    return table.astype({"teller": "float64", "noemer": "float64", "waarde": "float64"})


__all__ = ["COLUMNS", "Context", "Indicator", "catalogue", "compute_indicators"]
