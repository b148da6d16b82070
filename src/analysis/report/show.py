"""What a notebook cell shows. Each function emits one display output that the report converter
turns into document content: Markdown text and tables as they are, figures as a Plotly
definition that becomes a static image (PDF, DOCX) or an interactive chart (HTML). A table also
carries its real values in the output's metadata (`ShownTable`), for the Excel tabellenboek."""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from IPython.display import display

from analysis.tables import SUPPRESSED, SUPPRESSED_NOTE, markdown_table

PLOTLY_MIME = "application/vnd.plotly.v1+json"
META_KEY = "woonzorg"


def text(markdown: str) -> None:
    """A paragraph (or more) of generated Markdown."""
    display({"text/markdown": markdown, "text/plain": markdown}, raw=True)


def bullets(items: Iterable[str]) -> None:
    text("\n".join(f"- {item}" for item in items))


def _plain(value: object) -> object:
    """One cell as a JSON value: numbers stay numbers (an int stays an int, so a workbook
    formats it as a count), gaps become null."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, numbers.Number):  # float, Fraction, Decimal
        number = float(value)
        return number if math.isfinite(number) else None
    return str(value)


@dataclass(frozen=True)
class ShownTable:
    """A table as a document shows it, with its values unformatted: `units` maps a column to
    its unit name from the catalogue ('procent', 'verhuringen', …), `codes` a column of names to
    the code of each row."""

    caption: str
    columns: list[str]
    rows: list[list[object]]
    units: dict[str, str] = field(default_factory=dict)
    codes: dict[str, list[str]] = field(default_factory=dict)

    def to_metadata(self) -> dict:
        # orient="split" without the index, as pandas writes it; json keeps every float's digits
        return {"caption": self.caption, "columns": self.columns, "data": self.rows,
                "units": self.units, "codes": self.codes}

    @classmethod
    def from_metadata(cls, meta: Mapping) -> ShownTable:
        return cls(caption=meta["caption"], columns=list(meta["columns"]),
                   rows=[list(row) for row in meta["data"]], units=dict(meta["units"]),
                   codes={k: list(v) for k, v in meta["codes"].items()})


def table(frame: pd.DataFrame,
          formats: Mapping[str, str | Callable[[object], str]] | None = None, *,
          caption: str, align: Mapping[str, str] | None = None,
          codes: Mapping[str, Sequence[str]] | None = None) -> None:
    """A real table (Pandoc pipe table) with Dutch number formats and a caption; `align`
    right-aligns columns of numbers that arrive already formatted as text. `codes` gives, for a
    column of names (gemeenten, doelgroepen), the code of each row: the tabellenboek shows it
    beside the name, the document does not. Content modules hand them over in
    `frame.attrs["codes"]`.

    The figures come from `ReportData`, where a hidden one is empty: an empty cell in a column
    of numbers prints 'x', and a table with one gets the note that explains it."""
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
               and not pd.api.types.is_bool_dtype(frame[c])]
    hidden = frame[numeric].isna()
    markdown = markdown_table(frame, formats=formats, caption=caption, align=align,
                              suppressed=hidden)
    marked = [c for c in frame.columns if c not in numeric
              and frame[c].astype(str).eq(SUPPRESSED).any()]  # figures formatted as text
    if hidden.to_numpy().any() or marked:
        markdown += f"\n{SUPPRESSED_NOTE}\n"
    codes = codes or frame.attrs.get("codes") or {}
    wrong = [str(c) for c, values in codes.items()
             if c not in frame.columns or len(values) != len(frame)]
    if wrong:
        raise ValueError(f"codes: kolom niet in de tabel of niet één code per rij: {wrong}")
    shown = ShownTable(
        caption=caption, columns=[str(c) for c in frame.columns],
        rows=[[_plain(v) for v in row] for row in frame.itertuples(index=False, name=None)],
        units={str(c): f for c, f in (formats or {}).items() if isinstance(f, str)},
        codes={str(c): [str(v) for v in values] for c, values in codes.items()})
    display({"text/markdown": markdown, "text/plain": caption},
            metadata={META_KEY: {"table": shown.to_metadata()}}, raw=True)


def figure(fig: go.Figure, alt: str, caption: str, width: str = "100%") -> None:
    """A chart: `alt` describes what it shows for screen readers, `caption` titles it;
    `width` is its share of the text width in PDF and DOCX (a small locator map needs less)."""
    display({PLOTLY_MIME: json.loads(fig.to_json()), "text/plain": alt},
            metadata={META_KEY: {"alt": alt, "caption": caption, "width": width}}, raw=True)
