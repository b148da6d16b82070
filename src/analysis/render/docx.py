"""DOCX: Pandoc with a reference document in the house style, for policy officers who paste
the appendix into their own Word documents (real Heading styles, real tables)."""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from functools import cache
from pathlib import Path

import docx
import pypandoc
from babel import Locale
from babel.core import get_global
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Length, Mm, Pt, RGBColor, Twips
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from analysis.layout import DEMO_LABEL
from analysis.render.house import COLOURS
from analysis.render.meta import DocumentMeta
from analysis.render.pandoc import RenderError, convert, run_pandoc, write_atomic

# Arial is on every office laptop; LibreOffice shows it as the metric-identical Liberation Sans.
FONT = "Arial"
PAPER = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}
MARGIN = Mm(25)
DEMO_STYLE = "Demo"  # paragraph style of the in-text demo notice
DENSE_STYLE = "Compact Small"  # cells of a table too wide for 9 pt text (woonzorg.lua: DENSE)
DENSE_MARGIN = Pt(2)  # its cell margins left and right, as in the PDF


def render_docx(markdown: str, resources: Path, meta: DocumentMeta, out: Path) -> None:
    """Convert `markdown` (images relative to `resources`) to a Word document at `out`."""
    reference = reference_doc(meta.demo, meta.lang, meta.papersize)
    # No section numbers (the PDF has them): an officer pastes the appendix under a chapter of
    # the gemeente's own programme, whose heading styles number it.
    args = ["--to", "docx", "--output", "-", "--reference-doc", str(reference)]
    # Pandoc's title block: Title, Subtitle, Author and Date paragraphs in Word's styles.
    metadata = {"subtitle": meta.area, "author": meta.organisation,
                "date": f"Periode {meta.period} · {meta.date_text}"}
    if meta.toc:
        args.append("--toc")
        metadata["toc-title"] = "Inhoudsopgave"
    document = docx.Document(io.BytesIO(convert(markdown, resources, meta, out, args,
                                                metadata)))
    _number_captions(document)
    _fit_tables(document)
    _end_title_block(document, meta.cover)
    if meta.demo:  # before the title: pasted elsewhere, the text still says it
        document.paragraphs[0].insert_paragraph_before(DEMO_LABEL, style=DEMO_STYLE)
    buffer = io.BytesIO()
    document.save(buffer)
    write_atomic(out, buffer.getvalue())


# --- Post-processing Pandoc's document ----------------------------------------------------

CAPTIONS = {"Table Caption": "Tabel", "Image Caption": "Figuur"}  # Pandoc's style → label
TITLE_BLOCK = ("Title", "Subtitle", "Author", "Date")
SMALL_TABLE = 25  # rows; a table this short is kept on one page
KEPT_ROWS = 3     # the last rows of a longer table (the total and two above it) stay together


def _number_captions(document: WordDocument) -> None:
    """Pandoc's table and figure captions as Word writes them: the built-in Caption style and
    "Tabel 1 — …" / "Figuur 1 — …" with a SEQ field that Word renumbers (Tabel and Figuur are
    the labels of Dutch Word's Insert Caption, so pasted captions join the programme's own)."""
    caption = document.styles["Caption"]
    counts = dict.fromkeys(CAPTIONS.values(), 0)
    for paragraph in document.paragraphs:
        label = CAPTIONS.get(paragraph.style.name)
        if label is None:
            continue
        counts[label] += 1
        paragraph.style = caption
        # A table's caption sits above it; an image's below it, held by Captioned Figure.
        paragraph.paragraph_format.keep_with_next = label == "Tabel"
        text = paragraph.runs[0]._r if paragraph.runs else None
        number = [paragraph.add_run(f"{label} "),
                  *_field(paragraph, f"SEQ {label} \\* ARABIC", str(counts[label]))]
        for run in number:
            run.bold = True
        added = [*number, paragraph.add_run(" — ")]
        if text is not None:  # added at the end; the label goes before the caption's text
            for run in added:
                text.addprevious(run._r)


