"""Names from settings and data are shown as written in every format, never run as markup; raw
exports are never overwritten by the demo nor mixed with processed data."""

from __future__ import annotations

import html
import shutil
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner

from analysis.cli import main
from analysis.config import ConfigError, load_config
from analysis.layout import BOUNDARY_CACHE, DEMO_MARKER
from analysis.render import document_settings
from analysis.tables import markdown_table, md_text
from conftest import SHARED_GEO, run, snapshot
from rawdata import write_valid_raw

ROOT = Path(__file__).resolve().parents[1]
# Raw HTML, Markdown emphasis, a heading mark, TeX math and a citation, in one region name.
NAME = "<img src=x onerror=alert(1)> *Haag_landen* #1 $x$ @ref"
SHORT = "[Den] *Haag*"  # korte naam of 's-Gravenhage: a link and emphasis in table headers


class _Tags(HTMLParser):
    """Every tag and attribute name of a page; script text is not markup, so plotly.js's own
    strings do not count."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}


def _tags(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Demo data built with the hostile names through `woonzorg build --alleen-data`, then the
    regional document in all three formats plus the index page (about 25 s). Runs in its own
    folder with relative paths, so a cache outside --processed would show."""
    folder = tmp_path_factory.mktemp("hostile")
    settings = yaml.safe_load(load_config().tekst)
    settings["regio"]["naam"] = NAME
    settings["regio"]["korte_namen"]["GM0518"] = SHORT
    settings["geo"] = {"jaar": 2025, "gemeente": str(SHARED_GEO / "gemeente_2025_rd.geojson"),
                       "wijk": str(SHARED_GEO / "haaglanden_wijk_2025_rd.geojson")}
    (folder / "regio.yml").write_text(yaml.safe_dump(settings, allow_unicode=True),
                                      encoding="utf-8")
    quarto = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    regio = quarto["documenten"]["regio"] | {"formaten": ["typst", "html", "docx"]}
    quarto["documenten"] = {"regio": regio}
    (folder / "_quarto.yml").write_text(yaml.safe_dump(quarto, allow_unicode=True),
                                        encoding="utf-8")
    (folder / "analyses").mkdir()
    shutil.copy(ROOT / regio["notebook"], folder / regio["notebook"])

    from analysis.report.pipeline import Selection, publish

    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        for args in (["demo", "--out", "raw", "--config", "regio.yml",
                      "--wijken", str(SHARED_GEO / "haaglanden_wijk_2025_rd.geojson")],
                     ["build", "--alleen-data", "--raw", "raw", "--processed", "uit/verwerkt",
                      "--config", "regio.yml"]):
            result = runner.invoke(main, args, catch_exceptions=False)
            assert result.exit_code == 0, result.output
    published = publish(folder, folder / "uit" / "verwerkt", folder / "werk", Selection(),
                        reports=folder / "rapporten")
    assert not published.errors, published.errors
    return folder


