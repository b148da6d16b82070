"""The processed folder read back: the validated sources with their manifest (`ProcessedData`),
what the analysis core and the notebooks start from. File names are in `layout`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.contracts import CONTRACTS
from analysis.issues import InputError, Issue
from analysis.layout import MANIFEST, source_file


@dataclass(frozen=True)
class ProcessedData:
    verhuringen: pd.DataFrame
    voorraad: pd.DataFrame
    ppm: pd.DataFrame
    cbs: pd.DataFrame
    taakstelling_statushouders: pd.DataFrame | None  # optional: None when not delivered
    # Optional inputs of next year's verdeelmodel (years after the monitor period); None when
    # not delivered.
    prognose_mutaties: pd.DataFrame | None
    prognose_vraag: pd.DataFrame | None
    reeds_toegezegd: pd.DataFrame | None
    manifest: dict

    @property
    def demo(self) -> bool:
        return bool(self.manifest.get("demo"))


def load_manifest(processed_dir: Path) -> dict:
    return json.loads((Path(processed_dir) / MANIFEST).read_text(encoding="utf-8"))


def load_processed(processed_dir: Path) -> ProcessedData:
    """Read the Parquet files that `ingest` wrote; the manifest proves the set is complete."""
    processed_dir = Path(processed_dir)
    if not (processed_dir / MANIFEST).exists():
        raise InputError([Issue(str(processed_dir), "geen manifest.json: de verwerkte data is "
                                                    "onvolledig of ontbreekt",
                                expected="eerst `woonzorg ingest`")])
    manifest = load_manifest(processed_dir)
    # An optional source not delivered has no file; the manifest, not the folder, says which.
    frames = {c.id: pd.read_parquet(processed_dir / source_file(c.id))
              if c.required or c.id in manifest["bronnen"] else None for c in CONTRACTS}
    return ProcessedData(**frames, manifest=manifest)
