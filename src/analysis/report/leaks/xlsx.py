"""Workbooks (tabellenboeken and data exports), read straight from the XML: every sheet is
checked as a table, or kept as data for the data checks."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
from openpyxl.utils import column_index_from_string, get_column_letter

from analysis.config import DisclosureSettings
from analysis.report.leaks.data import DataFile
from analysis.report.leaks.finding import Finding
from analysis.report.leaks.tables import Table, table_findings
from analysis.report.leaks.values import as_text

_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATION_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# One cell as openpyxl and Excel write it; a sheet with any other cell is read by ElementTree.
_XLSX_CELL = re.compile(
    r'<c r="([A-Z]+)(\d+)"(?: s="\d+")?(?: t="(\w+)")?(?:/>|>(?:<f>[^<]*</f>)?'
    r'(?:<v>([^<]*)</v>)?(?:<is><t(?: [^>]*)?>([^<]*)</t></is>)?</c>)')

Grid = list[list[object]]


def _cell_value(kind: str, value: str, inline: str, strings: list[str]) -> object:
    if kind == "s":
        return strings[int(value)]
    if kind == "inlineStr":
        return html.unescape(inline)
    if kind in ("str", "e"):
        return html.unescape(value)
    if kind == "b":
        return value == "1"
    return float(value) if value else None


def _grid(cells: Iterable[tuple[str, str, str, str, str]], strings: list[str]) -> Grid:
    rows: dict[int, dict[int, object]] = {}
    columns: dict[str, int] = {}
    for letters, row, kind, value, inline in cells:
        if letters not in columns:
            columns[letters] = column_index_from_string(letters) - 1
        rows.setdefault(int(row) - 1, {})[columns[letters]] = _cell_value(
            kind, value, inline, strings)
    width = max(columns.values(), default=-1) + 1
    return [[rows.get(r, {}).get(c) for c in range(width)]
            for r in range(max(rows, default=-1) + 1)]


def _element_cells(sheet: bytes) -> Iterator[tuple[str, str, str, str, str]]:
    for cell in ET.fromstring(sheet).iter(f"{_SHEET_NS}c"):
        letters, row = re.fullmatch(r"([A-Z]+)(\d+)", cell.get("r", "")).groups()
        value = cell.find(f"{_SHEET_NS}v")
        inline = "".join(t.text or "" for t in cell.iter(f"{_SHEET_NS}t"))
        yield (letters, row, cell.get("t", ""), value.text or "" if value is not None else "",
               html.escape(inline, quote=False))


def read_workbook(path: Path) -> dict[str, Grid]:
    """Sheet name → rows of values (text, float, bool or None), read straight from the XML:
    openpyxl needs half a minute for the indicator export, this a second."""
    with zipfile.ZipFile(path) as book:
        names = set(book.namelist())
        strings = []
        if "xl/sharedStrings.xml" in names:
            shared = ET.fromstring(book.read("xl/sharedStrings.xml"))
            strings = ["".join(t.text or "" for t in item.iter(f"{_SHEET_NS}t"))
                       for item in shared.iter(f"{_SHEET_NS}si")]
        targets = {r.get("Id"): r.get("Target")
                   for r in ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))}
        sheets = {}
        for sheet in ET.fromstring(book.read("xl/workbook.xml")).iter(f"{_SHEET_NS}sheet"):
            target = targets[sheet.get(f"{_RELATION_NS}id")].lstrip("/")
            raw = book.read(target if target.startswith("xl/") else f"xl/{target}")
            xml = raw.decode("utf-8")
            cells = _XLSX_CELL.findall(xml)
            if len(cells) != xml.count("<c "):
                cells = list(_element_cells(raw))
            sheets[sheet.get("name")] = _grid(cells, strings)
        return sheets


def _frame(grid: Grid) -> pd.DataFrame:
    """A sheet with its header on row 1 as a frame."""
    header = [as_text(v) for v in grid[0]]
    return pd.DataFrame([row + [None] * (len(header) - len(row)) for row in grid[1:]],
                        columns=header)


def _codebook(grid: Grid) -> dict[tuple[str, str], str]:
    """(sheet, column) → unit, from a tabellenboek's sheet 'codeboek'."""
    header = [as_text(v) for v in grid[0]] if grid else []
    if not {"blad", "kolom", "eenheid"} <= set(header):
        return {}
    sheet, column, unit = (header.index(n) for n in ("blad", "kolom", "eenheid"))
    return {(as_text(row[sheet]), as_text(row[column])): as_text(row[unit]) for row in grid[1:]
            if len(row) > max(sheet, column, unit)}


def _captions(grid: Grid) -> dict[str, str]:
    """Sheet name → caption, from a tabellenboek's sheet 'Inhoud' (name, caption)."""
    return {row[0]: as_text(row[1]) for row in grid
            if len(row) > 1 and isinstance(row[0], str) and isinstance(row[1], str)}


def workbook_findings(name: str, sheets: dict[str, Grid], rule: DisclosureSettings
                      ) -> tuple[list[Finding], list[DataFile]]:
    """Table findings for every sheet of a workbook, and its data sheets for the data
    checks."""
    codebook = _codebook(sheets.get("codeboek", []))
    captions = _captions(sheets.get("Inhoud", []))
    findings, data = [], []
    for sheet, grid in sheets.items():
        if not grid or not grid[0]:
            continue
        header = [as_text(v) for v in grid[0]]

        def cell(r: int, c: int, sheet: str = sheet) -> str:
            return f"blad '{sheet}', cel {get_column_letter(c + 1)}{r + 2}"

        candidate = DataFile(name, _frame(grid),
                             lambda r, column, cell=cell, header=header:
                             cell(r, header.index(column)))
        if candidate.kind:
            data.append(candidate)
            continue
        table = Table(caption=captions.get(sheet, ""), header=header, rows=grid[1:],
                      units=[codebook.get((sheet, h)) for h in header], where=cell)
        findings += [Finding(name, place, message)
                     for place, message in table_findings(table, rule)]
    return findings, data
