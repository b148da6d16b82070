"""Writing files so that no reader ever sees half of one: the one way every step writes.

`write_all`: a set of files into data/processed all-or-nothing: staged in a temporary folder,
then moved into place; the file named last (the manifest) is removed first and written last, so
its presence says the set is complete. `write_file`: one file, through a unique temporary file
beside it (same folder, so the final rename is atomic), readable for colleagues; `write_files`
does the same for a batch that one call writes (the figures). A build that is killed leaves at
most temporary names (`PARTIAL`, `STAGING`), never a half file under a real name; the next build
removes them (`workspace`)."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

Writer = Callable[[Path], object]
PUBLISHED_MODE = 0o644  # published files are read by colleagues, whatever the umask
PARTIAL = ".partial-"  # a file being written
STAGING = ".staging-"  # a folder of files being written


def write_all(folder: Path, writers: Mapping[str, Writer], last: str | None = None,
              remove: Sequence[str] = ()) -> None:
    """Call every writer on a staging path, then move the results into `folder`; the files
    named in `remove` (left by an earlier set) go once `last` is gone, before the new ones
    come."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=folder))
    try:
        for name, write in writers.items():
            write(staging / name)
        if last is not None:
            (folder / last).unlink(missing_ok=True)
        for name in remove:
            (folder / name).unlink(missing_ok=True)
        for name in sorted(writers, key=lambda n: n == last):
            os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_files(targets: Sequence[Path], write: Callable[[list[Path]], object],
                mode: int = PUBLISHED_MODE) -> list[Path]:
    """Call `write` on temporary files beside `targets` (same extensions, which some writers
    read), then move each into place in one step with `mode`. Parallel builds may write the
    same file: every temporary name is unique."""
    partials: list[Path] = []
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=target.parent, suffix=target.suffix,
                                            prefix=f"{PARTIAL}{target.stem}-")
            os.close(handle)
            partials.append(Path(name))
        write(partials)
        for partial, target in zip(partials, targets, strict=True):
            partial.chmod(mode)
            os.replace(partial, target)
    finally:
        for partial in partials:
            partial.unlink(missing_ok=True)
    return list(targets)


def write_file(target: Path, write: Writer, mode: int = PUBLISHED_MODE) -> Path:
    """`write_files` for one file."""
    return write_files([target], lambda paths: write(paths[0]), mode)[0]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
