"""Excel as analysts open it: the header on row 1, frozen and filtered, columns as wide as their
content, real number formats (Excel shows them in the reader's locale: 1.234 and 12,3% in Dutch)
and the DEMO label in every sheet's page header, never above the header row.

`write_tabellenboek` puts every table a document shows on a sheet of its own, with its
unformatted values; `report.exports` writes the data exports with the same sheet writer. A hidden
value is the text `tables.SUPPRESSED` ("x"), right-aligned among the numbers of its column."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet as Sheet
from openpyxl.worksheet.hyperlink import Hyperlink

from analysis.layout import DEMO_LABEL
from analysis.report.show import ShownTable
from analysis.storage import write_file
from analysis.tables import SUPPRESSED, SUPPRESSED_NOTE, decimals_for

# What each unit of the indicator catalogue means, for the codebooks.
UNITS: dict[str, str] = {
    "procent": "Percentage op een schaal van 0 tot 100 (12,3 betekent 12,3%); getoond met één "
               "decimaal.",
    "verhuringen": "Aantal verhuringen.",
    "huishoudens": "Aantal huishoudens.",
    "woningen": "Aantal woningen.",
    "wijken": "Aantal wijken.",
    "per 1.000 huishoudens": "Aantal per 1.000 particuliere huishoudens; getoond met één "
                             "decimaal.",
    "per 100 sociale huurwoningen": "Aantal per 100 sociale huurwoningen; getoond met één "
                                    "decimaal.",
    "index": "Index: 1 is gelijk aan het gemiddelde van de gemeente; getoond met twee decimalen.",
    "maanden": "Duur in maanden; getoond in hele maanden.",
    "reacties": "Aantal reacties op een advertentie; getoond als heel getal.",
    "personen": "Aantal personen (geen huishoudens).",
}
COUNT = "#,##0"
DECIMAL = "#,##0.0"
YEAR = "0"
TEXT = "@"
MAX_WIDTH = 80  # characters; longer text wraps
RIGHT = Alignment(horizontal="right")
HEADER_LIMIT = 255  # Excel's limit for a page header, codes included

Format = str | Sequence[str | None] | None  # for the whole column, per row, or General
Columns = Mapping[str, Sequence[object]]  # header → values, in order


def number_format(unit: str) -> str:
    """The Excel number format for a unit of the catalogue; an unknown unit fails loudly."""
    decimals = decimals_for(unit)
    pattern = COUNT + ("." + "0" * decimals if decimals else "")
    # Percentages are stored on the 0–100 scale as in the indicator table, so the sign is text.
    return pattern + '"%"' if unit == "procent" else pattern


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def new_workbook() -> Workbook:
    """A streaming workbook: every sheet is written row by row, so column settings come first."""
    return Workbook(write_only=True)


def cell(sheet: Sheet, value: object, number_format: str | None = None, *,
         font: Font | None = None, alignment: Alignment | None = None) -> Cell:
    """A cell to append; text is always text, never a formula or an error code ('=…', '#N/A')."""
    if isinstance(value, float) and not math.isfinite(value):  # NaN: an empty cell
        value = None
    made = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        made.data_type = "s"
    if number_format:
        made.number_format = number_format
    if font:
        made.font = font
    if alignment:
        made.alignment = alignment
    return made


def _width(value: object, fmt: str | None) -> int:
    """Roughly how many characters a cell shows."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return 0
    if _is_number(value) and fmt not in (None, TEXT):
        decimals = len(fmt.split(".")[1].split('"')[0].rstrip("%")) if "." in fmt else 0
        return len(f"{value:,.{decimals}f}") + ("%" in fmt)
    return max(len(line) for line in str(value).splitlines() or [""])


def page_header(sheet: Sheet, title: str, demo: bool) -> None:
    """Title (and the DEMO label) at the top of every printed page, page numbers at the foot;
    the header row repeats on every page."""
    left = DEMO_LABEL if demo else ""
    room = HEADER_LIMIT - len(left) - 8  # the section codes &L &C
    title = title.replace("&", "&&")
    if len(title) > room:
        title = title[:room - 1].rstrip("&") + "…"
    sheet.oddHeader.left.text = left
    sheet.oddHeader.center.text = title
    sheet.oddFooter.right.text = "pagina &P van &N"
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed, one page wide


def fill_table(sheet: Sheet, columns: Columns, formats: Mapping[str, Format], *, title: str,
               demo: bool) -> None:
    """A table from row 1: bold header, frozen, with a filter; number formats per column or
    per cell; widths fitted to the content, longer text wrapped; SUPPRESSED in a cell with a
    number format right-aligned, where the number would stand."""
    names = list(columns)
    rows = max((len(v) for v in columns.values()), default=0)
    per_cell: dict[str, Sequence[str | None]] = {}
    wrap: dict[str, Alignment | None] = {}
    for col, name in enumerate(names, start=1):
        fmt = formats.get(name)
        per_cell[name] = ([fmt] * rows if fmt is None or isinstance(fmt, str) else fmt)
        width = max([len(name) + 3,  # room for the filter button
                     *map(_width, columns[name], per_cell[name])])
        wrap[name] = Alignment(wrap_text=True, vertical="top") if width > MAX_WIDTH else None
        sheet.column_dimensions[get_column_letter(col)].width = min(width, MAX_WIDTH) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(names), 1))}{rows + 1}"
    sheet.print_title_rows = "1:1"
    page_header(sheet, title, demo)
    bold = Font(bold=True)
    sheet.append([cell(sheet, name, font=bold) for name in names])
    for i in range(rows):
        row = []
        for name in names:
            value, fmt = columns[name][i], per_cell[name][i]
            hidden = value == SUPPRESSED and fmt not in (None, TEXT)
            row.append(cell(sheet, value, fmt, alignment=RIGHT if hidden else wrap[name]))
        sheet.append(row)


