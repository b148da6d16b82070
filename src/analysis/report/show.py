"""What a notebook cell shows. Each function emits one display output that the report converter
turns into document content: Markdown text and tables as they are, figures as a Plotly
definition that becomes a static image (PDF, DOCX) or an interactive chart (HTML)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go
from IPython.display import display

from analysis.tables import markdown_table

PLOTLY_MIME = "application/vnd.plotly.v1+json"
META_KEY = "woonzorg"


def text(markdown: str) -> None:
    """A paragraph (or more) of generated Markdown."""
    display({"text/markdown": markdown, "text/plain": markdown}, raw=True)


def bullets(items: Iterable[str]) -> None:
    text("\n".join(f"- {item}" for item in items))


def table(frame: pd.DataFrame,
          formats: Mapping[str, str | Callable[[object], str]] | None = None, *,
          caption: str, align: Mapping[str, str] | None = None) -> None:
    """A real table (Pandoc pipe table) with Dutch number formats and a caption; `align`
    right-aligns columns of numbers that arrive already formatted as text."""
    markdown = markdown_table(frame, formats=formats, caption=caption, align=align)
    display({"text/markdown": markdown, "text/plain": caption}, raw=True)


def figure(fig: go.Figure, alt: str, caption: str, width: str = "100%") -> None:
    """A chart: `alt` describes what it shows for screen readers, `caption` titles it;
    `width` is its share of the text width in PDF and DOCX (a small locator map needs less)."""
    display({PLOTLY_MIME: json.loads(fig.to_json()), "text/plain": alt},
            metadata={META_KEY: {"alt": alt, "caption": caption, "width": width}}, raw=True)
