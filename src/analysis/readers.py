"""Read CSV and XLSX exports as office tools write them into a table of untyped cells.

The reader only finds the header and the rows; typing and checking is `validate`'s job. Every
row keeps the number the user sees in an editor (CSV line, Excel row) for error messages.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.contracts import Contract
from analysis.issues import InputError, Issue

HEADER_SEARCH_ROWS = 30
CHUNK_ROWS = 50_000  # rows per chunk when collecting CSV rows into columns
DELIMITERS = (";", ",", "\t")
UNSUPPORTED_DELIMITERS = ("|", ":", " ")
DELIMITER_NAMES = {";": "puntkomma", ",": "komma", "\t": "tab", "|": "verticale streep",
                   ":": "dubbele punt", " ": "spatie"}


@dataclass(frozen=True)
class RawTable:
    """Untyped cells of one table, with the file facts that go into the manifest."""

    path: Path
    sheet: str | None
    header_row: int
    headers: tuple[str, ...]  # as written in the file
    cells: pd.DataFrame  # object dtype, one column per header position
    row_numbers: tuple[int, ...]  # per row of `cells`: CSV line or Excel row
    decimal: str  # decimal separator for numbers written as text
    encoding: str | None
    delimiter: str | None
    size: int
    sha256: str
    issues: tuple[Issue, ...] = ()  # rows that could not be read, reported with the rest

    @property
    def name(self) -> str:
        return self.path.name


def normalise_header(text: object) -> str:
    """'Datum verhuring ' → 'datum_verhuring'; accents, case and punctuation ignored."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^0-9a-z]+", "_", plain).strip("_")


def known_headers(contract: Contract) -> dict[str, str]:
    """Normalised header or alias → canonical column name."""
    names: dict[str, str] = {}
    for column in contract.columns:
        for name in (column.name, *column.aliases):
            names[normalise_header(name)] = column.name
    return names


