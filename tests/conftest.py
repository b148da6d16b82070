from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from analysis.cli import main

SHARED_GEO = Path(__file__).resolve().parents[2] / "shared" / "data" / "geo"


@pytest.fixture
def cli():
    """Run `woonzorg ARGS` in-process; returns the click Result (exit_code, output)."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Name → (size, mtime_ns) of every file below `folder`, to prove nothing was written."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    """The demo data (with the shared wijk boundaries) built once per test run."""
    from analysis.build import build
    from analysis.config import load_config
    from analysis.demo import generate_demo
    from analysis.model import load_verdeelmodel_config

    root = tmp_path_factory.mktemp("demo_build")
    generate_demo(root / "raw", wijken=SHARED_GEO / "haaglanden_wijk_2025_rd.geojson")
    ingested, analysis = build(root / "raw", root / "processed", load_config(),
                               load_verdeelmodel_config())
    return root, ingested, analysis
