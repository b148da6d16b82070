"""Dutch number formatting and Pandoc pipe tables for the reports.

Numbers are formatted with babel's nl_NL data, so no system locale is needed: 1.234 and 12,3%.
Rounding is half away from zero on the decimal value as written (12,25 → 12,3; 1,005 → 1,01),
or on the exact value of a Fraction, as readers of Dutch statistics expect and as the charts do
(d3-format), not babel's default banker's rounding. Percentages are stored on a 0–100 scale in
the indicator table.

Cell markers:
- `MISSING` ("–", en dash): no value (NaN, None), e.g. a ratio with an empty denominator.
- `SUPPRESSED` ("x"): withheld to protect small counts (statistical disclosure control), as CBS
  marks confidential cells; set through the `suppressed` mask of `markdown_table`. In the
  published figures (`ReportData`) a hidden value is empty (NaN), so a table, chart or map of
  published figures shows every NaN as `SUPPRESSED`, explained by `SUPPRESSED_NOTE`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Literal

import pandas as pd
from babel.numbers import format_decimal

LOCALE = "nl_NL"
MISSING = "–"
SUPPRESSED = "x"
SUPPRESSED_LABEL = "niet gepubliceerd (kleine aantallen)"  # hover text, legend entry
SUPPRESSED_NOTE = "x: niet gepubliceerd om kleine aantallen huishoudens te beschermen."
MINUS = "\u2212"

# Decimals per indicator unit (eenheid in catalogus.yml); charts use the same table.
DECIMALS: dict[str, int] = {
    "procent": 1,
    "verhuringen": 0,
    "huishoudens": 0,
    "woningen": 0,
    "wijken": 0,
    "per 1.000 huishoudens": 1,
    "per 100 sociale huurwoningen": 1,
    "index": 2,
    "maanden": 0,
    "reacties": 0,
    "personen": 0,
}

Formatter = Callable[[object], str]
Align = Literal["left", "right", "center"]


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and math.isnan(value))


def _rounded(value: object, decimals: int) -> Decimal:
    """`value` rounded half away from zero, without a negative zero ("-0,0").

    A Fraction is rounded exactly (1/3 has no decimal "as written" to start from).
    """
    if isinstance(value, Fraction):
        units = math.floor(abs(value) * 10**decimals + Fraction(1, 2))
        return Decimal(units if value >= 0 else -units).scaleb(-decimals)
    number = Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"geen eindig getal: {value!r}")
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded + 0  # Decimal('-0.0') + 0 == Decimal('0.0')


def fmt_decimal(value: object, decimals: int = 1) -> str:
    """12.345 → '12,3'; thousands grouped with a dot; NaN → '–'."""
    if _is_missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _minus(format_decimal(_rounded(value, decimals), format=pattern, locale=LOCALE))


def _minus(text: str) -> str:
    """One minus sign everywhere: U+2212, as typeset Dutch statistics and the charts write it."""
    return MINUS + text[1:] if text.startswith("-") else text


def fmt_number(value: object, max_decimals: int = 2) -> str:
    """At most `max_decimals` decimals, trailing zeros dropped: 45 → '45', 2.50 → '2,5',
    Fraction(25, 3) → '8,33'; NaN → '–'. For worked calculations (the verdeelmodel's trace),
    where most figures are whole and a fixed number of decimals would only add noise."""
    if _is_missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "#" * max_decimals if max_decimals else "")
    return _minus(format_decimal(_rounded(value, max_decimals), format=pattern, locale=LOCALE))


def fmt_int(value: object) -> str:
    """1234 → '1.234'; NaN → '–'."""
    return fmt_decimal(value, decimals=0)


def fmt_percent(value: object, decimals: int = 1) -> str:
    """A percentage on the 0–100 scale: 12.34 → '12,3%' (nl_NL writes no space before %)."""
    if _is_missing(value):
        return MISSING
    return fmt_decimal(value, decimals) + "%"


def decimals_for(eenheid: str) -> int:
    """Decimals shown for an indicator unit; an unknown unit fails loudly."""
    if eenheid not in DECIMALS:
        raise ValueError(f"onbekende eenheid {eenheid!r}; bekend: {', '.join(DECIMALS)}")
    return DECIMALS[eenheid]


def fmt_value(value: object, eenheid: str) -> str:
    """Format by indicator unit: 'procent' → 12,3%, counts → 1.234, rates → 12,3, index → 1,05."""
    if eenheid == "procent":
        return fmt_percent(value, decimals_for(eenheid))
    return fmt_decimal(value, decimals_for(eenheid))


def _formatter(spec: Formatter | str) -> Formatter:
    if isinstance(spec, str):
        decimals_for(spec)  # an unknown eenheid fails before any cell is formatted
        return lambda value: fmt_value(value, spec)
    return spec


def _default_formatter(column: pd.Series) -> Formatter | None:
    """Integers as counts, other numbers with one decimal; text as is (None)."""
    if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
        return None
    return fmt_int if pd.api.types.is_integer_dtype(column) else fmt_decimal


# Characters Pandoc Markdown reads as markup (emphasis, code, links, raw HTML and TeX, math,
# citations, sub- and superscript, entities, a table's cell border); escaped they print as is.
_MARKUP = re.compile(r"([\\`*_{}\[\]<>#$@^~|&])")
# At the start of a block (a bullet "- {name}") a name could open a list: 1. a) (i) - + or a
# definition (:); its last character is escaped.
_BLOCK_START = re.compile(r"^(\(?(?:\d+|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)]|[-+:])(?=\s|$)")


def listing(items: list[str], last: str = "en") -> str:
    """'a', 'a en b', 'a, b en c' (or 'of' as `last`): items as written, in a Dutch sentence."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def md_text(text: str) -> str:
    """Text from settings or data (a region, gemeente or file name) as Pandoc Markdown that
    prints it as written in every format; the Typst and HTML writers escape it from there.
    Ordinary names come back unchanged (’s-Gravenhage, Leidschendam-Voorburg)."""
    text = _MARKUP.sub(r"\\\1", " ".join(text.splitlines()))  # a line break could end a block
    return _BLOCK_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], text)