def fill_notes(sheet: Sheet, lines: Sequence[str | tuple[str, str]], *, title: str,
               demo: bool, links: Collection[str] = ()) -> None:
    """A sheet of explanation: a bold title, then lines of text or (term, text) pairs; a term
    in `links` is a sheet name and links to it."""
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = MAX_WIDTH + 20
    page_header(sheet, title, demo)
    sheet.append([cell(sheet, title, font=Font(bold=True, size=14))])
    sheet.append([])
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for line in lines:
        term, text = line if isinstance(line, tuple) else ("", line)
        first = cell(sheet, term or None, font=bold)
        if term in links:
            first.hyperlink = Hyperlink(ref="", location=f"'{term}'!A1", display=term)
            first.style = "Hyperlink"
        warning = Font(bold=True, color="C00000") if text == DEMO_LABEL else None
        sheet.append([first, cell(sheet, text or None, font=warning, alignment=wrap)])


def _table_columns(shown: ShownTable) -> tuple[dict[str, list], dict[str, Format], list[tuple]]:
    """The sheet's columns (codes beside their names), formats, and codebook rows
    (kolom, eenheid, betekenis). An empty cell among numbers is a hidden value (the published
    figures have no other gaps) and becomes SUPPRESSED; the codebook explains it."""
    columns: dict[str, list] = {}
    formats: dict[str, Format] = {}
    notes: list[tuple[str, str, str]] = []
    for i, name in enumerate(shown.columns):
        values = [row[i] for row in shown.rows]
        if name in shown.codes:
            code = f"{name} (code)"
            columns[code], formats[code] = shown.codes[name], TEXT
            notes.append((code, "code", f"De code bij '{name}': CBS-gemeentecode (GM…), of de "
                                        "code van de doelgroep of herkomst in de codelijsten."))
        numbers = [v for v in values if _is_number(v)]
        if name in shown.units:
            unit = shown.units[name]
            formats[name], meaning = number_format(unit), UNITS[unit]
        elif numbers and all(isinstance(v, int) for v in numbers):
            formats[name], unit, meaning = COUNT, "aantal", "Aantal."
        elif numbers:
            formats[name], unit, meaning = DECIMAL, "getal", "Getal; getoond met één decimaal."
        else:
            formats[name], unit, meaning = TEXT, "tekst", "Tekst, zoals in het document."
        if formats[name] != TEXT:
            values = [SUPPRESSED if v is None else v for v in values]
        columns[name] = values
        if SUPPRESSED in values:
            meaning = f"{meaning} {SUPPRESSED_NOTE}"
        notes.append((name, unit, meaning))
    return columns, formats, notes


def write_tabellenboek(tables: Sequence[ShownTable], target: Path, *, title: str,
                       subtitle: str, demo: bool) -> Path:
    """Every table of a document on a sheet 'Tabel n' in document order (numbered as in the
    PDF), after a sheet 'Inhoud' and before the 'codeboek' that explains every column."""
    book = new_workbook()
    contents = book.create_sheet("Inhoud")
    names = [f"Tabel {n}" for n in range(1, len(tables) + 1)]
    sheets = [_table_columns(shown) for shown in tables]
    lines: list[str | tuple[str, str]] = [subtitle]
    if demo:
        lines.append(DEMO_LABEL)
    lines.append("Elke tabel van het document staat op een eigen blad, in dezelfde volgorde en "
                 "met dezelfde nummers. De getallen zijn niet afgerond; de celopmaak toont ze "
                 "zoals het document. Het blad 'codeboek' legt elke kolom en eenheid uit.")
    if any(SUPPRESSED in values for columns, _, _ in sheets for values in columns.values()):
        lines.append(SUPPRESSED_NOTE)
    lines += ["", *zip(names, (shown.caption for shown in tables), strict=True),
              ("codeboek", "Betekenis en eenheid van elke kolom")]
    fill_notes(contents, lines, title=title, demo=demo, links=[*names, "codeboek"])
    codebook: dict[str, list] = {"blad": [], "kolom": [], "eenheid": [], "betekenis": []}
    for name, shown, (columns, formats, notes) in zip(names, tables, sheets, strict=True):
        fill_table(book.create_sheet(name), columns, formats, title=shown.caption, demo=demo)
        for kolom, eenheid, betekenis in notes:
            for key, value in zip(codebook, (name, kolom, eenheid, betekenis), strict=True):
                codebook[key].append(value)
    fill_table(book.create_sheet("codeboek"), codebook, dict.fromkeys(codebook, TEXT),
               title=f"Codeboek — {title}", demo=demo)
    return write_file(target, book.save)
