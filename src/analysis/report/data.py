"""Everything a report reads, loaded once from data/processed, and the few ways to ask for it.

Report modules and notebooks ask `ReportData` for figures (`rows`, `values`, `matrix`) and names
(`gemeente_name`, `named`) instead of filtering the indicator table themselves: this is the one
seam between the analysis results and everything that is published. It holds only what the
protection step let through: a hidden figure is empty (NaN) and its row's status says why."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from analysis import codes
from analysis.config import RegionConfig, load_config
from analysis.editions import Edition, read_comparison
from analysis.indicators.table import period_label
from analysis.issues import InputError, Issue
from analysis.layout import (
    ANALYSIS_MANIFEST,
    CHANGES,
    MANIFEST,
    MAP_GEMEENTEN,
    MAP_WIJKEN,
    MODEL_SETTINGS,
    PUBLISHED_INDICATORS,
    PUBLISHED_MODEL_REGION,
    PUBLISHED_MODEL_RESULTS,
    PUBLISHED_MODEL_TRACE,
    PUBLISHED_TASK_REGION,
    PUBLISHED_TASK_RESULTS,
    PUBLISHED_TASK_TRACE,
    REGION_SETTINGS,
    TASK_BASIS,
)
from analysis.model.config import VerdeelmodelConfig, load_verdeelmodel_config
from analysis.model.prognose import Prognosis, from_record
from analysis.model.run import ModelRun
from analysis.periods import Period
from analysis.processed import load_manifest
from analysis.storage import sha256


@dataclass(frozen=True, eq=False)
class ReportData:
    manifest: dict  # the sources: files, checksums, periods
    indicators: pd.DataFrame
    model: ModelRun
    prognose: Prognosis  # the taakstelling for the coming year, as published
    region: RegionConfig
    model_config: VerdeelmodelConfig
    folder: Path  # the processed folder, for the map layers
    version: str  # checksum of the analysis manifest: which results a document was made from
    # The key figures compared with the previous edition (`editions.compare`: soort, vorige,
    # nieuw, verschil), and that edition; None: there was none, and `changes` has no rows.
    changes: pd.DataFrame
    previous_edition: Edition | None

    @property
    def demo(self) -> bool:
        return bool(self.manifest.get("demo"))

    @property
    def period(self) -> str:
        return period_label(self.region.jaren)

    @property
    def last_year(self) -> str:
        return str(self.region.jaar_tot_en_met)

    @property
    def latest_letting(self) -> dt.date:
        """The date of the latest letting delivered (from the manifest of the sources)."""
        return dt.date.fromisoformat(
            self.manifest["bronnen"]["verhuringen"]["periode"]["tot_en_met"])

    @property
    def monitor_period(self) -> Period:
        """The part of the year the periodic monitor runs through, as the build chose it."""
        return self.region.monitor_period(self.latest_letting)

    def gemeente_name(self, code: str) -> str:
        """The official name as documents print it."""
        if code == self.region.naam:
            return code
        return codes.typographic(codes.labels("gemeenten")[code])

    def short_name(self, code: str) -> str:
        """For column headers of wide tables."""
        if code == self.region.naam:
            return code
        return codes.typographic(self.region.korte_naam(code))

    def named(self, figures: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
        """The same figures with gemeente codes in the index replaced by their names."""
        return figures.set_axis([self.gemeente_name(g) for g in figures.index], axis=0)

    def gemeenten_map(self) -> gpd.GeoDataFrame:
        """The gemeente layer the build prepared: boundaries, or the tile grid without them."""
        return gpd.read_parquet(self.folder / MAP_GEMEENTEN)

    def wijken_map(self) -> gpd.GeoDataFrame | None:
        """The wijk layer the build prepared, or None when there are no wijk boundaries."""
        wijken = gpd.read_parquet(self.folder / MAP_WIJKEN)
        return wijken if len(wijken) else None

    def rows(self, indicator: str, **where: str) -> pd.DataFrame:
        """The rows of one indicator, filtered on any columns of the indicator table
        (periode, doelgroep, categorie, gebiedsniveau, gebied)."""
        t = self._by_indicator.get(indicator, self.indicators.iloc[:0])
        if not where:
            return t
        mask = pd.Series(True, index=t.index)
        for column, value in where.items():
            mask &= t[column] == value
        return t[mask]

    @cached_property
    def _by_indicator(self) -> dict[str, pd.DataFrame]:
        """The indicator table split per indicator once: a document asks for one indicator a
        hundred times, and comparing all 86.500 rows each time was a tenth of its run.
        (Copy-on-write: a caller that changes a part gets its own copy.)"""
        return dict(tuple(self.indicators.groupby("indicator", sort=False, observed=True)))

    def indicator_ids(self) -> set[str]:
        """The indicators the table has figures for."""
        return set(self._by_indicator)

    def values(self, indicator: str, *, periode: str, doelgroep: str = "alle",
               categorie: str = "alle", gebiedsniveau: str | None = None,
               column: str = "waarde") -> pd.Series:
        """One indicator as a Series indexed by gebied (gemeenten in region order, then the
        region), for one period, doelgroep and categorie."""
        where = {"periode": periode, "doelgroep": doelgroep, "categorie": categorie}
        if gebiedsniveau is not None:
            where["gebiedsniveau"] = gebiedsniveau
        series = self.rows(indicator, **where).set_index("gebied")[column]
        order = [*self.region.gemeenten, self.region.naam]
        return series.reindex([g for g in order if g in series.index]
                              + [g for g in series.index if g not in order])

    def matrix(self, indicator: str, *, periode: str, doelgroep: str,
               gebiedsniveau: str | None = "gemeente") -> pd.DataFrame:
        """One indicator with a breakdown as categorie (rows) × gebied (columns); None as
        gebiedsniveau keeps the region's column too."""
        where = {"periode": periode, "doelgroep": doelgroep}
        if gebiedsniveau is not None:
            where["gebiedsniveau"] = gebiedsniveau
        rows = self.rows(indicator, **where)
        return rows.pivot(index="categorie", columns="gebied", values="waarde")


