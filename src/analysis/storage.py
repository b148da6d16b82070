"""Writing into data/processed all-or-nothing: stage in a temporary folder, then move into place.

Each move is atomic; the file named last (the manifest) is removed first and written last, so
its presence says the set is complete."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

Writer = Callable[[Path], None]


def write_all(folder: Path, writers: Mapping[str, Writer], last: str | None = None) -> None:
    """Call every writer on a staging path, then move the results into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    try:
        for name, write in writers.items():
            write(staging / name)
        if last is not None:
            (folder / last).unlink(missing_ok=True)
        for name in sorted(writers, key=lambda n: n == last):
            os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
