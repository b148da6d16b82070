"""The rendering layer: Markdown plus images → PDF (Typst), DOCX and self-contained HTML."""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from analysis.config import ConfigError
from analysis.layout import DEMO_LABEL
from analysis.render import (
    DocumentMeta,
    RenderError,
    document_settings,
    render_docx,
    render_html,
    render_pdf,
)
from conftest import addresses, pdf_pages, run

PROJECT = Path(__file__).resolve().parents[1]

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="640" height="320" viewBox="0 0 640 320">
<rect width="640" height="320" fill="#f4f6f8"/>
<rect x="60" y="120" width="80" height="160" fill="#1b3f66"/>
<rect x="200" y="60" width="80" height="220" fill="#1b3f66"/>
<text x="320" y="40" font-size="20">Instroom per gemeente</text>
</svg>
"""

PLOTLY_DIV = """```{=html}
<div><div id="fig-instroom-interactief" class="plotly-graph-div" style="height:320px;"></div>
<script>Plotly.newPlot("fig-instroom-interactief", [{"type": "bar", "y": [1234]}]);</script>
</div>
```"""

SAMPLE = f"""# Samenvatting

In 2025 kregen in de regio 1.234 huishoudens uit aandachtsgroepen een sociale huurwoning.

## Kernboodschappen

- Het aandeel in de mutaties bleef met 12,3% onder de grens van 30%.
- 's-Gravenhage en Zoetermeer zitten het dichtst bij de grens.

# Instroom en verdeling

| Gemeente | Verhuringen | Aandeel |
|:---------|------------:|--------:|
| Delft | 1.234 | 12,3% |
| 's-Gravenhage | 10.456 | 28,9% |
| Leidschendam-Voorburg | 987 | 22,3% |

: Verhuringen aan aandachtsgroepen per gemeente, 2025 {{#tbl-verhuringen}}

![Staafdiagram van de instroom per gemeente, 's-Gravenhage het grootst.](fig/instroom.svg)

{PLOTLY_DIV}

## De 30%-grens

Geen enkele gemeente overschreed de grens.
"""

TITLE = "Regionale analyse huisvesting aandachtsgroepen"
META = DocumentMeta(title=TITLE, area="Haaglanden", period="2021–2025",
                    date=datetime.date(2026, 11, 25), kind="regio", demo=True, toc=True)


@pytest.fixture
def resources(tmp_path: Path) -> Path:
    folder = tmp_path / "resources"
    (folder / "fig").mkdir(parents=True)
    (folder / "fig" / "instroom.svg").write_text(SVG, encoding="utf-8")
    return folder


# --- PDF ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("demo", "toc"), [(True, True), (False, False)])
def test_pdf_has_cover_content_and_demo_banner_on_every_page(resources, tmp_path, demo, toc):
    out = tmp_path / "regio.pdf"
    render_pdf(SAMPLE, resources, replace(META, demo=demo, toc=toc), out)

    pages = pdf_pages(out)
    text = "\n".join(pages)
    assert 2 <= len(pages) <= 8
    for expected in (TITLE, "Haaglanden", "2021–2025", "25 november 2026",
                     "Regio Haaglanden — Woonzorgmonitor", "Samenvatting", "Kernboodschappen",
                     "Instroom en verdeling", "De 30%-grens", "1.234", "12,3%", "10.456",
                     "Tabel 1", "Figuur 1", f"pagina 2 van {len(pages)}"):
        assert expected in text, expected
    assert ("Inhoudsopgave" in text) == toc
    for number, page in enumerate(pages, start=1):
        assert (DEMO_LABEL in page) == demo, f"pagina {number}"


def test_pdf_is_tagged_pdf_ua_with_title_and_language(resources, tmp_path):
    out = tmp_path / "regio.pdf"
    render_pdf(SAMPLE, resources, META, out)

    info = run("pdfinfo", out)
    assert re.search(rf"^Title:\s+{TITLE}$", info, re.M)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Page size:.*\(A4\)$", info, re.M)
    xmp = run("pdfinfo", "-meta", out)
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert "<rdf:li>nl</rdf:li>" in xmp


def test_pdf_image_without_alt_text_is_refused(resources, tmp_path):
    with pytest.raises(RenderError, match=re.escape("fig/instroom.svg heeft geen alt-tekst")):
        render_pdf("# Kop\n\n![](fig/instroom.svg)\n", resources, META, tmp_path / "x.pdf")


def test_typst_error_names_document_and_keeps_the_typst_source(resources, tmp_path):
    out = tmp_path / "delft.pdf"
    broken = "# Kop\n\n```{=typst}\n#let x = (\n```\n"
    with pytest.raises(RenderError) as info:
        render_pdf(broken, resources, replace(META, area="Gemeente Delft"), out)

    message = str(info.value)
    assert "Gemeente Delft" in message and str(out) in message
    assert "typst faalde: unclosed delimiter" in message
    typ = Path(re.search(r"Typst-bron (\S+\.typ)", message).group(1))
    assert "#let x = (" in typ.read_text(encoding="utf-8")
    assert not out.exists()


# --- DOCX --------------------------------------------------------------------------------


@pytest.mark.parametrize("demo", [True, False])
def test_docx_has_word_styles_tables_and_demo_header(resources, tmp_path, demo):
    out = tmp_path / "delft.docx"
    meta = replace(META, area="Gemeente Delft", kind="gemeente", demo=demo, toc=False)
    render_docx(SAMPLE, resources, meta, out)

    document = docx.Document(str(out))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    headings = {(style, text) for style, text in styles if style.startswith("Heading")}
    assert ("Heading 1", "1\tSamenvatting") in headings
    assert ("Heading 2", "1.1\tKernboodschappen") in headings
    assert ("Title", TITLE) in styles
    assert ("Subtitle", "Gemeente Delft") in styles
    assert ("Date", "Periode 2021–2025 · 25 november 2026") in styles
    assert (styles[0] == ("Demo", DEMO_LABEL)) == demo

    [table] = document.tables
    assert table.cell(1, 1).text == "1.234"
    assert table.cell(1, 2).text == "12,3%"
    assert any(style == "Table Caption" for style, _ in styles)

    section = document.sections[0]
    header = " ".join(p.text for p in section.header.paragraphs)
    assert (DEMO_LABEL in header) == demo
    assert "pagina" in " ".join(p.text for p in section.footer.paragraphs)
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert document.core_properties.title == TITLE
    assert document.core_properties.language == "nl"


# --- HTML --------------------------------------------------------------------------------


@pytest.mark.parametrize(("demo", "plotly"), [(True, True), (False, False)])
def test_html_is_self_contained_dutch_and_embeds_plotly_only_when_needed(
        resources, tmp_path, demo, plotly):
    out = tmp_path / "regio.html"
    markdown = SAMPLE if plotly else SAMPLE.replace(PLOTLY_DIV, "")
    render_html(markdown, resources, replace(META, demo=demo), out)

    html = out.read_text(encoding="utf-8")
    assert '<html lang="nl"' in html
    external = [a for a in addresses(html) if re.match(r"(https?:)?//", a)]
    assert external == []
    # Images are inside the file, not next to it.
    assert all(a.startswith(("data:", "#")) for a in addresses(html)), addresses(html)
    assert html.count("plotly.js v") == (1 if plotly else 0)
    assert ('class="demo-banner"' in html) == demo
    for expected in (TITLE, "Inhoudsopgave", "1.234", "12,3%", "Kernboodschappen"):
        assert expected in html


# --- Errors and settings -----------------------------------------------------------------


@pytest.mark.parametrize("render", [render_pdf, render_docx, render_html])
def test_missing_image_is_an_error_naming_the_document(resources, tmp_path, render):
    out = tmp_path / "rijswijk.out"
    markdown = SAMPLE.replace("fig/instroom.svg", "fig/ontbreekt.svg")
    with pytest.raises(RenderError) as info:
        render(markdown, resources, replace(META, area="Gemeente Rijswijk"), out)

    message = str(info.value)
    assert "Gemeente Rijswijk" in message and str(out) in message
    assert "afbeelding niet gevonden: fig/ontbreekt.svg" in message
    assert "stack traceback" not in message
    assert not out.exists()


def test_document_settings_come_from_quarto_yml():
    settings = document_settings(PROJECT)
    assert settings.title == "Woonzorgmonitor Haaglanden"
    assert settings.output_dir == PROJECT / "reports"
    # DocumentMeta's defaults must say what _quarto.yml says.
    assert (settings.lang, settings.papersize) == (META.lang, META.papersize) == ("nl", "a4")


def test_document_settings_name_file_and_missing_key(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  title: X\n  output-dir: reports\n"
                                          "lang: nl\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape("'format.typst.papersize' ontbreekt")) as info:
        document_settings(tmp_path)
    assert str(tmp_path / "_quarto.yml") in str(info.value)


def test_demo_pdf_with_a_table_across_pages(tmp_path):
    # The demo banner sits on every page; as tagged content it broke PDF/UA tables that
    # continue on the next page.
    rows = "\n".join(f"| Rij {i} | {i} |" for i in range(120))
    markdown = "# Kop\n\n| Naam | Getal |\n|:--|--:|\n" + rows + "\n\n: Lange tabel\n"
    meta = DocumentMeta(title="T", area="A", period="2021–2025", date=datetime.date(2026, 1, 5),
                        kind="gemeente", demo=True, toc=False)
    render_pdf(markdown, tmp_path, meta, tmp_path / "lang.pdf")
    assert (tmp_path / "lang.pdf").stat().st_size > 0
