"""The rendering layer: Markdown plus images → PDF (Typst), DOCX and self-contained HTML."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import stat
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

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
    # No typed numbers: the appendix goes under a chapter of the gemeente's own programme.
    assert ("Heading 1", "Samenvatting") in headings
    assert ("Heading 2", "Kernboodschappen") in headings
    assert ("Title", TITLE) in styles
    assert ("Subtitle", "Gemeente Delft") in styles
    assert ("Date", "Periode 2021–2025 · 25 november 2026") in styles
    assert (styles[0] == ("Demo", DEMO_LABEL)) == demo

    [table] = document.tables
    assert table.cell(1, 1).text == "1.234"
    assert table.cell(1, 2).text == "12,3%"
    assert ("Caption", "Tabel 1 — Verhuringen aan aandachtsgroepen per gemeente, 2025") in styles

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


# --- Publishable documents ----------------------------------------------------------------
# Each test reads the output as a reader would: the text per page of the PDF (and where the
# words sit), Word's styles, fields and column widths, the HTML in a browser.

A4_TEXT_BOTTOM = 841.89 - 25 * 72 / 25.4  # pt from the top: the foot of the text area
A4_TEXT_HEIGHT = A4_TEXT_BOTTOM - 30 * 72 / 25.4

# Long header words, each header a single word, and running text in the first column.
WIDE = """| Doelgroep | Monitorperiode | Opgeleverd | Voortgangspercentage | Planperiode |
|:--|--:|--:|--:|--:|
| Ouderen (woningen) | 10.463 | 5.650 | 54,0% | 21.808 |
| Mensen met een beperking of psychische kwetsbaarheid (woningen) | 797 | 367 | 46,0% | 1.657 |
| Uitstroom maatschappelijke opvang (plaatsen) | 517 | 357 | 69,1% | 1.082 |

: Woonopgave per doelgroep in Haaglanden
"""
WIDE_HEADER = ["Doelgroep", "Monitorperiode", "Opgeleverd", "Voortgangspercentage",
               "Planperiode"]
# Too many columns for 9 pt text: set dense. Hyphenated names may break after the hyphen.
GEMEENTEN = ["Delft", "Den Haag", "Leidschendam-V.", "Midden-Delfl.", "Pijnacker-N.",
             "Rijswijk", "Wassenaar", "Westland", "Zoetermeer"]
MATRIX = "\n".join([
    "| Herkomst | " + " | ".join(GEMEENTEN) + " | Haaglanden |",
    "|:--" + "|--:" * (len(GEMEENTEN) + 1) + "|",
    *(f"| {name} | " + " | ".join(str(11 * row + col) for col in range(len(GEMEENTEN)))
      + " | 5.771 |" for row, name in enumerate(["Leidschendam-Voorburg", "Buiten de regio"])),
    "", ": Herkomst en bestemming", ""])
MATRIX_HEADER = ["Herkomst", "Delft", "Rijswijk", "Wassenaar", "Westland", "Zoetermeer",
                 "Haaglanden"]  # the one-word headers


def pdf_words(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page, every word with its box (x0, y0, x1, y1 in pt, y from the top)."""
    import html

    layout = run("pdftotext", "-bbox", pdf, "-")
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                      r'yMax="([\d.]+)">([^<]*)</word>')
    return [[(html.unescape(text), float(x0), float(y0), float(x1), float(y1))
             for x0, y0, x1, y1, text in word.findall(page)]
            for page in re.findall(r"<page[^>]*>(.*?)</page>", layout, re.S)]


def page_of(pages: list[str], text: str) -> int:
    [found] = [number for number, page in enumerate(pages) if text in page]
    return found


def table(name: str, rows: int, *, caption: str) -> str:
    """A table whose cells name their table and row ("t3r07"), ending in a total row."""
    lines = ["| Gemeente | Verhuringen | Aandeel |", "|:--|--:|--:|"]
    lines += [f"| {name}r{row:02d} | {row * 11} | {row},0% |" for row in range(1, rows)]
    lines += [f"| {name}totaal | 999 | 100,0% |", "", f": {caption}"]
    return "\n".join(lines)


def filler(paragraphs: int) -> str:
    return "\n\n".join(f"Regel {n} van de tekst die de pagina vult." for n in range(paragraphs))


