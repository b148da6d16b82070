"""`woonzorg openbaarheid`: does any published file give a small count of households away?

`protection` decides what is hidden; this check reads what was actually written, as a reader
would, so that a document, chart or export that shows a hidden cell, or lets one be worked out,
is caught before publication. It reads:

- data exports (a column `indicator`, and the verdeelmodel's results): small counts, values
  beside a hidden status, rates that give their hidden count away, and hidden cells that the
  published totals give away (`disclosure.exposed`, repeated: a cell worked out from one total
  is known for the next);
- tables (tabellenboeken and other workbooks, DOCX, HTML, PDF): a small whole number in a
  column, row or table of household counts;
- text (PDF per page, DOCX, HTML): a small number followed by a household noun;
- the Plotly figures of the HTML documents: small numbers of households in the data, and NaN.

The rules for tables, text and figures follow how the documents write; they aim to be precise

The package, one job a module: `data` (one data export, row by row), `relations` (hidden cells
that the exports of a folder, read together, give away), `tables`, `text` and `figures` (the
rules for a table, a sentence and a Plotly figure), `xlsx`, `pdf`, `docx` and `html` (each
format read into those), `values` (codes and numbers as the files write them) and `finding`
(what the check reports). This module reads a folder and brings them together.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from analysis.config import DisclosureSettings, RegionConfig
from analysis.model.config import VerdeelmodelConfig
from analysis.report.leaks.data import DataFile, data_findings, read_data
from analysis.report.leaks.docx import docx_findings
from analysis.report.leaks.finding import Finding, LeakCheckError
from analysis.report.leaks.html import html_findings
from analysis.report.leaks.pdf import pdf_findings, pdftotext
from analysis.report.leaks.relations import reader_relations, relation_findings
from analysis.report.leaks.tables import Table, table_findings
from analysis.report.leaks.text import text_findings
from analysis.report.leaks.xlsx import read_workbook, workbook_findings


@dataclass(frozen=True)
class Checked:
    findings: list[Finding]
    files: int


SUFFIXES = (".parquet", ".csv", ".xlsx", ".pdf", ".docx", ".html")


def _other_table(data: DataFile, rule: DisclosureSettings) -> list[Finding]:
    """A data file that is no export: read as a table, by its header."""
    header = [str(c) for c in data.frame.columns]
    table = Table(caption="", header=header, rows=data.frame.to_numpy(dtype=object).tolist(),
                  where=lambda r, c: data.where(r, header[c]))
    return [Finding(data.name, place, message) for place, message in table_findings(table, rule)]


def _scan(path: Path, name: str, rule: DisclosureSettings
          ) -> tuple[list[Finding], list[DataFile]]:
    """Findings of one file and its data tables (for the relation check)."""
    try:
        if path.suffix in (".parquet", ".csv"):
            data = read_data(name, path)
            return ([], [data]) if data.kind else (_other_table(data, rule), [])
        if path.suffix == ".xlsx":
            return workbook_findings(name, read_workbook(path), rule)
        if path.suffix == ".pdf":
            return pdf_findings(name, pdftotext(path), pdftotext(path, "-layout"), rule), []
        if path.suffix == ".docx":
            return docx_findings(name, path, rule), []
        return html_findings(name, path.read_text(encoding="utf-8"), rule), []
    except LeakCheckError:
        raise
    except Exception as exc:  # a damaged or foreign file: say which, do not hide it
        raise LeakCheckError(f"{name}: niet te lezen ({type(exc).__name__}: {exc})") from exc


def checked_files(folder: Path) -> list[Path]:
    """The files below `folder` that the check reads."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in SUFFIXES)


def check_reports(folder: Path, region: RegionConfig, model: VerdeelmodelConfig) -> Checked:
    """Every finding in the published files below `folder`. Data exports in one folder and of
    one format are read together: a reader combines the indicators with the model."""
    rule = region.openbaarheid
    paths = checked_files(folder)
    names = [p.relative_to(folder).as_posix() for p in paths]
    with ThreadPoolExecutor(max_workers=4) as pool:  # pdftotext runs beside the parsing
        scanned = list(pool.map(lambda pair: _scan(*pair, rule), zip(paths, names,
                                                                     strict=True)))
    findings = [f for found, _ in scanned for f in found]
    groups: dict[tuple[Path, str], list[DataFile]] = {}
    for path, (_, data) in zip(paths, scanned, strict=True):
        for table in data:
            findings += data_findings(table, rule)
            groups.setdefault((path.parent, path.suffix), []).append(table)
    related = reader_relations(region, model)
    for files in groups.values():
        findings += relation_findings(files, related, region)
    return Checked(findings=findings, files=len(paths))


__all__ = ["Checked", "Finding", "LeakCheckError", "check_reports", "read_workbook",
           "text_findings"]
