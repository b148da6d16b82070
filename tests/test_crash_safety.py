"""A build that is killed, runs twice at once, or meets a full or read-only disk never leaves a
half file, an inconsistent set or a traceback; text never becomes a spreadsheet formula. One
class per kind of harm; the last kills real builds and compares the result with a clean one."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections import namedtuple
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pyarrow.parquet as pq
import pytest
import yaml

import analysis.build
from analysis import workspace
from analysis.build import build
from analysis.config import load_config
from analysis.demo import generate_demo
from analysis.figures import static
from analysis.formulas import escape, escape_frame, unescape
from analysis.ingest import ingest
from analysis.issues import InputError
from analysis.layout import ANALYSIS_MANIFEST
from analysis.model import load_verdeelmodel_config
from analysis.report import pipeline
from analysis.report.contents import MANIFEST, close_set, current_files, open_set
from analysis.report.convert import Converted
from analysis.report.data import load_report_data
from analysis.report.exports import write_exports
from analysis.report.kinds import document_kinds
from analysis.report.leaks.data import read_data
from analysis.report.show import ShownTable
from analysis.report.workbook import write_tabellenboek
from analysis.storage import write_file
from analysis.workspace import LOCK, WorkspaceError, claim, remove_leftovers
from conftest import ROOT

WOONZORG = Path(sys.executable).with_name("woonzorg")
FORMULA = '=HYPERLINK("https://voorbeeld.invalid";"klik")'
SVG_END = b"</svg>"


def _small_config(folder: Path, naam: str) -> Path:
    """Two gemeenten over two years without boundaries (tile map): the smallest region the
    documents are made for, so that a build takes seconds."""
    settings = yaml.safe_load(load_config().tekst)
    settings["regio"]["naam"] = naam
    settings["regio"]["gemeenten"] = ["GM0503", "GM0603"]  # Delft, Rijswijk
    settings["regio"].pop("korte_namen", None)
    settings["periode"] = {"van": 2024, "tot_en_met": 2025}
    settings["geo"] = {"map": str(folder / "geen-grenzen"), "jaar": 2025}
    path = folder / f"regio-{len(list(folder.glob('regio-*.yml')))}.yml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small region's settings, its demo exports and their data step, built once."""
    root = tmp_path_factory.mktemp("klein")
    config = _small_config(root, "Kleinland")
    generate_demo(root / "raw", config=load_config(config))
    build(root / "raw", root / "processed", load_config(config), load_verdeelmodel_config())
    return root, config


@pytest.fixture
def processed(small, tmp_path) -> Path:
    """A copy of the small region's processed folder, to change."""
    return Path(shutil.copytree(small[0] / "processed", tmp_path / "processed"))


def _valid(path: Path) -> bool:
    """Whether a file under its own name is whole: it opens as its format."""
    try:
        match path.suffix:
            case ".pdf":
                return subprocess.run(["pdfinfo", path], capture_output=True).returncode == 0
            case ".xlsx":
                openpyxl.load_workbook(path, read_only=True).close()
            case ".docx":
                docx.Document(str(path))
            case ".parquet":
                pq.read_metadata(path)
            case ".csv":
                return path.read_text(encoding="utf-8-sig").endswith("\n")
            case ".html":
                return path.read_text(encoding="utf-8").rstrip().endswith("</html>")
            case ".svg":
                return static.complete(path)
            case ".json":
                json.loads(path.read_text(encoding="utf-8"))
            case ".yml":
                yaml.safe_load(path.read_text(encoding="utf-8"))
    except Exception:
        return False
    return path.stat().st_size > 0