def read_table(path: Path, contract: Contract) -> RawTable:
    """Read `path` as a table for `contract`; raises InputError when it is no usable table."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Issue(str(path), f"kan bestand niet lezen ({exc.strerror})")]) from exc
    facts = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    def fail(message: str) -> InputError:
        return InputError([Issue(path.name, message)])

    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise fail("het bestand is leeg")
    if data.startswith(b"%PDF"):
        raise fail("dit is een PDF-document, geen tabel; lever een CSV- of XLSX-bestand aan")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise fail("dit is het oude Excel-formaat (.xls); sla het op als .xlsx of als CSV")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, data, contract, facts)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise fail("geen geldig XLSX-bestand (beschadigd of afgebroken)")
    return _read_csv(path, data, contract, facts)


def _decode_as(path: Path, data: bytes, encoding: str, skip: int = 0) -> str:
    """Decode with one encoding; a byte that does not fit is an issue naming its line."""
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: skip + exc.start].count(b"\n") + 1
        raise InputError([Issue(path.name, f"ongeldige tekens voor tekencodering {encoding} "
                                           "(beschadigd of afgebroken bestand?)", row=line,
                                expected="UTF-8, UTF-16 of Windows-1252")]) from exc


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_as(path, data, "utf-16"), "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_as(path, data, "utf-8", skip=3), "utf-8-sig"
    if b"\x00" in data[:4096]:
        raise InputError([Issue(path.name, "dit is een binair bestand, geen tekst of tabel; "
                                           "lever een CSV- of XLSX-bestand aan")])
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_as(path, data, "cp1252"), "cp1252"


def _header_score(row: list, known: dict[str, str]) -> int:
    return len({known[n] for n in (normalise_header(c) for c in row) if n in known})


def _minimum_score(contract: Contract) -> int:
    required = sum(1 for column in contract.columns if column.required)
    return max(2, math.ceil(required / 2))


def _find_header(rows: list[list], contract: Contract) -> tuple[int, int]:
    """Index and score of the row that looks most like the header (earliest on a tie)."""
    known = known_headers(contract)
    best = (-1, 0)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = _header_score(row, known)
        if score > best[1]:
            best = (index, score)
    return best


def _no_header_issue(path: Path, contract: Contract, first_line: str) -> Issue:
    expected = ", ".join(column.name for column in contract.columns if column.required)
    return Issue(path.name, f"geen kopregel met de verwachte kolommen gevonden in de eerste "
                            f"{HEADER_SEARCH_ROWS} regels (eerste regel: '{first_line[:80]}')",
                 expected=f"een kopregel met {expected}")


def _head_lines(text: str, count: int) -> list[str]:
    """`text.splitlines()[:count]` without splitting all of a large file: split a growing prefix
    until it holds more than `count` lines (then the first `count` are complete)."""
    size = 1 << 16
    while True:
        lines = text[:size].splitlines()
        if len(lines) > count or size >= len(text):
            return lines[:count]
        size *= 4


def _sample_rows(text: str, delimiter: str) -> list[list[str]]:
    sample = "\n".join(_head_lines(text, HEADER_SEARCH_ROWS))
    try:
        return list(csv.reader(io.StringIO(sample), delimiter=delimiter))
    except csv.Error:
        return []


def _read_csv(path: Path, data: bytes, contract: Contract, facts: dict) -> RawTable:
    text, encoding = _decode(path, data)
    minimum = _minimum_score(contract)
    candidates = []
    for delimiter in DELIMITERS:
        index, score = _find_header(_sample_rows(text, delimiter), contract)
        candidates.append((score, -index, delimiter))
    score, neg_index, delimiter = max(candidates)
    if score < minimum:
        for other in UNSUPPORTED_DELIMITERS:
            index, other_score = _find_header(_sample_rows(text, other), contract)
            if other_score >= minimum:
                raise InputError([Issue(
                    path.name,
                    f"het scheidingsteken is een {DELIMITER_NAMES[other]} ('{other}')",
                    row=index + 1, expected="puntkomma (;), komma (,) of tab als scheidingsteken",
                )])
        first_line = next((line for line in text.splitlines() if line.strip()), "")
        raise InputError([_no_header_issue(path, contract, first_line)])
    header_index = -neg_index
    return _collect_csv_rows(path, data, text, delimiter, header_index, encoding, facts)


class _Columns:
    """Accepted CSV rows, kept per column. The csv module makes a new string for every cell, and
    an export repeats a few codes millions of times: equal cells of a chunk of rows are made to
    share one string, which for two million lettings saves gigabytes."""

    def __init__(self, width: int) -> None:
        self.width = width
        self._pending: list[list[str]] = []
        self._parts: list[list[np.ndarray]] = [[] for _ in range(width)]

    def append(self, row: list[str]) -> None:
        self._pending.append(row)
        if len(self._pending) >= CHUNK_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        block = np.empty((len(self._pending), self.width), dtype=object)
        block[:] = self._pending  # rows have `width` cells each: one cell per element
        self._pending = []
        for position, parts in enumerate(self._parts):
            codes, uniques = pd.factorize(block[:, position])  # only strings: no missing codes
            parts.append(uniques.take(codes))

    def frame(self) -> pd.DataFrame:
        """The cells as an object frame with one column per header position."""
        self._flush()
        columns = {position: np.concatenate(parts) if parts else np.empty(0, dtype=object)
                   for position, parts in enumerate(self._parts)}
        return pd.DataFrame(columns, columns=range(self.width), dtype=object, copy=False)


def _collect_csv_rows(path: Path, data: bytes, text: str, delimiter: str, header_index: int,
                      encoding: str, facts: dict) -> RawTable:
    # The rows are read from the bytes, decoded again as a stream, rather than from `text`:
    # io.StringIO(text) holds four bytes per character (over 1 GB for a national export).
    # `_decode` has already checked that the whole file decodes with this encoding.
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    issues: list[Issue] = []
    headers: list[str] = []
    header_line = 0
    collected = _Columns(0)
    numbers: list[int] = []
    ends_with_newline = text.endswith(("\n", "\r"))
    last_line = None if ends_with_newline else text.count("\n") + 1
    previous_end = 0
    record = -1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            issues.append(Issue(path.name, f"regel kan niet als CSV worden gelezen ({exc}); "
                                           "het bestand is mogelijk afgebroken",
                                row=previous_end + 1))
            break
        start, previous_end = previous_end + 1, reader.line_num
        record += 1
        # any(map(...)) rather than a generator: this runs for each of millions of rows.
        if record < header_index or not any(map(str.strip, row)):
            continue
        if record == header_index:
            headers, header_line = [cell.strip() for cell in row], start
            collected = _Columns(len(headers))
            continue
        if len(row) > len(headers) and not any(map(str.strip, row[len(headers):])):
            row = row[: len(headers)]
        if len(row) != len(headers):
            at_end = reader.line_num == last_line
            if len(row) < len(headers) and at_end:
                message = (f"de laatste regel is afgebroken: {len(row)} van de {len(headers)} "
                           "velden (bestand onvolledig?)")
            else:
                message = (f"de regel heeft {len(row)} velden, de kopregel heeft er "
                           f"{len(headers)}")
            issues.append(Issue(path.name, message, row=start))
            continue
        collected.append(row)
        numbers.append(start)
    return RawTable(path=path, sheet=None, header_row=header_line, headers=tuple(headers),
                    cells=collected.frame(), row_numbers=tuple(numbers),
                    decimal="," if delimiter in (";", "\t") else ".",
                    encoding=encoding, delimiter=delimiter, issues=tuple(issues), **facts)


def _pick_sheet(workbook, contract: Contract):
    wanted = {normalise_header(name) for name in contract.sheet_names}
    for sheet in workbook.worksheets:
        if normalise_header(sheet.title) in wanted:
            return sheet
    return workbook.worksheets[0]


def _read_xlsx(path: Path, data: bytes, contract: Contract, facts: dict) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError([Issue(path.name, f"geen leesbaar XLSX-bestand, beschadigd of "
                                           f"afgebroken ({exc})")]) from exc
    try:
        sheet = _pick_sheet(workbook, contract)
        values = [list(row) for row in sheet.iter_rows(min_row=1, values_only=True)]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError([Issue(path.name, f"XLSX-bestand kan niet worden gelezen, beschadigd "
                                           f"of afgebroken ({exc})")]) from exc
    finally:
        workbook.close()
    values = [[cell.strip() if isinstance(cell, str) else cell for cell in row] for row in values]
    index, score = _find_header(values, contract)
    if score < _minimum_score(contract):
        first = next((row for row in values if any(c not in (None, "") for c in row)), [])
        raise InputError([_no_header_issue(path, contract, " | ".join(
            "" if c is None else str(c) for c in first))])
    header = ["" if cell is None else str(cell) for cell in values[index]]
    while header and header[-1] == "":
        header.pop()
    rows, numbers = [], []
    for offset, row in enumerate(values[index + 1:], start=index + 2):
        row = (row + [None] * len(header))[: len(header)]
        if all(cell is None or cell == "" for cell in row):
            continue
        rows.append(row)
        numbers.append(offset)
    cells = pd.DataFrame(rows, columns=range(len(header)), dtype=object)
    return RawTable(path=path, sheet=sheet.title, header_row=index + 1, headers=tuple(header),
                    cells=cells, row_numbers=tuple(numbers), decimal=",", encoding=None,
                    delimiter=None, **facts)