def markdown_table(
    df: pd.DataFrame,
    formats: Mapping[str, Formatter | str] | None = None,
    *,
    align: Mapping[str, Align] | None = None,
    caption: str | None = None,
    suppressed: pd.DataFrame | None = None,
) -> str:
    """`df` as a Pandoc pipe table; the index is not shown (reset it to show it).

    formats: column → a formatter (value → str) or an indicator eenheid ('procent', …). Columns
        without one: integers as counts, other numbers with one decimal, the rest as text.
    align: column → 'left' | 'right' | 'center'; by default numbers right, text left.
    caption: written as ': caption' after the table, which Pandoc makes the table caption.
    suppressed: boolean frame (same index, any subset of the columns); True cells print
        `SUPPRESSED` instead of their value.
    """
    formats = formats or {}
    align = align or {}
    unknown = sorted((set(formats) | set(align)) - set(df.columns))
    if unknown:
        raise KeyError(f"kolommen niet in de tabel: {unknown}")
    header = [md_text(str(name)) for name in df.columns]
    columns, aligns = [], []
    for name in df.columns:
        formatter = (_formatter(formats[name]) if name in formats
                     else _default_formatter(df[name]))
        cells = [MISSING if _is_missing(v) else str(v) for v in df[name]] if formatter is None \
            else [formatter(v) for v in df[name]]
        if suppressed is not None and name in suppressed:
            hidden = suppressed[name].reindex(df.index, fill_value=False).to_numpy(dtype=bool)
            cells = [SUPPRESSED if hide else cell for cell, hide in zip(cells, hidden, strict=True)]
        columns.append([md_text(c) for c in cells])
        aligns.append(align.get(name, "left" if formatter is None else "right"))
    widths = [max(3, len(h), *(len(c) for c in col)) for h, col in zip(header, columns,
                                                                       strict=True)]
    lines = [_row(header, widths, aligns), _rule(widths, aligns)]
    lines += [_row(list(cells), widths, aligns) for cells in zip(*columns, strict=True)]
    if caption:
        lines += ["", f": {md_text(caption)}"]
    return "\n".join(lines) + "\n"


def _row(cells: list[str], widths: list[int], aligns: list[Align]) -> str:
    pad = {"left": str.ljust, "right": str.rjust, "center": str.center}
    padded = [pad[a](cell, width) for cell, width, a in zip(cells, widths, aligns, strict=True)]
    return "| " + " | ".join(padded) + " |"


def _rule(widths: list[int], aligns: list[Align]) -> str:
    # As wide as the padded cells: Pandoc takes relative column widths from the dash counts
    # when a table is wider than the text.
    rules = {"left": ":{}-", "right": "-{}:", "center": ":{}:"}
    return "|" + "|".join(rules[a].format("-" * width)
                          for width, a in zip(widths, aligns, strict=True)) + "|"
