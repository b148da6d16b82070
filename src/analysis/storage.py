"""Writing files so that no reader ever sees half of one.

`write_all`: a set of files into data/processed all-or-nothing: staged in a temporary folder,
then moved into place; the file named last (the manifest) is removed first and written last, so
its presence says the set is complete. `write_file`: one file, through a unique temporary file
beside it (parallel builds may write the same file), readable for colleagues."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

Writer = Callable[[Path], object]
PUBLISHED_MODE = 0o644  # published files are read by colleagues, whatever the umask


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


def write_file(target: Path, write: Writer, mode: int = PUBLISHED_MODE) -> Path:
    """Call `write` on a temporary file beside `target` (same extension, which some writers
    read), then move it into place in one step with `mode`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-",
                                    suffix=target.suffix)
    os.close(handle)
    partial = Path(name)
    try:
        write(partial)
        partial.chmod(mode)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target
