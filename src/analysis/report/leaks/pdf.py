"""PDFs through `pdftotext`: the text of every page, and the tables in its layout."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from analysis.config import DisclosureSettings
from analysis.report.leaks.finding import Finding, LeakCheckError, short
from analysis.report.leaks.tables import NUMBER_TEXT, Table, table_findings
from analysis.report.leaks.text import text_findings


def pdftotext(path: Path, *options: str) -> list[str]:
    """The text of every page."""
    if shutil.which("pdftotext") is None:
        raise LeakCheckError("pdftotext ontbreekt: installeer poppler-utils om PDF's te "
                             "controleren")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", *options, str(path), "-"],
                          capture_output=True, check=False)
    if done.returncode:
        raise LeakCheckError(f"{path}: PDF niet te lezen: "
                             f"{done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout.decode("utf-8").split("\f")


_CAPTION_LINE = re.compile(r"\s*Tabel\s+\d+\s*[—–:.-]\s*(?P<caption>.+)")
_FIGURE_LINE = re.compile(r"\s*Figuur\s+\d+\s*[—–:.-]")
_RUN = re.compile(r"\S+(?: \S+)*")  # cells in a layout line are two or more spaces apart
_WORD = re.compile(r"\S+")

Span = tuple[int, int]


def _spans(runs: Iterable[Span]) -> list[list[int]]:
    """Columns as [start, end]: runs that overlap across lines are one column."""
    columns: list[list[int]] = []
    for start, end in runs:
        column = next((c for c in columns if max(c[0], start) < min(c[1], end)), None)
        if column is None:
            columns.append([start, end])
        else:
            column[0], column[1] = min(column[0], start), max(column[1], end)
    return sorted(columns)


def _column_of(columns: list[list[int]], start: int, end: int) -> int:
    """The column a piece of text stands in: the most overlap, else the nearest."""
    return min(range(len(columns)), key=lambda c: (
        -(min(columns[c][1], end) - max(columns[c][0], start)),
        min(abs(columns[c][0] - end), abs(start - columns[c][1]))))


def layout_tables(page: str) -> list[tuple[str, list[str], list[list[object]], list[int]]]:
    """(caption, header, rows, line number of each row) of every table on a page of
    `pdftotext -layout` output: the lines after a caption 'Tabel n — …'. The rows (lines with
    a number after their first cell) set the columns; header words join the column they stand
    in."""
    lines = page.split("\n")
    tables = []
    for start, line in enumerate(lines):
        caption = _CAPTION_LINE.fullmatch(line)
        if not caption:
            continue
        body: list[tuple[int, str]] = []
        blank = 0
        for number in range(start + 1, len(lines)):
            text = lines[number]
            if _CAPTION_LINE.fullmatch(text) or _FIGURE_LINE.match(text):
                break
            blank = blank + 1 if not text.strip() else 0
            if blank >= 2:
                break
            if text.strip():
                body.append((number, text))
        runs = [list(_RUN.finditer(text)) for _, text in body]
        data = [i for i, found in enumerate(runs)
                if len(found) > 1 and any(NUMBER_TEXT.fullmatch(r.group()) for r in found[1:])]
        if not data:
            continue
        columns = _spans(r.span() for i in data for r in runs[i])
        header = [""] * len(columns)
        for _, text in body[:data[0]]:
            for word in _WORD.finditer(text):
                column = _column_of(columns, *word.span())
                header[column] = f"{header[column]} {word.group()}".strip()
        rows = []
        for i in data:
            row: list[object] = [None] * len(columns)
            for run in runs[i]:
                column = _column_of(columns, *run.span())
                row[column] = run.group() if row[column] is None else f"{row[column]} {run.group()}"
            rows.append(row)
        tables.append((caption["caption"], header, rows, [body[i][0] + 1 for i in data]))
    return tables


def pdf_findings(name: str, raw: list[str], layout: list[str], rule: DisclosureSettings
                 ) -> list[Finding]:
    findings = []
    for page, text in enumerate(raw, start=1):
        findings += [Finding(name, f"pagina {page}", m) for m in text_findings(text, rule)]
    for page, text in enumerate(layout, start=1):
        for caption, header, rows, numbers in layout_tables(text):
            table = Table(caption=caption, header=header, rows=rows,
                          where=lambda r, c, p=page, n=numbers, cap=caption:
                          f"pagina {p}, tabel '{short(cap)}', regel {n[r]}")
            findings += [Finding(name, place, m) for place, m in table_findings(table, rule)]
    return findings
