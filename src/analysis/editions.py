"""Editions: what a build published, kept under a label (`woonzorg build --editie LABEL`), and
the comparison of every build with the most recent earlier edition.

An edition folder (`data/edities/LABEL/`) holds the published indicator table and model results
(`layout.PUBLISHED_*`: hidden figures already empty), the sources' manifest and `editie.json`
(label, time of creation, region, period, demo, source checksums, package version and the
checksum of every file). It is staged beside its place and renamed into it when complete, so a
killed build leaves no half edition, only a `storage.STAGING` folder that the next build
removes. "Most recent" is the time written in editie.json, never a file's mtime: copying a
folder must not change which edition came before.

The comparison covers the key figures of the settings (`config.EditionSettings`): rows without a
breakdown (categorie 'alle'), for every gemeente and the region and every doelgroep (each report
picks its own), per year and over more years; quarters and half years add up to the year, so a
revision is listed once per year rather than once per part. Only a figure shown in both editions
is compared: a hidden one is empty and is never compared or written down; one that became hidden
or shown is only counted."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import __version__
from analysis.config import ConfigError, EditionSettings, RegionConfig
from analysis.disclosure import SHOWN
from analysis.indicators.catalogue import catalogue
from analysis.indicators.table import ALLE
from analysis.layout import (
    CHANGES,
    CHANGES_BASIS,
    MANIFEST,
    PUBLISHED_INDICATORS,
    PUBLISHED_MODEL_REGION,
    PUBLISHED_MODEL_RESULTS,
    PUBLISHED_MODEL_TRACE,
)
from analysis.storage import STAGING, Writer, sha256
from analysis.tables import decimals_for

FOLDER_NAME = "edities"  # beside the processed folder: data/edities
EDITION_MANIFEST = "editie.json"  # written into the staged folder last
EDITION_FILES = (PUBLISHED_INDICATORS, PUBLISHED_MODEL_RESULTS, PUBLISHED_MODEL_REGION,
                 PUBLISHED_MODEL_TRACE, MANIFEST)
LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
LABEL_RULE = ("letters, cijfers, punt, koppelteken en liggend streepje, te beginnen met een "
              "letter of cijfer, hoogstens 64 tekens (bijvoorbeeld 2025-H2)")
OVERWRITE_OPTION = "--overschrijf-editie"

LEVELS = ("gemeente", "regio")
PERIODS = r"\d{4}(?:-\d{4})?"  # '2024', '2021-2025'
KEYS = ["indicator", "gebiedsniveau", "gebied", "doelgroep", "categorie", "periode"]
# soort of a row of the comparison
CHANGED, NEW_PERIOD = "gewijzigd", "nieuwe periode"
HIDDEN, SHOWN_NOW = "afgeschermd", "zichtbaar"  # counted only: both values stay empty
COLUMNS = [*KEYS, "vorige", "nieuw", "verschil", "soort"]
NUMBERS = {"vorige": "float64", "nieuw": "float64", "verschil": "float64"}


class EditionError(ValueError):
    """An edition that cannot be written or read; the message says which and what to do."""


@dataclass(frozen=True)
class Edition:
    label: str
    created: dt.datetime  # from editie.json, with its time zone
    folder: Path | None = None  # None: known only from a comparison (`read_comparison`)
    record: dict | None = None  # editie.json


def default_folder(processed_dir: Path) -> Path:
    """The editions folder beside the processed folder (data/edities)."""
    return Path(processed_dir).parent / FOLDER_NAME


def check_label(label: str) -> str:
    """A label is a folder name: nothing that leaves the editions folder or hides in it."""
    if not LABEL.fullmatch(label):
        raise EditionError(f"'{label}' kan geen editie heten; gebruik {LABEL_RULE}")
    return label


def check_new(folder: Path, label: str, overwrite: bool = False) -> None:
    """Refuse an invalid label, or one that is taken unless it is to be overwritten."""
    check_label(label)
    if (Path(folder) / label).exists() and not overwrite:
        raise EditionError(f"editie '{label}' bestaat al in {folder}; kies een ander label, of "
                           f"vervang de bestaande editie met {OVERWRITE_OPTION}")


def check_settings(region: RegionConfig) -> None:
    """The indicators of the `edities` block must be in the catalogue (config cannot read it)."""
    unknown = [i for i in region.edities.indicatoren if i not in catalogue()]
    if unknown:
        raise ConfigError(f"{region.bron}: instelling 'edities.indicatoren': onbekende "
                          f"indicator(en) {', '.join(unknown)}; zie docs/indicatoren.md")


def list_editions(folder: Path) -> list[Edition]:
    """Every complete edition in `folder`, oldest first. A folder without a readable editie.json
    with a time zone is not an edition (nor are hidden and staging folders)."""
    found = []
    for path in sorted(Path(folder).iterdir()) if Path(folder).is_dir() else []:
        if not path.is_dir() or path.name.startswith("."):
            continue
        try:
            record = json.loads((path / EDITION_MANIFEST).read_text(encoding="utf-8"))
            created = dt.datetime.fromisoformat(record["aangemaakt"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if created.tzinfo is not None:
            found.append(Edition(path.name, created, path, record))
    return sorted(found, key=lambda edition: edition.created)


def previous_edition(folder: Path, region: RegionConfig, demo: bool, before: dt.datetime,
                     exclude: str | None = None) -> Edition | None:
    """The most recent edition of the same region and kind of data (demo or not) created
    before `before`, other than `exclude` (the label this build writes)."""
    earlier = [e for e in list_editions(folder) if e.label != exclude and e.created < before
               and e.record.get("regio") == region.naam and e.record.get("demo") == demo]
    return earlier[-1] if earlier else None


def published_indicators(edition: Edition) -> pd.DataFrame:
    """The published indicator table of an edition, once its checksum is the one recorded."""
    path = edition.folder / PUBLISHED_INDICATORS
    try:
        intact = sha256(path) == edition.record.get("bestanden", {}).get(PUBLISHED_INDICATORS)
    except OSError:
        intact = False
    if not intact:
        raise EditionError(f"editie '{edition.label}' in {edition.folder.parent} is beschadigd: "
                           f"{PUBLISHED_INDICATORS} ontbreekt of is veranderd; zet de map terug "
                           "uit een reservekopie of verwijder haar")
    return pd.read_parquet(path)


def save_edition(folder: Path, label: str, processed_dir: Path, region: RegionConfig, *,
                 overwrite: bool = False, created: dt.datetime | None = None) -> Path:
    """Copy what the build in `processed_dir` published into `folder/label`, in one step."""
    check_new(folder, label, overwrite)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{label}-", dir=folder))
    replaced = None
    try:
        for name in EDITION_FILES:
            shutil.copyfile(processed_dir / name, staging / name)
        sources = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
        record = {
            "label": label,
            "aangemaakt": (created or dt.datetime.now().astimezone()).isoformat(),
            "regio": region.naam,
            "periode": {"van": region.jaar_van, "tot_en_met": region.jaar_tot_en_met},
            "demo": bool(sources.get("demo")),
            "versie": __version__,
            "bronnen": {source: [f["sha256"] for f in entry["bestanden"]]
                        for source, entry in sources["bronnen"].items()},
            "bestanden": {name: sha256(staging / name) for name in EDITION_FILES},
        }
        (staging / EDITION_MANIFEST).write_text(
            json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8")
        staging.chmod(0o755)  # mkdtemp makes it private; colleagues read editions
        target = folder / label
        if target.exists():  # overwrite (checked above): move the old one out of the way
            replaced = Path(tempfile.mkdtemp(prefix=f"{STAGING}{label}-oud-", dir=folder))
            os.replace(target, replaced / label)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if replaced is not None:
            shutil.rmtree(replaced, ignore_errors=True)
    return target


def key_figures(table: pd.DataFrame, settings: EditionSettings) -> pd.DataFrame:
    """The rows of a published indicator table that editions are compared on."""
    keep = (table["indicator"].isin(settings.indicatoren)
            & table["gebiedsniveau"].isin(LEVELS) & table["categorie"].eq(ALLE)
            & table["periode"].str.fullmatch(PERIODS))
    return table.loc[keep, [*KEYS, "waarde", "status"]]


def _steps(value: float, decimals: int) -> int:
    """`value` as a whole number of its last shown decimal, rounded as `tables` does (half
    away from zero on the decimal as written), so differences are those of the shown figures."""
    return int(Decimal(str(value)).scaleb(decimals).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def compare(previous: pd.DataFrame, current: pd.DataFrame,
            settings: EditionSettings) -> pd.DataFrame:
    """Pure: two published indicator tables → the key figures of earlier periods whose shown
    value moved by more than the tolerance ('gewijzigd', with `verschil` the difference of the
    shown values), those that became hidden or shown (counted, no values), and every key figure
    of the periods that are new ('nieuwe periode', the current value)."""
    old, new = key_figures(previous, settings), key_figures(current, settings)
    both = new.merge(old, on=KEYS, suffixes=("", "_vorige"))
    units = both["indicator"].map(lambda i: catalogue()[i].eenheid)
    decimals = units.map(decimals_for)
    # shown: a value with its status; the published table leaves a hidden value empty anyway
    shown_old = both["waarde_vorige"].notna() & both["status_vorige"].eq(SHOWN)
    shown_new = both["waarde"].notna() & both["status"].eq(SHOWN)
    compared = both[shown_old & shown_new]
    places = decimals[compared.index]
    difference = pd.Series(
        [(_steps(n, d) - _steps(o, d)) / 10**d
         for n, o, d in zip(compared["waarde"], compared["waarde_vorige"], places, strict=True)],
        index=compared.index, dtype="float64")
    tolerance = np.where(units[compared.index] == "procent", settings.tolerantie_procentpunt,
                         settings.tolerantie_aantal)
    moved = compared[difference.abs() > tolerance]
    parts = [
        moved[KEYS].assign(vorige=moved["waarde_vorige"], nieuw=moved["waarde"],
                           verschil=difference[moved.index], soort=CHANGED),
        both.loc[shown_old & both["status"].ne(SHOWN), KEYS].assign(soort=HIDDEN),
        both.loc[both["status_vorige"].ne(SHOWN) & shown_new, KEYS].assign(soort=SHOWN_NOW),
    ]
    fresh = new[~new["periode"].isin(set(old["periode"]))]
    parts.append(fresh[KEYS].assign(nieuw=fresh["waarde"], soort=NEW_PERIOD))
    return _rows(parts)


def _rows(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [part for part in parts if len(part)]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return frame.reindex(columns=COLUMNS).astype(NUMBERS)


@dataclass(frozen=True)
class Comparison:
    """What a build writes to the processed folder: the rows of `compare` and the edition they
    were compared with (None: there was no earlier edition, and no rows)."""

    changes: pd.DataFrame
    previous: Edition | None


def comparison(folder: Path, current: pd.DataFrame, region: RegionConfig, demo: bool,
               before: dt.datetime, exclude: str | None = None) -> Comparison:
    """The published table of this build compared with the previous edition in `folder`."""
    previous = previous_edition(folder, region, demo, before, exclude)
    if previous is None:
        return Comparison(_rows([]), None)
    return Comparison(compare(published_indicators(previous), current, region.edities),
                      previous)


def comparison_writers(result: Comparison) -> dict[str, Writer]:
    """`storage.write_all` writers for the two files in the processed folder."""
    basis = None if result.previous is None else {
        "label": result.previous.label, "aangemaakt": result.previous.created.isoformat()}

    def basis_file(path: Path) -> None:
        path.write_text(json.dumps({"vorige_editie": basis}, indent=2, ensure_ascii=False)
                        + "\n", encoding="utf-8")

    return {CHANGES: lambda path: result.changes.to_parquet(path, index=False),
            CHANGES_BASIS: basis_file}


def read_comparison(processed_dir: Path) -> Comparison:
    """The comparison a build wrote beside its results."""
    record = json.loads((Path(processed_dir) / CHANGES_BASIS).read_text(encoding="utf-8"))
    basis = record["vorige_editie"]
    previous = None if basis is None else Edition(
        basis["label"], dt.datetime.fromisoformat(basis["aangemaakt"]))
    return Comparison(pd.read_parquet(Path(processed_dir) / CHANGES), previous)
