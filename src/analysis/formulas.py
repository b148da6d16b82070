"""Text that a spreadsheet must show as text, never run as a formula (CSV injection, OWASP).

Excel and LibreOffice take a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage
return) for a formula, in a workbook and in a CSV file alike; a region or wijk name such as
`=HYPERLINK(…)` would become a live link. Workbooks write every text cell as a string
(`report.xlsx`), which a spreadsheet never evaluates. A CSV has no types, so its text
cells get OWASP's escape: a single quote before such a value, which the spreadsheet shows as
text. Readers of our own CSV exports (the small-count check) take it off again with `unescape`.
Numbers are no text: a negative number stays a number."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _formula_like(text: str) -> bool:
    """Starts like a formula, behind any quotes (so that `escape` can be undone exactly)."""
    return text.lstrip(QUOTE).startswith(FORMULA_START)


def escape(text: str) -> str:
    """'=1+1' → "'=1+1"; other text as it is."""
    return QUOTE + text if _formula_like(text) else text


def unescape(text: str) -> str:
    """The text before `escape`."""
    return text[1:] if text.startswith(QUOTE) and _formula_like(text) else text


def _text_column(values: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)
                or pd.api.types.is_datetime64_any_dtype(values))


def _each_text(frame: pd.DataFrame, change: Callable[[str], str]) -> pd.DataFrame:
    """`change` applied to every text cell. Looked at once per distinct text: a column of an
    export repeats a few names hundreds of thousands of times, and few need a change."""
    changed = {}
    for column in frame.columns:
        if _text_column(frame[column]):
            texts = {v: change(v) for v in pd.unique(frame[column]) if isinstance(v, str)}
            if any(new != old for old, new in texts.items()):
                changed[str(column)] = frame[column].map(lambda v, t=texts: t.get(v, v)
                                                         if isinstance(v, str) else v)
    return frame.assign(**changed)


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` as a CSV should hold it: every text cell escaped."""
    return _each_text(frame, escape)


def unescape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A CSV read back as text, with the escapes taken off."""
    return _each_text(frame, unescape)
