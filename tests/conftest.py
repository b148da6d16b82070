from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from analysis.cli import main
from analysis.config import load_config
from analysis.ingest import ingest
from analysis.processed import load_processed
from rawdata import FILE_NAMES, HEADERS, ROWS, write_csv, write_valid_raw

SHARED_GEO = Path(__file__).resolve().parents[2] / "shared" / "data" / "geo"


@pytest.fixture
def cli():
    """Run `woonzorg ARGS` in-process; returns the click Result (exit_code, output)."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Name → (size, mtime_ns) of every file below `folder`, to prove nothing was written."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def shared_geo_config(folder: Path):
    """The Haaglanden settings with the maps pointed at the shared real 2025 boundaries."""
    import yaml

    from analysis.config import load_config

    settings = yaml.safe_load(load_config().tekst)
    settings["geo"] = {"jaar": 2025, "gemeente": str(SHARED_GEO / "gemeente_2025_rd.geojson"),
                       "wijk": str(SHARED_GEO / "haaglanden_wijk_2025_rd.geojson")}
    path = folder / "regio.yml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return load_config(path)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    """The demo data (with the shared wijk boundaries) built once per test run."""
    from analysis.build import build
    from analysis.demo import generate_demo
    from analysis.model import load_verdeelmodel_config

    root = tmp_path_factory.mktemp("demo_build")
    generate_demo(root / "raw", wijken=SHARED_GEO / "haaglanden_wijk_2025_rd.geojson")
    ingested, analysis = build(root / "raw", root / "processed", shared_geo_config(root),
                               load_verdeelmodel_config())
    return root, ingested, analysis


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def processed_before_reports(demo_build):
    """The processed folder as the data step left it, before any report was made."""
    return snapshot(demo_build[0] / "processed")


@pytest.fixture(scope="session")
def demo_reports(demo_build, processed_before_reports, tmp_path_factory):
    """The complete demo report set, built once per test run from the demo build."""
    from analysis.report.pipeline import Selection, publish

    root, _, _ = demo_build
    out = tmp_path_factory.mktemp("demo_reports")
    published = publish(ROOT, root / "processed", out / "build", Selection(),
                        reports=out / "reports")
    return out / "reports", published


@pytest.fixture(scope="session")
def reports(demo_reports):
    """The folder of the demo report set."""
    return demo_reports[0]


@pytest.fixture(scope="session")
def data(demo_build):
    """What the reports read, from the demo build."""
    from analysis.report.data import load_report_data

    return load_report_data(demo_build[0] / "processed")


def run(*command: str | Path) -> str:
    import subprocess

    return subprocess.run([str(c) for c in command], check=True, capture_output=True,
                          text=True).stdout


def pdf_pages(pdf: Path) -> list[str]:
    """The text of every page, as pdftotext lays it out."""
    import re

    count = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", pdf), re.M).group(1))
    return [run("pdftotext", "-layout", "-f", str(n), "-l", str(n), pdf, "-")
            for n in range(1, count + 1)]


class _ResourceLinks(HTMLParser):
    """Every address a page would load or link to: src/href attributes and CSS url(); script
    text is not markup, so addresses inside plotly.js do not count."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        for name, value in attrs:
            if value and name in {"src", "href", "xlink:href", "srcset", "poster", "data"}:
                self.addresses.append(value)
            if value and name == "style":
                self.addresses += re.findall(r"url\(\s*['\"]?([^'\")]+)", value)

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.addresses += re.findall(r"url\(\s*['\"]?([^'\")]+)", data)


def addresses(html: str) -> list[str]:
    parser = _ResourceLinks()
    parser.feed(html)
    return parser.addresses


# Bad input: a valid raw folder, a processed folder from a good run, and the refusal check.
@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    write_valid_raw(folder)
    return folder


@pytest.fixture
def processed(tmp_path: Path, raw: Path, cli) -> Path:
    """A processed folder holding the output of an earlier good run, which must survive."""
    folder = tmp_path / "processed"
    assert cli("ingest", "--raw", raw, "--processed", folder).exit_code == 0
    return folder


def rewrite(raw: Path, source: str, edit, **csv_options) -> Path:
    """Rewrite one source's CSV after `edit(header, rows)` changed its header or rows."""
    header, rows = list(HEADERS[source]), ROWS[source]()
    edit(header, rows)
    return write_csv(raw / FILE_NAMES[source], header, rows, **csv_options)


def assert_refused(cli, raw: Path, processed: Path, *expected: str) -> str:
    before = snapshot(processed)
    result = cli("ingest", "--raw", raw, "--processed", processed)
    assert result.exit_code == 1, result.output
    for text in expected:
        assert text in result.output, f"{text!r} not in:\n{result.output}"
    assert "Niets geschreven" in result.output
    assert snapshot(processed) == before
    return result.output


def strings(value) -> list[str]:
    """Every text in a figure's JSON (not the base64 of numeric arrays)."""
    if isinstance(value, dict):
        return [s for key, item in value.items() if key != "bdata" for s in strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings(item)]
    return [value] if isinstance(value, str) else []


@pytest.fixture(scope="session")
def small_processed(tmp_path_factory):
    """The twelve hand-written lettings of rawdata.py, ingested once per test run."""
    root = tmp_path_factory.mktemp("small")
    write_valid_raw(root / "raw")
    ingest(root / "raw", root / "processed", load_config())
    return load_processed(root / "processed")
