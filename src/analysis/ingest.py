"""Raw exports → validated Parquet in data/processed plus a manifest for the provenance appendix.

Nothing is written unless every source passes: outputs go to a temporary folder first and are
moved into place one by one, the manifest last, so a reader never sees a half-finished set.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import __version__
from analysis.config import RegionConfig
from analysis.contracts import CONTRACTS, Contract
from analysis.issues import InputError, Issue
from analysis.layout import (
    DEMO_LABEL,
    DEMO_MARKER,
    MANIFEST,
    RAW_IGNORED,
    RAW_SUFFIXES,
    source_file,
)
from analysis.readers import read_regular_file
from analysis.storage import sha256, write_all
from analysis.validate import SourceResult, contract_for_file, validate_source

Progress = Callable[[str], None]


@dataclass(frozen=True)
class IngestResult:
    manifest: dict
    warnings: tuple[Issue, ...]


def discover(raw_dir: Path) -> tuple[dict[str, list[Path]], list[Issue]]:
    """Input files per source, matched on file name; other files are reported and skipped."""
    found: dict[str, list[Path]] = {contract.id: [] for contract in CONTRACTS}
    issues: list[Issue] = []
    for path in sorted(Path(raw_dir).iterdir()):
        if path.is_dir() or path.name.startswith(".") or path.name.lower() in RAW_IGNORED:
            continue
        contract = contract_for_file(path)
        if contract is None or path.suffix.lower() not in RAW_SUFFIXES:
            names = ", ".join(c.file_patterns[0] for c in CONTRACTS)
            issues.append(Issue(path.name, "bestand hoort bij geen bron en wordt overgeslagen",
                                severity="waarschuwing", expected=f"namen als {names}"))
            continue
        found[contract.id].append(path)
    return found, issues


def validate_all(raw_dir: Path, config: RegionConfig, progress: Progress | None = None
                 ) -> tuple[list[SourceResult], list[Issue]]:
    found, issues = discover(raw_dir)
    results = []
    for step, contract in enumerate(CONTRACTS, start=1):
        if progress:
            progress(f"[{step}/{len(CONTRACTS)}] {contract.title}: "
                     + (f"{len(found[contract.id])} bestand(en) controleren"
                        if found[contract.id] or contract.required
                        else "niet aangeleverd (optioneel)"))
        result = validate_source(contract, found[contract.id], config)
        results.append(result)
        issues.extend(result.issues)
    return results, sorted(issues, key=Issue.sort_key)


def _demo_status(raw_dir: Path, results: list[SourceResult]) -> tuple[dict | None, list[Issue]]:
    """Demo data carries a marker; when present every output is labelled as demo, and files that
    differ from what the generator wrote are named, since they were changed by hand."""
    marker = Path(raw_dir) / DEMO_MARKER
    if not marker.exists():
        return None, []
    try:
        info = json.loads(read_regular_file(marker))
    except ValueError as exc:  # not JSON, or not UTF-8
        raise InputError([Issue(DEMO_MARKER, f"demo-kenmerk is onleesbaar ({exc})")]) from exc
    listed = info.get("bestanden", {}) if isinstance(info, dict) else {}
    warnings = [
        Issue(file.table.name, "bestand wijkt af van de gegenereerde demogegevens; de uitvoer "
                               "wordt toch als DEMO gemarkeerd", severity="waarschuwing")
        for result in results for file in result.files
        if listed.get(file.table.name) != file.table.sha256
    ]
    return info, warnings


def _period(frame: pd.DataFrame, contract: Contract) -> dict[str, object]:
    values = frame[contract.period_column]
    low, high = values.min(), values.max()
    if isinstance(low, pd.Timestamp):
        return {"van": low.date().isoformat(), "tot_en_met": high.date().isoformat()}
    return {"van": int(low), "tot_en_met": int(high)}


def _source_entry(result: SourceResult, output: Path) -> dict:
    contract = result.contract
    assert result.frame is not None
    return {
        "titel": contract.title,
        "contract_versie": contract.version,
        "rijen": len(result.frame),
        "periode": _period(result.frame, contract),
        "bestanden": [
            {
                "naam": file.table.name,
                "grootte_bytes": file.table.size,
                "sha256": file.table.sha256,
                "rijen": file.rows,
                "bladen": list(file.table.sheets),
                "kopregel": file.table.header_row,
                "codering": file.table.encoding,
                "scheidingsteken": file.table.delimiter,
            }
            for file in result.files
        ],
        "uitvoer": {"bestand": output.name, "sha256": sha256(output)},
    }


def ingest(raw_dir: Path, processed_dir: Path, config: RegionConfig,
           progress: Progress | None = None,
           check: Callable[[Sequence[SourceResult]], list[Issue]] | None = None
           ) -> IngestResult:
    """Validate every source in `raw_dir` and write Parquet + manifest to `processed_dir`;
    `check` adds what the next step needs of the valid sources (settings the contracts do not
    know, such as the year of the taakstelling).

    Raises InputError with all errors (and warnings) when any source fails; then nothing in
    `processed_dir` changes."""
    raw_dir, processed_dir = Path(raw_dir), Path(processed_dir)
    if not raw_dir.is_dir():
        raise InputError([Issue(str(raw_dir), "map met ruwe gegevens bestaat niet")])
    results, issues = validate_all(raw_dir, config, progress)
    if check is not None and not any(issue.is_error for issue in issues):
        issues = [*issues, *check(results)]
    if any(issue.is_error for issue in issues):
        raise InputError(issues)
    demo, demo_warnings = _demo_status(raw_dir, results)
    warnings = sorted([*issues, *demo_warnings], key=Issue.sort_key)
    manifest: dict = {
        "manifest_versie": 1,
        "software": f"woonzorgmonitor {__version__}",
        "demo": demo is not None,
        "demo_label": DEMO_LABEL if demo is not None else None,
        "demo_generator": demo,
        "regio": {"naam": config.naam, "gemeenten": list(config.gemeenten)},
        "periode": {"van": config.jaar_van, "tot_en_met": config.jaar_tot_en_met},
        "configuratie": config.bron,
        "bronnen": {},
        # Optional sources without a file: id → title, so every reader can say so.
        "niet_aangeleverd": {r.contract.id: r.contract.title for r in results
                             if r.frame is None},
        "waarschuwingen": [str(issue) for issue in warnings],
    }

    def parquet_writer(result: SourceResult) -> Callable[[Path], None]:
        def write(path: Path) -> None:
            assert result.frame is not None
            result.frame.to_parquet(path, index=False, engine="pyarrow")
            manifest["bronnen"][result.contract.id] = _source_entry(result, path)
            if progress:
                progress(f"{result.contract.title}: {len(result.frame)} rijen → {path.name}")
        return write

    def write_manifest(path: Path) -> None:
        path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True)
                        + "\n", encoding="utf-8")

    writers = {source_file(r.contract.id): parquet_writer(r) for r in results
               if r.frame is not None}
    # An optional source delivered before but not now: its old Parquet file goes.
    stale = [source_file(source) for source in manifest["niet_aangeleverd"]]
    write_all(processed_dir, {**writers, MANIFEST: write_manifest}, last=MANIFEST,
              remove=stale)
    return IngestResult(manifest, tuple(warnings))
