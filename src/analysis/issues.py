"""Findings about input data, each pointing at file, row and column as the user sees them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["fout", "waarschuwing"]


@dataclass(frozen=True)
class Issue:
    file: str
    message: str
    row: int | None = None  # CSV line number or Excel row number, 1-based as shown by editors
    column: str | None = None  # the column header as written in the file
    value: str | None = None
    expected: str | None = None
    sheet: str | None = None  # XLSX sheet; rows are then Excel rows
    severity: Severity = "fout"

    @property
    def is_error(self) -> bool:
        return self.severity == "fout"

    def location(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"blad '{self.sheet}'")
        if self.row is not None:
            parts.append(f"{'rij' if self.sheet is not None else 'regel'} {self.row}")
        if self.column is not None:
            parts.append(f"kolom '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.value is not None:
            text += f" (waarde: '{self.value}')"
        if self.expected:
            text += f"; verwacht: {self.expected}"
        prefix = "FOUT" if self.is_error else "WAARSCHUWING"
        return f"{prefix} {text}"

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.row or 0, self.column or "", self.message)


class InputError(Exception):
    """Raised when input cannot be used at all; carries every issue found."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))
