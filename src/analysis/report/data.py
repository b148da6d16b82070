"""Everything a report notebook reads, loaded once from data/processed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from analysis import codes
from analysis.build import (
    INDICATORS,
    MODEL_REGION,
    MODEL_RESULTS,
    MODEL_SETTINGS,
    MODEL_TRACE,
    REGION_SETTINGS,
)
from analysis.config import RegionConfig, load_config
from analysis.data import ProcessedData, load_processed
from analysis.geo import BoundariesMissing, boundaries_or_tiles, load_boundaries
from analysis.geo.load import DEFAULT_CACHE
from analysis.indicators.table import period_label
from analysis.model.config import VerdeelmodelConfig, load_verdeelmodel_config
from analysis.model.run import ModelRun


@dataclass(frozen=True, eq=False)
class ReportData:
    processed: ProcessedData
    indicators: pd.DataFrame
    model: ModelRun
    region: RegionConfig
    model_config: VerdeelmodelConfig

    @property
    def demo(self) -> bool:
        return self.processed.demo

    @property
    def period(self) -> str:
        return period_label(self.region.jaren)

    @property
    def last_year(self) -> str:
        return str(self.region.jaar_tot_en_met)

    def gemeente_name(self, code: str) -> str:
        return self.region.naam if code == self.region.naam else codes.labels("gemeenten")[code]

    def short_name(self, code: str) -> str:
        """For column headers of wide tables."""
        return self.region.naam if code == self.region.naam else self.region.korte_naam(code)

    def gemeenten_map(self) -> gpd.GeoDataFrame:
        """Gemeente boundaries from the geo settings, or the tile grid when there are none
        (paths count from the project folder, where the notebooks run)."""
        return boundaries_or_tiles(self.region, root=Path.cwd())

    def wijken_map(self) -> gpd.GeoDataFrame | None:
        """Wijk boundaries, or None when there are none (the wijk map is then left out)."""
        try:
            return load_boundaries(Path.cwd() / self.region.geo.source("wijk"), self.region,
                                   "wijk", cache_dir=Path.cwd() / DEFAULT_CACHE)
        except BoundariesMissing:
            return None

    def values(self, indicator: str, *, periode: str, doelgroep: str = "alle",
               categorie: str = "alle", gebiedsniveau: str | None = None,
               column: str = "waarde") -> pd.Series:
        """One indicator as a Series indexed by gebied (gemeenten in region order, then the
        region), for one period, doelgroep and categorie."""
        t = self.indicators
        rows = t[(t["indicator"] == indicator) & (t["periode"] == periode)
                 & (t["doelgroep"] == doelgroep) & (t["categorie"] == categorie)]
        if gebiedsniveau is not None:
            rows = rows[rows["gebiedsniveau"] == gebiedsniveau]
        series = rows.set_index("gebied")[column]
        order = [*self.region.gemeenten, self.region.naam]
        return series.reindex([g for g in order if g in series.index]
                              + [g for g in series.index if g not in order])


def load_report_data(processed_dir: Path) -> ReportData:
    """The processed data with the settings the build used (stored beside the results)."""
    processed_dir = Path(processed_dir)
    run = ModelRun(resultaten=pd.read_parquet(processed_dir / MODEL_RESULTS),
                   regio=pd.read_parquet(processed_dir / MODEL_REGION),
                   trace=pd.read_parquet(processed_dir / MODEL_TRACE))
    return ReportData(processed=load_processed(processed_dir),
                      indicators=pd.read_parquet(processed_dir / INDICATORS), model=run,
                      region=load_config(processed_dir / REGION_SETTINGS),
                      model_config=load_verdeelmodel_config(processed_dir / MODEL_SETTINGS))
