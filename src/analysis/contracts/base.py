"""The building blocks of a data contract: columns, cross-column rules and the contract itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

ColumnKind = Literal[
    "tekst",  # free text, stripped
    "geheel getal",  # integer count
    "decimaal getal",  # decimal number, decimal comma or point
    "datum",  # calendar date
    "jaar",  # four-digit year
    "code",  # a code from a code list
    "gemeente in regio",  # CBS gemeentecode of one of the region's gemeenten (code or name)
    "herkomst",  # any Dutch gemeente (code or name; also dissolved since 2015) or special origin
    "wijkcode",  # CBS wijkcode WKggggww
]
# In processed data a dissolved gemeente of a herkomst column is its successor; the code as
# delivered is kept next to it, in a column named after it with this suffix.
ORIGINAL_SUFFIX = "_oorspronkelijk"


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    description: str
    required: bool = True  # the column must be present in the file
    nullable: bool = False  # empty cells are allowed
    codelist: str | None = None
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    in_period: bool = False  # dates and years must lie inside the configured monitor period
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowRule:
    """A rule over several columns; `failing` returns True for rows that break it."""

    column: str
    message: str
    failing: Callable[[pd.DataFrame], pd.Series]
    expected: str | None = None  # what a valid value looks like, shown with the message


@dataclass(frozen=True)
class Contract:
    id: str
    version: str
    title: str
    description: str
    grain: str
    file_patterns: tuple[str, ...]  # lower-case glob patterns on the file name (without folder)
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    period_column: str
    rules: tuple[RowRule, ...] = ()
    complete_over: tuple[str, ...] = ()  # every region gemeente x period year must be present
    # Every region gemeente must be present in each combination of these columns that the
    # files deliver (a task per half year: all gemeenten, for whichever half years are sent).
    complete_per: tuple[str, ...] = ()
    # An optional source may be absent: nothing is written for it and the manifest says so.
    required: bool = True
    notes: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)
