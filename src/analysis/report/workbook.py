"""Excel as analysts open it: the header on row 1, frozen and filtered, columns as wide as their
content, real number formats (Excel shows them in the reader's locale: 1.234 and 12,3% in Dutch)
and the DEMO label in every sheet's page header, never above the header row.

`write_tabellenboek` puts every table a document shows on a sheet of its own, with its
unformatted values; `report.exports` writes the data exports with the same sheet writer. A hidden
value is the text `tables.SUPPRESSED` ("x"), right-aligned among the numbers of its column."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from pathlib import Path

from analysis.layout import DEMO_LABEL
from analysis.report.show import ShownTable
from analysis.report.xlsx import Sheet, Style, Workbook
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
HEADER_LIMIT = 255  # Excel's limit for a page header, codes included
BOLD = Style(bold=True)
LINE_HEIGHT = 15  # points, a line of 11-point text
TEXT_PER_UNIT = 1.1  # characters of text per unit of column width, counted low

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


def new_workbook(title: str = "") -> Workbook:
    """A workbook whose sheets are written row by row, so column settings come first."""
    return Workbook(title)


@cache
def _decimals(fmt: str) -> int:
    return len(fmt.split(".")[1].split('"')[0].rstrip("%")) if "." in fmt else 0


def _width(value: object, fmt: str | None) -> int:
    """Roughly how many characters a cell shows."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return 0
    if _is_number(value) and fmt not in (None, TEXT):
        return len(f"{value:,.{_decimals(fmt)}f}") + ("%" in fmt)
    return max(len(line) for line in str(value).splitlines() or [""])


def _height(texts: Sequence[tuple[object, float]]) -> float | None:
    """The height of a row whose cells wrap `(value, column width)`, from an estimate of the
    lines each takes; None for one line. A unit of column width is the width of a digit;
    text averages a little narrower (TEXT_PER_UNIT), and a line too many beats overlap."""
    lines = max((sum(max(1, math.ceil(len(part) / (width * TEXT_PER_UNIT)))
                     for part in value.split("\n"))
                 for value, width in texts if isinstance(value, str)), default=1)
    return LINE_HEIGHT * lines if lines > 1 else None


def page_header(sheet: Sheet, title: str, demo: bool) -> None:
    """Title (and the DEMO label) at the top of every printed page, page numbers at the foot;
    printed across, one page wide."""
    left = DEMO_LABEL if demo else ""
    room = HEADER_LIMIT - len(left) - 8  # the section codes &L &C
    title = title.replace("&", "&&")
    if len(title) > room:
        title = title[:room - 1].rstrip("&") + "…"
    sheet.page_header = (left, title)
    sheet.page_footer = "pagina &P van &N"
    sheet.landscape = sheet.fit_width = True


def fill_table(sheet: Sheet, columns: Columns, formats: Mapping[str, Format], *, title: str,
               demo: bool) -> None:
    """A table from row 1: bold header, frozen, with a filter that repeats on every printed
    page; number formats per column or per cell; widths fitted to the content, longer text
    wrapped; SUPPRESSED in a cell with a number format right-aligned, where the number would
    stand. Text is always text, never a formula or an error code ('=…', '#N/A')."""
    names = list(columns)
    rows = max((len(v) for v in columns.values()), default=0)
    per_cell: dict[str, Sequence[str | None]] = {}
    wraps: dict[str, bool] = {}
    for col, name in enumerate(names, start=1):
        fmt = formats.get(name)
        per_cell[name] = [fmt] * rows if fmt is None or isinstance(fmt, str) else fmt
        width = max([len(name) + 3,  # room for the filter button
                     *map(_width, columns[name], per_cell[name])])
        sheet.widths[col] = min(width, MAX_WIDTH) + 2
        wraps[name] = width > MAX_WIDTH
    top = any(wraps.values())  # rows as high as their wrapped text: every cell at the top
    looks: dict[tuple[str | None, bool, bool], int] = {}

    def look(fmt: str | None, hidden: bool, wrap: bool) -> int:
        if (fmt, hidden, wrap) not in looks:
            looks[fmt, hidden, wrap] = sheet.style(Style(
                number_format=fmt, wrap=wrap and not hidden, top=top,
                horizontal="right" if hidden else None))
        return looks[fmt, hidden, wrap]

    cells = [[(value, look(f, value == SUPPRESSED and f not in (None, TEXT), wraps[name]))
              for value, f in zip(columns[name], per_cell[name], strict=True)]
             for name in names]
    wrapped = [columns[name] for name in names if wraps[name]]
    sheet.frozen_header = sheet.filtered = sheet.print_header = True
    page_header(sheet, title, demo)
    bold = sheet.style(BOLD)
    sheet.append([(name, bold) for name in names])
    heights = ([_height([(value, MAX_WIDTH) for value in row])
                for row in zip(*wrapped, strict=True)] if wrapped else None)
    sheet.append_rows(zip(*cells, strict=True), heights)


def fill_notes(sheet: Sheet, lines: Sequence[str | tuple[str, str]], *, title: str,
               demo: bool, links: Collection[str] = ()) -> None:
    """A sheet of explanation: a bold title, then lines of text or (term, text) pairs; a term
    in `links` is a sheet name and links to it."""
    widths = {1: 24, 2: MAX_WIDTH + 20}
    sheet.widths.update(widths)
    page_header(sheet, title, demo)
    sheet.append([(title, sheet.style(Style(bold=True, size=14)))])
    sheet.append([])
    # Terms at the top of their row, beside the text they name
    bold, link = sheet.style(Style(bold=True, wrap=True)), sheet.style(Style(link=True, wrap=True))
    wrap = sheet.style(Style(wrap=True))
    warning = sheet.style(Style(bold=True, color="C00000", wrap=True))
    for line in lines:
        term, text = line if isinstance(line, tuple) else ("", line)
        if term in links:
            sheet.link(sheet.size[0] + 1, 1, term)
        sheet.append([(term or None, link if term in links else bold),
                      (text or None, warning if text == DEMO_LABEL else wrap)],
                     _height([(term, widths[1]), (text, widths[2])]))


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
    book = new_workbook(title)
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
