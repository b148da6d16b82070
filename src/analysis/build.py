"""The pipeline, step by step: ingest → indicators and verdeelmodel → data/processed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.config import RegionConfig
from analysis.data import ProcessedData, load_processed
from analysis.indicators import compute_indicators
from analysis.indicators.context import prepare
from analysis.ingest import IngestResult, Progress, ingest
from analysis.model.config import VerdeelmodelConfig
from analysis.model.run import ModelRun, run_model
from analysis.storage import write_all

INDICATORS = "indicatoren.parquet"
MODEL_RESULTS = "verdeelmodel_resultaten.parquet"
MODEL_REGION = "verdeelmodel_regio.parquet"
MODEL_TRACE = "verdeelmodel_trace.parquet"
# The settings the analysis used, kept beside its results so the reports use the same ones.
REGION_SETTINGS = "instellingen_regio.yml"
MODEL_SETTINGS = "instellingen_verdeelmodel.yml"


@dataclass(frozen=True, eq=False)
class Analysis:
    indicators: pd.DataFrame
    model: ModelRun
    region: RegionConfig
    model_config: VerdeelmodelConfig


def analyse(data: ProcessedData, region: RegionConfig, model: VerdeelmodelConfig) -> Analysis:
    """Pure: processed data in, indicator table and model results out."""
    ctx = prepare(data, region, model)
    run = run_model(ctx)
    return Analysis(indicators=compute_indicators(ctx, run), model=run, region=region,
                    model_config=model)


def write_analysis(result: Analysis, processed_dir: Path) -> None:
    def parquet(frame: pd.DataFrame):
        return lambda path: frame.to_parquet(path, index=False, engine="pyarrow")

    def text(content: str):
        return lambda path: path.write_text(content, encoding="utf-8")

    write_all(processed_dir, {
        INDICATORS: parquet(result.indicators),
        MODEL_RESULTS: parquet(result.model.resultaten),
        MODEL_REGION: parquet(result.model.regio),
        MODEL_TRACE: parquet(result.model.trace),
        REGION_SETTINGS: text(result.region.tekst),
        MODEL_SETTINGS: text(result.model_config.tekst),
    })


def build(raw_dir: Path, processed_dir: Path, region: RegionConfig, model: VerdeelmodelConfig,
          progress: Progress | None = None) -> tuple[IngestResult, Analysis]:
    ingested = ingest(raw_dir, processed_dir, region, progress)
    result = analyse(load_processed(processed_dir), region, model)
    write_analysis(result, processed_dir)
    if progress:
        progress(f"{len(result.indicators)} indicatorwaarden en verdeelmodel "
                 f"({len(result.model.regio)} jaren) geschreven")
    return ingested, result
