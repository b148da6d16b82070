"""The data step of the pipeline: ingest → indicators and verdeelmodel → data/processed, with the
region's map layers and the comparison with the previous edition beside them so the reports only
read; with an edition label, what was published is kept as that edition."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from analysis.analyse import Analysis, analyse
from analysis.cache import Cache, digest, files_digest, software
from analysis.config import RegionConfig
from analysis.editions import (
    Comparison,
    check_new,
    check_settings,
    comparison,
    comparison_writers,
    default_folder,
    save_edition,
)
from analysis.geo import map_layers
from analysis.ingest import IngestResult, Progress, ingest
from analysis.issues import Issue
from analysis.layout import (
    ANALYSIS_MANIFEST,
    BOUNDARY_CACHE,
    DISCLOSURE_CELLS,
    INDICATORS,
    MANIFEST,
    MAP_GEMEENTEN,
    MAP_WIJKEN,
    MODEL_REGION,
    MODEL_RESULTS,
    MODEL_SETTINGS,
    MODEL_TRACE,
    PUBLISHED_INDICATORS,
    PUBLISHED_MODEL_REGION,
    PUBLISHED_MODEL_RESULTS,
    PUBLISHED_MODEL_TRACE,
    PUBLISHED_TASK_REGION,
    PUBLISHED_TASK_RESULTS,
    PUBLISHED_TASK_TRACE,
    REGION_SETTINGS,
    TASK_BASIS,
    TASK_REGION,
    TASK_RESULTS,
    TASK_TRACE,
)
from analysis.model.config import VerdeelmodelConfig
from analysis.model.prognose import basis_record, missing_year, year_of
from analysis.processed import load_manifest, load_processed
from analysis.storage import sha256, write_all
from analysis.validate import SourceResult


def write_analysis(result: Analysis, processed_dir: Path,
                   layers: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame],
                   compared: Comparison) -> None:
    def parquet(frame: pd.DataFrame):
        return lambda path: frame.to_parquet(path, index=False)

    def text(content: str):
        return lambda path: path.write_text(content, encoding="utf-8")

    gemeenten, wijken = layers
    files = {
        INDICATORS: parquet(result.indicators),
        MODEL_RESULTS: parquet(result.model.resultaten),
        MODEL_REGION: parquet(result.model.regio),
        MODEL_TRACE: parquet(result.model.trace),
        PUBLISHED_INDICATORS: parquet(result.published.indicators),
        PUBLISHED_MODEL_RESULTS: parquet(result.published.model.resultaten),
        PUBLISHED_MODEL_REGION: parquet(result.published.model.regio),
        PUBLISHED_MODEL_TRACE: parquet(result.published.model.trace),
        TASK_RESULTS: parquet(result.prognosis.run.resultaten),
        TASK_REGION: parquet(result.prognosis.run.regio),
        TASK_TRACE: parquet(result.prognosis.run.trace),
        TASK_BASIS: text(json.dumps(basis_record(result.prognosis), indent=2) + "\n"),
        PUBLISHED_TASK_RESULTS: parquet(result.published.prognose.resultaten),
        PUBLISHED_TASK_REGION: parquet(result.published.prognose.regio),
        PUBLISHED_TASK_TRACE: parquet(result.published.prognose.trace),
        DISCLOSURE_CELLS: parquet(result.published.cells),
        REGION_SETTINGS: text(result.region.tekst),
        MODEL_SETTINGS: text(result.model_config.tekst),
        MAP_GEMEENTEN: parquet(gemeenten),
        MAP_WIJKEN: parquet(wijken),
        **comparison_writers(compared),
    }

    def manifest(path: Path) -> None:  # beside the staged results
        record = {"bronnen_sha256": sha256(processed_dir / MANIFEST),
                  "bestanden": {name: sha256(path.parent / name) for name in files}}
        path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    write_all(processed_dir, {**files, ANALYSIS_MANIFEST: manifest}, last=ANALYSIS_MANIFEST)


def prognosis_issues(results: Sequence[SourceResult], region: RegionConfig,
                     model: VerdeelmodelConfig) -> list[Issue]:
    """An input of the taakstelling delivered without rows for its year, named by its files."""
    jaar = year_of(region, model)
    by_source = {result.contract.id: result for result in results}
    return [Issue(", ".join(f.table.name for f in by_source[source].files),
                  f"geen rijen voor {jaar}, het jaar van de taakstelling", column="jaar",
                  expected=f"rijen voor {jaar} (instelling taakstelling.jaar van het "
                           "verdeelmodel), of het bestand weglaten: dan geldt het gemiddelde "
                           "van de laatste jaren")
            for source in missing_year({r.contract.id: r.frame for r in results}, jaar)]


# The record of the data step in the processed folder (`cache`): what it was made from.
DATA_STEP = "gegevensstap"


def inputs_key(raw_dir: Path, region: RegionConfig, model: VerdeelmodelConfig,
               editions_dir: Path) -> str:
    """Everything the data step reads: the raw files, the boundaries the settings name, the
    editions it compares with, both settings files as written and the software."""
    raw_dir = Path(raw_dir)
    geo = [path for level in ("gemeente", "wijk") if (path := region.geo.source(level))
           and path.is_file()]
    editions = ([p for p in editions_dir.rglob("*") if p.is_file()]
                if editions_dir.is_dir() else [])
    return digest("gegevens", files_digest((p for p in raw_dir.rglob("*") if p.is_file()),
                                           raw_dir),
                  files_digest(geo, Path("/")) if geo else [],
                  files_digest(editions, editions_dir), region.tekst, model.tekst, software())


def build(raw_dir: Path, processed_dir: Path, region: RegionConfig, model: VerdeelmodelConfig,
          progress: Progress | None = None, *, edition: str | None = None,
          editions_dir: Path | None = None, overwrite_edition: bool = False,
          reuse: bool = False, before_work: Callable[[], object] | None = None
          ) -> tuple[IngestResult, Analysis | None]:
    """Ingest, analyse, compare with the previous edition in `editions_dir` (default: beside
    the processed folder) and write; with `edition`, keep what was published there under that
    label. Relative boundary paths in the region settings count from the working folder (the
    project folder). With `reuse`, a processed folder made from exactly these inputs is kept
    as it is (no analysis is returned then). `before_work` runs once it is clear that there
    is work, before any of it (the build starts its notebook workers there)."""
    started = dt.datetime.now().astimezone()
    editions_dir = editions_dir or default_folder(processed_dir)
    check_settings(region)
    if edition is not None:  # before the slow part
        check_new(editions_dir, edition, overwrite_edition)
    cache, key = Cache(Path(processed_dir)), inputs_key(raw_dir, region, model, editions_dir)
    if reuse and edition is None and cache.reuse(DATA_STEP, key) is not None:
        manifest = load_manifest(processed_dir)
        if progress:
            progress("bronnen, instellingen en software ongewijzigd: de verwerkte gegevens van "
                     "de vorige build blijven staan")
        return IngestResult(manifest=manifest, warnings=()), None
    if before_work:
        before_work()
    cache.forget(DATA_STEP)
    ingested = ingest(raw_dir, processed_dir, region, progress,
                      check=lambda results: prognosis_issues(results, region, model))
    layers = map_layers(region, cache_dir=Path(processed_dir) / BOUNDARY_CACHE)
    result = analyse(load_processed(processed_dir), region, model)
    compared = comparison(editions_dir, result.published.indicators, region,
                          bool(ingested.manifest["demo"]), started, exclude=edition)
    write_analysis(result, processed_dir, layers, compared)
    if progress:
        progress(f"{len(result.indicators)} indicatorwaarden, verdeelmodel "
                 f"({len(result.model.regio)} jaren) en kaartlagen geschreven; "
                 + (f"vergeleken met editie {compared.previous.label}" if compared.previous
                    else "geen eerdere editie om mee te vergelijken"))
    if edition is not None:
        saved = save_edition(editions_dir, edition, processed_dir, region,
                             overwrite=overwrite_edition)
        if progress:
            progress(f"editie {edition} bewaard in {saved}")
        key = inputs_key(raw_dir, region, model, editions_dir)  # the edition is an input now
    cache.store(DATA_STEP, key, sorted(p for p in Path(processed_dir).rglob("*")
                                       if p.is_file() and p.name != f"{DATA_STEP}.json"
                                       and not p.name.startswith(".")))
    return ingested, result