def lines(count: int) -> str:
    """One paragraph of `count` lines (hard line breaks): steps smaller than a table row."""
    return "\\\n".join(f"Regel {n}." for n in range(count)) or "Geen regels."


def short_meta(**changes) -> DocumentMeta:
    return replace(META, toc=False, cover=False, **changes)


def test_pdf_headings_and_captions_stay_with_their_table_or_figure(resources, tmp_path):
    # Sections with ever more text before them put heading, caption and table at every height
    # of the page, the foot of a page included.
    sections = [f"## Kop {k}\n\n{filler(k)}\n\n## Tabelkop {k}\n\n"
                f"{table(f't{k}', 12, caption=f'Bijschrift tabel {k}')}\n\n"
                f"## Figuurkop {k}\n\n![Bijschrift figuur {k}](fig/instroom.svg)"
                f"{{fig-alt=\"Staafdiagram {k}.\" width=40%}}"
                for k in range(1, 13)]
    out = tmp_path / "plakken.pdf"
    render_pdf("# Deel\n\n" + "\n\n".join(sections) + "\n", resources, short_meta(), out)

    pages = pdf_pages(out)
    assert len(pages) >= 4  # enough page breaks to have met every case
    for k in range(1, 13):
        page = page_of(pages, f"Tabelkop {k}\n")
        rows = [f"t{k}r{row:02d}" for row in range(1, 12)] + [f"t{k}totaal"]
        assert all(text in pages[page] for text in [f"Bijschrift tabel {k}", *rows]), k
        assert f"Bijschrift figuur {k}" in pages[page_of(pages, f"Figuurkop {k}\n")], k


def test_pdf_long_table_keeps_its_total_row_with_the_rows_above(resources, tmp_path):
    # A table longer than a page continues on the next one. Each variant starts a page and
    # lets the table start one line (less than a row) lower, so the page break passes every
    # row near the end, right above the total row too.
    newpage = "```{=typst}\n#pagebreak(weak: true)\n```"
    variants = range(14, 34)
    sections = [f"{newpage}\n\n## Kop {k}\n\n{lines(k)}\n\n"
                f"{table(f't{k}', 66, caption=f'Lange tabel {k}')}" for k in variants]
    out = tmp_path / "lang.pdf"
    render_pdf("# Deel\n\n" + "\n\n".join(sections) + "\n", resources, short_meta(), out)

    pages = pdf_pages(out)
    for k in variants:
        first, last = page_of(pages, f"t{k}r01"), page_of(pages, f"t{k}totaal")
        assert last > first, k
        assert f"t{k}r64" in pages[last] and f"t{k}r65" in pages[last], k
        assert f"Lange tabel {k}" in pages[first] and "Gemeente" in pages[last], k


def test_pdf_long_document_has_no_mostly_empty_pages(resources, tmp_path):
    chapters = [f"# Hoofdstuk {k}\n\n{filler(9)}" for k in range(1, 8)]
    appendices = [f"# Bijlage {letter}. Aanhangsel {{-}}\n\n{filler(3)}" for letter in "AB"]
    out = tmp_path / "regio.pdf"
    render_pdf("\n\n".join(chapters + appendices) + "\n", resources, META, out)

    pages, words = pdf_pages(out), pdf_words(out)
    body = [n for n, page in enumerate(pages)
            if "Hoofdstuk" in page and "Inhoudsopgave" not in page]
    # Seven short chapters share pages (each on its own page they took seven).
    assert len(body) <= 3
    for n in body[:-1]:  # every page but the last of the chapters is well filled
        assert max(y1 for *_, y1 in words[n] if y1 < A4_TEXT_BOTTOM) > A4_TEXT_BOTTOM * 0.75, n
    for n in body:  # and no chapter opens in the bottom quarter of a page
        for text, _, y0, _, _ in words[n]:
            if text == "Hoofdstuk":
                assert A4_TEXT_BOTTOM - y0 > A4_TEXT_HEIGHT / 4, n
    for letter in "AB":  # an appendix starts a page of its own
        page = pages[page_of(pages, f"Bijlage {letter}. Aanhangsel\n")]
        assert page.split(META.period, 1)[1].lstrip().startswith(f"Bijlage {letter}.")


