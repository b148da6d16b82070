from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.config import load_config
from analysis.ingest import ingest
from analysis.layout import DEMO_MARKER
from rawdata import write_valid_raw


def test_ingest_writes_typed_parquet_and_manifest(tmp_path: Path):
    raw = tmp_path / "raw"
    files = write_valid_raw(raw)
    result = ingest(raw, tmp_path / "out", load_config())
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "cbs.parquet", "manifest.json", "ppm.parquet", "verhuringen.parquet", "voorraad.parquet"]
    lettings = pd.read_parquet(out / "verhuringen.parquet")
    assert len(lettings) == 12
    assert str(lettings["datum_verhuring"].dtype).startswith("datetime64")
    assert isinstance(lettings["gemeente"].dtype, pd.CategoricalDtype)
    assert lettings.loc[lettings["verhuring_id"] == "V005", "datum_verhuring"].item() == \
        pd.Timestamp("2023-04-03")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest == result.manifest
    assert manifest["demo"] is False and manifest["demo_label"] is None
    source = manifest["bronnen"]["verhuringen"]
    assert source["rijen"] == 12
    assert source["periode"] == {"van": "2021-03-05", "tot_en_met": "2025-12-31"}
    assert source["contract_versie"] == "1.2"
    file = source["bestanden"][0]
    import hashlib

    assert file["sha256"] == hashlib.sha256(files["verhuringen"].read_bytes()).hexdigest()
    assert file["grootte_bytes"] == files["verhuringen"].stat().st_size
    assert file["scheidingsteken"] == ";" and file["codering"] == "utf-8"
    output_hash = hashlib.sha256((out / "verhuringen.parquet").read_bytes()).hexdigest()
    assert source["uitvoer"] == {"bestand": "verhuringen.parquet", "sha256": output_hash}
    assert manifest["bronnen"]["voorraad"]["periode"] == {"van": 2021, "tot_en_met": 2025}


def test_reingest_gives_identical_files(tmp_path: Path):
    raw = tmp_path / "raw"
    write_valid_raw(raw)
    ingest(raw, tmp_path / "a", load_config())
    ingest(raw, tmp_path / "b", load_config())
    for name in ("verhuringen.parquet", "voorraad.parquet", "ppm.parquet", "cbs.parquet",
                 "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_raw_files_are_not_modified(tmp_path: Path):
    raw = tmp_path / "raw"
    files = write_valid_raw(raw)
    before = {p: p.read_bytes() for p in files.values()}
    ingest(raw, tmp_path / "out", load_config())
    assert {p: p.read_bytes() for p in files.values()} == before
    assert sorted(p.name for p in raw.iterdir()) == sorted(p.name for p in files.values())


def test_demo_marker_labels_output_and_names_changed_files(tmp_path: Path):
    import hashlib

    raw = tmp_path / "raw"
    files = write_valid_raw(raw)
    listed = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files.values()}
    listed["cbs_kerncijfers.csv"] = "0" * 64  # as if the user edited it after generation
    (raw / DEMO_MARKER).write_text(json.dumps({"demo": True, "bestanden": listed}),
                                   encoding="utf-8")
    result = ingest(raw, tmp_path / "out", load_config())
    assert result.manifest["demo"] is True
    assert result.manifest["demo_label"] == "DEMO — synthetische gegevens"
    assert [w.file for w in result.warnings] == ["cbs_kerncijfers.csv"]


def test_unrelated_files_are_skipped_with_a_warning(tmp_path: Path):
    raw = tmp_path / "raw"
    write_valid_raw(raw)
    (raw / "notities.txt").write_text("niet voor de monitor", encoding="utf-8")
    (raw / "geo").mkdir()
    result = ingest(raw, tmp_path / "out", load_config())
    assert [(w.file, w.severity) for w in result.warnings] == [("notities.txt", "waarschuwing")]
