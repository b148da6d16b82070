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
(what the check reports). This module reads a folder and brings them together, also while a
build still writes it (`Scanner`).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from analysis.config import DisclosureSettings, RegionConfig
from analysis.model.config import VerdeelmodelConfig
from analysis.report.leaks.data import DataFile, data_findings, read_data
from analysis.report.leaks.docx import docx_findings
from analysis.report.leaks.finding import Finding, LeakCheckError
from analysis.report.leaks.html import html_findings
from analysis.report.leaks.pdf import pdf_findings, pdftotext
from analysis.report.leaks.relations import Related, reader_relations, relation_findings
from analysis.report.leaks.tables import Table, table_findings
from analysis.report.leaks.text import text_findings
from analysis.report.leaks.xlsx import read_workbook, workbook_findings


@dataclass(frozen=True)
class Checked:
    findings: list[Finding]
    files: int


SUFFIXES = (".parquet", ".csv", ".xlsx", ".pdf", ".docx", ".html")
EXPORT_SUFFIXES = (".parquet", ".csv")  # formats only data exports have (XLSX is also a
# tabellenboek's)
Scan = tuple[list[Finding], list[DataFile]]  # a file's findings and its data tables
Signature = tuple[int, ...]
Together = tuple[tuple[str, ...], list[Finding]]  # files with data tables, their findings
T = TypeVar("T")


def _other_table(data: DataFile, rule: DisclosureSettings) -> list[Finding]:
    """A data file that is no export: read as a table, by its header."""
    header = [str(c) for c in data.frame.columns]
    table = Table(caption="", header=header, rows=data.frame.to_numpy(dtype=object).tolist(),
                  where=lambda r, c: data.where(r, header[c]))
    return [Finding(data.name, place, message) for place, message in table_findings(table, rule)]


def _scan(path: Path, name: str, rule: DisclosureSettings) -> Scan:
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


def _signature(path: Path) -> Signature:
    """The file as stat sees it: written to or replaced, it differs (ctime also when a copy
    keeps the mtime)."""
    stat = path.stat()
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


class Scanner:
    """Reads the files of a reports folder as a build writes them (`add`), beside the rest of
    the build, so that `check_reports` finds them read. A scan counts only for the file as it
    was when announced: the check reads anything else itself. With the `region` and `model`,
    the data exports announced together are also checked together (their values and
    relations), as `check_reports` would check them if they are all the data of the folder.
    One daemon thread, so that a scan never keeps the process alive, started with the first
    file announced, which the build writes after forking its notebook workers (a fork copies
    the locks a running thread holds). `close` (or leaving the `with`) drops the scans not
    begun."""

    def __init__(self, folder: Path, rule: DisclosureSettings, *,
                 region: RegionConfig | None = None,
                 model: VerdeelmodelConfig | None = None) -> None:
        self.folder, self.rule = folder, rule
        self._context = (region, model) if region is not None and model is not None else None
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._scans: dict[str, tuple[Signature, Future[Scan]]] = {}
        self._together: Future[Together] | None = None
        self._lock = threading.Lock()  # add runs in the build's threads
        self._thread: threading.Thread | None = None
        self._closed = False

    def add(self, paths: Iterable[Path]) -> None:
        """Scan `paths`, complete files below the folder, in the background."""
        batch: list[tuple[Path, str, Future[Scan]]] = []
        for path in paths:
            if path.suffix not in SUFFIXES:
                continue
            try:
                name, signature = path.relative_to(self.folder).as_posix(), _signature(path)
            except (ValueError, OSError):  # elsewhere or gone: the check sees for itself
                continue
            future: Future[Scan] = Future()
            with self._lock:
                if self._closed:
                    return
                if self._thread is None:
                    self._thread = threading.Thread(target=self._work, name="openbaarheid",
                                                    daemon=True)
                    self._thread.start()
                self._scans[name] = (signature, future)
            self._jobs.put(partial(_run, future, _scan, path, name, self.rule))
            batch.append((path, name, future))
        if self._context and any(path.suffix in EXPORT_SUFFIXES for path, _, _ in batch):
            together: Future[Together] = Future()
            with self._lock:
                self._together = together
            self._jobs.put(partial(_run, together, self._check_together, sorted(batch)))

    def _check_together(self, batch: list[tuple[Path, str, Future[Scan]]]) -> Together:
        assert self._context is not None
        scanned = [(path, name, future.result()) for path, name, future in batch]
        data = [(path, scan) for path, _, scan in scanned if scan[1]]
        return (tuple(name for _, name, scan in scanned if scan[1]),
                _table_findings(data, self.rule, *self._context))

    def scanned(self, path: Path, name: str, rule: DisclosureSettings) -> Future[Scan] | None:
        """The scan of `path` as `check_reports` would make it (file name, rule and the file
        as announced), else None."""
        with self._lock:
            signature, future = self._scans.get(name, ((), None))
        if future is None or future.cancelled() or rule != self.rule:
            return None
        try:
            return future if _signature(path) == signature else None
        except OSError:
            return None

    def checked_together(self, names: Sequence[str], region: RegionConfig,
                         model: VerdeelmodelConfig) -> list[Finding] | None:
        """The data and relation findings of the files `names`, the files of the folder with
        data tables (each as `scanned` gave it), if those were checked together as
        `check_reports` would check them; else None."""
        with self._lock:
            together = self._together
        if (together is None or together.cancelled() or self._context != (region, model)
                or region.openbaarheid != self.rule):
            return None
        checked, findings = together.result()
        return findings if checked == tuple(names) else None

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            job()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            futures: list[Future] = [future for _, future in self._scans.values()]
            futures += [self._together] if self._together else []
            self._scans.clear()
            self._together = None
        for future in futures:
            future.cancel()
        self._jobs.put(None)  # ends the thread, once it is done with its scan

    def __enter__(self) -> Scanner:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def _run(future: Future[T], work: Callable[..., T], *args: object) -> None:
    """`work(*args)` as the result of `future`, unless that was cancelled."""
    if future.set_running_or_notify_cancel():
        try:
            future.set_result(work(*args))
        except BaseException as exc:  # given to whoever asks for the result
            future.set_exception(exc)


