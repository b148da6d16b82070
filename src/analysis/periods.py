"""Periods within a year for the periodic monitor: quarters (K1–K4) and half years (H1–H2),
their labels in the indicator table, and year to date in Dutch words.

Labels: a part of a year is '2025-K3' or '2025-H1'; year to date through a part is
'2025 t/m K3', and through the last part simply the year, '2025' (the same lettings)."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

# unit → (letter in the label, parts per year)
UNITS = {"kwartaal": ("K", 4), "halfjaar": ("H", 2)}
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
THROUGH = " t/m "
_PART = re.compile(r"(?P<jaar>\d{4})-(?P<letter>[KH])(?P<nummer>\d)")
_TO_DATE = re.compile(r"(?P<jaar>\d{4}) t/m (?P<letter>[KH])(?P<nummer>\d)")


@dataclass(frozen=True, order=True)
class Period:
    """One quarter or half year: `nummer` counts from 1 within `jaar`."""

    jaar: int
    eenheid: str  # kwartaal or halfjaar
    nummer: int

    def __post_init__(self) -> None:
        if self.eenheid not in UNITS or not 1 <= self.nummer <= UNITS[self.eenheid][1]:
            raise ValueError(f"geen {self.eenheid} {self.nummer} in een jaar")

    @property
    def letter(self) -> str:
        return UNITS[self.eenheid][0]

    @property
    def per_year(self) -> int:
        return UNITS[self.eenheid][1]

    @property
    def label(self) -> str:
        """'2025-K3': this part of the year."""
        return f"{self.jaar}-{self.letter}{self.nummer}"

    @property
    def slug(self) -> str:
        """'2025-k3', for file names."""
        return self.label.lower()

    @property
    def months(self) -> tuple[int, int]:
        """First and last month (1–12)."""
        size = 12 // self.per_year
        return (self.nummer - 1) * size + 1, self.nummer * size

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.jaar, self.months[0], 1)

    @property
    def last_day(self) -> dt.date:
        month = self.months[1]
        return dt.date(self.jaar, month, calendar.monthrange(self.jaar, month)[1])

    @property
    def closes_year(self) -> bool:
        return self.nummer == self.per_year

    @property
    def year_to_date(self) -> str:
        """The label of January up to and including this part: '2025 t/m K3', or '2025'."""
        if self.closes_year:
            return str(self.jaar)
        return f"{self.jaar}{THROUGH}{self.letter}{self.nummer}"

    @property
    def text(self) -> str:
        """Year to date in words: 'januari t/m september 2025'."""
        return f"januari t/m {MONTHS[self.months[1] - 1]} {self.jaar}"

    def in_year(self, jaar: int) -> Period:
        """The same part of another year."""
        return dataclasses.replace(self, jaar=jaar)

    def parts(self) -> list[Period]:
        """Every part of this period's year, in order."""
        return [dataclasses.replace(self, nummer=n) for n in range(1, self.per_year + 1)]


def containing(day: dt.date, eenheid: str) -> Period:
    """The quarter or half year that holds `day`."""
    return Period(day.year, eenheid, (day.month - 1) // (12 // UNITS[eenheid][1]) + 1)


def _matched(match: re.Match[str] | None) -> Period | None:
    if match is None:
        return None
    unit = next(u for u, (letter, _) in UNITS.items() if letter == match["letter"])
    try:
        return Period(int(match["jaar"]), unit, int(match["nummer"]))
    except ValueError:  # 2025-K5
        return None


def part(label: str) -> Period | None:
    """The part of a year a label such as '2025-K3' names; None for any other label."""
    return _matched(_PART.fullmatch(label))


def through(label: str) -> Period | None:
    """The last part of a year-to-date label such as '2025 t/m K3'; None for any other."""
    return _matched(_TO_DATE.fullmatch(label))


def date_text(day: dt.date) -> str:
    """'31 december 2025'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
