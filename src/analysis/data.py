"""The processed datasets as one object: what the analysis core and the notebooks start from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.contracts import CONTRACTS
from analysis.ingest import MANIFEST, load_manifest
from analysis.issues import InputError, Issue


@dataclass(frozen=True)
class ProcessedData:
    verhuringen: pd.DataFrame
    voorraad: pd.DataFrame
    ppm: pd.DataFrame
    cbs: pd.DataFrame
    manifest: dict

    @property
    def demo(self) -> bool:
        return bool(self.manifest.get("demo"))


def load_processed(processed_dir: Path) -> ProcessedData:
    """Read the Parquet files that `ingest` wrote; the manifest proves the set is complete."""
    processed_dir = Path(processed_dir)
    if not (processed_dir / MANIFEST).exists():
        raise InputError([Issue(str(processed_dir), "geen manifest.json: de verwerkte data is "
                                                    "onvolledig of ontbreekt",
                                expected="eerst `woonzorg ingest`")])
    frames = {c.id: pd.read_parquet(processed_dir / f"{c.id}.parquet") for c in CONTRACTS}
    return ProcessedData(**frames, manifest=load_manifest(processed_dir))
