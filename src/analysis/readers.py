"""Read CSV and XLSX exports as office tools write them into a table of untyped cells.

The reader only finds the header and the rows; typing and checking is `validate`'s job. Every
row keeps the number the user sees in an editor (CSV line, Excel row) and, in a workbook, its
sheet, for error messages.

What is read, and what is refused rather than read in part or guessed:

- Only a regular file of at most MAX_FILE_BYTES: a FIFO or a link to a device would block or
  never end. Messages name the path as given, never where a link points.
- In a workbook, every sheet with the contract's header (in its first HEADER_SEARCH_ROWS rows),
  in workbook order, as one table: exports split over sheets (one per period, or because of
  Excel's row limit) are read whole. Those sheets must have the same columns in the same order,
  or the file is refused naming them. A sheet without that header (notes, a legend) is skipped,
  with a warning when it holds anything.
- Cells that would silently read as empty are refused: a formula without a stored result and
  merged cells in the table. So is a CSV with a NUL character, named by line and column, and a
  CSV field too long for the csv module; a line too long to be a header is named with its length.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from analysis.contracts import Contract
from analysis.issues import InputError, Issue

if TYPE_CHECKING:
    import pyarrow as pa
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

HEADER_SEARCH_ROWS = 30
# The whole file is held in memory, twice while decoding; a national SVH export of two million
# lettings is about 0,3 GB, so a file over 1 GB is almost surely the wrong file.
MAX_FILE_BYTES = 1_000_000_000
LONG_LINE = 10_000  # characters; a header line, even of fifty columns, is far shorter
CHUNK_ROWS = 50_000  # rows per chunk when collecting CSV rows into columns
DELIMITERS = (";", ",", "\t")
UNSUPPORTED_DELIMITERS = ("|", ":", " ")
DELIMITER_NAMES = {";": "puntkomma", ",": "komma", "\t": "tab", "|": "verticale streep",
                   ":": "dubbele punt", " ": "spatie"}


@dataclass(frozen=True)
class RawTable:
    """Untyped cells of one table, with the file facts that go into the manifest."""

    path: Path
    sheet: str | None  # XLSX: the first sheet read, the one `header_row` is on
    header_row: int
    headers: tuple[str, ...]  # as written in the file
    cells: pd.DataFrame  # one column per header position: objects, or categories of text
    row_numbers: tuple[int, ...]  # per row of `cells`: CSV line or Excel row
    row_sheets: tuple[str | None, ...]  # per row of `cells`: its XLSX sheet, None in a CSV
    decimal: str  # decimal separator for numbers written as text
    encoding: str | None
    delimiter: str | None
    size: int
    sha256: str
    sheets: tuple[str, ...] = ()  # XLSX: every sheet read, in workbook order
    issues: tuple[Issue, ...] = ()  # rows that could not be read, sheets skipped

    @property
    def name(self) -> str:
        return self.path.name


def _count(number: int) -> str:
    """10485760 → '10.485.760', as Dutch readers write numbers."""
    return f"{number:,}".replace(",", ".")


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
    data = read_regular_file(path)
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


_NOT_REGULAR = ((stat.S_ISDIR, "een map"), (stat.S_ISFIFO, "een named pipe (FIFO)"),
                (stat.S_ISCHR, "een apparaat"), (stat.S_ISBLK, "een apparaat"),
                (stat.S_ISSOCK, "een socket"))


def _gigabytes(size: int) -> str:
    return f"{size / 1e9:.1f}".replace(".", ",").removesuffix(",0") + " GB"


def _too_large(path: Path, size: int) -> InputError:
    return InputError([Issue(path.name, f"het bestand is groter dan de grens van "
                                        f"{_gigabytes(MAX_FILE_BYTES)} voor één export "
                                        f"({_gigabytes(size)})",
                             expected="een export zoals SVH die levert (landelijk ongeveer "
                                      "0,3 GB); controleer of dit het goede bestand is")])


def read_regular_file(path: Path) -> bytes:
    """The bytes of `path`, which must be a regular file (or a link to one) of at most
    MAX_FILE_BYTES. The type is checked before opening: opening a FIFO blocks, and reading a
    device such as /dev/zero never ends."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _NOT_REGULAR if test(info.st_mode)), "iets anders")
            raise InputError([Issue(path.name, f"dit is geen gewoon bestand maar {kind}",
                                    expected="een CSV- of XLSX-bestand")])
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(path, info.st_size)
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # bounded: it may have grown since stat
    except OSError as exc:
        raise InputError([Issue(str(path), f"kan bestand niet lezen ({exc.strerror})")]) from exc
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(path, len(data))
    return data


def _decode_as(path: Path, data: bytes, encoding: str, skip: int = 0) -> str:
    """Decode with one encoding; a byte that does not fit is an issue naming its line."""
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: skip + exc.start].count(b"\n") + 1
        raise InputError([Issue(path.name, f"ongeldige tekens voor tekencodering {encoding} "
                                           "(beschadigd of afgebroken bestand?)", row=line,
                                expected="UTF-8, UTF-16 of Windows-1252")]) from exc


# Control bytes no text file holds; tab, line breaks, form feed and the DOS end-of-file mark
# (0x1a) are left out, and so is NUL: a stray NUL in a text is reported with its line.
_CONTROL_BYTES = bytes([*range(1, 9), *range(14, 26), *range(27, 32)])


def _looks_binary(sample: bytes) -> bool:
    """Control bytes, or a tenth or more NULs (UTF-16 without BOM, a zero-filled file)."""
    return (len(sample.translate(None, _CONTROL_BYTES)) < len(sample)
            or sample.count(0) * 10 >= len(sample))


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_as(path, data, "utf-16"), "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_as(path, data, "utf-8", skip=3), "utf-8-sig"
    if _looks_binary(data[:4096]):
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


def _no_header_issue(path: Path, contract: Contract, lines: list[str],
                     sheet: str | None = None) -> Issue:
    """No header among `lines`, the first rows of a file or sheet. An over-long line is named:
    it cannot be a header, and one field too long for the csv module spoils the whole search."""
    unit, units = ("rij", "rijen") if sheet else ("regel", "regels")
    message = (f"geen kopregel met de verwachte kolommen gevonden in de eerste "
               f"{HEADER_SEARCH_ROWS} {units}")
    columns = ", ".join(column.name for column in contract.columns if column.required)
    expected = f"een kopregel met {columns}"
    for number, line in enumerate(lines, start=1):
        if len(line) > LONG_LINE:
            return Issue(path.name, f"{message}: {unit} {number} is {_count(len(line))} tekens "
                                    f"lang (begint met '{line[:40]}')",
                         row=number, sheet=sheet, expected=expected)
    first = next((line for line in lines if line.strip()), "")
    return Issue(path.name, f"{message} (eerste {unit}: '{first[:80]}')", sheet=sheet,
                 expected=expected)


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
    """The first rows, up to one the csv module refuses: a data row with a field too long must
    not hide the header above it."""
    sample = "\n".join(_head_lines(text, HEADER_SEARCH_ROWS))
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(sample), delimiter=delimiter):
            rows.append(row)
    except csv.Error:
        pass
    return rows


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
        lines = _head_lines(text, HEADER_SEARCH_ROWS)
        raise InputError([_no_header_issue(path, contract, lines)])
    header_index = -neg_index
    return (_plain_csv_rows(path, data, text, delimiter, header_index, encoding, facts)
            or _collect_csv_rows(path, data, text, delimiter, header_index, encoding, facts))


def _plain_csv_rows(path: Path, data: bytes, text: str, delimiter: str, header_index: int,
                    encoding: str, facts: dict) -> RawTable | None:
    """The rows of a plain CSV through Arrow's multi-threaded reader: for a national export a
    tenth of the time of the csv module, row by row. None for anything but plain, which the csv
    module then reads, naming each line it cannot read. Plain: UTF-8 without quote characters
    or NUL, so that a record is a line, and every line after the header has the header's
    number of fields and a value in at least one (as Arrow reads them, they are the rows the
    csv module would keep, at the same lines)."""
    import pyarrow as pa
    from pyarrow import csv as arrow_csv

    if encoding not in ("utf-8", "utf-8-sig") or '"' in text or "\x00" in text:
        return None
    end = -1
    for _ in range(header_index + 1):  # records are lines: the header's line ends here
        end = data.find(b"\n", end + 1)
        if end < 0:
            return None
    header_line = header_index + 1
    first = text.split("\n", header_index + 1)[header_index].removesuffix("\r")
    headers = [cell.strip() for cell in first.split(delimiter)]
    body = pa.py_buffer(data)[end + 1:]
    lines = data.count(b"\n", end + 1) + (0 if data.endswith(b"\n") else 1)
    names = [f"kolom{i}" for i in range(len(headers))]
    try:
        table = arrow_csv.read_csv(
            pa.BufferReader(body),
            read_options=arrow_csv.ReadOptions(column_names=names),
            parse_options=arrow_csv.ParseOptions(delimiter=delimiter, quote_char=False,
                                                 newlines_in_values=False,
                                                 ignore_empty_lines=False),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.dictionary(pa.int32(), pa.string())),
                strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a short or long line, say
        return None
    if table.num_rows != lines or not lines:
        return None
    cells = pd.DataFrame({i: _categories(table.column(name)) for i, name in enumerate(names)},
                         copy=False)
    blank = np.ones(len(cells), dtype=bool)
    for position in cells:
        column = cells[position].cat
        blank &= np.asarray(column.categories.str.strip() == "")[column.codes.to_numpy()]
    if blank.any():  # the csv module skips a line of empty fields
        return None
    numbers = range(header_line + 1, header_line + 1 + len(cells))
    return RawTable(path=path, sheet=None, header_row=header_line, headers=tuple(headers),
                    cells=cells, row_numbers=tuple(numbers), row_sheets=(None,) * len(cells),
                    decimal="," if delimiter in (";", "\t") else ".", encoding=encoding,
                    delimiter=delimiter, **facts)


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


def _categories(column: pa.ChunkedArray) -> pd.Categorical:
    """A dictionary-encoded Arrow column as categories that stay Arrow text: converting each
    distinct text of an id column into a Python string took seconds."""
    import pyarrow as pa

    whole = (column.unify_dictionaries().combine_chunks() if column.num_chunks != 1
             else column.chunk(0))
    if not isinstance(whole, pa.DictionaryArray):  # no rows: no chunks
        whole = whole.dictionary_encode()
    texts = pd.Index(pd.arrays.ArrowStringArray(whole.dictionary.cast(pa.large_string())))
    # One dictionary, unified: its texts are distinct, as categories must be.
    return pd.Categorical.from_codes(whole.indices.to_numpy(zero_copy_only=False),
                                     categories=texts, validate=False)


def _csv_error_message(exc: csv.Error) -> str:
    if str(exc).startswith("field larger than field limit"):
        return (f"een veld is langer dan {_count(csv.field_size_limit())} tekens; is een "
                "aanhalingsteken niet gesloten, of is het bestand beschadigd?")
    return f"regel kan niet als CSV worden gelezen ({exc}); het bestand is mogelijk afgebroken"


def _nul_error(path: Path, text: str, line: int, row: list[str], headers: list[str]
               ) -> InputError:
    """Refuse the file at its first NUL, on `line` within `row`; `headers` is empty until the
    header has been read."""
    position = next((i for i, cell in enumerate(row) if "\x00" in cell), len(headers))
    column = headers[position] if position < len(headers) else None
    others = text.count("\x00") - 1
    more = f", en nog {_count(others)} elders in het bestand" if others else ""
    return InputError([Issue(path.name, f"NUL-teken (byte 0) in de tekst{more}; het bestand is "
                                        "beschadigd of geen tekstbestand", row=line,
                             column=column or None)])


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
    nul = text.find("\x00")  # the csv module passes NUL on into the cells
    nul_line = None if nul < 0 else text.count("\n", 0, nul) + 1
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
            issues.append(Issue(path.name, _csv_error_message(exc), row=previous_end + 1))
            break
        start, previous_end = previous_end + 1, reader.line_num
        record += 1
        if nul_line is not None and previous_end >= nul_line:
            raise _nul_error(path, text, nul_line, row, headers)
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
                    row_sheets=(None,) * len(numbers),
                    decimal="," if delimiter in (";", "\t") else ".",
                    encoding=encoding, delimiter=delimiter, issues=tuple(issues), **facts)


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"  # sheet XML namespace
_SHEET_DATA, _ROW, _CELL = f"{_MAIN}sheetData", f"{_MAIN}row", f"{_MAIN}c"
_FORMULA, _VALUE = f"{_MAIN}f", f"{_MAIN}v"
# Searched in a sheet's XML bytes, far quicker than parsing it; a tag may have a prefix.
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")
_MERGED_RANGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?\bref=\"([^\"]*)\"")
_XLSX_ERRORS = (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError)


def _read_xlsx(path: Path, data: bytes, contract: Contract, facts: dict) -> RawTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _XLSX_ERRORS as exc:
        raise InputError([Issue(path.name, f"geen leesbaar XLSX-bestand, beschadigd of "
                                           f"afgebroken ({exc})")]) from exc
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _read_workbook(path, workbook, archive, contract, facts)
    except _XLSX_ERRORS as exc:
        raise InputError([Issue(path.name, f"XLSX-bestand kan niet worden gelezen, beschadigd "
                                           f"of afgebroken ({exc})")]) from exc
    finally:
        workbook.close()


def _stripped(rows) -> list[list]:
    return [[cell.strip() if isinstance(cell, str) else cell for cell in row] for row in rows]


def _as_line(row: list) -> str:
    return " | ".join("" if cell is None else str(cell) for cell in row)


@dataclass(frozen=True)
class _Part:
    """A sheet with the contract's header, which is on `header_row` and reads `header`."""

    sheet: ReadOnlyWorksheet
    header_row: int
    header: tuple[str, ...]

    @property
    def title(self) -> str:
        return self.sheet.title


def _header_cells(row: list) -> tuple[str, ...]:
    header = ["" if cell is None else str(cell) for cell in row]
    while header and header[-1] == "":
        header.pop()
    return tuple(header)


def _read_workbook(path: Path, workbook: Workbook, archive: zipfile.ZipFile,
                   contract: Contract, facts: dict) -> RawTable:
    """Every sheet with the contract's header as one table; see the module docstring."""
    parts: list[_Part] = []
    unread: dict[str, list[list]] = {}  # sheet → first rows, of sheets that hold something
    for sheet in workbook.worksheets:
        sheet.reset_dimensions()  # the stored size may be wrong, and openpyxl stops there
        head = _stripped(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True))
        index, score = _find_header(head, contract)
        if score >= _minimum_score(contract):
            parts.append(_Part(sheet, index + 1, _header_cells(head[index])))
        elif any(cell not in (None, "") for row in head for cell in row):
            unread[sheet.title] = head
    if not parts:
        raise InputError([_no_header_issue(path, contract, [_as_line(row) for row in first],
                                           sheet=title) for title, first in unread.items()]
                         or [Issue(path.name, "het werkboek bevat geen gegevens")])
    skipped = [Issue(path.name, "blad zonder kopregel met de verwachte kolommen; wordt niet "
                                "gelezen", sheet=title, severity="waarschuwing")
               for title in unread]
    problems = _header_mismatches(path, parts, contract)
    for part in parts:
        problems += _untrusted_cells(path, archive, part)
    if problems:
        raise InputError(problems + skipped)
    rows: list[list] = []
    numbers: list[int] = []
    sheets: list[str] = []
    for part in parts:
        first = part.header_row + 1
        cells = part.sheet.iter_rows(min_row=first, max_col=len(part.header), values_only=True)
        for number, row in enumerate(_stripped(cells), start=first):
            if any(cell is not None and cell != "" for cell in row):
                rows.append(row)
                numbers.append(number)
                sheets.append(part.title)
    table = parts[0]
    return RawTable(path=path, sheet=table.title, header_row=table.header_row,
                    headers=table.header,
                    cells=pd.DataFrame(rows, columns=range(len(table.header)), dtype=object),
                    row_numbers=tuple(numbers), row_sheets=tuple(sheets), decimal=",",
                    encoding=None, delimiter=None, sheets=tuple(p.title for p in parts),
                    issues=tuple(skipped), **facts)


def _header_mismatches(path: Path, parts: list[_Part], contract: Contract) -> list[Issue]:
    """Sheets read as one table must have the first one's columns in its order (spelling and
    aliases aside): rows are matched to columns by position."""
    known = known_headers(contract)

    def columns(part: _Part) -> tuple[str, ...]:
        return tuple(known.get(name, name) for name in map(normalise_header, part.header))

    first = parts[0]
    expected = columns(first)
    issues = []
    for part in parts[1:]:
        found = columns(part)
        if found == expected:
            continue
        missing = [h for h, c in zip(first.header, expected, strict=True) if c not in found]
        extra = [h for h, c in zip(part.header, found, strict=True) if c not in expected]
        difference = " en ".join([*(["mist " + ", ".join(missing)] if missing else []),
                                  *(["heeft ook " + ", ".join(extra)] if extra else [])])
        issues.append(Issue(path.name, f"andere kolommen dan blad '{first.title}' "
                                       f"({difference or 'andere volgorde'}); bladen met "
                                       "gegevens worden als één tabel gelezen",
                            row=part.header_row, sheet=part.title,
                            expected=f"dezelfde kolommen in dezelfde volgorde als blad "
                                     f"'{first.title}', of de gegevens op één blad"))
    return issues


def _no_result(cell: ElementTree.Element) -> bool:
    """Whether a formula cell lacks a stored result. An empty one is a result only for a text
    formula (t="str"), which may give ''; openpyxl writes an empty one for every formula."""
    value = cell.find(_VALUE)
    return value is None or (not value.text and cell.get("t") != "str")


def _sheet_marks(source: IO[bytes]) -> tuple[bool, list[str]]:
    """Whether a sheet's XML holds a formula, and its merged ranges, from the bytes alone."""
    formulas, merged, tail = False, {}, b""
    while chunk := source.read(1 << 20):
        window = tail + chunk  # a tag cut at the end of the last chunk is whole again here
        formulas = formulas or _FORMULA_TAG.search(window) is not None
        if b"mergeCell" in window:  # at the end of the sheet, if anywhere
            merged.update(dict.fromkeys(_MERGED_RANGE.findall(window)))
        tail = window[-256:]
    return formulas, [reference.decode() for reference in merged]


def _formulas_without_result(source: IO[bytes]) -> list[tuple[int, int]]:
    """(row, column) of every formula cell without a stored result in a sheet's XML."""
    from openpyxl.utils.cell import coordinate_to_tuple

    found: list[tuple[int, int]] = []
    row = column = 0
    data = None
    for event, element in ElementTree.iterparse(source, events=("start", "end")):
        if event == "start":
            if element.tag == _ROW:  # the reference attributes are optional
                row, column = int(element.get("r") or row + 1), 0
            elif element.tag == _SHEET_DATA:
                data = element
        elif element.tag == _CELL:
            reference = element.get("r")
            row, column = coordinate_to_tuple(reference) if reference else (row, column + 1)
            if element.find(_FORMULA) is not None and _no_result(element):
                found.append((row, column))
        elif element.tag == _ROW and data is not None:
            data.clear()  # done with the row; keeps memory flat on a million rows
    return found


def _untrusted_cells(path: Path, archive: zipfile.ZipFile, part: _Part) -> list[Issue]:
    """Formulas without a stored result and merged cells in the table (header row and below,
    within the header's columns): they would read as empty, so the file is refused."""
    from openpyxl.utils.cell import get_column_letter, range_boundaries

    # openpyxl's read-only sheets show neither (both read as empty cells), and keep their place
    # in the archive private.
    member = part.sheet._worksheet_path
    with archive.open(member) as source:
        has_formulas, merged = _sheet_marks(source)
    formulas: list[tuple[int, int]] = []
    if has_formulas:
        with archive.open(member) as source:
            formulas = _formulas_without_result(source)
    width = len(part.header)

    def issue(row: int, column: int, message: str, expected: str | None = None) -> Issue:
        return Issue(path.name, message, row=row, column=part.header[column - 1] or None,
                     sheet=part.title, expected=expected)

    issues = []
    for reference in merged:
        first_column, first_row, _, last_row = range_boundaries(reference)
        if last_row >= part.header_row and first_column <= width:
            issues.append(issue(max(first_row, part.header_row), first_column,
                                f"samengevoegde cellen {reference}: alleen de eerste cel heeft "
                                "een waarde, de andere lezen als leeg",
                                "geen samengevoegde cellen in de tabel; maak de samenvoeging "
                                "ongedaan en vul elke cel"))
    rows_per_column: dict[int, list[int]] = {}
    for row, column in formulas:
        if row >= part.header_row and column <= width:
            rows_per_column.setdefault(column, []).append(row)
    for column, rows in sorted(rows_per_column.items()):
        more = f" (en in nog {_count(len(rows) - 1)} cellen van deze kolom)" if rows[1:] else ""
        issues.append(issue(rows[0], column, f"formule zonder berekende waarde in cel "
                                             f"{get_column_letter(column)}{rows[0]}{more}; "
                                             "open en sla het bestand op in Excel"))
    return issues
