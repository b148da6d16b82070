"""What the check reports: a finding named by file and place, and the error for a file that
cannot be read."""

from __future__ import annotations

from dataclasses import dataclass


class LeakCheckError(Exception):
    """A file could not be read (message in Dutch)."""


@dataclass(frozen=True)
class Finding:
    file: str  # relative to the reports folder
    place: str  # page, sheet and cell, row and column, figure and trace
    message: str

    def __str__(self) -> str:
        return f"{self.file}, {self.place}: {self.message}"


def short(text: str, length: int = 50) -> str:
    """A caption or name cut to `length` characters, to name a place by."""
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"