def _data_findings(tables: Sequence[DataFile], rule: DisclosureSettings) -> list[Finding]:
    """`data_findings` of every table. An indicator export that reads as one found clean (the
    same table in another format) is clean: its findings follow from what it reads as."""
    findings: list[Finding] = []
    clean: list[DataFile] = []
    for table in tables:
        if table.kind == "indicatoren" and any(map(table.reads_as, clean)):
            continue
        found = data_findings(table, rule)
        findings += found
        clean += [] if found else [table]
    return findings


def _relation_findings(groups: Iterable[Sequence[DataFile]], related: Related,
                       region: RegionConfig) -> list[Finding]:
    """`relation_findings` of every group; a group whose every table reads as its counterpart
    in a group found clean is clean (the cells it gives are the same)."""
    findings: list[Finding] = []
    clean: list[Sequence[DataFile]] = []
    for files in groups:
        if any(len(files) == len(other) and all(map(DataFile.reads_as, files, other))
               for other in clean):
            continue
        found = relation_findings(files, related, region)
        findings += found
        clean += [] if found else [files]
    return findings


def check_reports(folder: Path, region: RegionConfig, model: VerdeelmodelConfig,
                  scanner: Scanner | None = None) -> Checked:
    """Every finding in the published files below `folder`, with the files that `scanner` has
    read already. Data exports in one folder and of one format are read together: a reader
    combines the indicators with the model."""
    rule = region.openbaarheid
    paths = checked_files(folder)
    names = [p.relative_to(folder).as_posix() for p in paths]
    with ThreadPoolExecutor(max_workers=4) as pool:  # pdftotext runs beside the parsing
        kept = [scanner.scanned(path, name, rule) if scanner is not None else None
                for path, name in zip(paths, names, strict=True)]
        scans = [scan or pool.submit(_scan, path, name, rule)
                 for scan, path, name in zip(kept, paths, names, strict=True)]
        scanned = [scan.result() for scan in scans]
    findings = [f for found, _ in scanned for f in found]
    with_data = [(path, name, scan, reused) for path, name, scan, reused
                 in zip(paths, names, scanned, kept, strict=True) if scan[1]]
    together = (scanner.checked_together([name for _, name, _, _ in with_data], region, model)
                if scanner is not None and all(reused for *_, reused in with_data) else None)
    if together is None:
        together = _table_findings([(path, scan) for path, _, scan, _ in with_data], rule,
                                   region, model)
    return Checked(findings=findings + together, files=len(paths))


def _table_findings(scanned: Sequence[tuple[Path, Scan]], rule: DisclosureSettings,
                    region: RegionConfig, model: VerdeelmodelConfig) -> list[Finding]:
    """The data and relation findings of the data tables of scanned files, in path order.
    Data exports in one folder and of one format are read together: a reader combines the
    indicators with the model."""
    groups: dict[tuple[Path, str], list[DataFile]] = {}
    for path, (_, data) in scanned:
        for table in data:
            groups.setdefault((path.parent, path.suffix), []).append(table)
    findings = _data_findings([table for _, (_, data) in scanned for table in data], rule)
    return findings + _relation_findings(groups.values(), reader_relations(region, model),
                                         region)


__all__ = ["Checked", "Finding", "LeakCheckError", "Scanner", "check_reports",
           "read_workbook", "text_findings"]
