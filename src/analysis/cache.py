"""Reusing what an earlier build made, decided by a hash of its real inputs, never by time stamps.

A step that can be skipped names its inputs (file contents, settings, the software itself) in a
key (`digest`). Once its outputs are complete it stores a record: the key and the checksum of
every output. A later build reuses them only if the key is the same and every output is still
there with the same checksum, so a file that was removed, cut off or edited in between, or a
record that is damaged, means the step runs again. A step about to run forgets its record first:
a build killed halfway leaves no record that vouches for half of its outputs.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.storage import sha256, write_file

PACKAGE = Path(__file__).resolve().parent
RECORD_VERSION = 2


@functools.cache
def software() -> str:
    """The checksum of the package as installed: code, settings, code lists, templates and the
    shipped boundaries. A change to any of them is a change of software."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(sha256(path).encode())
    return digest.hexdigest()


def digest(*parts: object) -> str:
    """A key from plain values (text, numbers, lists, mappings)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def files_digest(paths: Iterable[Path], root: Path) -> list[tuple[str, str]]:
    """Each file's name under `root` with its checksum: the contents of a set of files."""
    return [(path.relative_to(root).as_posix(), sha256(path)) for path in sorted(paths)]


@dataclass(frozen=True)
class Cache:
    """Records in `folder`, one per step by name."""

    folder: Path

    def _record(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def reuse(self, name: str, key: str) -> list[Path] | None:
        """The outputs recorded under `name` (absolute paths) if they were made from `key` and
        are all intact; else None."""
        try:
            record = json.loads(self._record(name).read_text(encoding="utf-8"))
            if record["versie"] != RECORD_VERSION or record["sleutel"] != key:
                return None
            files = {Path(os.path.abspath(self.folder / path)): checksum
                     for path, checksum in record["bestanden"]}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # no record, or a damaged one
        for path, checksum in files.items():
            if not path.is_file() or sha256(path) != checksum:
                return None
        return list(files)

    def forget(self, name: str) -> None:
        self._record(name).unlink(missing_ok=True)

    def store(self, name: str, key: str, outputs: Sequence[Path]) -> None:
        # A list, not a mapping: the outputs come back in the order they were named. Paths
        # count from the record's folder, so a folder of records and outputs can move.
        record = {"versie": RECORD_VERSION, "sleutel": key,
                  "bestanden": [[os.path.relpath(path, self.folder), sha256(path)]
                                for path in outputs]}
        text = json.dumps(record, indent=1, sort_keys=True) + "\n"
        write_file(self._record(name), lambda path: path.write_text(text, encoding="utf-8"))
