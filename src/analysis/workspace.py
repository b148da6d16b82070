"""The folders a build writes (data/processed, the working folder, reports/), held for the
whole build with `claim`:

- one build at a time per folder: a lock file holds who has it (pid, computer, start time), so
  a second build stops at once and names the holder instead of failing halfway through. The
  lock ends with the process, however it ends (flock); the file is removed on a normal exit;
- checked before the slow part: a folder that cannot be written (read-only, no rights) or that
  has less than `MIN_FREE` bytes left stops the build at the start;
- what a killed build left behind (`storage.PARTIAL` files, `storage.STAGING` folders) is
  removed; nobody else writes there while the lock is held;
- a full disk or a folder that turns read-only halfway ends the build with a Dutch message
  (`WorkspaceError`) instead of a traceback; `storage` never leaves half a file under a real
  name, so what was there stays as it was.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import shutil
import socket
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from analysis.storage import PARTIAL, STAGING

LOCK = ".woonzorg-build.lock"
MIN_FREE = 100 * 2**20  # bytes; the full demo report set takes about 20 MB
FULL = {errno.ENOSPC: "schijf vol", errno.EDQUOT: "schijfquotum op"}
DENIED = {errno.EROFS: "alleen-lezen schijf", errno.EACCES: "geen toegang",
          errno.EPERM: "geen toegang"}


class WorkspaceError(RuntimeError):
    """The build cannot (go on) writing its folders; the message says why and what to do."""


def disk_problem(exc: OSError) -> str | None:
    """A Dutch message for a full or read-only disk, None for any other error."""
    place = f" bij {exc.filename}" if exc.filename else ""
    if exc.errno in FULL:
        return (f"{FULL[exc.errno]}{place}. Maak ruimte vrij en draai de build opnieuw; half "
                "geschreven bestanden zijn opgeruimd, wat er al stond is niet aangetast.")
    if exc.errno in DENIED:
        return (f"{DENIED[exc.errno]}{place}. Controleer de rechten of kies een map waarin u "
                "mag schrijven (--processed, --rapporten, --werkmap).")
    return None


@contextmanager
def claim(folders: Sequence[Path]) -> Iterator[None]:
    """Hold `folders` (created when missing) for one build; see the module docstring."""
    unique = list({folder.resolve(): folder for folder in folders}.values())
    try:
        with ExitStack() as held:
            for folder in unique:
                folder.mkdir(parents=True, exist_ok=True)
                held.enter_context(_locked(folder))
                _check_space(folder)
                remove_leftovers(folder)
            yield
    except OSError as exc:
        message = disk_problem(exc)
        if message is None:
            raise
        raise WorkspaceError(message) from exc


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the lock of `folder`, or say who holds it."""
    path = folder / LOCK
    while True:
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held until the end)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "onbekend wie"
            handle.close()
            raise WorkspaceError(f"map {folder} is in gebruik door een andere build ({holder}); "
                                 "wacht tot die klaar is, of stop hem") from None
        if _same_file(handle, path):
            break
        handle.close()  # the holder just finished and removed the file we opened: again
    try:
        handle.truncate(0)
        handle.write(f"pid {os.getpid()} op {socket.gethostname()}, gestart "
                     f"{dt.datetime.now():%Y-%m-%d %H:%M:%S}\n")
        handle.flush()
        yield
    finally:
        path.unlink(missing_ok=True)  # while still locked, so nobody locks a removed file
        handle.close()


def _same_file(handle: IO[str], path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle.fileno()), path.stat())
    except FileNotFoundError:
        return False


def _check_space(folder: Path) -> None:
    free = shutil.disk_usage(folder).free
    if free < MIN_FREE:
        raise WorkspaceError(f"te weinig schijfruimte voor {folder}: nog {free // 2**20} MB "
                             f"vrij, de build vraagt er minstens {MIN_FREE // 2**20}. Maak "
                             "ruimte vrij of kies een andere map.")


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary files and staging folders below `folder`; what was removed."""
    removed = []
    for root, dirs, files in os.walk(folder):
        for name in [d for d in dirs if d.startswith(STAGING)]:
            dirs.remove(name)
            shutil.rmtree(Path(root) / name, ignore_errors=True)
            removed.append(Path(root) / name)
        for name in files:
            if name.startswith(PARTIAL):
                (Path(root) / name).unlink(missing_ok=True)
                removed.append(Path(root) / name)
    return removed