@pytest.mark.parametrize(("markdown", "header", "padding"),
                         [(WIDE, WIDE_HEADER, 12), (MATRIX, MATRIX_HEADER, 4)])
def test_pdf_column_headers_keep_their_words_whole(resources, tmp_path, markdown, header,
                                                   padding):
    out = tmp_path / "opgave.pdf"
    render_pdf(f"# Woonopgave\n\n{markdown}", resources, short_meta(demo=False), out)

    words = pdf_words(out)[0]
    tops = [round(y0) for text, _, y0, _, _ in words if text in header]
    top = max(tops, key=tops.count)  # the line that has most of them: the header row
    line = sorted((x0, x1, text) for text, x0, y0, x1, _ in words if round(y0) == top)
    assert set(header) <= {text for *_, text in line}  # each word whole, on the first line
    # Between two columns lie the paddings of both cells; a word too wide for its column runs
    # into that space, or into the next word.
    assert all(b[0] - a[1] >= padding - 1 for a, b in pairwise(line)), line
    assert max(x1 for _, _, _, x1, _ in words) <= 595.28 - 25 * 72 / 25.4 + 1  # in the margin


@pytest.mark.parametrize("cover", [True, False])
def test_pdf_cover_page_or_title_block(resources, tmp_path, cover):
    out = tmp_path / "blad.pdf"
    render_pdf(SAMPLE, resources, replace(META, toc=False, cover=cover), out)

    pages = pdf_pages(out)
    first = " ".join(pages[0].split())
    for expected in (TITLE, "Haaglanden", "2021–2025", "25 november 2026", DEMO_LABEL):
        assert expected in first, expected
    # A cover is a page of its own; a title block has the text below it.
    assert ("Samenvatting" in first) == (not cover)
    assert all(DEMO_LABEL in page for page in pages)


@pytest.mark.parametrize("cover", [True, False])
def test_docx_cover_page_or_title_block(resources, tmp_path, cover):
    out = tmp_path / "blad.docx"
    render_docx(SAMPLE, resources, replace(META, toc=False, cover=cover), out)

    document = docx.Document(str(out))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert styles[:5] == [("Demo", DEMO_LABEL), ("Title", TITLE), ("Subtitle", "Haaglanden"),
                          ("Author", META.organisation),
                          ("Date", "Periode 2021–2025 · 25 november 2026")]
    date = document.paragraphs[4]._p
    page_breaks = date.xpath('.//w:br[@w:type="page"]')
    assert bool(page_breaks) == cover  # the text starts on page 2 after a cover
    assert DEMO_LABEL in " ".join(p.text for p in document.sections[0].header.paragraphs)


