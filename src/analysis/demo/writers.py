"""The demo's files, written as real exports come (the only functions that touch the disk).

Every byte is fixed by the data: XLSX metadata and zip entries carry a fixed timestamp, and the
DEMO.json marker lists the files with their checksums.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
from openpyxl.styles import Font

from analysis import codes
from analysis.config import RegionConfig
from analysis.contracts import verhuringen
from analysis.demo.rows import Row
from analysis.layout import DEMO_LABEL, DEMO_MARKER, RAW_IGNORED, RAW_SUFFIXES
from analysis.validate import contract_for_file

GENERATOR = "analysis.demo"  # in the marker and the XLSX metadata, whichever module writes
GENERATOR_VERSION = "1.3"  # raise when calibration or layout changes: the output changes with it
VOORRAAD_FILE = "svh_voorraad_mutaties.xlsx"
PPM_FILE = "ppm_woonopgave.csv"
CBS_FILE = "cbs_kerncijfers.csv"
TAAKSTELLING_FILE = "taakstelling_statushouders.csv"
VOORRAAD_TITLE = f"SVH — Sociale huurvoorraad en mutaties per gemeente — {DEMO_LABEL}"

# Fixed timestamp for the XLSX metadata and zip entries, so the file is byte-identical.
FIXED_TIMESTAMP = datetime(2025, 1, 1, 0, 0, 0)


def verhuringen_file(config: RegionConfig) -> str:
    """File name of the lettings CSV for the configured period."""
    return f"svh_verhuringen_{config.jaar_van}-{config.jaar_tot_en_met}.csv"


def _format_date(day: np.datetime64) -> str:
    iso = str(day)  # yyyy-mm-dd
    return f"{iso[8:10]}-{iso[5:7]}-{iso[0:4]}"


def _format_cent(cent: int) -> str:
    euros, cents = divmod(int(cent), 100)
    return f"{euros},{cents:02d}"


def _format_whole(value: float) -> str:
    """A whole number, or an empty cell for NaN (no value)."""
    return "" if np.isnan(value) else str(int(value))


def write_verhuringen(path: Path, lettings: Mapping[str, np.ndarray]) -> None:
    """`;`-separated, UTF-8 with BOM, CRLF, dd-mm-yyyy and decimal comma: as Excel saves it."""
    names = [c.name for c in verhuringen.CONTRACT.columns]
    cells = dict(lettings)
    cells["datum_verhuring"] = _format_each_distinct(lettings["datum"], _format_date)
    cells["kale_huur"] = _format_each_distinct(lettings["kale_huur"], _format_cent)
    for name in ("inschrijfduur", "zoekduur", "reacties", "aantal_personen"):
        cells[name] = _format_each_distinct(lettings[name], _format_whole)
    # Streamed to the file rather than built in memory: at national scale the text is ~270 MB.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows(zip(*(cells[n] for n in names), strict=True))


def _format_each_distinct(values: np.ndarray, format_one: Callable[[Any], str]) -> np.ndarray:
    """`format_one` applied per distinct value (a few thousand dates or rents, not millions of
    rows); the strings come back as an object array in the order of `values`."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return np.array([format_one(v) for v in distinct], dtype=object)[inverse]


def write_voorraad(path: Path, rows: Sequence[Row]) -> None:
    """XLSX with a title row, an empty row, the header on row 3; gemeente as official name."""
    names = codes.labels("gemeenten")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Voorraad"
    ws.append([VOORRAAD_TITLE])
    ws["A1"].font = Font(bold=True)
    ws.append([])
    header = ["gemeente", "jaar", "sociale_huurvoorraad", "mutaties"]
    ws.append(header)
    for row in rows:
        ws.append([names[str(row["gemeente"])], *(row[c] for c in header[1:])])
    for column, width in zip("ABCD", (26, 8, 22, 12), strict=True):
        ws.column_dimensions[column].width = width
    wb.properties.creator = GENERATOR
    wb.properties.title = VOORRAAD_TITLE
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_reproducible_zip(buffer.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    """Rewrite an XLSX with fixed timestamps: openpyxl stamps now() into core.xml and the zip."""
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                                 rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()


def write_ppm(path: Path, rows: Sequence[Row]) -> None:
    """`,`-separated, UTF-8 without BOM, LF line ends."""
    header = ["gemeente", "doelgroep", "jaar", "fase", "aantal", "eenheid"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=",", lineterminator="\n")
    writer.writerow(header)
    writer.writerows([row[c] for c in header] for row in rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def write_cbs(path: Path, rows: Sequence[Row]) -> None:
    """`;`-separated, Windows-1252, CRLF: as some StatLine exports come."""
    header = ["gemeente", "jaar", "inwoners", "huishoudens"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([row[c] for c in header] for row in rows)
    path.write_bytes(buffer.getvalue().encode("cp1252"))


def write_taakstelling(path: Path, rows: Sequence[Row]) -> None:
    """`;`-separated, UTF-8 with BOM, CRLF, gemeente as official name: as a table copied from
    the circulaire into Excel and saved as CSV."""
    names = codes.labels("gemeenten")
    header = ["gemeente", "jaar", "halfjaar", "taakstelling"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([names[str(row["gemeente"])], *(row[c] for c in header[1:])]
                     for row in rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def write_marker(path: Path, seed: int, files: Sequence[Path], wijk_file: Path | None,
                 verhuringen_per_jaar: int | None) -> None:
    """DEMO.json: tells ingest (and every report) that these inputs are synthetic. The volume is
    only recorded when it was chosen, so the calibrated demo keeps its bytes."""
    marker = {
        "demo": True,
        "label": DEMO_LABEL,
        "generator": GENERATOR,
        "generator_versie": GENERATOR_VERSION,
        "seed": seed,
        "wijkgrenzen": Path(wijk_file).name if wijk_file is not None else None,
        "bestanden": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files},
    }
    if verhuringen_per_jaar is not None:
        marker["verhuringen_per_jaar"] = verhuringen_per_jaar
    text = json.dumps(marker, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    path.write_bytes(text.encode("utf-8"))


def real_exports(out_dir: Path) -> list[str]:
    """The files in `out_dir` that ingest would take as a source (see `ingest.discover`) and
    that no earlier demo wrote as they are now: its marker lists each file's checksum, so a
    demo file that was replaced or edited by hand counts as real too."""
    if not out_dir.is_dir():
        return []
    try:
        marker = json.loads((out_dir / DEMO_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # no marker or an unreadable one: no file is from a demo
        marker = {}
    listed = marker.get("bestanden") if isinstance(marker, dict) else None
    written = listed if isinstance(listed, dict) else {}
    return [path.name for path in sorted(out_dir.iterdir())
            if path.is_file() and not path.name.startswith(".")
            and path.name.lower() not in RAW_IGNORED and path.suffix.lower() in RAW_SUFFIXES
            and contract_for_file(path) is not None
            and written.get(path.name) != hashlib.sha256(path.read_bytes()).hexdigest()]
