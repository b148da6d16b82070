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
