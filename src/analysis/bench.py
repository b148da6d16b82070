"""Benchmark: time and peak memory of the pipeline on national-scale demo data.

    python -m analysis.bench [--verhuringen 2000000] [--werkmap DIR]

Writes demo data with the requested number of lettings (spread over the five years), ingests it,
and then runs the analysis (indicator table + verdeelmodel) in a fresh process, so that its peak
memory is measured on its own. Prints timings, peak memory and the ratio to the targets
(analysis ≤ 20 s and ≤ 2 GB on the project's 2-core machine). Numbers are measured, never
asserted: this is not a test.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

TARGET_SECONDS = 20.0
TARGET_BYTES = 2 * 1024**3
NATIONAL_LETTINGS = 2_000_000


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


def reports_benchmark() -> None:
    """The full report set on the default demo data: the main job, step by step."""
    from analysis.build import build
    from analysis.config import load_config
    from analysis.demo import generate_demo
    from analysis.model import load_verdeelmodel_config
    from analysis.report.pipeline import Selection, publish

    with tempfile.TemporaryDirectory(prefix="woonzorg-bench-rapporten-") as tmp:
        root = Path(tmp)
        _timed("demodata schrijven", lambda: generate_demo(root / "raw"))
        _timed("ingest, indicatoren, verdeelmodel", lambda: build(
            root / "raw", root / "processed", load_config(), load_verdeelmodel_config()))
        start = time.perf_counter()
        published = publish(Path.cwd(), root / "processed", root / "build", Selection(),
                            reports=root / "reports")
        total = time.perf_counter() - start
        for step, seconds in published.seconds.items():
            click.echo(f"{'  ' + step:<44} {seconds:8.1f} s")
        documents = sum(p.suffix in (".pdf", ".docx", ".html") for p in published.outputs)
        size = sum(p.stat().st_size for p in published.outputs) / 1024**2
        click.echo(f"{'rapporten totaal':<44} {total:8.1f} s   {documents} documenten, "
                   f"{size:.0f} MB, {len(published.errors)} fout(en)")


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
        click.echo(f"{'ingest (lezen, valideren, Parquet)':<44} {ingested['seconden']:8.1f} s"
                   f"   piekgeheugen {_gib(ingested['piekgeheugen_bytes'])}")
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
