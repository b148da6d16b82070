"""reports/index.html: one page that links every document and dataset of the report set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from analysis.protection import rule_text
from analysis.render import DocumentMeta, DocumentSettings, render_html
from analysis.report.data import ReportData
from analysis.tables import md_text

DATA_SECTION = "Data (Parquet, CSV, Excel met codeboek)"
KINDS = {".pdf": "PDF", ".docx": "Word", ".html": "HTML", ".parquet": "Parquet", ".csv": "CSV",
         ".xlsx": "Excel"}
Entry = tuple[str, Sequence[Path]]  # what a reader sees, the files (one per format)
Section = tuple[str, Sequence[Entry]]  # heading, entries in reading order


def index_markdown(reports: Path, sections: Sequence[Section], data: ReportData) -> str:
    lines = [f"Alle uitvoer van de Woonzorgmonitor {md_text(data.region.naam)} over "
             f"{data.period}.", "",
             rule_text(data.region.openbaarheid)]
    for title, entries in sections:
        if not entries:
            continue
        lines += ["", f"## {md_text(title)}", ""]
        for label, paths in entries:
            links = " · ".join(f"[{KINDS.get(p.suffix, p.suffix)}]({p.relative_to(reports)})"
                               for p in paths)
            lines.append(f"- {md_text(label)}: {links}")
    return "\n".join(lines) + "\n"


def data_section(exports: Sequence[Path]) -> Section:
    """The exports, one entry per dataset with its formats."""
    by_stem: dict[str, list[Path]] = {}
    for path in exports:
        by_stem.setdefault(path.stem, []).append(path)
    return DATA_SECTION, [(stem.capitalize(), paths) for stem, paths in by_stem.items()]


def write_index(reports: Path, sections: Sequence[Section], data: ReportData, today: dt.date,
                settings: DocumentSettings) -> Path:
    """One section per document kind (in the order of the table), then the data."""
    target = reports / "index.html"
    meta = DocumentMeta(title=settings.title, area="Overzicht van de rapporten",
                        period=data.period.replace("-", "–"), date=today, kind="index",
                        demo=data.demo, toc=False, lang=settings.lang,
                        papersize=settings.papersize,
                        organisation=f"Regio {data.region.naam} — {settings.title}")
    render_html(index_markdown(reports, sections, data), reports, meta, target)
    return target
