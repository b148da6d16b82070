"""Rebuilding only what changed: the records of `analysis.cache`, the data step that keeps a
processed folder made from the same inputs, and documents and exports that are kept when
nothing they are made from changed. Decided by hashes of the inputs, never by time stamps."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from analysis.build import DATA_STEP, build
from analysis.cache import Cache, digest
from analysis.model import load_verdeelmodel_config
from analysis.report.pipeline import Selection, document_key, publish
from conftest import ROOT, shared_geo_config, snapshot

# --- the records --------------------------------------------------------------------------


@pytest.fixture
def made(tmp_path: Path) -> tuple[Cache, list[Path]]:
    outputs = [tmp_path / "a.pdf", tmp_path / "b.xlsx"]
    for path in outputs:
        path.write_bytes(path.name.encode() * 100)
    cache = Cache(tmp_path / "cache")
    cache.store("stap", "sleutel-1", outputs)
    return cache, outputs


def test_a_record_is_reused_for_the_same_key_with_intact_outputs(made):
    cache, outputs = made
    assert cache.reuse("stap", "sleutel-1") == outputs
    cache.store("stap", "sleutel-1", outputs[::-1])  # in the order they were named
    assert cache.reuse("stap", "sleutel-1") == outputs[::-1]
    assert cache.reuse("stap", "sleutel-2") is None
    assert cache.reuse("andere-stap", "sleutel-1") is None


@pytest.mark.parametrize("damage", ["removed", "cut off", "edited"])
def test_a_damaged_output_is_never_reused(made, damage):
    cache, outputs = made
    if damage == "removed":
        outputs[0].unlink()
    elif damage == "cut off":
        outputs[0].write_bytes(outputs[0].read_bytes()[:50])
    else:
        outputs[1].write_bytes(b"x" + outputs[1].read_bytes()[1:])
    assert cache.reuse("stap", "sleutel-1") is None


@pytest.mark.parametrize("record", ["", "{", "[]", '{"versie": 2}', "null",
                                    '{"versie": 2, "sleutel": "sleutel-1", "bestanden": 3}',
                                    '{"versie": 2, "sleutel": "sleutel-1", "bestanden": ["x"]}'])
def test_a_damaged_record_is_never_used(made, record):
    cache, _ = made
    (cache.folder / "stap.json").write_text(record, encoding="utf-8")
    assert cache.reuse("stap", "sleutel-1") is None


def test_a_forgotten_record_is_gone(made):
    cache, _ = made
    cache.forget("stap")
    assert cache.reuse("stap", "sleutel-1") is None
    cache.forget("stap")  # forgetting twice is fine


def test_a_key_is_the_inputs_not_their_order_of_mention_in_a_mapping():
    assert digest("a", {"x": 1, "y": 2}) == digest("a", {"y": 2, "x": 1})
    assert digest("a", {"x": 1}) != digest("a", {"x": 2})
    assert digest("a", [1, 2]) != digest("a", [2, 1])


# --- the data step ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw_copy(demo_build, tmp_path_factory) -> tuple[Path, Path]:
    """The demo's raw files, copied so a test may change them, with the region settings."""
    root = tmp_path_factory.mktemp("cache_raw")
    shutil.copytree(demo_build[0] / "raw", root / "raw")
    return root, root / "raw"


def test_the_data_step_keeps_a_folder_made_from_the_same_inputs(raw_copy):
    root, raw = raw_copy
    region, model = shared_geo_config(root), load_verdeelmodel_config()
    processed = root / "processed"
    work: list[str] = []  # told before the step works (the build starts its kernels then)
    _, first = build(raw, processed, region, model, reuse=True,
                     before_work=lambda: work.append("eerste"))
    assert first is not None and (processed / f"{DATA_STEP}.json").is_file()
    before = snapshot(processed)
    _, again = build(raw, processed, region, model, reuse=True,
                     before_work=lambda: work.append("opnieuw"))
    assert again is None  # nothing analysed
    assert snapshot(processed) == before  # and nothing written
    assert work == ["eerste"]

    # Other model settings: the step runs again.
    changed = yaml.safe_load(model.tekst) | {"mutatiegrens": 0.25}
    other = root / "verdeelmodel.yml"
    other.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    _, rerun = build(raw, processed, region, load_verdeelmodel_config(other), reuse=True)
    assert rerun is not None and rerun.model_config.mutatiegrens == 0.25

    # Changed data: one CBS figure more.
    _, kept = build(raw, processed, region, load_verdeelmodel_config(other), reuse=True)
    assert kept is None
    cbs = raw / "cbs_kerncijfers.csv"
    cbs.write_text(cbs.read_text(encoding="utf-8").replace("103797", "103798", 1),
                   encoding="utf-8")
    _, rerun = build(raw, processed, region, load_verdeelmodel_config(other), reuse=True)
    assert rerun is not None

    # A processed file edited after the build: never trusted.
    _, kept = build(raw, processed, region, load_verdeelmodel_config(other), reuse=True)
    assert kept is None
    (processed / "indicatoren.parquet").write_bytes(b"damaged")
    _, rerun = build(raw, processed, region, load_verdeelmodel_config(other), reuse=True)
    assert rerun is not None
    assert (processed / "indicatoren.parquet").read_bytes()[:4] == b"PAR1"


def test_without_reuse_the_data_step_always_runs(raw_copy):
    root, raw = raw_copy
    region, model = shared_geo_config(root), load_verdeelmodel_config()
    processed = root / "processed-always"
    build(raw, processed, region, model)
    _, again = build(raw, processed, region, model)
    assert again is not None


