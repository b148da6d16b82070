"""What reports/ holds: its manifest (manifest.json), written last, and every published file in
it, which the index page lists.

A build removes the manifest before it writes anything into reports/ (`open_set`) and writes a
new one as its very last file (`close_set`), so a folder without one is a set that a build left
unfinished. The manifest names every published file with its checksum and the data it was made
from (`ReportData.version`): the current data for what this build wrote; for a file it left
alone what the previous manifest said, if the file is unchanged, else nothing (unknown). The
index marks the documents that were not made from the current data, such as the other
gemeenten after `woonzorg build --gemeente`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Mapping
from pathlib import Path

from analysis import __version__
from analysis.storage import sha256, write_file

MANIFEST = "manifest.json"
INDEX = "index.html"
PUBLISHED = (".pdf", ".docx", ".html", ".parquet", ".csv", ".xlsx")

Files = dict[str, dict]  # name below reports/ → sha256, bytes and gegevens (the data's version)


def published_files(reports: Path) -> list[Path]:
    """Every file a reader opens, except the index: no hidden or temporary files."""
    return sorted(p for p in reports.rglob("*")
                  if p.is_file() and p.suffix in PUBLISHED and p != reports / INDEX
                  and not any(part.startswith(".") for part in p.relative_to(reports).parts))


def open_set(reports: Path) -> Files:
    """The files the previous manifest listed; the manifest itself is removed, so that the
    folder says it is unfinished until `close_set`."""
    path = reports / MANIFEST
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["bestanden"]
    except (OSError, ValueError, KeyError, TypeError):  # none, or not ours: nothing known
        files = {}
    path.unlink(missing_ok=True)
    return files


def _entry(path: Path, version: str | None) -> dict:
    return {"sha256": sha256(path), "bytes": path.stat().st_size, "gegevens": version}


def current_files(reports: Path, written: Collection[Path], version: str,
                  previous: Mapping[str, dict]) -> Files:
    """Every published file in `reports` and the data it was made from; `written` are the
    files this build made from the data with `version`."""
    files: Files = {}
    for path in published_files(reports):
        name = path.relative_to(reports).as_posix()
        entry = _entry(path, version if path in written else None)
        before = previous.get(name, {})
        if path not in written and before.get("sha256") == entry["sha256"]:
            entry["gegevens"] = before.get("gegevens")
        files[name] = entry
    return files


def close_set(reports: Path, files: Files, version: str, today: dt.date) -> Path:
    """Write the manifest: `files`, the index beside them, and the current data's version."""
    manifest = {"manifest_versie": 1, "software": f"woonzorgmonitor {__version__}",
                "datum": today.isoformat(), "gegevens": version,
                "bestanden": {**files, INDEX: _entry(reports / INDEX, version)}}
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return write_file(reports / MANIFEST, lambda path: path.write_text(text, encoding="utf-8"))
