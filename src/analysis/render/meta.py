"""What a rendered document says about itself: title, area, period, date, demo flag."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date

from analysis.layout import DEMO_LABEL
from analysis.render.house import COLOURS


@dataclass(frozen=True)
class DocumentMeta:
    """The facts on the cover and in the running header of one document.

    `lang` and `papersize` come from `_quarto.yml` through `document_settings()`; the defaults
    are the same values (a test keeps them in step) so a caller without a project still gets
    a Dutch A4 document.
    """

    title: str
    area: str
    period: str
    date: datetime.date
    kind: str  # the document kind (see `documenten` in _quarto.yml)
    demo: bool
    toc: bool
    cover: bool = True  # a cover page; else a title block above the text
    organisation: str = "Regio Haaglanden — Woonzorgmonitor"
    lang: str = "nl"
    papersize: str = "a4"

    @property
    def date_text(self) -> str:
        """The publication date as readers write it, e.g. '25 november 2026'."""
        return format_date(self.date, format="long", locale=self.lang)

    def label(self, out: Path) -> str:
        """Names the document in error messages: which report, and which file."""
        return f"{self.title} — {self.area} ({out})"

    def pandoc_metadata(self) -> dict[str, str | bool]:
        """The document's facts for Pandoc's -M: plain strings, which Pandoc escapes for each
        format (in DOCX they also become the file's custom properties)."""
        return {
            "title": self.title,
            "area": self.area,
            "period": self.period,
            "kind": self.kind,
            "date": self.date_text,
            "date-iso": self.date.isoformat(),
            "organisation": self.organisation,
            "demo": self.demo,
            "lang": self.lang,
        }

    def template_variables(self) -> dict[str, str]:
        """Layout switches for our Typst and HTML templates (Pandoc's -V). A switch that is
        off is left out: to a Pandoc template any text, "false" too, counts as on."""
        variables = {f"colour-{name}": value for name, value in COLOURS.items()}
        variables |= {"demo-notice": DEMO_LABEL, "papersize": self.papersize}
        if self.cover:
            variables["cover"] = "true"
        if self.toc:  # a document with a table of contents is long enough for its chapters
            variables["toc"] = "true"  # to start on a fresh page (see woonzorg.typ)
            variables["chapter-breaks"] = "true"
        return variables
