"""reports/index.html: one page that links every document and dataset of the report set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from analysis.render import DocumentMeta, DocumentSettings, render_html
from analysis.report.data import ReportData

SECTIONS = (  # (title, sub-folder of reports/)
    ("Regionale analyse", "."),
    ("Bijlagen per gemeente (PDF en Word)", "gemeenten"),
    ("Doelgroepbladen", "doelgroepen"),
    ("Data (Parquet, CSV, Excel met codeboek)", "data"),
)
KINDS = {".pdf": "PDF", ".docx": "Word", ".html": "HTML", ".parquet": "Parquet", ".csv": "CSV",
         ".xlsx": "Excel"}


def index_markdown(reports: Path, outputs: list[Path], data: ReportData) -> str:
    lines = [f"Alle uitvoer van de Woonzorgmonitor {data.region.naam} over {data.period}."]
    for title, folder in SECTIONS:
        wanted = (reports / folder).resolve()
        files = sorted(p for p in outputs
                       if p.parent.resolve() == wanted and p.name != "index.html")
        if not files:
            continue
        lines += ["", f"## {title}", ""]
        by_stem: dict[str, list[Path]] = {}
        for path in files:
            by_stem.setdefault(path.stem, []).append(path)
        for stem, paths in by_stem.items():
            links = " · ".join(f"[{KINDS.get(p.suffix, p.suffix)}]({p.relative_to(reports)})"
                               for p in paths)
            lines.append(f"- {stem.replace('-', ' ').capitalize()}: {links}")
    return "\n".join(lines) + "\n"


def write_index(reports: Path, outputs: list[Path], data: ReportData, today: dt.date,
                settings: DocumentSettings) -> Path:
    target = reports / "index.html"
    meta = DocumentMeta(title=settings.title, area="Overzicht van de rapporten",
                        period=data.period.replace("-", "–"), date=today, kind="regio",
                        demo=data.demo, toc=False, lang=settings.lang,
                        papersize=settings.papersize,
                        organisation=f"Regio {data.region.naam} — {settings.title}")
    render_html(index_markdown(reports, outputs, data), reports, meta, target)
    return target
