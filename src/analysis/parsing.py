"""Turn untyped cells (text from CSV, numbers and dates from XLSX) into typed values.

Each parser maps one cell to a value, or to `INVALID` with the cell left for the error message.
Parsers work per distinct value, so large files with repeated values stay fast.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache

import numpy as np
import pandas as pd

from analysis import codes

INVALID = object()

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d",
                 "%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S")
_MINUS = ("-", "−", "–")


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and value.strip() == ""


def parse_decimal(value: object, decimal: str) -> float | object:
    """'1.234,5' (decimal ',') or '1,234.5' (decimal '.') → 1234.5; tolerant of the other style
    when the reading is unambiguous, e.g. '612.45' in a decimal-comma file."""
    if isinstance(value, bool):
        return INVALID
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace("€", "")
    negative = text.startswith(_MINUS)
    if negative:
        text = text[1:]
    if not text or not re.fullmatch(r"[\d.,]+", text) or not text[0].isdigit():
        return INVALID
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        dec = "," if text.rfind(",") > text.rfind(".") else "."
    elif has_dot or has_comma:
        sep = "." if has_dot else ","
        single_group_of_three = text.count(sep) == 1 and len(text.split(sep)[1]) == 3
        # '1.234' is a thousands mark in a decimal-comma file; '612.45' can only be a decimal.
        if text.count(sep) > 1 or (single_group_of_three and sep != decimal):
            dec = "," if sep == "." else "."
        else:
            dec = sep
    else:
        dec = decimal
    thousands = "." if dec == "," else ","
    whole, _, fraction = text.partition(dec)
    grouped = r"\d{1,3}(" + re.escape(thousands) + r"\d{3})+"
    if thousands in whole and not re.fullmatch(grouped, whole):
        return INVALID
    if thousands in fraction or dec in fraction:
        return INVALID
    number = float(whole.replace(thousands, "") + ("." + fraction if fraction else ""))
    return -number if negative else number


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
    text = parse_text(value, decimal)
    special = _code_lookup("herkomst_bijzonder").get(codes.name_key(text))
    return special or codes.gemeente_lookup().get(codes.name_key(text), text)


def parse_wijk(value: object, decimal: str) -> object:
    text = parse_text(value, decimal).upper().replace(" ", "")
    if re.fullmatch(r"\d{6}", text):
        text = "WK" + text
    return text


def apply_parser(cells: pd.Series, parser: Callable[[object, str], object],
                 decimal: str) -> tuple[pd.Series, pd.Series]:
    """Parse every cell; returns the parsed values (None where blank or invalid) and a mask of
    cells that were filled but could not be parsed.

    Blank test and parser run once per distinct value (equal values share the result of the
    first), and the results are spread back by position: a per-cell Python call costs seconds
    per column in a file with millions of rows."""
    # Missing cells (None or NaN: an empty XLSX cell) get position -1, which `take` reads as
    # the extra last slot, left blank: no value, not failing. (pandas also counts NaT and pd.NA
    # as missing; the readers produce neither.)
    positions, distinct = pd.factorize(cells.to_numpy(dtype=object))
    parsed = np.full(len(distinct) + 1, None, dtype=object)
    unreadable = np.zeros(len(distinct) + 1, dtype=bool)
    for i, raw in enumerate(distinct):
        if is_blank(raw):
            continue
        value = parser(raw, decimal)
        if value is INVALID:
            unreadable[i] = True
        else:
            parsed[i] = value
    values = pd.Series(parsed.take(positions), index=cells.index, dtype=object)
    failing = pd.Series(unreadable.take(positions), index=cells.index)
    return values, failing
