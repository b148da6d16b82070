"""The table rule: which columns, rows and tables hold counts of households, and the small whole
numbers in them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from analysis.config import DisclosureSettings

# Catalogue units that are household counts; persons housed are people in households.
COUNTED_UNITS = ("verhuringen", "huishoudens", "personen")


_COUNT_LABEL = re.compile(
    r"verhuring|huishoud|huurder|plaatsing|geplaatst|gehuisvest|eigen vraag|werkelijk|"
    r"volgens het (?:verdeel)?model|taakstelling|realisatie|ontvangen|"
    r"\baantal\b(?!\s+(?:wijken|gemeenten|jaren|woningen|plaatsen))", re.IGNORECASE)
# The statushouder task in persons is set and published by the Rijk: no households.
_OTHER_LABEL = re.compile(
    r"\bper\s+[\d.]+|\baantal\s+per\b|reacties|aandeel|%|procent|index|sleutel|gemiddeld|"
    r"mediaa?n|verschil|saldo|"
    r"capaciteit|mutaties|voorraad|\bwoningen\b|\(code\)|taakstelling \(personen\)",
    re.IGNORECASE)
_WHOLE = re.compile(r"\s*(\d+)\s*")
NUMBER_TEXT = re.compile(r"[−+-]?\d[\d.]*(?:,\d+)?%?|[x–]")


def label_kind(label: str) -> bool | None:
    """True where a label names household counts, False where it names something else
    (a rate, a difference, homes), None where it says neither (a gemeente, a year)."""
    if _OTHER_LABEL.search(label):
        return False
    return True if _COUNT_LABEL.search(label) else None


def _unit_kind(unit: str | None, header: str) -> bool | None:
    """Whether a column is a household count, by its unit in a codebook and its header."""
    if unit in COUNTED_UNITS:
        return label_kind(header) is not False
    if unit in (None, "aantal", "tekst", "getal"):
        return label_kind(header)
    return False


def _small_whole(value: object, rule: DisclosureSettings) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.integer) and float(value).is_integer():
        number = int(value)
    elif isinstance(value, str) and (match := _WHOLE.fullmatch(value)):
        number = int(match.group(1))
    else:
        return None
    return number if 1 <= number < rule.kleinste_aantal else None


@dataclass(frozen=True)
class Table:
    """A table as a reader sees it: cells are text or numbers; `units` the unit per column
    where a codebook gives one; `where` names a cell by (row, column) position."""

    caption: str
    header: list[str]
    rows: list[list[object]]
    where: Callable[[int, int], str]
    units: list[str | None] = field(default_factory=list)


def table_findings(table: Table, rule: DisclosureSettings) -> list[tuple[str, str]]:
    """(place, message) for every small whole number in a column of household counts; in a
    document's table (one with a caption) also in a neutral column (a gemeente, a year) of a
    row, or of a table, of household counts. A row is named by its first text cell."""
    kinds = [_unit_kind(table.units[c] if c < len(table.units) else None, header)
             for c, header in enumerate(table.header)]
    code_columns = {c for c, header in enumerate(table.header) if "(code)" in header}
    caption = label_kind(table.caption) if table.caption else False
    hits = []
    for r, row in enumerate(table.rows):
        first = next((v for c, v in enumerate(row) if c not in code_columns
                      and isinstance(v, str) and v.strip() and not NUMBER_TEXT.fullmatch(v)),
                     None)
        label = label_kind(first) if first and table.caption else None
        for c, value in enumerate(row):
            number = _small_whole(value, rule)
            column = kinds[c] if c < len(kinds) else None
            if number is None or not (
                    (column is True and label is not False)
                    or (column is None and (label is True or (label is None and caption)))):
                continue
            header = table.header[c] if c < len(table.header) else ""
            hits.append((table.where(r, c), f"{number} in kolom '{header}' van een tabel met "
                                            "aantallen huishoudens"))
    return hits
