"""An XLSX writer for what our workbooks need: sheets of values with styles, column widths, a
frozen and filtered header row, printed page headers and links between sheets.

openpyxl spends some 15 µs on each cell it writes (a cell object, style objects, an lxml
element); the indicator export has 730.000 cells. This writer makes each cell's XML from a
style number fixed beforehand, about 1 µs, and writes the same SpreadsheetML parts (shared
strings, styles, workbook, sheets) that Excel, LibreOffice and openpyxl read. The bytes depend
on the content only: no timestamps, so the same workbook twice is the same file."""

from __future__ import annotations

import itertools
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
FONT = ("Calibri", 11.0)
LINK_COLOR = "0563C1"  # Excel's colour for a hyperlink
# Formats Excel knows by number; any other gets a number from 164 on, as Excel does.
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                   "0.00%": 10, "@": 49}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Characters XML 1.0 cannot hold, and text that reads as such an escape: written as _xHHHH_,
# the escape Excel reads back. A carriage return is kept as a character reference, as a bare
# one would be read as a line feed.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_XML_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                              "\r": "&#13;"})


def _text(value: str) -> str:
    """`value` as XML character data (also fit for an attribute in double quotes)."""
    if _NOT_XML.search(value):
        value = _NOT_XML.sub(lambda m: (f"_x{ord(m[0]):04X}_" if len(m[0]) == 1
                                        else f"_x005F{m[0]}"), value)
    return value.translate(_XML_SPECIAL)


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Style:
    """How a cell looks: number format (None: General), font and alignment; `top` puts the
    content at the top of its cell (as in a row that another cell makes higher), `wrap` wraps
    text and puts it at the top too, `link` gives it the look of a hyperlink."""

    number_format: str | None = None
    bold: bool = False
    size: float | None = None
    color: str | None = None  # RRGGBB
    horizontal: str | None = None
    top: bool = False
    wrap: bool = False
    link: bool = False


