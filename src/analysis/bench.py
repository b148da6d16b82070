"""Benchmark: time and peak memory of the pipeline on national-scale demo data.

    python -m analysis.bench [--verhuringen 2000000] [--werkmap DIR]
    python -m analysis.bench --rapporten

Writes demo data with the requested number of lettings (spread over the five years), ingests it,
and then runs the analysis (indicator table + verdeelmodel) in a fresh process, so that its peak
memory is measured on its own. Prints timings, peak memory and the ratio to the targets
(analysis ≤ 20 s and ≤ 2 GB on the project's 2-core machine). With --rapporten: the full report
set as `woonzorg build` makes it (from empty folders three times, again unchanged, after one
notebook edit) and the documents step against the naive route and the render-only floor.
Numbers are measured, never asserted: this is not a test.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

TARGET_SECONDS = 20.0
TARGET_INGEST_SECONDS = 10.0
TARGET_BYTES = 2 * 1024**3
NATIONAL_LETTINGS = 2_000_000
FULL_BUILDS = 3


def _peak_rss_bytes() -> int:
    """High-water mark of this process's resident memory. VmHWM starts afresh at exec, unlike
    ru_maxrss, which a child inherits from the parent that forked it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB outside Linux


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _gib(n: float) -> str:
    return f"{n / 1024**3:.2f} GiB"


def analyse_stage(processed: Path) -> dict:
    """Load processed data and compute indicators and the model; runs in its own process."""
    from analysis.analyse import analyse
    from analysis.config import load_config
    from analysis.model import load_verdeelmodel_config
    from analysis.processed import load_processed

    region, model = load_config(), load_verdeelmodel_config()
    baseline = _peak_rss_bytes()
    start = time.perf_counter()
    data = load_processed(processed)
    loaded = time.perf_counter()
    result = analyse(data, region, model)
    done = time.perf_counter()
    return {
        "verhuringen": len(data.verhuringen),
        "laden_s": loaded - start,
        "analyse_s": done - loaded,
        "totaal_s": done - start,
        "piekgeheugen_bytes": _peak_rss_bytes(),
        "basis_bytes": baseline,
        "indicatorwaarden": len(result.indicators),
    }


def ingest_stage(raw: Path, processed: Path) -> dict:
    from analysis.config import load_config
    from analysis.ingest import ingest

    start = time.perf_counter()
    ingest(raw, processed, load_config())
    return {"seconden": time.perf_counter() - start, "piekgeheugen_bytes": _peak_rss_bytes()}


def model_scale_stage(gemeenten: int) -> dict:
    """The verdeelmodel alone on `gemeenten` synthetic gemeenten (national number of them)."""
    import numpy as np

    from analysis import codes
    from analysis.model import GemeenteInput, distribute, load_verdeelmodel_config

    rng = np.random.default_rng(1)
    stock = rng.integers(500, 80_000, gemeenten)
    inputs = [
        GemeenteInput(gemeente=code, vraag=int(rng.integers(0, s * 0.03)),
                      verwachte_mutaties=float(round(s * 0.06)), reeds_toegezegd=int(s * 0.005),
                      sociale_huurvoorraad=float(s), mutaties=float(round(s * 0.06)))
        for code, s in zip(codes.codes("gemeenten")[:gemeenten], stock, strict=True)
    ]
    start = time.perf_counter()
    result = distribute(inputs, pool=int(stock.sum() * 0.002), config=load_verdeelmodel_config())
    return {"gemeenten": gemeenten, "seconden": time.perf_counter() - start,
            "tekort": result.tekort, "stappen_in_rekenspoor": len(result.trace)}