def _files(folder: Path) -> list[str]:
    """Every file below `folder`, hidden ones too."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# --- 1 and 2 ----------------------------------------------------------------------------------

class TestNoHalfFiles:
    """1, 2: every file is written under a temporary name and renamed when complete; a figure
    in the cache counts only when it is whole."""

    def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(self, tmp_path):
        target = tmp_path / "data" / "indicatoren.csv"
        write_file(target, lambda path: path.write_text("oud\n", encoding="utf-8"))

        def half(path: Path) -> None:
            path.write_text("half", encoding="utf-8")
            raise OSError(errno.ENOSPC, "No space left on device")

        with pytest.raises(OSError):
            write_file(target, half)
        assert target.read_text(encoding="utf-8") == "oud\n"
        assert _files(tmp_path) == ["data/indicatoren.csv"]

    def test_exports_survive_a_full_disk_halfway(self, small, tmp_path, monkeypatch):
        data = load_report_data(small[0] / "processed")
        written = write_exports(data, tmp_path)
        before = {p.name: p.read_bytes() for p in written}
        to_csv = pd.DataFrame.to_csv

        def full(frame, path, **kwargs):
            to_csv(frame.head(3), path, **kwargs)
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(pd.DataFrame, "to_csv", full)
        with pytest.raises(OSError):
            write_exports(data, tmp_path)
        assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before

    def test_figures_cut_off_by_a_kill_never_get_their_name(self, tmp_path, monkeypatch):
        def killed(specs):
            for spec in specs:
                spec["path"].touch()  # as Kaleido claims its file before it draws
            raise KeyboardInterrupt

        monkeypatch.setattr(static, "_draw", killed)
        targets = [tmp_path / "figuur-a.svg", tmp_path / "figuur-b.svg"]
        with pytest.raises(KeyboardInterrupt):
            static.write_images([(go.Figure(), path) for path in targets])
        assert _files(tmp_path) == []

    def test_only_a_whole_image_counts(self, tmp_path):
        svg = tmp_path / "a.svg"
        for content, whole in ((b"", False), (b"<svg><rect/>", False),
                               (b"<svg><rect/></svg>\n", True)):
            svg.write_bytes(content)
            assert static.complete(svg) is whole
        assert not static.complete(tmp_path / "missing.svg")

    def test_an_empty_figure_in_the_cache_is_drawn_again(self, tmp_path):
        spec = json.loads(go.Figure(go.Bar(x=["Delft"], y=[3])).to_json())
        empty = tmp_path / "figuur-0123456789abcdef.svg"
        empty.touch()  # what a kill left before writes were atomic
        pipeline._render_figures([Converted(markdown="", figures=[(spec, empty)])])
        assert static.complete(empty) and empty.stat().st_size > 1000
        assert _files(tmp_path) == [empty.name]


# --- 3 ----------------------------------------------------------------------------------------

class TestConsistentSets:
    """3: processed holds sources and results of one build, or says it does not; reports/ has
    a manifest written last and an index of every document that is there."""

    def test_new_sources_beside_old_results_are_refused(self, small, processed, tmp_path):
        generate_demo(tmp_path / "andere", config=load_config(small[1]), seed=7)
        ingest(tmp_path / "andere", processed, load_config(small[1]))  # killed after this
        with pytest.raises(InputError, match="onderbroken"):
            load_report_data(processed)
        build(tmp_path / "andere", processed, load_config(small[1]),
              load_verdeelmodel_config())
        assert load_report_data(processed).version

    def test_results_without_their_manifest_are_refused(self, processed):
        (processed / ANALYSIS_MANIFEST).unlink()  # killed while the results were moved in
        with pytest.raises(InputError, match="onderbroken"):
            load_report_data(processed)

    def test_the_set_is_unfinished_until_its_manifest_is_back(self, small, tmp_path):
        reports = tmp_path / "reports"
        old, kept, stray = (reports / "gemeenten" / f"bijlage-{n}.pdf"
                            for n in ("delft", "rijswijk-zh", "oud"))
        for path in (old, kept, stray):
            write_file(path, lambda p, n=path.name: p.write_text(n, encoding="utf-8"))
        write_file(reports / "index.html", lambda p: p.write_text("x", encoding="utf-8"))
        close_set(reports, current_files(reports, {old, kept, stray}, "v1", {}), "v1",
                  pd.Timestamp("2026-01-01").date())
        previous = open_set(reports)
        assert not (reports / MANIFEST).exists()  # a kill from here on leaves it unfinished
        assert set(previous) == {"gemeenten/bijlage-delft.pdf",
                                 "gemeenten/bijlage-rijswijk-zh.pdf",
                                 "gemeenten/bijlage-oud.pdf", "index.html"}
        write_file(stray, lambda p: p.write_text("veranderd", encoding="utf-8"))
        files = current_files(reports, {kept}, "v2", previous)
        assert {name: entry["gegevens"] for name, entry in files.items()} == {
            "gemeenten/bijlage-delft.pdf": "v1",  # unchanged since the build that made it
            "gemeenten/bijlage-rijswijk-zh.pdf": "v2",  # made now
            "gemeenten/bijlage-oud.pdf": None}  # changed by someone else: unknown

    def test_the_index_lists_every_document_there_and_marks_older_ones(self, small, tmp_path):
        data = load_report_data(small[0] / "processed")
        kinds = document_kinds(ROOT)
        reports = tmp_path / "reports"
        names = ["gemeenten/bijlage-delft.pdf", "gemeenten/bijlage-delft.docx",
                 "gemeenten/bijlage-rijswijk-zh.pdf", "gemeenten/oud.pdf",
                 "data/indicatoren.csv"]
        for name in names:
            write_file(reports / name, lambda p: p.write_text("x", encoding="utf-8"))
        files = {name: {"gegevens": data.version} for name in names}
        files["gemeenten/bijlage-delft.pdf"]["gegevens"] = "eerder"
        sections = dict(pipeline._sections(kinds, reports, data,
                                           [reports / "data/indicatoren.csv"], files))
        appendices = sections[f"{kinds['gemeente'].index} ({kinds['gemeente'].format_names})"]
        assert [(label, [p.name for p in paths]) for label, paths in appendices] == [
            ("Delft (niet gemaakt met de huidige gegevens)",
             ["bijlage-delft.pdf", "bijlage-delft.docx"]),
            ("Rijswijk (ZH.)", ["bijlage-rijswijk-zh.pdf"])]
        assert [label for label, _ in sections[pipeline.OTHERS]] == ["gemeenten/oud.pdf"]

    def test_what_a_killed_build_left_is_cleaned_up(self, tmp_path):
        (tmp_path / "gemeenten" / ".staging-abc").mkdir(parents=True)
        (tmp_path / "gemeenten" / ".staging-abc" / "indicatoren.parquet").write_text("x")
        (tmp_path / "gemeenten" / ".partial-bijlage-delft-x1y2.pdf").write_text("x")
        (tmp_path / "gemeenten" / "bijlage-delft.pdf").write_text("x")
        (tmp_path / ".verborgen").write_text("x")
        with claim([tmp_path]):
            assert _files(tmp_path) == [".verborgen", LOCK, "gemeenten/bijlage-delft.pdf"]
        assert remove_leftovers(tmp_path) == []
        assert _files(tmp_path) == [".verborgen", "gemeenten/bijlage-delft.pdf"]


# --- 4 ----------------------------------------------------------------------------------------

class TestOneBuildAtATime:
    """4: a second build on the same folders stops at once and says who holds them."""

    def test_a_held_folder_names_its_holder(self, tmp_path):
        held = (rf"map {re.escape(str(tmp_path / 'b'))} is in gebruik door een andere build "
                rf"\(pid {os.getpid()} op .+, gestart \d{{4}}-\d\d-\d\d ")
        with claim([tmp_path / "a", tmp_path / "b"]), pytest.raises(WorkspaceError, match=held):
            claim([tmp_path / "b"]).__enter__()
        with claim([tmp_path / "b"]):  # released, and the lock file gone
            pass
        assert _files(tmp_path) == []

    def test_the_lock_ends_with_a_killed_holder(self, tmp_path):
        holder = subprocess.Popen(
            [sys.executable, "-c",
             "import sys, time\nfrom pathlib import Path\nfrom analysis.workspace import claim\n"
             "with claim([Path(sys.argv[1])]):\n    print('vast', flush=True)\n"
             "    time.sleep(60)\n", tmp_path], stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "vast"
            with pytest.raises(WorkspaceError, match=f"pid {holder.pid} "):
                claim([tmp_path]).__enter__()
        finally:
            holder.kill()
            holder.wait()
        with claim([tmp_path]):
            pass

    def test_build_refuses_a_folder_in_use_before_it_writes(self, cli, tmp_path, monkeypatch):
        monkeypatch.chdir(ROOT)
        monkeypatch.setattr(analysis.build, "build", lambda *a, **k: pytest.fail("gestart"))
        with claim([tmp_path / "processed"]):
            result = cli("build", "--raw", tmp_path / "raw", "--processed", tmp_path / "processed",
                         "--rapporten", tmp_path / "reports", "--werkmap", tmp_path / "build")
        assert result.exit_code == 1
        assert f"is in gebruik door een andere build (pid {os.getpid()} op" in result.output
        assert _files(tmp_path) == []


# --- 5 ----------------------------------------------------------------------------------------

class TestDiskErrors:
    """5: a full or read-only disk is a Dutch message, at the start where it can be seen."""

    @pytest.fixture
    def args(self, tmp_path, monkeypatch) -> list:
        monkeypatch.chdir(ROOT)
        return ["build", "--raw", tmp_path / "raw", "--processed", tmp_path / "processed",
                "--rapporten", tmp_path / "reports", "--werkmap", tmp_path / "build"]

    def test_too_little_space_stops_the_build_at_the_start(self, cli, args, monkeypatch):
        usage = namedtuple("usage", "total used free")
        monkeypatch.setattr(workspace.shutil, "disk_usage", lambda _: usage(0, 0, 5 * 2**20))
        monkeypatch.setattr(analysis.build, "build", lambda *a, **k: pytest.fail("gestart"))
        result = cli(*args)
        assert result.exit_code == 1
        assert "te weinig schijfruimte voor" in result.output and "nog 5 MB vrij" in result.output

    @pytest.mark.parametrize(("code", "text"), [(errno.EROFS, "alleen-lezen schijf"),
                                                (errno.EACCES, "geen toegang")])
    def test_a_read_only_folder_stops_the_build_at_the_start(self, cli, args, monkeypatch,
                                                             code, text):

        def refused(path, *a, **k):
            raise OSError(code, os.strerror(code), str(path))

        monkeypatch.setattr(workspace, "open", refused, raising=False)
        monkeypatch.setattr(analysis.build, "build", lambda *a, **k: pytest.fail("gestart"))
        result = cli(*args)
        assert result.exit_code == 1
        assert f"{text} bij {args[4] / LOCK}" in result.output  # args[4]: --processed
        assert "Traceback" not in result.output

    def test_a_full_disk_halfway_is_a_dutch_message(self, cli, args, monkeypatch):

        def full(*a, **k):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(analysis.build, "build", full)
        result = cli(*args)
        assert result.exit_code == 1
        assert "schijf vol. Maak ruimte vrij en draai de build opnieuw" in result.output
        assert not any(args[4].iterdir())  # the lock is gone with the build

    def test_other_errors_are_not_hidden(self, tmp_path):
        with pytest.raises(FileNotFoundError), claim([tmp_path]):
            raise FileNotFoundError(errno.ENOENT, "weg")
        assert workspace.disk_problem(FileNotFoundError(errno.ENOENT, "weg")) is None


# --- 6 ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exported(small, tmp_path_factory):
    """The exports of a region named like a formula."""
    root = tmp_path_factory.mktemp("formule")
    config = load_config(_small_config(root, FORMULA))
    build(small[0] / "raw", root / "processed", config, load_verdeelmodel_config())
    write_exports(load_report_data(root / "processed"), root / "data")
    return root / "data"


class TestNoFormulas:
    """6: text that starts like a formula is text in every workbook and escaped in CSV."""

    @pytest.mark.parametrize(("text", "written"), [
        (FORMULA, "'" + FORMULA), ("+31 70", "'+31 70"), ("-2+3", "'-2+3"), ("@SUM(A1)",
                                                                              "'@SUM(A1)"),
        ("\t=1", "'\t=1"), ("'=1", "''=1"), ("’s-Gravenhage", "’s-Gravenhage"),
        ("2021-2025", "2021-2025"), ("'t Harde", "'t Harde")])
    def test_csv_text(self, text, written):
        assert escape(text) == written and unescape(written) == text

    def test_numbers_stay_numbers(self):
        frame = escape_frame(pd.DataFrame({"naam": ["=1", "Delft", None], "saldo": [-3, 2, 1]}))
        assert frame["naam"].tolist()[:2] == ["'=1", "Delft"] and frame["saldo"].tolist()[0] == -3

    def test_exports(self, exported):
        csv = pd.read_csv(exported / "indicatoren.csv", sep=";", dtype=str,
                          encoding="utf-8-sig")
        assert (csv["gebied"] == "'" + FORMULA).any()
        assert not csv.map(lambda v: isinstance(v, str) and v.startswith("=")).any().any()
        parquet = pd.read_parquet(exported / "indicatoren.parquet")
        assert (parquet["gebied"] == FORMULA).any()  # typed data keeps the name as it is
        # The small-count check reads the CSV back as the Parquet holds it.
        assert set(read_data("indicatoren.csv", exported / "indicatoren.csv").frame["gebied"]) \
            == set(parquet["gebied"])
        self._no_formula(exported / "indicatoren.xlsx", FORMULA)
        self._no_formula(exported / "verdeelmodel.xlsx")  # the name is only in its titles

    def test_tabellenboek(self, tmp_path):
        texts = [FORMULA, "@SUM(A1)", "-2+3", "+31 70"]
        table = ShownTable(caption=FORMULA, columns=["Gemeente", "Aantal"],
                           rows=[[text, 10] for text in texts])
        path = write_tabellenboek([table], tmp_path / "boek.xlsx", title=FORMULA,
                                  subtitle=FORMULA, demo=True)
        for text in texts:
            self._no_formula(path, text)

    @staticmethod
    def _no_formula(path: Path, text: str | None = None) -> None:
        """No formula anywhere in the workbook; `text` in it, always as a string."""
        with zipfile.ZipFile(path) as archive:
            sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/work")]
        assert not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets), path.name
        if text is None:
            return
        book = openpyxl.load_workbook(path)
        cells = [c for sheet in book for row in sheet.iter_rows() for c in row
                 if c.value == text]
        assert cells and all(c.data_type == "s" for c in cells), (path.name, text)


# --- 7 ----------------------------------------------------------------------------------------

def _build(folder: Path, config: Path, raw: Path) -> subprocess.Popen:
    """`woonzorg build` for one gemeente, in its own process group."""
    return subprocess.Popen(
        [WOONZORG, "build", "--config", config, "--raw", raw, "--processed",
         folder / "processed", "--rapporten", folder / "reports", "--werkmap", folder / "build",
         "--gemeente", "Delft"],
        cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)


def _group_gone(group: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


# Moments to kill at, each seen by a file appearing (polled every 20 ms); at the last one the
# documents are in reports/ beside no index or an old one.
KILL_POINTS: dict[str, Callable[[Path], bool]] = {
    "tussen ingest en analyse": lambda k: (k / "processed" / "manifest.json").exists(),
    "tijdens de figuren": lambda k: any((k / "build" / "figuren").glob(".partial-*")),
    "tijdens de exports": lambda k: any((k / "reports" / "data").glob("*")),
}


class TestKilledBuild:
    """7: builds killed (SIGKILL, as the OOM killer does) at several moments leave no half file
    under a real name and no set that claims to be complete; the next build then makes what a
    clean build makes."""

    def test_killed_builds_then_one_build_equal_a_clean_build(self, small, tmp_path):
        _, config = small
        raw = small[0] / "raw"
        clean, killed = tmp_path / "schoon", tmp_path / "afgebroken"
        reference = _build(clean, config, raw)  # beside the killed ones, to save time
        for moment, reached in KILL_POINTS.items():
            process = _build(killed, config, raw)
            while not reached(killed) and process.poll() is None:
                time.sleep(0.02)
            assert process.poll() is None, f"{moment}: de build was al klaar\n" \
                                           f"{process.communicate()[0]}"
            os.kill(process.pid, signal.SIGKILL)
            process.communicate()
            assert _group_gone(process.pid), f"{moment}: werkprocessen leven nog"
            assert not (killed / "reports" / MANIFEST).exists(), moment
            self._all_whole(killed, moment)
        finished = _build(killed, config, raw)
        output = finished.communicate()[0]
        assert finished.returncode == 0, output
        output = reference.communicate()[0]
        assert reference.returncode == 0, output
        self._all_whole(clean, "schoon")
        self._all_whole(killed, "daarna")
        for folder in ("processed", "reports", "build/figuren"):
            assert _files(killed / folder) == _files(clean / folder), folder
        exports = ["indicatoren.csv", "indicatoren.parquet", "verdeelmodel.csv",
                   "verdeelmodel.parquet"]
        for name in [*(f"processed/{n}" for n in _files(clean / "processed")),
                     *(f"reports/data/{n}" for n in exports)]:
            assert (killed / name).read_bytes() == (clean / name).read_bytes(), name
        index = [(f / "reports" / "index.html").read_text(encoding="utf-8")
                 for f in (clean, killed)]
        assert re.findall(r'href="([^"#][^"]*)"', index[1]) == \
            re.findall(r'href="([^"#][^"]*)"', index[0])
        assert "huidige gegevens" not in index[1]
        manifests = [json.loads((f / "reports" / MANIFEST).read_text(encoding="utf-8"))
                     for f in (clean, killed)]
        assert manifests[0]["bestanden"].keys() == manifests[1]["bestanden"].keys()
        assert {e["gegevens"] for m in manifests for e in m["bestanden"].values()} == \
            {manifests[0]["gegevens"]}

    @staticmethod
    def _all_whole(folder: Path, moment: str) -> None:
        """Every file under its own name is whole; the processed folder is one set or says it
        is not."""
        for part in ("processed", "reports", "build/figuren"):
            for name in _files(folder / part):
                path = folder / part / name
                if not path.name.startswith("."):
                    assert _valid(path), f"{moment}: {part}/{name} is niet heel"
        if (folder / "processed" / "manifest.json").exists():
            try:
                load_report_data(folder / "processed")
            except InputError as exc:
                assert "onderbroken" in str(exc.issues[0]), moment