@dataclass
class Sheet:
    """One sheet, written row by row: cells are (value, style number from `style`) or a bare
    value in the default style. A value is text, a number, a bool or None (an empty cell);
    empty text, NaN and infinity are empty too. Text is always text, never a formula."""

    name: str
    strings: dict[str, int]
    widths: dict[int, float] = field(default_factory=dict)  # column number → width
    frozen_header: bool = False
    filtered: bool = False  # a filter on the header row, over all rows written
    print_header: bool = False  # the header row repeats on every printed page
    page_header: tuple[str, str] = ("", "")  # left and centre, in Excel's header codes
    page_footer: str = ""  # right
    landscape: bool = False
    fit_width: bool = False  # printed one page wide, as many pages down as needed
    links: list[tuple[str, str, str]] = field(default_factory=list)  # cell, sheet, text
    styles: dict[Style, int] = field(default_factory=lambda: {Style(): 0})
    _rows: list[str] = field(default_factory=list)
    _width: int = 0

    def style(self, style: Style) -> int:
        """The number by which cells use `style` (one numbering for the whole workbook)."""
        return self.styles.setdefault(style, len(self.styles))

    def append(self, cells: Sequence[object], height: float | None = None) -> None:
        self.append_rows([cells], [height])

    def append_rows(self, rows: Iterable[Sequence[object]],
                    heights: Iterable[float | None] | None = None) -> None:
        """Rows after those written; `heights` in points, None for the default height.
        Spreadsheets do not all fit a row to wrapped text when they open a file, so a row
        with wrapped text should say how high it is."""
        strings, out = self.strings, self._rows
        letters = [column_letter(i) for i in range(1, self._width + 1)]
        for cells, height in zip(rows, heights or itertools.repeat(None), strict=False):
            n = len(out) + 1
            if len(cells) > len(letters):
                letters += [column_letter(i) for i in range(len(letters) + 1, len(cells) + 1)]
                self._width = len(letters)
            xml = []
            for letter, item in zip(letters, cells, strict=False):
                value, style = item if isinstance(item, tuple) else (item, 0)
                ref = f'{letter}{n}" s="{style}' if style else f"{letter}{n}"
                if isinstance(value, str) and value:
                    index = strings.get(value)
                    if index is None:
                        index = strings[value] = len(strings)
                    xml.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
                elif isinstance(value, bool):
                    xml.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
                elif isinstance(value, int):
                    xml.append(f'<c r="{ref}"><v>{value}</v></c>')
                elif isinstance(value, float):
                    xml.append(f'<c r="{ref}"><v>{value!r}</v></c>' if math.isfinite(value)
                               else f'<c r="{ref}"/>' if style else "")
                elif value is None or value == "":
                    if style:
                        xml.append(f'<c r="{ref}"/>')
                else:
                    raise TypeError(f"blad '{self.name}', cel {letter}{n}: een waarde van het "
                                    f"type {type(value).__name__} kan niet in een werkmap")
            size = f' ht="{height:g}" customHeight="1"' if height else ""
            out.append(f'<row r="{n}"{size}>{"".join(xml)}</row>')

    @property
    def size(self) -> tuple[int, int]:
        """Rows and columns written."""
        return len(self._rows), self._width

    def link(self, row: int, column: int, sheet: str) -> None:
        """The cell links to cell A1 of `sheet`, showing its name."""
        self.links.append((f"{column_letter(column)}{row}", sheet, sheet))

    def _range(self) -> str:
        rows, columns = self.size
        return f"A1:{column_letter(max(columns, 1))}{max(rows, 1)}"

    def write(self, stream: IO[bytes], selected: bool) -> None:
        def put(text: str) -> None:
            stream.write(text.encode("utf-8"))

        put(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">')
        if self.fit_width:
            put('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        put(f'<dimension ref="{self._range()}"/>')
        tab = ' tabSelected="1"' if selected else ""
        if self.frozen_header:
            put(f'<sheetViews><sheetView{tab} workbookViewId="0"><pane ySplit="1" '
                'topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection '
                'pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>')
        else:
            put(f'<sheetViews><sheetView{tab} workbookViewId="0"/></sheetViews>')
        put('<sheetFormatPr defaultRowHeight="15"/>')
        if self.widths:
            put("<cols>" + "".join(f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>'
                                   for c, w in sorted(self.widths.items())) + "</cols>")
        put("<sheetData>")
        for start in range(0, len(self._rows), 4096):
            put("".join(self._rows[start:start + 4096]))
        put("</sheetData>")
        if self.filtered:
            put(f'<autoFilter ref="{self._range()}"/>')
        if self.links:
            put("<hyperlinks>" + "".join(
                f'<hyperlink ref="{ref}" location="{_text(_quoted(sheet))}!A1" '
                f'display="{_text(text)}"/>' for ref, sheet, text in self.links)
                + "</hyperlinks>")
        put('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/>')
        put('<pageSetup paperSize="9"' + (' orientation="landscape"' if self.landscape else "")
            + (' fitToHeight="0"' if self.fit_width else "") + "/>")
        left, center = self.page_header
        header = (f"&amp;L{_text(left)}" if left else "") + (f"&amp;C{_text(center)}"
                                                             if center else "")
        footer = f"&amp;R{_text(self.page_footer)}" if self.page_footer else ""
        if header or footer:
            put("<headerFooter>" + (f"<oddHeader>{header}</oddHeader>" if header else "")
                + (f"<oddFooter>{footer}</oddFooter>" if footer else "") + "</headerFooter>")
        put("</worksheet>")


def _quoted(sheet: str) -> str:
    """A sheet name as a formula or defined name refers to it."""
    return "'" + sheet.replace("'", "''") + "'"


class Workbook:
    """Sheets in the order made, with one table of texts and of styles; `save` writes the
    file."""

    def __init__(self, title: str = "") -> None:
        self.title = title
        self.sheets: list[Sheet] = []
        self._strings: dict[str, int] = {}
        self._styles: dict[Style, int] = {Style(): 0}

    def create_sheet(self, name: str) -> Sheet:
        if not 0 < len(name) <= 31 or re.search(r"[\\/?*:\[\]]", name):
            raise ValueError(f"ongeldige bladnaam voor Excel: {name!r}")
        if name.casefold() in {s.name.casefold() for s in self.sheets}:
            raise ValueError(f"bladnaam {name!r} komt twee keer voor")
        sheet = Sheet(name, self._strings, styles=self._styles)
        self.sheets.append(sheet)
        return sheet

    def save(self, path: Path) -> None:
        if not self.sheets:
            raise ValueError("een werkmap heeft minstens één blad")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as book:
            def part(name: str, xml: str) -> None:
                book.writestr(_entry(name), '<?xml version="1.0" encoding="UTF-8" '
                                            f'standalone="yes"?>\n{xml}')

            part("[Content_Types].xml", self._content_types())
            part("_rels/.rels", _relationships([
                ("officeDocument", "xl/workbook.xml"),
                ("metadata/core-properties", "docProps/core.xml")]))
            part("docProps/core.xml", self._core())
            part("xl/workbook.xml", self._workbook())
            part("xl/_rels/workbook.xml.rels", _relationships(
                [("worksheet", f"worksheets/sheet{i}.xml")
                 for i in range(1, len(self.sheets) + 1)]
                + [("styles", "styles.xml"), ("sharedStrings", "sharedStrings.xml")]))
            part("xl/styles.xml", self._stylesheet())
            for i, sheet in enumerate(self.sheets, start=1):
                with book.open(_entry(f"xl/worksheets/sheet{i}.xml"), "w",
                               force_zip64=True) as stream:
                    sheet.write(stream, selected=i == 1)
            with book.open(_entry("xl/sharedStrings.xml"), "w", force_zip64=True) as stream:
                stream.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                             f'<sst xmlns="{MAIN}" uniqueCount="{len(self._strings)}">'
                             .encode())
                texts = list(self._strings)
                for start in range(0, len(texts), 4096):
                    stream.write("".join(_shared(t) for t in texts[start:start + 4096])
                                 .encode("utf-8"))
                stream.write(b"</sst>")

    def _content_types(self) -> str:
        overrides = [("/xl/workbook.xml", f"{_TYPE}.sheet.main+xml"),
                     ("/xl/styles.xml", f"{_TYPE}.styles+xml"),
                     ("/xl/sharedStrings.xml", f"{_TYPE}.sharedStrings+xml"),
                     ("/docProps/core.xml",
                      "application/vnd.openxmlformats-package.core-properties+xml"),
                     *((f"/xl/worksheets/sheet{i}.xml", f"{_TYPE}.worksheet+xml")
                       for i in range(1, len(self.sheets) + 1))]
        return ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
                '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
                + "</Types>")

    def _core(self) -> str:
        return ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<dc:title>{_text(self.title)}</dc:title><dc:creator>Woonzorgmonitor"
                "</dc:creator></cp:coreProperties>")

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name="{_text(s.name)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, s in enumerate(self.sheets, start=1))
        names = []
        for i, sheet in enumerate(self.sheets):
            rows, columns = sheet.size
            if sheet.filtered:
                names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" '
                             f'hidden="1">{_text(_quoted(sheet.name))}!$A$1:'
                             f"${column_letter(max(columns, 1))}${max(rows, 1)}</definedName>")
            if sheet.print_header:
                names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                             f"{_text(_quoted(sheet.name))}!$1:$1</definedName>")
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        return (f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><bookViews><workbookView '
                f'activeTab="0"/></bookViews><sheets>{sheets}</sheets>{defined}'
                '<calcPr calcId="191029"/></workbook>')

    def _stylesheet(self) -> str:
        formats: dict[str, int] = {}
        fonts: dict[tuple, int] = {(False, FONT[1], None, False): 0}
        xfs = []
        for style in self._styles:
            code = style.number_format or "General"
            number = BUILTIN_FORMATS.get(code)
            if number is None:
                number = formats.setdefault(code, 164 + len(formats))
            color = LINK_COLOR if style.link else style.color
            font = fonts.setdefault((style.bold, style.size or FONT[1], color, style.link),
                                    len(fonts))
            alignment = "".join([f' horizontal="{style.horizontal}"' if style.horizontal else "",
                                 ' vertical="top"' if style.top or style.wrap else "",
                                 ' wrapText="1"' if style.wrap else ""])
            xf = (f'<xf numFmtId="{number}" fontId="{font}" fillId="0" borderId="0" xfId="0"'
                  + (' applyNumberFormat="1"' if number else "")
                  + (' applyFont="1"' if font else ""))
            xfs.append(f'{xf} applyAlignment="1"><alignment{alignment}/></xf>' if alignment
                       else f"{xf}/>")
        number_formats = "".join(f'<numFmt numFmtId="{n}" formatCode="{_text(code)}"/>'
                                 for code, n in formats.items())
        font_xml = "".join(
            "<font>" + ("<b/>" if bold else "") + ("<u/>" if link else "")
            + f'<sz val="{size:g}"/>' + (f'<color rgb="FF{color}"/>' if color else "")
            + f'<name val="{FONT[0]}"/><family val="2"/></font>'
            for bold, size, color, link in fonts)
        return (f'<styleSheet xmlns="{MAIN}">'
                + (f'<numFmts count="{len(formats)}">{number_formats}</numFmts>' if formats
                   else "")
                + f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
                '<fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
                '<patternFill patternType="gray125"/></fill></fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
                '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
                f'borderId="0"/></cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}'
                '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
                'builtinId="0"/></cellStyles></styleSheet>')


def _shared(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<si><t{space}>{_text(text)}</t></si>"


def _relationships(targets: Sequence[tuple[str, str]]) -> str:
    def kind(name: str) -> str:
        return (f"{PACKAGE_RELATIONSHIPS}/{name}" if name.startswith("metadata/")
                else f"{RELATIONSHIPS}/{name}")

    return (f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{kind(name)}" Target="{target}"/>'
                      for i, (name, target) in enumerate(targets, start=1))
            + "</Relationships>")


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry
