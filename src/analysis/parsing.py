"""Turn untyped cells (text from CSV, numbers and dates from XLSX) into typed values.

Each parser maps one cell to a value, or to `INVALID` with the cell left for the error message.
Parsers work per distinct value, so large files with repeated values stay fast. Numbers are read
with one decimal mark per column of a file (`decimal_mark`), decided from all its values.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from analysis import codes

INVALID = object()

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d",
                 "%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S")
_MINUS = ("-", "−", "–")
# C0 and C1 control characters, DEL included: never part of a code, name or number, and they
# break the files and documents the monitor writes (a NUL ends a C string, a line break a row).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and value.strip() == ""


def control_character(value: object) -> str | None:
    """The first control character inside a text cell as 'U+0000', or None. Surrounding white
    space (a trailing line break) is stripped from every cell anyway."""
    found = _CONTROL.search(value.strip()) if isinstance(value, str) else None
    return None if found is None else f"U+{ord(found.group()):04X}"


def visible(text: str) -> str:
    """`text` with each control character written as <U+0000>, fit for a message."""
    return _CONTROL.sub(lambda found: f"<U+{ord(found.group()):04X}>", text)


def _number_text(value: object) -> tuple[bool, str] | None:
    """Sign and digits-with-marks of a number written as text ('€ -1.234,5' → (True,
    '1.234,5')); None when it is no number."""
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace("€", "")
    negative = text.startswith(_MINUS)
    if negative:
        text = text[1:]
    return (negative, text) if re.fullmatch(r"\d[\d.,]*", text) else None


def _read_number(text: str, decimal: str) -> float | None:
    """`text` (digits and marks) read with `decimal` as decimal mark and the other mark as
    thousands separator, or None when it does not fit: '1.234,5' → 1234.5 with ','."""
    thousands = "." if decimal == "," else ","
    whole, _, fraction = text.partition(decimal)
    grouped = r"[1-9]\d{0,2}(" + re.escape(thousands) + r"\d{3})+"
    if thousands in whole and not re.fullmatch(grouped, whole):
        return None
    if thousands in fraction or decimal in fraction:
        return None
    return float(whole.replace(thousands, "") + ("." + fraction if fraction else ""))


def parse_decimal(value: object, decimal: str) -> float | object:
    """A number with `decimal` as decimal mark and the other mark for thousands: '1.234,5'
    (decimal ',') or '1,234.5' (decimal '.') → 1234.5. The mark is decided per column of a file
    by `decimal_mark`, never per cell."""
    if isinstance(value, bool):
        return INVALID
    if isinstance(value, int | float):
        return float(value)
    parts = _number_text(value)
    if parts is None:
        return INVALID
    negative, text = parts
    number = _read_number(text, decimal)
    if number is None:
        return INVALID
    return -number if negative else number


@dataclass(frozen=True)
class MixedMarks:
    """Why no decimal mark fits a column, shown by two of its cells. `both_decimal`: `value` can
    only be read with a decimal comma and `other` only with a decimal point. Otherwise `value` is
    a cell like '1.000' (a thousand, or one) and `other` a cell that keeps that in doubt."""

    value: str
    other: str
    both_decimal: bool


def decimal_mark(values: Iterable[object], default: str) -> str | MixedMarks:
    """The decimal mark of one column of one file, from all its (distinct) values.

    A cell such as '612,45', '1.234.567' or '1.234,5' can only be read with one mark. A cell with
    one mark followed by exactly three digits ('1.000') reads either way; it is taken as a
    thousands separator, as exports write counts, so that mark cannot be the decimal mark. When
    no mark fits every cell, the column is refused: guessing per cell would read '1.000' as 1 in
    one row and 1000 in the next. `default` (the file's convention) only applies when no cell
    has a mark at all."""
    proven: dict[str, str] = {}  # decimal mark → a cell readable with that mark only
    doubtful: dict[str, str] = {}  # mark → a cell like '1.000' that reads either way
    for value in values:
        parts = _number_text(value) if isinstance(value, str) else None
        if parts is None or not re.search("[.,]", parts[1]):
            continue
        readable = [mark for mark in ".," if _read_number(parts[1], mark) is not None]
        if len(readable) == 1:
            proven.setdefault(readable[0], value)
        elif readable:
            doubtful.setdefault("." if "." in parts[1] else ",", value)
    if len(proven) == 2:
        return MixedMarks(proven[","], proven["."], both_decimal=True)
    if proven:
        mark, shown = next(iter(proven.items()))
        return MixedMarks(doubtful[mark], shown, both_decimal=False) if mark in doubtful else mark
    if len(doubtful) == 2:
        return MixedMarks(doubtful["."], doubtful[","], both_decimal=False)
    if doubtful:
        return "," if "." in doubtful else "."
    return default


def parse_integer(value: object, decimal: str) -> int | object:
    number = parse_decimal(value, decimal)
    if number is INVALID or not float(number).is_integer():
        return INVALID
    return int(number)


def parse_year(value: object, decimal: str) -> int | object:
    year = parse_integer(value, decimal)
    if year is INVALID or not 1000 <= year <= 9999:
        return INVALID
    return year


def parse_date(value: object, decimal: str) -> pd.Timestamp | object:
    if isinstance(value, dt.datetime | dt.date):
        return pd.Timestamp(value).normalize()
    if not isinstance(value, str):
        return INVALID
    text = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return pd.Timestamp(dt.datetime.strptime(text, fmt)).normalize()
        except ValueError:
            continue
    return INVALID


def parse_text(value: object, decimal: str) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@cache
def _code_lookup(codelist: str) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for row in codes.load(codelist):
        lookup[codes.name_key(row["naam"])] = row["code"]
    for row in codes.load(codelist):
        lookup[codes.name_key(row["code"])] = row["code"]
    return lookup


def code_parser(codelist: str) -> Callable[[object, str], object]:
    """Accepts a code or its Dutch label in any case; unknown values pass through unchanged so the
    schema check can report them as written."""
    lookup = _code_lookup(codelist)

    def parse(value: object, decimal: str) -> object:
        text = parse_text(value, decimal)
        return lookup.get(codes.name_key(text), text)

    return parse


def parse_gemeente(value: object, decimal: str) -> object:
    text = parse_text(value, decimal)
    return codes.gemeente_lookup().get(codes.name_key(text), text)


def parse_herkomst(value: object, decimal: str) -> object:
    """A gemeente, also one dissolved since 2015 (its own code: validation maps it to its
    successor and keeps it), or a special origin."""
    text = parse_text(value, decimal)
    key = codes.name_key(text)
    return (_code_lookup("herkomst_bijzonder").get(key) or codes.gemeente_lookup().get(key)
            or _code_lookup("gemeente_herindelingen").get(key) or text)


def parse_wijk(value: object, decimal: str) -> object:
    text = parse_text(value, decimal).upper().replace(" ", "")
    if re.fullmatch(r"\d{6}", text):
        text = "WK" + text
    return text


def apply_parser(cells: pd.Series, parser: Callable[[object, str], object],
                 decimal: str) -> tuple[pd.Series, pd.Series]:
    """Parse every cell; returns the parsed values (missing where blank or invalid) and a mask
    of cells that were filled but could not be parsed, or hold a control character.

    Blank test and parser run once per distinct value (equal values share the result of the
    first), and the results are spread back by position: a per-cell Python call costs seconds
    per column in a file with millions of rows. The values come in the narrowest type that
    holds them all (`_spread`): categories of text, whole numbers, numbers or dates."""
    if isinstance(cells.dtype, pd.CategoricalDtype):  # read as categories: already distinct
        if parser is parse_text and _plain_texts(cells.cat.categories):
            # Each text is its own value: an id column of millions needs no loop.
            return cells, pd.Series(False, index=cells.index)
        positions = cells.cat.codes.to_numpy()
        distinct = cells.cat.categories.to_numpy(dtype=object)
    else:
        # Missing cells (None or NaN: an empty XLSX cell) get position -1, which `take` reads
        # as the extra last slot, left blank: no value, not failing. (pandas also counts NaT
        # and pd.NA as missing; the readers produce neither.)
        positions, distinct = pd.factorize(cells.to_numpy(dtype=object))
    parsed = np.full(len(distinct) + 1, None, dtype=object)
    unreadable = np.zeros(len(distinct) + 1, dtype=bool)
    for i, raw in enumerate(distinct):
        if is_blank(raw):
            continue
        value = INVALID if control_character(raw) else parser(raw, decimal)
        if value is INVALID:
            unreadable[i] = True
        else:
            parsed[i] = value
    return _spread_parsed(parsed, unreadable, positions, cells.index)


def _re2_class(characters: Iterable[str]) -> str:
    return "[" + "".join(f"\\x{{{ord(c):x}}}" for c in characters) + "]"


@cache
def _not_plain() -> str:
    """Text `parse_text` does not leave as it is: empty, white space (as str.strip sees it) at
    either end, or a control character; as one pattern for Arrow's regular expressions (RE2).
    Made when first needed: finding the white space takes a tenth of a second."""
    white = _re2_class(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    return (f"^$|^{white}|{white}$|"
            + _re2_class(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))))


def _plain_texts(categories: pd.Index) -> bool:
    """Whether every category is text that `parse_text` returns unchanged, tested in one pass
    over them all."""
    if not pd.api.types.is_string_dtype(categories.dtype):
        return False
    texts = pd.Series(categories, dtype="string[pyarrow]")
    return not texts.str.contains(_not_plain(), regex=True).any()


def _spread_parsed(parsed: np.ndarray, unreadable: np.ndarray, positions: np.ndarray,
                   index: pd.Index) -> tuple[pd.Series, pd.Series]:
    return (pd.Series(_spread(parsed, positions), index=index),
            pd.Series(unreadable.take(positions), index=index))


def _spread(parsed: np.ndarray, positions: np.ndarray) -> np.ndarray | ExtensionArray:
    """`parsed.take(positions)` (None in the last slot of `parsed`, for a missing cell) in the
    narrowest type of the values: categories for text, Int64 for whole numbers, float64 for
    numbers, datetime64 for dates; objects for a mix, or when every value is missing."""
    filled = [i for i, value in enumerate(parsed) if value is not None]
    kinds = {type(parsed[i]) for i in filled}
    if kinds == {str}:
        codes, categories = pd.factorize(parsed[filled])
        slots = np.full(len(parsed), -1, dtype=np.int64)
        slots[filled] = codes
        return pd.Categorical.from_codes(slots.take(positions), categories=categories)
    if kinds == {int}:
        return pd.array(parsed, dtype="Int64").take(positions)
    if kinds and kinds <= {int, float}:
        return np.array([np.nan if v is None else v for v in parsed], dtype="float64"
                        ).take(positions)
    if kinds == {pd.Timestamp}:
        return pd.DatetimeIndex(list(parsed)).to_numpy().take(positions)
    return parsed.take(positions)