def test_html_shows_the_names_as_text_and_runs_nothing(hostile):
    for page in (hostile / "rapporten" / "regionale-analyse.html",
                 hostile / "rapporten" / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert html.escape(NAME, quote=False) in text, page.name
        tags = _tags(text)
        assert "img" not in tags.tags, page.name
        assert not {a for a in tags.attributes if a.startswith("on")}, page.name
    regional = (hostile / "rapporten" / "regionale-analyse.html").read_text(encoding="utf-8")
    assert f">{SHORT}</th>" in regional
    # in the title, the cover and the author attribute alike
    assert f"<title>Regionale analyse huisvesting aandachtsgroepen — Regio " \
           f"{html.escape(NAME, quote=False)}</title>" in regional
    assert f'<meta name="author" content="Regio {html.escape(NAME)} — ' in regional


def test_pdf_shows_the_names_literally_without_escapes(hostile):
    text = run("pdftotext", hostile / "rapporten" / "regionale-analyse.pdf", "-")
    flowing = " ".join(text.split())
    assert flowing.count(NAME) >= 5  # cover, running header, footer, sentences, tables
    assert SHORT in flowing
    assert "\\" not in text  # no Markdown or Typst escape shows
    assert "’s-Gravenhage" in flowing  # ordinary names untouched


def test_docx_shows_the_names_literally(hostile):
    document = docx.Document(str(hostile / "rapporten" / "regionale-analyse.docx"))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert f"Regio {NAME}" in text
    assert NAME in cells and SHORT in cells
    assert "\\" not in text


def test_boundary_cache_lives_in_the_processed_folder_given(hostile):
    assert list((hostile / "uit" / "verwerkt" / BOUNDARY_CACHE).glob("*.parquet"))
    assert not (hostile / "data").exists()  # no default data/processed beside it


@pytest.mark.parametrize("name", [
    "’s-Gravenhage", "Leidschendam-Voorburg", "Rijswijk (ZH.)", "1.234", "12,3%", "2021–2025"])
def test_ordinary_text_is_not_escaped(name):
    assert md_text(name) == name


@pytest.mark.parametrize(("name", "markdown"), [
    (NAME, r"\<img src=x onerror=alert(1)\> \*Haag\_landen\* \#1 \$x\$ \@ref"),
    (SHORT, r"\[Den\] \*Haag\*"),
    ("a | b\nc", r"a \| b c"),
    ("1. Delft", r"1\. Delft"),
    ("- Delft", r"\- Delft"),
    ("`code` & \\", r"\`code\` \& \\"),
])
def test_markdown_special_characters_are_escaped(name, markdown):
    assert md_text(name) == markdown


def test_table_cells_headers_and_caption_are_escaped():
    import pandas as pd

    table = markdown_table(pd.DataFrame({"Gemeente": [NAME], SHORT: [1]}),
                           caption=f"Verhuringen in {NAME}")
    assert md_text(NAME) in table.splitlines()[2]
    assert md_text(SHORT) in table.splitlines()[0]
    assert table.rstrip().endswith(f": Verhuringen in {md_text(NAME)}")


@pytest.mark.parametrize(("key", "value"), [("lang", 'nl" onload="x'), ("lang", "nl)\n#x"),
                                            ("papersize", 'a4", fill: red, x: "')])
def test_document_settings_that_templates_take_as_is_must_be_plain(tmp_path, key, value):
    quarto = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    if key == "lang":
        quarto["lang"] = value
    else:
        quarto["format"]["typst"]["papersize"] = value
    (tmp_path / "_quarto.yml").write_text(yaml.safe_dump(quarto), encoding="utf-8")
    with pytest.raises(ConfigError, match=f"instelling '.*{key}': verwacht"):
        document_settings(tmp_path)


# --- Raw data stays safe ------------------------------------------------------------------


def test_demo_refuses_a_folder_with_real_exports(cli, tmp_path):
    files = write_valid_raw(tmp_path)
    before = snapshot(tmp_path)
    result = cli("demo", "--out", tmp_path)
    assert result.exit_code == 1
    assert "echte exports" in result.output and "--overschrijf" in result.output
    assert files["cbs"].name in result.output
    assert snapshot(tmp_path) == before
    assert not (tmp_path / DEMO_MARKER).exists()

    assert cli("demo", "--out", tmp_path, "--overschrijf").exit_code == 0
    assert (tmp_path / DEMO_MARKER).exists()


def test_demo_may_replace_its_own_files_but_not_edited_ones(cli, tmp_path):
    (tmp_path / "README.md").write_text("Ruwe exports\n", encoding="utf-8")
    (tmp_path / "notities.txt").write_text("geen bron\n", encoding="utf-8")
    assert cli("demo", "--out", tmp_path).exit_code == 0
    assert cli("demo", "--out", tmp_path, "--seed", "7").exit_code == 0  # its own files
    replaced = tmp_path / "ppm_woonopgave.csv"
    replaced.write_bytes(replaced.read_bytes() + b"\n")  # an edit: real data pasted over it
    before = snapshot(tmp_path)
    result = cli("demo", "--out", tmp_path)
    assert result.exit_code == 1
    assert "ppm_woonopgave.csv" in result.output
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["ingest", "build"])
@pytest.mark.parametrize("processed", [".", "verwerkt", "a/b"])
def test_processed_in_or_equal_to_raw_is_refused(cli, tmp_path, command, processed):
    raw = tmp_path / "raw"
    write_valid_raw(raw)
    before = snapshot(tmp_path)
    for order in (["--raw", raw, "--processed", raw / processed],
                  ["--processed", raw / processed, "--raw", raw]):
        result = cli(command, *order)
        assert result.exit_code == 2
        assert "ligt in de map met ruwe exports" in result.output
    assert snapshot(tmp_path) == before


def test_processed_beside_raw_is_fine(cli, tmp_path):
    write_valid_raw(tmp_path / "raw")
    result = cli("ingest", "--raw", tmp_path / "raw", "--processed", tmp_path / "raw-verwerkt")
    assert result.exit_code == 0, result.output