# --- documents and exports ------------------------------------------------------------------

# Two small documents of two kinds: the appendix of one gemeente and one doelgroep sheet.
SELECTION = Selection({"gemeente": ("GM1842",), "doelgroep": ("ouderen",)})
APPENDIX = "gemeenten/bijlage-midden-delfland"
SHEET = "doelgroepen/doelgroep-ouderen"


@pytest.fixture(scope="module")
def project(demo_build, tmp_path_factory) -> dict[str, Path]:
    """A copy of the project's notebooks and document settings, so a test may edit them, with
    the demo's processed folder and its own work and reports folders."""
    root = tmp_path_factory.mktemp("cache_project")
    shutil.copytree(ROOT / "analyses", root / "analyses")
    shutil.copy(ROOT / "_quarto.yml", root / "_quarto.yml")
    return {"root": root, "processed": demo_build[0] / "processed", "build": root / "build",
            "reports": root / "reports"}


def _publish(project: dict[str, Path]):
    return publish(project["root"], project["processed"], project["build"], SELECTION,
                   reports=project["reports"])


def _files(project: dict[str, Path], stem: str) -> dict[str, tuple[int, int]]:
    """Size and mtime of a document's files: unchanged means not written again."""
    reports = project["reports"]
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(reports.glob(f"{stem}.*"))}


def test_documents_are_made_again_only_when_what_they_read_changed(project):
    first = _publish(project)
    assert not first.errors and first.reused == 0
    appendix, sheet = _files(project, APPENDIX), _files(project, SHEET)
    exports = snapshot(project["reports"] / "data")
    assert set(appendix) == {"bijlage-midden-delfland.pdf", "bijlage-midden-delfland.docx",
                             "bijlage-midden-delfland.xlsx"}

    # Nothing changed: both documents and the exports are kept as they are.
    again = _publish(project)
    assert not again.errors and again.reused == 2
    assert _files(project, APPENDIX) == appendix and _files(project, SHEET) == sheet
    assert snapshot(project["reports"] / "data") == exports
    assert all(project["reports"] / f"{APPENDIX}{Path(n).suffix}" in again.outputs
               for n in appendix)

    # An edit to the appendix notebook makes the appendix again, and only the appendix.
    notebook = project["root"] / "analyses" / "gemeente.ipynb"
    notebook.write_text(notebook.read_text(encoding="utf-8").replace(
        "# Kernpunten", "# Kernpunten\\n\\nBewerkte versie."), encoding="utf-8")
    edited = _publish(project)
    assert not edited.errors and edited.reused == 1
    assert _files(project, SHEET) == sheet
    assert _files(project, APPENDIX) != appendix
    assert snapshot(project["reports"] / "data") == exports

    # A damaged record or a damaged document: that document is made again.
    appendix = _files(project, APPENDIX)
    record = project["build"] / "cache" / "document-doelgroep-ouderen.json"
    record.write_text(record.read_text(encoding="utf-8")[:40], encoding="utf-8")
    pdf = project["reports"] / f"{APPENDIX}.pdf"
    pdf.write_bytes(pdf.read_bytes()[:1000])
    repaired = _publish(project)
    assert not repaired.errors and repaired.reused == 0
    assert pdf.read_bytes()[-6:].strip().endswith(b"%%EOF")
    assert _files(project, SHEET) != sheet

    # The executed notebook kept for inspection is part of what a document leaves.
    executed = project["build"] / "notebooks" / "doelgroep-ouderen.ipynb"
    executed.unlink()
    assert _publish(project).reused == 1
    assert executed.is_file()

    # Other document settings: every document is made again.
    quarto = project["root"] / "_quarto.yml"
    quarto.write_text(quarto.read_text(encoding="utf-8").replace("papersize: a4",
                                                                 "papersize: a4  # A4"),
                      encoding="utf-8")
    assert _publish(project).reused == 0


def test_a_document_key_names_the_data_and_the_date(project, data):
    """Other data (another version of the analysis) or another publication date: another key."""
    from analysis.report.kinds import document_kinds
    from analysis.report.pipeline import covered, plan

    documents = plan(document_kinds(ROOT), data.region, covered(data), ROOT,
                     project["processed"], project["reports"], SELECTION)
    document = documents[0]
    today = dt.date(2026, 12, 6)
    key = document_key(document, data, ROOT, today)
    assert key == document_key(document, data, ROOT, today)
    assert key != document_key(document, dataclasses.replace(data, version="anders"), ROOT, today)
    assert key != document_key(document, data, ROOT, today + dt.timedelta(days=1))
    assert key != document_key(documents[1], data, ROOT, today)


def test_a_relative_work_folder_beside_an_absolute_reports_folder(project, monkeypatch):
    """As `woonzorg build` runs: the work folder as typed (build), the reports folder from
    _quarto.yml (absolute). What is kept is named as the reports folder is named."""
    monkeypatch.chdir(project["root"])
    reports = project["root"] / "reports-absoluut"
    for _ in range(2):
        published = publish(project["root"], project["processed"], Path("build-relatief"),
                            SELECTION, reports=reports)
        assert not published.errors
    assert published.reused == 2
    assert all(p.is_absolute() and reports in p.parents for p in published.outputs)
    assert (reports / "index.html").read_text(encoding="utf-8").count("data/indicatoren") == 3