def _analysis_version(processed_dir: Path) -> str:
    """The checksum of the analysis manifest, once it is known to belong to the sources beside
    it: a build killed between ingest and analysis leaves new sources beside old results."""
    path = processed_dir / ANALYSIS_MANIFEST
    try:
        matches = (json.loads(path.read_text(encoding="utf-8")).get("bronnen_sha256")
                   == sha256(processed_dir / MANIFEST))
    except (OSError, ValueError):  # a file missing, or not JSON
        matches = False
    if not matches:
        raise InputError([Issue(str(processed_dir), "de analyseresultaten ontbreken of horen "
                                                    "niet bij de brongegevens ernaast (een "
                                                    "build is onderbroken)",
                                expected="`woonzorg build` opnieuw")])
    return sha256(path)


def load_report_data(processed_dir: Path) -> ReportData:
    """What may be published of the processed data, with the settings the build used (stored
    beside the results). The unprotected indicator table and model results are not read."""
    processed_dir = Path(processed_dir)
    version = _analysis_version(processed_dir)
    if not (processed_dir / CHANGES).exists():
        raise InputError([Issue(str(processed_dir), "de vergelijking met de vorige editie "
                                                    "ontbreekt (gemaakt door een oudere versie)",
                                expected="`woonzorg build` opnieuw")])
    compared = read_comparison(processed_dir)
    run = ModelRun(resultaten=pd.read_parquet(processed_dir / PUBLISHED_MODEL_RESULTS),
                   regio=pd.read_parquet(processed_dir / PUBLISHED_MODEL_REGION),
                   trace=pd.read_parquet(processed_dir / PUBLISHED_MODEL_TRACE))
    ahead = ModelRun(resultaten=pd.read_parquet(processed_dir / PUBLISHED_TASK_RESULTS),
                     regio=pd.read_parquet(processed_dir / PUBLISHED_TASK_REGION),
                     trace=pd.read_parquet(processed_dir / PUBLISHED_TASK_TRACE))
    basis = json.loads((processed_dir / TASK_BASIS).read_text(encoding="utf-8"))
    return ReportData(manifest=load_manifest(processed_dir),
                      indicators=pd.read_parquet(processed_dir / PUBLISHED_INDICATORS),
                      model=run, prognose=from_record(basis, ahead),
                      region=load_config(processed_dir / REGION_SETTINGS),
                      model_config=load_verdeelmodel_config(processed_dir / MODEL_SETTINGS),
                      folder=processed_dir, version=version, changes=compared.changes,
                      previous_edition=compared.previous)