def _stage(name: str, *args: object) -> dict:
    """Run one stage in a fresh process, so that its peak memory is its own."""
    done = subprocess.run([sys.executable, "-m", "analysis.bench", "--stage", name,
                           *map(str, args)], check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def _timed(label: str, action) -> float:
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    click.echo(f"{label:<44} {seconds:8.1f} s")
    return seconds


def _cli_build(project: Path, root: Path) -> float:
    """`woonzorg build` as a user runs it, in the project folder `project`; its wall time."""
    command = [str(Path(sys.executable).with_name("woonzorg")), "build",
               "--raw", str(root / "raw"), "--processed", str(root / "processed"),
               "--rapporten", str(root / "reports"), "--werkmap", str(root / "build")]
    start = time.perf_counter()
    subprocess.run(command, cwd=project, check=True, capture_output=True, text=True)
    return time.perf_counter() - start


def _documents(project: Path, root: Path, folder: str, **route: bool) -> tuple[float, dict]:
    """The documents step alone, into fresh work and reports folders; its wall time and steps."""
    from analysis.report.pipeline import Selection, publish

    start = time.perf_counter()
    published = publish(project, root / "processed", root / folder / "build", Selection(),
                        reports=root / folder / "reports", **route)
    if published.errors:
        raise click.ClickException(f"{len(published.errors)} document(en) mislukt")
    return time.perf_counter() - start, published.seconds


def _typesetting(project: Path, root: Path, folder: str) -> float:
    """The floor: the documents of `folder` made again from their executed notebooks, with
    every figure in the cache, into a fresh reports folder (converting, Pandoc, Typst and the
    tabellenboeken); its wall time."""
    from analysis.render import document_settings
    from analysis.report.data import load_report_data
    from analysis.report.kinds import document_kinds
    from analysis.report.pipeline import Renderer, Selection, covered, plan

    data, settings = load_report_data(root / "processed"), document_settings(project)
    reports, build = root / folder / "ondergrens", root / folder / "build"
    documents = plan(document_kinds(project), data.region, covered(data), project,
                     root / "processed", reports, Selection())
    start = time.perf_counter()
    renderer = Renderer(data, build / "figuren", reports, dt.date.today(), settings)
    for document in documents:
        renderer.add(document, build / "notebooks" / f"{document.job.name}.ipynb")
    if any(error for _, _, error in renderer.finish()):
        raise click.ClickException("opmaak mislukt")
    return time.perf_counter() - start


def _line(label: str, seconds: float, note: str = "") -> None:
    click.echo(f"{label:<52} {seconds:8.1f} s{('   ' + note) if note else ''}")


def reports_benchmark() -> None:
    """The full report set on the default demo data as a user builds it: from empty folders
    (the median of FULL_BUILDS), again with nothing changed, after an edit to one notebook;
    then the documents step by the naive route (papermill with its own kernel per document,
    nothing reused) against warm kernels, and against the render-only floor (Pandoc and
    Typst on the finished text)."""
    import shutil

    import nbformat

    from analysis.demo import generate_demo

    source = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="woonzorg-bench-rapporten-") as tmp:
        root = Path(tmp)
        project = root / "project"  # a copy, so that a notebook can be edited
        project.mkdir()
        shutil.copytree(source / "analyses", project / "analyses")
        shutil.copy(source / "_quarto.yml", project / "_quarto.yml")
        generate_demo(root / "raw")

        # This machine's speed varies from minute to minute (the same build takes 45 to 59
        # CPU-seconds): the full build three times, each from empty folders, and the median.
        fulls = []
        for _ in range(FULL_BUILDS):
            for folder in ("processed", "reports", "build"):
                shutil.rmtree(root / folder, ignore_errors=True)
            fulls.append(_cli_build(project, root))
        full = statistics.median(fulls)
        _line(f"volledige build, lege mappen, mediaan van {FULL_BUILDS} (doel ≤ 30 s)", full,
              f"= {full / 30:.2f} × doel  ("
              + ", ".join(f"{seconds:.1f}" for seconds in fulls) + " s)")
        unchanged = _cli_build(project, root)
        _line("opnieuw, niets veranderd (doel ≤ 1/10)", unchanged,
              f"= 1/{full / unchanged:.0f} van de volledige build")
        path = project / "analyses" / "gemeente.ipynb"
        notebook = nbformat.read(path, as_version=4)
        notebook.cells.append(nbformat.v4.new_markdown_cell("Bewerkt voor de benchmark.",
                                                            id="bench-01"))
        nbformat.write(notebook, path)
        edited = _cli_build(project, root)
        _line("na een wijziging in gemeente.ipynb", edited,
              f"= {edited / full:.2f} × de volledige build")

        warm, steps = _documents(project, root, "warm", reuse=False)
        naive, _ = _documents(project, root, "naief", reuse=False, warm=False)
        floor = _typesetting(project, root, "warm")
        _line("documenten: warme kernels", warm, "  ".join(
            f"{step} {seconds:.1f} s" for step, seconds in steps.items()))
        _line("documenten: naïef (papermill per document)", naive,
              f"warm = {warm / naive:.2f} × naïef")
        _line("ondergrens: alleen Pandoc en Typst", floor, f"warm = {warm / floor:.1f} × "
              "ondergrens")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verhuringen", type=click.IntRange(min=1000), default=NATIONAL_LETTINGS,
              show_default=True, help="Aantal verhuringen in de demodata (over vijf jaar).")