def test_docx_headings_nest_without_typed_numbers(resources, tmp_path):
    out = tmp_path / "delft.docx"
    render_docx(SAMPLE, resources, short_meta(), out)

    document = docx.Document(str(out))
    headings = [(p.style.name, p.text, p._p.pPr.numPr) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    assert [(style, text) for style, text, _ in headings] == [
        ("Heading 1", "Samenvatting"), ("Heading 2", "Kernboodschappen"),
        ("Heading 1", "Instroom en verdeling"), ("Heading 2", "De 30%-grens")]
    assert all(numbering is None for *_, numbering in headings)  # no list numbers either


def test_docx_captions_are_word_captions_with_seq_fields(resources, tmp_path):
    out = tmp_path / "delft.docx"
    render_docx(SAMPLE + "\n" + WIDE, resources, short_meta(), out)

    document = docx.Document(str(out))
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert [p.text for p in captions] == [
        "Tabel 1 — Verhuringen aan aandachtsgroepen per gemeente, 2025",
        "Figuur 1 — Staafdiagram van de instroom per gemeente, ’s-Gravenhage het grootst.",
        "Tabel 2 — Woonopgave per doelgroep in Haaglanden"]
    # Word's own built-in caption style, so Insert Caption and a table of figures find them.
    style = captions[0].style
    assert style.style_id == "Caption" and style.element.name_val == "caption"
    for paragraph, label in zip(captions, ["Tabel", "Figuur", "Tabel"], strict=True):
        codes = [code.text.strip() for code in paragraph._p.iter(qn("w:instrText"))]
        assert codes == [f"SEQ {label} \\* ARABIC"]
        kinds = [mark.get(qn("w:fldCharType")) for mark in paragraph._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
    # A table's caption sits right above its table and stays with it.
    for paragraph in (captions[0], captions[2]):
        assert paragraph._p.getnext().tag == qn("w:tbl")
        assert paragraph.paragraph_format.keep_with_next


def test_docx_tables_fit_the_page_with_the_pdfs_column_widths(resources, tmp_path):
    out = tmp_path / "opgave.docx"
    render_docx(f"# Woonopgave\n\n{WIDE}", resources, short_meta(), out)

    document = docx.Document(str(out))
    section = document.sections[0]
    text_width = (section.page_width - section.left_margin - section.right_margin) / 635  # twips
    [word_table] = document.tables
    grid = [int(c.get(qn("w:w"))) for c in word_table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(grid) - text_width) <= len(grid)
    # The longest header word at 9 pt bold ('Voortgangspercentage', 10.9 em of Arial Bold)
    # plus the cell padding fits its column.
    assert grid[3] >= (10.9 * 9 + 12) * 20
    for row in word_table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None  # rows never split
        widths = [int(cell.get_or_add_tcPr().tcW.get(qn("w:w"))) for cell in row._tr.tc_lst]
        assert widths == grid


def test_docx_table_too_wide_for_9_pt_is_set_dense(resources, tmp_path):
    out = tmp_path / "matrix.docx"
    render_docx(f"# Herkomst\n\n{MATRIX}", resources, short_meta(), out)

    document = docx.Document(str(out))
    [matrix] = document.tables
    styles = {(p.style.name, p.style.font.size.pt)
              for row in matrix.rows for cell in row.cells for p in cell.paragraphs}
    assert styles == {("Compact Small", 7)}
    margins = matrix._tbl.tblPr.find(qn("w:tblCellMar"))
    assert [int(side.get(qn("w:w"))) for side in margins] == [40, 40]  # 2 pt
    grid = [int(c.get(qn("w:w"))) for c in matrix._tbl.tblGrid.findall(qn("w:gridCol"))]
    section = document.sections[0]
    assert abs(sum(grid) - (section.page_width - 2 * section.left_margin) / 635) <= len(grid)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is niet geïnstalleerd")
@pytest.mark.parametrize(("markdown", "header"), [(WIDE, WIDE_HEADER), (MATRIX, MATRIX_HEADER)])
def test_docx_header_words_stay_whole_in_a_word_processor(resources, tmp_path, markdown,
                                                          header):
    out = tmp_path / "opgave.docx"
    render_docx(f"# Woonopgave\n\n{markdown}", resources, short_meta(demo=False), out)
    run("soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp_path, out)

    words = {w[0] for w in pdf_words(tmp_path / "opgave.pdf")[0]}
    assert set(header) <= words


def test_apostrophe_of_s_gravenhage_is_u2019_in_every_format(resources, tmp_path):
    markdown = SAMPLE + ("\nIn 's-Gravenhage en 's-Hertogenbosch telt 'aandachtsgroepen' "
                         "anders dan 't Harde.\n")
    meta = replace(META, area="Gemeente 's-Gravenhage", toc=False)

    render_pdf(markdown, resources, meta, tmp_path / "x.pdf")
    pages = pdf_pages(tmp_path / "x.pdf")
    assert all("Gemeente ’s-Gravenhage" in page for page in pages[1:])  # the running header
    pdf_text = "\n".join(pages)

    render_docx(markdown, resources, meta, tmp_path / "x.docx")
    document = docx.Document(str(tmp_path / "x.docx"))
    cells = [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    docx_text = "\n".join([p.text for p in document.paragraphs] + cells)

    render_html(markdown, resources, meta, tmp_path / "x.html")
    html_text = visible_text((tmp_path / "x.html").read_text(encoding="utf-8"))

    for name, text in (("pdf", pdf_text), ("docx", docx_text), ("html", html_text)):
        # text, table cell, caption, title block; and the quotation still opens with U+2018
        assert text.count("’s-Gravenhage") >= 4, name
        assert "’s-Hertogenbosch" in text and "’t Harde" in text, name
        assert "‘aandachtsgroepen’" in text, name
        assert not re.search(r"['‘]s-", text), name


def visible_text(html: str) -> str:
    """What a browser shows of `html`: the text outside scripts, styles and tags."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.hidden = 0

        def handle_starttag(self, tag, attrs):
            self.hidden += tag in ("script", "style", "title")

        def handle_endtag(self, tag):
            self.hidden -= tag in ("script", "style", "title")

        def handle_data(self, data):
            if not self.hidden:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return "".join(parser.parts)


@pytest.mark.parametrize("cover", [True, False])
def test_html_title_block_tables_in_scroll_boxes_and_accessible_structure(
        resources, tmp_path, cover):
    out = tmp_path / "regio.html"
    render_html(SAMPLE + "\n" + WIDE, resources, replace(META, cover=cover), out)

    html = out.read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert ('<header class="cover">' in html) == cover
    assert ('<header class="title-block">' in html) == (not cover)
    # Each table scrolls in its own box, which a keyboard reaches and a screen reader names.
    boxes = re.findall(r'<div class="table-scroll" role="region" tabindex="0" '
                       r'aria-label="([^"]+)">\s*<table', html)
    assert boxes == ["Verhuringen aan aandachtsgroepen per gemeente, 2025",
                     "Woonopgave per doelgroep in Haaglanden"]
    assert html.count("<table") == 2
    # One title, then the chapters; every image with its alt text.
    assert re.findall(r"<h(\d)", html)[:3] == ["1", "2", "1"]  # title, toc title, chapter
    assert all(alt for alt in re.findall(r'<img[^>]* alt="([^"]*)"', html))


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is niet geïnstalleerd")
def test_html_fits_a_phone_and_a_desktop_without_horizontal_page_scrolling(resources, tmp_path):
    out = tmp_path / "regio.html"
    render_html(SAMPLE + "\n" + WIDE, resources, META, out)

    for width in (400, 1280):
        found = browser_layout(out, width, tmp_path)
        assert found["page"] <= width, (width, found)  # no horizontal scrollbar on the page
        assert found["chart"] <= found["main"], (width, found)  # the chart follows the text
    phone = browser_layout(out, 400, tmp_path)
    assert phone["box"] > phone["boxVisible"]  # the wide table scrolls inside its box


def browser_layout(page: Path, width: int, folder: Path) -> dict[str, float]:
    """Widths in a browser window `width` px wide: the page, the text column, the Plotly
    chart, and the wide table's scroll box (content and visible part)."""
    import json

    probe = f"""<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="{page.as_uri()}" style="width:{width}px;height:900px;border:0"></iframe>
<script>
document.getElementById("f").addEventListener("load", () => setTimeout(() => {{
  const d = document.getElementById("f").contentDocument;
  const box = [...d.querySelectorAll(".table-scroll")].pop();
  document.body.dataset.result = JSON.stringify({{
    page: d.documentElement.scrollWidth, main: d.querySelector("main").clientWidth,
    chart: d.querySelector(".plotly-graph-div").getBoundingClientRect().width,
    box: box.scrollWidth, boxVisible: box.clientWidth}});
}}, 1000));
</script></body></html>"""
    wrapper = folder / f"probe-{width}.html"
    wrapper.write_text(probe, encoding="utf-8")
    # The window is wider than the frame: headless Chromium has a minimum window width.
    dom = run("chromium", "--headless", "--no-sandbox", "--disable-gpu",
              "--disable-background-networking", "--allow-file-access-from-files",
              "--window-size=1400,1000", "--virtual-time-budget=8000", "--dump-dom",
              wrapper.as_uri())
    import html

    return json.loads(html.unescape(re.search(r'data-result="([^"]*)"', dom).group(1)))


@pytest.mark.parametrize("render", [render_pdf, render_docx, render_html])
def test_published_files_are_readable_by_colleagues(resources, tmp_path, render):
    out = tmp_path / "rapport"
    umask = os.umask(0o077)  # even for a user who keeps new files private
    try:
        render(SAMPLE, resources, META, out)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_year_ranges_get_an_en_dash_but_file_names_stay():
    from analysis.render.pandoc import typeset

    text = typeset("In 2021-2025 en 2021-2030; bestand svh_verhuringen_2021-2025.csv; `2021-2025`")
    assert text == ("In 2021\u20132025 en 2021\u20132030; bestand svh_verhuringen_2021-2025.csv; "
                    "`2021-2025`")