def _fit_tables(document: WordDocument) -> None:
    """Every table exactly as wide as the text, its columns in the proportions the filter
    chose (woonzorg.lua); rows never split, a short table stays on one page, a longer one keeps
    its header with the first row and its last rows together."""
    section = document.sections[0]
    text_width = Emu(section.page_width - section.left_margin - section.right_margin)
    for table in document.tables:
        grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
        shares = [int(column.get(qn("w:w"))) for column in grid]
        widths = [round(text_width.twips * share / sum(shares)) for share in shares]
        for column, width in zip(grid, widths, strict=True):
            column.set(qn("w:w"), str(width))
        if table.cell(0, 0).paragraphs[0].style.name == DENSE_STYLE:
            _cell_margins(table, DENSE_MARGIN)
        rows = table.rows
        for index, row in enumerate(rows):
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            column = 0
            for cell in row._tr.tc_lst:
                cell.width = Twips(sum(widths[column:column + cell.grid_span]))
                column += cell.grid_span
            keep = index < len(rows) - 1 and (len(rows) <= SMALL_TABLE or index == 0
                                              or index >= len(rows) - KEPT_ROWS)
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = keep


def _cell_margins(table: Table, margin: Length) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(margin.twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    # Schema order: before the tblLook that Pandoc writes into every table.
    table._tbl.tblPr.find(qn("w:tblLook")).addprevious(margins)


def _end_title_block(document: WordDocument, cover: bool) -> None:
    """A cover: the title block low on page 1 and the text from page 2. Otherwise a compact
    title block with the text right below it."""
    block = [p for p in document.paragraphs[:len(TITLE_BLOCK)] if p.style.name in TITLE_BLOCK]
    if not block:
        return
    if cover:
        block[0].paragraph_format.space_before = Pt(150)
        block[-1].add_run().add_break(WD_BREAK.PAGE)
    else:
        block[-1].paragraph_format.space_after = Pt(18)


# --- Reference document ------------------------------------------------------------------


@cache
def reference_doc(demo: bool, lang: str, papersize: str) -> Path:
    """The reference document for these settings, built once and cached on disk under a key
    that changes whenever Pandoc or this style code does."""
    if papersize not in PAPER:
        raise RenderError(f"papierformaat {papersize!r} kent de DOCX-stijl niet; "
                          f"kies uit {', '.join(PAPER)}")
    key = hashlib.sha256(json.dumps({
        "pandoc": pypandoc.get_pandoc_version(),
        "style": [Path(__file__).read_text(encoding="utf-8"), COLOURS],
        "demo": demo, "lang": lang, "papersize": papersize,
    }, sort_keys=True).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / "woonzorgmonitor-render" / f"reference-{key}.docx"
    if not path.exists():
        write_atomic(path, _build_reference(demo, lang, papersize))
    return path


def _build_reference(demo: bool, lang: str, papersize: str) -> bytes:
    default = run_pandoc(["--print-default-data-file", "reference.docx"],
                         "", "reference.docx")
    document = docx.Document(io.BytesIO(default))
    _set_defaults(document, lang)
    _style_paragraphs(document)
    _style_table(document)
    _set_page(document, papersize, demo)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rgb(name: str) -> RGBColor:
    return RGBColor.from_string(COLOURS[name].upper())


def _set_defaults(document: WordDocument, lang: str) -> None:
    """One font for everything (Pandoc's default points at the Office theme's Aptos, which
    most machines lack), 10 pt, and the document language for Word's spelling checker."""
    styles = document.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        if any(key.endswith("Theme") or key.endswith("theme") for key in fonts.attrib):
            fonts.attrib.clear()
            for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attribute), FONT)
    run_defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    run_defaults.find(qn("w:sz")).set(qn("w:val"), "20")
    run_defaults.find(qn("w:szCs")).set(qn("w:val"), "20")
    run_defaults.find(qn("w:lang")).set(qn("w:val"), _language_tag(lang))


def _language_tag(lang: str) -> str:
    """Word wants language and region ('nl-NL'); `_quarto.yml` may give only 'nl'."""
    if "-" in lang or "_" in lang:
        return lang.replace("_", "-")
    likely = get_global("likely_subtags").get(lang)  # 'nl' → 'nl_Latn_NL'
    territory = Locale.parse(likely).territory if likely else None
    return f"{lang}-{territory}" if territory else lang


def _font(style: BaseStyle, size: float, *, colour: str | None = None, bold: bool | None = None,
          italic: bool | None = None) -> None:
    style.font.size = Pt(size)
    if colour:
        style.font.color.rgb = _rgb(colour)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic


def _spacing(style: BaseStyle, before: float, after: float, *, left: bool = False) -> None:
    style.paragraph_format.space_before = Pt(before)
    style.paragraph_format.space_after = Pt(after)
    if left:
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _style_paragraphs(document: WordDocument) -> None:
    styles = document.styles
    body = styles["Body Text"]
    _spacing(body, 6, 6)
    body.paragraph_format.line_spacing = 1.15
    _spacing(styles["Compact"], 1, 1)
    for name, size, before in (("Heading 1", 16, 18), ("Heading 2", 13, 14),
                               ("Heading 3", 11, 10)):
        _font(styles[name], size, colour="accent", bold=True, italic=False)
        _spacing(styles[name], before, 6)
    for name in ("Heading 4", "Heading 5", "Heading 6"):
        _font(styles[name], 10, colour="accent", bold=True, italic=False)
    _font(styles["Title"], 24, colour="accent", bold=True)
    _spacing(styles["Title"], 0, 6, left=True)
    _font(styles["Subtitle"], 15, colour="accent", bold=False)
    for spacing in styles["Subtitle"].element.findall(f"{qn('w:rPr')}/{qn('w:spacing')}"):
        spacing.getparent().remove(spacing)  # Pandoc's letter-spaced subtitle looks dated
    _spacing(styles["Subtitle"], 0, 18, left=True)
    for name in ("Author", "Date"):
        _font(styles[name], 10, colour="muted", bold=False)
        _spacing(styles[name], 0, 2, left=True)
    # Pandoc names it 'Caption'; Word's built-in is 'caption' (which python-docx shows as
    # 'Caption'). Renamed, it is the style of Word's own Insert Caption, which all our
    # captions get (`_number_captions`).
    caption = next(style for style in styles if style.style_id == "Caption")
    caption.element.name_val = "caption"
    _font(caption, 9, colour="muted", italic=False)
    _spacing(caption, 4, 10)
    dense = styles.add_style(DENSE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    dense.base_style = styles["Compact"]
    _font(dense, 7)
    demo = styles.add_style(DEMO_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    demo.base_style = styles["Normal"]
    _font(demo, 11, colour="demo", bold=True)
    _spacing(demo, 0, 12)


def _border(parent: OxmlElement, edges: dict[str, tuple[int, str]]) -> None:
    """Borders (eighths of a point, colour name) on a tblBorders/tcBorders element."""
    for edge, (size, colour) in edges.items():
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:color"), COLOURS[colour])
        parent.append(element)


def _style_table(document: WordDocument) -> None:
    """Pandoc's 'Table' style: thin horizontal rules, a shaded bold header row, 9 pt."""
    style = document.styles["Table"]
    _font(style, 9)
    table_properties = style.element.find(qn("w:tblPr"))
    borders = OxmlElement("w:tblBorders")
    _border(borders, {"top": (4, "rule"), "bottom": (8, "accent"), "insideH": (4, "rule")})
    table_properties.append(borders)
    first_row = style.element.find(qn("w:tblStylePr"))  # Pandoc's type="firstRow"
    for old in list(first_row):
        first_row.remove(old)
    run = OxmlElement("w:rPr")
    run.append(OxmlElement("w:b"))
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), COLOURS["accent"])
    run.append(colour)
    cell = OxmlElement("w:tcPr")
    cell_borders = OxmlElement("w:tcBorders")
    _border(cell_borders, {"bottom": (8, "accent")})
    shading = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"),
                       ("w:fill", COLOURS["accent-light"])):
        shading.set(qn(key), value)
    cell.append(cell_borders)
    cell.append(shading)
    first_row.append(run)
    first_row.append(cell)


def _set_page(document: WordDocument, papersize: str, demo: bool) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAPER[papersize]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.header_distance = section.footer_distance = Mm(12)
    if demo:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run(DEMO_LABEL)
        run.bold = True
        run.font.size = Pt(9)
        run.font.color.rgb = _rgb("demo")
    _page_numbers(section.footer.paragraphs[0])


def _page_numbers(paragraph: Paragraph) -> None:
    """'pagina 3 van 12' with Word's PAGE and NUMPAGES fields, right-aligned."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run("pagina ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" van ")
    _field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = _rgb("muted")


def _field(paragraph: Paragraph, instruction: str, shown: str = "1") -> list[Run]:
    """A Word field as runs (begin, code, separate, shown value, end), so it takes the
    paragraph's run formatting like any text; Word fills in the value when it lays out."""
    def mark(kind: str) -> OxmlElement:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    runs = [paragraph.add_run() for _ in range(5)]
    runs[0]._r.append(mark("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    runs[1]._r.append(code)
    runs[2]._r.append(mark("separate"))
    runs[3].text = shown
    runs[4]._r.append(mark("end"))
    return runs
