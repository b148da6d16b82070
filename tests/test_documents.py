"""The table of document kinds in _quarto.yml: what the build makes, the index lists, the help
names and the notebooks' front matter say all come from it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from analysis.config import ConfigError, load_config
from analysis.report.kinds import SUFFIXES, document_kinds
from analysis.report.pipeline import Selection, covered, plan, publish
from conftest import ROOT, snapshot

KINDS = document_kinds(ROOT)
REGION = load_config()
# Parameters a notebook has beside processed and its kind's: the settings files of the scenario
# comparison (`woonzorg scenario`; empty in a build: the build's own settings).
NOTEBOOK_PARAMETERS = {"scenario": {"scenarios"}}


def _front_matter(notebook: Path) -> dict:
    cell = json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]
    assert cell["cell_type"] == "raw", f"{notebook.name}: eerste cel is geen YAML-kop"
    return yaml.safe_load("".join(cell["source"]).strip().strip("-"))


def _parameters(notebook: Path) -> set[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{notebook.name}: één cel met tag 'parameters'"
    return set(re.findall(r"^(\w+)\s*=", "".join(tagged[0]["source"]), re.M))


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_kind_is_built_and_listed(kind, demo_reports, data):
    reports, published = demo_reports
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert f"{kind.index} ({kind.format_names})" in index
    period = covered(data)[kind.period][0]
    for value in kind.values(REGION):
        for suffix in kind.suffixes:
            path = kind.target(reports, value, period).with_suffix(suffix)
            assert path in published.outputs and path.is_file(), path
            assert f'href="{path.relative_to(reports).as_posix()}"' in index, path


def test_nothing_else_is_built(demo_reports, data):
    reports, published = demo_reports
    documents = {p for p in published.outputs if p.suffix in {*SUFFIXES.values(), ".xlsx"}
                 and p.name != "index.html" and p.parent != reports / "data"}
    periods = covered(data)
    expected = {kind.target(reports, value, periods[kind.period][0]).with_suffix(suffix)
                for kind in KINDS.values()
                for value in kind.values(REGION) for suffix in kind.suffixes}
    assert documents == expected


def test_reports_only_read_the_processed_folder(demo_build, processed_before_reports,
                                                demo_reports):
    assert snapshot(demo_build[0] / "processed") == processed_before_reports


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_front_matter_agrees_with_the_table(kind):
    front = _front_matter(ROOT / kind.notebook)
    assert front["title"] == kind.title
    assert tuple(front["format"]) == kind.formats
    assert bool(front.get("toc", False)) == kind.toc
    assert front["lang"] == yaml.safe_load((ROOT / "_quarto.yml").read_text())["lang"]
    expected = ({"processed"} | ({kind.parameter} if kind.parameter else set())
                | NOTEBOOK_PARAMETERS.get(kind.id, set()))
    assert _parameters(ROOT / kind.notebook) == expected


def test_quarto_runs_the_notebooks_from_the_project_folder():
    """`quarto render analyses/x.ipynb -P ...` must find data/processed as the build does."""
    settings = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    assert settings["project"]["execute-dir"] == "project"
    for kind in KINDS.values():
        notebook = json.loads((ROOT / kind.notebook).read_text(encoding="utf-8"))
        assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_build_help_lists_the_kinds(cli, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    text = " ".join(cli("build", "--help").output.split())
    for kind in KINDS.values():
        assert kind.title in text and f"map {kind.folder}" in text
    assert "PDF en HTML" in text and "één per gemeente (--gemeente)" in text
    monkeypatch.chdir(tmp_path)
    assert "Draai woonzorg build in de projectmap" in cli("build", "--help").output


PERIODS = {"jaren": ("2021-2025", "2021–2025"),
           "monitor": ("2025-K3", "januari t/m september 2025")}


@pytest.mark.parametrize("only, expected", [
    ({}, {"regio": 1, "gemeente": 9, "doelgroep": 16, "monitor": 1, "scenario": 1}),
    ({"gemeente": ("GM0503", "GM0629")}, {"gemeente": 2}),
    ({"doelgroep": ("ouderen",)}, {"doelgroep": 1}),
    ({"gemeente": ("GM0503",), "doelgroep": ("ouderen",)}, {"gemeente": 1, "doelgroep": 1}),
])
def test_selection_picks_kinds_by_parameter(only, expected, tmp_path):
    documents = plan(KINDS, REGION, PERIODS, ROOT, tmp_path, tmp_path / "reports",
                     Selection(only))
    counted: dict[str, int] = {}
    for document in documents:
        counted[document.kind.id] = counted.get(document.kind.id, 0) + 1
    assert counted == expected
    assert {d.job.parameters["processed"] for d in documents} <= {str(tmp_path.resolve())}


def test_file_names_and_cover_text():
    gemeente, doelgroep = KINDS["gemeente"], KINDS["doelgroep"]
    assert gemeente.target(Path("r"), "GM0518", "2021-2025") == Path(
        "r/gemeenten/bijlage-s-gravenhage")
    assert gemeente.area_text(REGION, "GM0603") == "Gemeente Rijswijk (ZH.)"
    assert doelgroep.target(Path("r"), "dakloze_gezinnen", "2021-2025").name == \
        "doelgroep-dakloze-gezinnen"
    assert KINDS["regio"].area_text(REGION, None) == "Regio Haaglanden"
    # the periodic monitor is named by the part of the year it runs through
    assert KINDS["monitor"].period == "monitor"
    assert KINDS["monitor"].target(Path("r"), None, "2025-K3") == Path("r/monitor-2025-k3")


def _quarto(tmp_path: Path, documents: object) -> Path:
    settings = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    settings["documenten"] = documents
    (tmp_path / "_quarto.yml").write_text(yaml.safe_dump(settings, allow_unicode=True),
                                          encoding="utf-8")
    return tmp_path


ENTRY = {"notebook": "analyses/x.ipynb", "titel": "T", "gebied": "G", "map": ".",
         "bestand": "x", "formaten": ["typst"], "parameter": None, "index": "X"}


@pytest.mark.parametrize("documents, message", [
    (None, "instelling 'documenten' ontbreekt"),
    ({"x": "tekst"}, "documenten.x: verwacht sleutel: waarde"),
    ({"x": {**ENTRY, "titel": ""}}, "documenten.x.titel ontbreekt of is geen tekst"),
    ({"x": {**ENTRY, "formaten": ["pdf"]}}, "documenten.x.formaten: verwacht een lijst uit"),
    ({"x": {**ENTRY, "parameter": "wijk"}}, "documenten.x.parameter: 'wijk' is onbekend"),
    ({"x": {**ENTRY, "toc": "ja"}}, "documenten.x.toc: verwacht true of false"),
    ({"x": {**ENTRY, "periode": "maand"}}, "documenten.x.periode: 'maand' is onbekend"),
])
def test_a_wrong_table_names_file_and_key(tmp_path, documents, message):
    with pytest.raises(ConfigError) as caught:
        document_kinds(_quarto(tmp_path, documents))
    assert message in str(caught.value) and "_quarto.yml" in str(caught.value)


def test_a_new_kind_is_one_entry_and_one_notebook(demo_build, tmp_path):
    """A tabellenboek per gemeente, as the next issues add it: nothing but the table entry and
    the notebook changes."""
    project = tmp_path / "project"
    (project / "analyses").mkdir(parents=True)
    notebook = json.loads((ROOT / "analyses/gemeente.ipynb").read_text(encoding="utf-8"))
    front = _front_matter(ROOT / "analyses/gemeente.ipynb")
    front.update(title="Tabellenboek", format={"typst": "default"})
    notebook["cells"] = [
        {**notebook["cells"][0], "source": "---\n" + yaml.safe_dump(front) + "---"},
        notebook["cells"][1],  # parameters
        {**notebook["cells"][2], "source": "from analysis.report.notebook import setup, show\n"
                                           "data, R, P, LAST, GRENS = setup(processed)"},
        {**notebook["cells"][2], "source": "show.table(data.named(data.values('verhuringen', "
                                           "periode=P)).rename('Verhuringen').reset_index(), "
                                           "caption='Verhuringen')"}]
    (project / "analyses/tabellenboek.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    _quarto(project, {"tabellenboek": {**ENTRY, "notebook": "analyses/tabellenboek.ipynb",
                                       "titel": "Tabellenboek", "gebied": "Gemeente {naam}",
                                       "map": "tabellenboeken", "bestand": "tabellen-{naam}",
                                       "parameter": "gemeente", "index": "Tabellenboeken"}})
    published = publish(project, demo_build[0] / "processed", tmp_path / "build",
                        Selection({"gemeente": ("GM0518",)}), reports=tmp_path / "reports")
    assert published.errors == []
    target = tmp_path / "reports" / "tabellenboeken" / "tabellen-s-gravenhage.pdf"
    assert target in published.outputs and target.stat().st_size > 0
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Tabellenboeken (PDF)" in index
    assert 'href="tabellenboeken/tabellen-s-gravenhage.pdf"' in index
