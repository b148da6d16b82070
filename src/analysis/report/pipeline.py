"""From processed data to the report set: execute notebooks, convert, render, export, index."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import plotly.io as pio

from analysis import codes
from analysis.config import ConfigError
from analysis.render import (
    DocumentMeta,
    DocumentSettings,
    RenderError,
    document_settings,
    render_docx,
    render_html,
    render_pdf,
)
from analysis.report.convert import Converted, to_markdown
from analysis.report.data import ReportData, load_report_data
from analysis.report.execute import Job, Outcome, execute_all
from analysis.report.exports import write_exports
from analysis.report.index import write_index

TITLES = {
    "regio": "Regionale analyse huisvesting aandachtsgroepen",
    "gemeente": "Bijlage volkshuisvestingsprogramma: huisvesting aandachtsgroepen",
    "doelgroep": "Doelgroepblad huisvesting aandachtsgroepen",
}


@dataclass(frozen=True)
class Selection:
    """Which documents to build; None means all."""

    regio: bool = True
    gemeenten: tuple[str, ...] | None = None
    doelgroepen: tuple[str, ...] | None = None


@dataclass
class Published:
    outputs: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per step, for the benchmark


def slug(text: str) -> str:
    plain = codes.name_key(text).replace(" ", "-")
    return re.sub(r"[^a-z0-9-]", "", plain)


def plan(data: ReportData, root: Path, processed: Path, selection: Selection) -> list[Job]:
    analyses = root / "analyses"
    base = {"processed": str(processed.resolve())}
    jobs = []
    if selection.regio:
        jobs.append(Job(analyses / "regio.ipynb", "regionale-analyse", base))
    gemeenten = data.region.gemeenten if selection.gemeenten is None else selection.gemeenten
    doelgroepen = (codes.codes("doelgroepen")[1:] if selection.doelgroepen is None
                   else selection.doelgroepen)  # [1:]: every code but 'geen'
    for gemeente in gemeenten:
        name = f"bijlage-{slug(data.gemeente_name(gemeente))}"
        jobs.append(Job(analyses / "gemeente.ipynb", name, {**base, "gemeente": gemeente}))
    for doelgroep in doelgroepen:
        jobs.append(Job(analyses / "doelgroep.ipynb", f"doelgroep-{slug(doelgroep)}",
                        {**base, "doelgroep": doelgroep}))
    return jobs


def _meta(data: ReportData, job: Job, today: dt.date, settings: DocumentSettings
          ) -> DocumentMeta:
    if "gemeente" in job.parameters:
        kind, area = "gemeente", f"Gemeente {data.gemeente_name(job.parameters['gemeente'])}"
    elif "doelgroep" in job.parameters:
        kind = "doelgroep"
        area = f"Doelgroep: {codes.labels('doelgroepen')[job.parameters['doelgroep']]}"
    else:
        kind, area = "regio", f"Regio {data.region.naam}"
    return DocumentMeta(title=TITLES[kind], area=area, period=data.period.replace("-", "–"),
                        date=today, kind=kind, demo=data.demo, toc=kind == "regio",
                        organisation=f"Regio {data.region.naam} — {settings.title}",
                        lang=settings.lang, papersize=settings.papersize)


def _render_figures(converted: Sequence[Converted]) -> None:
    from analysis.figures.static import write_images

    pending = {path: spec for c in converted for spec, path in c.figures if not path.exists()}
    write_images([(pio.from_json(json.dumps(spec)), path) for path, spec in pending.items()])


def _target(reports: Path, job: Job) -> Path:
    folder = {"regio": reports, "gemeente": reports / "gemeenten",
              "doelgroep": reports / "doelgroepen"}
    kind = ("gemeente" if "gemeente" in job.parameters else
            "doelgroep" if "doelgroep" in job.parameters else "regio")
    folder[kind].mkdir(parents=True, exist_ok=True)
    return folder[kind] / job.name


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, outcome: Outcome) -> None: ...


def publish(root: Path, processed: Path, build: Path, selection: Selection,
            reports: Path | None = None, progress: Progress | None = None,
            today: dt.date | None = None) -> Published:
    """Build the selected documents plus the data exports and the index page into `reports`
    (default: the output folder of _quarto.yml)."""
    settings = document_settings(root)
    if not (root / "analyses").is_dir():
        raise ConfigError(f"{root}: geen map analyses/ met de notebooks; draai de build in de "
                          "projectmap")
    reports = reports or settings.output_dir
    data = load_report_data(processed)
    today = today or dt.date.today()
    jobs = plan(data, root, processed, selection)
    if progress:
        progress.start(len(jobs))
    clock = time.perf_counter()
    outcomes = execute_all(jobs, build / "notebooks", cwd=root,
                           on_done=progress.advance if progress else None)
    published = Published(errors=[o.error for o in outcomes if o.error])
    published.seconds["notebooks"] = time.perf_counter() - clock
    resources = build / "figuren"
    resources.mkdir(parents=True, exist_ok=True)
    done = [o for o in outcomes if o.executed]
    clock = time.perf_counter()
    static = {o.job.name: to_markdown(o.executed, "static", resources) for o in done}
    _render_figures(list(static.values()))
    published.seconds["figuren"] = time.perf_counter() - clock
    clock = time.perf_counter()
    for outcome in done:
        job, meta = outcome.job, _meta(data, outcome.job, today, settings)
        target = _target(reports, job)
        try:
            render_pdf(static[job.name].markdown, resources, meta, target.with_suffix(".pdf"))
            published.outputs.append(target.with_suffix(".pdf"))
            if meta.kind == "gemeente":
                render_docx(static[job.name].markdown, resources, meta,
                            target.with_suffix(".docx"))
                published.outputs.append(target.with_suffix(".docx"))
            if meta.kind == "regio":
                html = to_markdown(outcome.executed, "html", resources)
                render_html(html.markdown, resources, meta, target.with_suffix(".html"))
                published.outputs.append(target.with_suffix(".html"))
        except RenderError as exc:  # one document failing must not stop the others
            published.errors.append(f"{job.describe()}: opmaak mislukt: {exc}")
    published.seconds["opmaak"] = time.perf_counter() - clock
    clock = time.perf_counter()
    published.outputs += write_exports(data, reports / "data")
    published.outputs.append(write_index(reports, published.outputs, data, today, settings))
    published.seconds["data en index"] = time.perf_counter() - clock
    return published