@click.option("--werkmap", type=click.Path(file_okay=False, path_type=Path),
              help="Map voor de benchmarkdata (standaard een tijdelijke map).")
@click.option("--rapporten", is_flag=True,
              help="Meet in plaats daarvan de volledige rapportset op de standaarddemodata.")
@click.option("--stage", type=click.Choice(["ingest", "analyse", "model"]), hidden=True)
@click.option("--raw", type=click.Path(path_type=Path), hidden=True)
@click.option("--processed", type=click.Path(path_type=Path), hidden=True)
def main(verhuringen: int, werkmap: Path | None, rapporten: bool, stage: str | None,
         raw: Path | None, processed: Path | None) -> None:
    """Meet tijd en piekgeheugen van de pijplijn op demodata op landelijke schaal."""
    if rapporten:
        reports_benchmark()
        return
    stages = {"ingest": lambda: ingest_stage(raw, processed),
              "analyse": lambda: analyse_stage(processed),
              "model": lambda: model_scale_stage(342)}
    if stage:
        click.echo(json.dumps(stages[stage]()))
        return
    from analysis.config import load_config
    from analysis.demo import generate_demo

    region = load_config()
    per_year = verhuringen // len(region.jaren)
    with tempfile.TemporaryDirectory(prefix="woonzorg-bench-") as tmp:
        root = werkmap or Path(tmp)
        raw, out = root / "raw", root / "processed"
        click.echo(f"Benchmark: {_count(verhuringen)} verhuringen gevraagd "
                   f"({_count(per_year)} per jaar), {len(region.gemeenten)} gemeenten, map {root}")
        _timed("demodata schrijven", lambda: generate_demo(
            raw, config=region, verhuringen_per_jaar=per_year))
        ingested = _stage("ingest", "--raw", raw, "--processed", out)
        seconds = ingested["seconden"]
        click.echo(f"{'ingest (lezen, valideren, Parquet)':<44} {seconds:8.1f} s"
                   f"   = {seconds / TARGET_INGEST_SECONDS:.2f} × doel (≤ 10 s), "
                   f"piekgeheugen {_gib(ingested['piekgeheugen_bytes'])}")
        measured = _stage("analyse", "--processed", out)
        model = _stage("model")
    seconds, peak = measured["totaal_s"], measured["piekgeheugen_bytes"]
    click.echo(f"{'verhuringen in de analyse':<44} {_count(measured['verhuringen']):>10}")
    click.echo(f"{'  Parquet laden':<44} {measured['laden_s']:8.1f} s")
    click.echo(f"{'  indicatortabel + verdeelmodel':<44} {measured['analyse_s']:8.1f} s")
    click.echo(f"{'analyse totaal (doel ≤ 20 s)':<44} {seconds:8.1f} s   "
               f"= {seconds / TARGET_SECONDS:.2f} × doel")
    click.echo(f"{'piekgeheugen analyseproces (doel ≤ 2 GiB)':<44} {_gib(peak):>10}   "
               f"= {peak / TARGET_BYTES:.2f} × doel  (na imports {_gib(measured['basis_bytes'])})")
    click.echo(f"{'verdeelmodel alleen, 342 gemeenten':<44} {model['seconden']:8.2f} s   "
               f"({model['stappen_in_rekenspoor']} stappen in het rekenspoor)")


if __name__ == "__main__":
    main()
