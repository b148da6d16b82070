"""The documents step streams: a document is drawn and typeset as soon as its notebook is done,
while the other notebooks still run, and one that fails to typeset fails alone."""

from __future__ import annotations

import datetime as dt
import queue
import shutil

import pytest

from analysis.render import RenderError, document_settings
from analysis.report import pipeline
from analysis.report.kinds import document_kinds
from analysis.report.pipeline import Renderer, Selection, covered, plan
from conftest import ROOT


@pytest.fixture
def two(demo_build, demo_reports, data, tmp_path):
    """Two doelgroep sheets of the demo set, their executed notebooks and figures copied."""
    build = demo_reports[0].parent / "build"
    documents = plan(document_kinds(ROOT), data.region, covered(data), ROOT,
                     demo_build[0] / "processed", tmp_path / "reports",
                     Selection({"doelgroep": ("ouderen", "dakloos")}))
    shutil.copytree(build / "figuren", tmp_path / "figuren")
    executed = {d.job.name: build / "notebooks" / f"{d.job.name}.ipynb" for d in documents}
    return documents, executed, tmp_path


def _renderer(data, tmp_path, written=None) -> Renderer:
    return Renderer(data, tmp_path / "figuren", tmp_path / "reports", dt.date(2026, 3, 1),
                    document_settings(ROOT), on_written=written)


def test_a_document_is_typeset_as_soon_as_it_is_added(two, data):
    documents, executed, tmp_path = two
    written: queue.Queue = queue.Queue()
    renderer = _renderer(data, tmp_path, written.put)
    try:
        renderer.add(documents[0], executed[documents[0].job.name])
        first = written.get(timeout=300)  # before the next is added, before `finish`
        renderer.add(documents[1], executed[documents[1].job.name])
        results = renderer.finish()
    finally:
        renderer.close()
    target = documents[0].target(tmp_path / "reports")
    assert sorted(first) == sorted(target.with_suffix(s) for s in documents[0].kind.suffixes)
    assert all(path.stat().st_size for path in first)
    assert [(d.job.name, error) for d, _, error in results] == [
        (d.job.name, None) for d in documents]


def test_a_document_that_fails_to_typeset_fails_alone(two, data, monkeypatch):
    documents, executed, tmp_path = two
    real = pipeline.render_document

    def failing(document, *args):
        if document is documents[0]:
            raise RenderError("Typst kapot")
        return real(document, *args)

    monkeypatch.setattr(pipeline, "render_document", failing)
    renderer = _renderer(data, tmp_path)
    for document in documents:
        renderer.add(document, executed[document.job.name])
    (_, files, error), (_, others, fine) = renderer.finish()

    assert files == [] and error.endswith("opmaak mislukt: Typst kapot")
    assert fine is None and others and all(path.is_file() for path in others)
