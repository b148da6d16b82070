"""From processed data to the report set: execute notebooks, convert, render, export, index."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from analysis.cache import Cache, digest, software
from analysis.config import ConfigError, RegionConfig
from analysis.figures import static
from analysis.layout import CACHE_FOLDER
from analysis.render import (
    DocumentMeta,
    DocumentSettings,
    RenderError,
    document_settings,
    render_docx,
    render_html,
    render_pdf,
)
from analysis.render.settings import QUARTO_FILE
from analysis.report.contents import Files, close_set, current_files, open_set
from analysis.report.convert import Converted, to_markdown
from analysis.report.data import ReportData, load_report_data
from analysis.report.execute import Job, Outcome, Workers, execute_all
from analysis.report.exports import write_exports
from analysis.report.index import Entry, Section, data_section, write_index
from analysis.report.kinds import SUFFIXES, DocumentKind, document_kinds
from analysis.report.workbook import write_tabellenboek
from analysis.storage import sha256

OTHERS = "Andere bestanden in deze map"


@dataclass(frozen=True)
class Selection:
    """Which documents to build: `only` maps a parameter (gemeente, doelgroep) to the values
    asked for, and then only kinds with such a parameter are built; empty means everything."""

    only: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def values(self, kind: DocumentKind, region: RegionConfig) -> tuple[str | None, ...]:
        if not self.only:
            return kind.values(region)
        return self.only.get(kind.parameter, ()) if kind.parameter else ()


Covered = Mapping[str, tuple[str, str]]  # per kind of period: its label and how readers see it


def covered(data: ReportData) -> Covered:
    """The periods documents cover (`kinds.PERIODS`): the years of the monitor period, and the
    periodic monitor's year to date; each as a label for file names (2021-2025, 2025-K3) and as
    readers see it (2021–2025, januari t/m september 2025)."""
    monitor = data.monitor_period
    return {"jaren": (data.period, data.period.replace("-", "–")),
            "monitor": (monitor.label, monitor.text)}


@dataclass(frozen=True)
class Document:
    """One document to make: a kind, its parameter value, the period it covers (label, text)
    and the notebook run behind it."""

    kind: DocumentKind
    value: str | None
    period: tuple[str, str]
    job: Job

    def target(self, reports: Path) -> Path:
        return self.kind.target(reports, self.value, self.period[0])

    def meta(self, data: ReportData, today: dt.date, settings: DocumentSettings
             ) -> DocumentMeta:
        return DocumentMeta(title=self.kind.title,
                            area=self.kind.area_text(data.region, self.value),
                            period=self.period[1], date=today, kind=self.kind.id,
                            demo=data.demo, toc=self.kind.toc, cover=self.kind.cover,
                            organisation=f"Regio {data.region.naam} — {settings.title}",
                            lang=settings.lang, papersize=settings.papersize)


def _label(kind: DocumentKind, value: str | None, period: str) -> str:
    """How the index page names a document: the gemeente or doelgroep, else the kind's title,
    with the period as readers see it for a kind that does not cover the monitor period's
    years (the periodic monitor)."""
    if value:
        return kind.display_name(value)
    return kind.title if kind.period == "jaren" else f"{kind.title}, {period}"


@dataclass
class Published:
    outputs: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reused: int = 0  # documents kept from an earlier build: made from the same inputs
    seconds: dict[str, float] = field(default_factory=dict)  # per step, for the benchmark


def plan(kinds: Mapping[str, DocumentKind], region: RegionConfig, periods: Covered, root: Path,
         processed: Path, reports: Path, selection: Selection) -> list[Document]:
    base = {"processed": str(processed.resolve())}
    documents = []
    for kind in kinds.values():
        for value in selection.values(kind, region):
            parameters = base if value is None else {**base, kind.parameter: value}
            period = periods[kind.period]
            name = kind.target(reports, value, period[0]).name  # executed notebook, progress
            documents.append(Document(kind, value, period,
                                      Job(root / kind.notebook, name, parameters)))
    names = [d.job.name for d in documents]
    if len(set(names)) < len(names):
        raise ConfigError("documenten in _quarto.yml: twee documentsoorten geven dezelfde "
                          "bestandsnaam; maak 'bestand' per soort uniek")
    return documents


def _render_figures(converted: Sequence[Converted]) -> None:
    """Draw the figures that are not in the cache yet: named by their definition, and counted
    only when complete (an image cut off by an earlier build that was killed is drawn again)."""
    from analysis.figures.static import complete, write_images

    pending = {path: spec for c in converted for spec, path in c.figures if not complete(path)}
    write_images([(spec, path) for path, spec in pending.items()])


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, outcome: Outcome) -> None: ...


Written = Callable[[Sequence[Path]], None]  # told of complete files, from any thread


def publish(root: Path, processed: Path, build: Path, selection: Selection,
            reports: Path | None = None, progress: Progress | None = None,
            today: dt.date | None = None, *, reuse: bool = True,
            warm: bool = True, on_written: Written | None = None,
            workers: Workers | None = None) -> Published:
    """Build the selected documents plus the data exports and the index page into `reports`
    (default: the output folder of _quarto.yml). A document or export made before from the
    same inputs is kept (`reuse`); notebooks run in kernels started once per worker (`warm`).
    The benchmark turns both off to measure the naive route. `on_written` hears of each
    document's files and of the exports as soon as they are written (not of kept ones), so
    that they can be read beside the rest of the build. `workers`: notebook workers started
    earlier (`workers_for`), for `build` and the project folder `root`."""
    settings = document_settings(root)
    kinds = document_kinds(root)
    missing = [str(k.notebook) for k in kinds.values() if not (root / k.notebook).is_file()]
    if missing:
        raise ConfigError(f"{root}: notebook(s) {', '.join(missing)} ontbreken; draai de build "
                          "in de projectmap")
    reports = reports or settings.output_dir
    data = load_report_data(processed)
    today = today or dt.date.today()
    documents = plan(kinds, data.region, covered(data), root, processed, reports, selection)
    cache, executed_dir = Cache(build / CACHE_FOLDER), build / "notebooks"
    keys = {d.job.name: document_key(d, data, root, today) for d in documents}
    published = Published()
    todo = []
    for document in documents:
        name = f"document-{document.job.name}"
        kept = cache.reuse(name, keys[document.job.name]) if reuse else None
        expected = document_files(document, reports, executed_dir)
        if kept is not None and {p.resolve() for p in kept} == {p.resolve() for p in expected}:
            published.outputs += [p for p in expected if p.parent != executed_dir]
            published.reused += 1
        else:
            cache.forget(name)
            todo.append(document)
    if progress:
        progress.start(len(todo))
    previous = open_set(reports)  # from here until close_set the set is unfinished
    # Beside the notebooks: the data exports (they read only the processed data), and each
    # document's figures and typesetting as soon as its notebook is done. Started once the
    # notebook workers are forked (`execute_all`).
    documents_by_name = {d.job.name: d for d in todo}
    with ThreadPoolExecutor(max_workers=1) as background:
        exports: Future[list[Path]] | None = None
        renderer: Renderer | None = None

        def beside() -> None:
            nonlocal exports, renderer
            exports = background.submit(_exports, data, reports, cache, reuse, published,
                                        on_written)
            if todo:
                renderer = Renderer(data, build / "figuren", reports, today, settings,
                                    on_written=on_written)

        def done(outcome: Outcome) -> None:
            if progress:
                progress.advance(outcome)
            if outcome.executed and renderer is not None:
                renderer.add(documents_by_name[outcome.job.name], outcome.executed)

        clock = time.perf_counter()
        try:
            outcomes = execute_all([d.job for d in todo], executed_dir, cwd=root, warm=warm,
                                   on_done=done, on_started=beside, pool=workers)
            published.errors += [o.error for o in outcomes if o.error]
            published.seconds["notebooks"] = time.perf_counter() - clock
            clock = time.perf_counter()
            for document, files, error in renderer.finish() if renderer else []:
                if error:
                    published.errors.append(error)
                else:
                    cache.store(f"document-{document.job.name}", keys[document.job.name],
                                document_files(document, reports, executed_dir))
                published.outputs += files
            published.seconds.update(renderer.seconds if renderer else {})
            published.seconds["na de notebooks"] = time.perf_counter() - clock
        finally:
            if renderer is not None:
                renderer.close()
        assert exports is not None  # `execute_all` calls `beside` in any case
        exported = exports.result()
    published.outputs += exported
    clock = time.perf_counter()
    contents = current_files(reports, set(published.outputs), data.version, previous)
    sections = _sections(kinds, reports, data, exported, contents)
    published.outputs.append(write_index(reports, sections, data, today, settings))
    published.outputs.append(close_set(reports, contents, data.version, today))
    published.seconds["index"] = time.perf_counter() - clock
    return published


def workers_for(root: Path, build: Path) -> Workers:
    """Notebook workers for `publish` with this project folder and work folder, not started
    yet (see `start_ahead`)."""
    return Workers([root / k.notebook for k in document_kinds(root).values()],
                   build / "notebooks", root)


def start_ahead(workers: Workers) -> None:
    """Start what the documents will need while other work goes on (the build's data step):
    the notebook workers with their kernels, and then, in a thread, the browser that draws
    the figures. The workers first: they are forked, and a fork must come before any
    thread. A browser that will not start is left to the documents step, which says why."""
    workers.start()
    threading.Thread(target=_start_browser, name="browser", daemon=True).start()


def _start_browser() -> None:
    with contextlib.suppress(Exception):
        static.start()


def _exports(data: ReportData, reports: Path, cache: Cache, reuse: bool,
             published: Published, on_written: Written | None = None) -> list[Path]:
    """The data exports, kept from an earlier build when the data and software are the same;
    named as the reports folder is named, as everything else in the set."""
    clock = time.perf_counter()
    key = digest("exports", data.version, software())
    kept = cache.reuse("exports", key) if reuse else None
    if kept is not None:
        return [reports / "data" / path.name for path in kept]
    cache.forget("exports")
    exports = write_exports(data, reports / "data")
    if on_written:
        on_written(exports)
    cache.store("exports", key, exports)
    published.seconds["exports"] = time.perf_counter() - clock
    return exports


def document_key(document: Document, data: ReportData, root: Path, today: dt.date) -> str:
    """Everything a document is made from: the data's version, its notebook and parameters,
    the document settings, the software (code, templates, settings) and the date it carries."""
    return digest("document", document.kind.id, document.value, document.period,
                  data.version, sha256(root / document.kind.notebook),
                  sha256(root / QUARTO_FILE), document.job.parameters, today.isoformat(),
                  software())


def document_files(document: Document, reports: Path, executed_dir: Path) -> list[Path]:
    """What a document leaves: its files in every format, and the executed notebook."""
    target = document.target(reports)
    return [*map(target.with_suffix, document.kind.suffixes),
            executed_dir / f"{document.job.name}.ipynb"]


Rendered = tuple[Document, list[Path], str | None]  # its files, or why it failed


class Renderer:
    """Documents made from their executed notebooks while other notebooks still run. On a
    thread of its own, one document after the other: the notebook converted and its figures
    drawn in the one browser (started first, beside the notebooks; a figure that is in the
    cache already is not drawn again). Then its formats typeset by Pandoc and Typst, as many
    documents at a time as there are cores. A document that fails to typeset is an error in
    the results; a figure that cannot be drawn stops the build, as the browser is broken.
    `on_written` hears of a document's files once all are written, in the thread that wrote
    them."""

    def __init__(self, data: ReportData, resources: Path, reports: Path, today: dt.date,
                 settings: DocumentSettings, *, on_written: Written | None = None) -> None:
        resources.mkdir(parents=True, exist_ok=True)
        self._data, self._resources, self._reports = data, resources, reports
        self._today, self._settings, self._on_written = today, settings, on_written
        self._drawing = ThreadPoolExecutor(max_workers=1)
        self._typesetting = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
        self._started = self._drawing.submit(static.start)
        self._documents: list[tuple[Document, Future]] = []
        # Time spent, summed over documents (they overlap each other and the notebooks)
        self.seconds = {"figuren, opgeteld": 0.0, "opmaak, opgeteld": 0.0}
        self._lock = threading.Lock()  # for `seconds`

    def _spent(self, step: str, since: float) -> None:
        with self._lock:
            self.seconds[step] += time.perf_counter() - since

    def add(self, document: Document, executed: Path) -> None:
        self._documents.append((document, self._drawing.submit(self._draw, document,
                                                                executed)))

    def finish(self) -> list[Rendered]:
        """Every document added, in the order added, once all are done."""
        try:
            self._started.result()
            return [(document, *drawn.result().result())
                    for document, drawn in self._documents]
        finally:
            self.close()

    def close(self) -> None:
        """Stop: what has not started yet will not (what runs is finished)."""
        self._drawing.shutdown(cancel_futures=True)
        self._typesetting.shutdown(cancel_futures=True)

    def _draw(self, document: Document, executed: Path) -> Future:
        self._started.result()  # a browser that would not start is not tried again
        clock = time.perf_counter()
        converted = to_markdown(executed, "static", self._resources)
        _render_figures([converted])
        self._spent("figuren, opgeteld", clock)
        return self._typesetting.submit(self._typeset, document, executed, converted)

    def _typeset(self, document: Document, executed: Path, converted: Converted
                 ) -> tuple[list[Path], str | None]:
        clock = time.perf_counter()
        files: list[Path] = []
        try:
            render_document(document, executed, converted, self._resources, self._reports,
                            document.meta(self._data, self._today, self._settings),
                            self._data.demo, files)
        except RenderError as exc:  # one document failing must not stop the others
            return files, f"{document.job.describe()}: opmaak mislukt: {exc}"
        finally:
            self._spent("opmaak, opgeteld", clock)
        if self._on_written:
            self._on_written(files)
        return files, None


def render_document(document: Document, executed: Path, static: Converted, resources: Path,
                    reports: Path, meta: DocumentMeta, demo: bool, written: list[Path]) -> None:
    """One executed notebook in every format of its kind, and its tabellenboek, into
    `reports`; each file is added to `written` once it is complete."""
    target = document.target(reports)
    target.parent.mkdir(parents=True, exist_ok=True)
    for fmt in document.kind.formats:
        out = target.with_suffix(SUFFIXES[fmt])
        if fmt == "typst":
            render_pdf(static.markdown, resources, meta, out)
        elif fmt == "docx":
            render_docx(static.markdown, resources, meta, out)
        else:  # interactive figures need their own conversion
            render_html(to_markdown(executed, "html", resources).markdown, resources, meta, out)
        written.append(out)
    if document.kind.workbook:
        written.append(write_tabellenboek(
            static.tables, target.with_suffix(".xlsx"), title=meta.title,
            subtitle=f"{meta.area}, {meta.period}", demo=demo))


def publish_document(root: Path, processed: Path, build: Path, kind_id: str,
                     parameters: Mapping[str, object], reports: Path,
                     today: dt.date | None = None) -> Published:
    """One document of kind `kind_id` (a kind without a parameter of its own) with extra
    notebook `parameters`, into `reports`: no exports, no index, no manifest of the set."""
    settings = document_settings(root)
    kind = document_kinds(root)[kind_id]
    data = load_report_data(processed)
    period = covered(data)[kind.period]
    job = Job(root / kind.notebook, kind.target(reports, None, period[0]).name,
              {"processed": str(processed.resolve()), **parameters})
    document = Document(kind, None, period, job)
    clock = time.perf_counter()
    outcomes = execute_all([job], build / "notebooks", cwd=root, workers=1)
    published = Published(errors=[o.error for o in outcomes if o.error])
    published.seconds["notebooks"] = time.perf_counter() - clock
    if outcomes[0].executed:
        renderer = Renderer(data, build / "figuren", reports, today or dt.date.today(),
                            settings)
        renderer.add(document, outcomes[0].executed)
        for _, files, error in renderer.finish():
            published.errors += [error] if error else []
            published.outputs += files
    return published


def _sections(kinds: Mapping[str, DocumentKind], reports: Path, data: ReportData,
              exports: Sequence[Path], files: Files) -> list[Section]:
    """What the index lists: every published file in `reports` (also those of earlier builds
    with another selection), by kind in the order of the table, then the data exports, then
    anything else; a document not made from the current data says so."""
    present = {reports / name for name in files}

    def entry(label: str, paths: list[Path]) -> Entry:
        current = all(files[p.relative_to(reports).as_posix()]["gegevens"] == data.version
                      for p in paths)
        return (label if current else f"{label} (niet gemaakt met de huidige gegevens)", paths)

    sections: list[Section] = []
    periods = covered(data)
    for kind in kinds.values():
        entries = []
        for value in kind.values(data.region):
            target = kind.target(reports, value, periods[kind.period][0])
            paths = [p for p in map(target.with_suffix, kind.suffixes) if p in present]
            if paths:
                entries.append(entry(_label(kind, value, periods[kind.period][1]), paths))
                present -= set(paths)
        sections.append((f"{kind.index} ({kind.format_names})", entries))
    present -= set(exports)
    others = [entry(p.relative_to(reports).as_posix(), [p]) for p in sorted(present)]
    return [*sections, data_section(exports), (OTHERS, others)]
