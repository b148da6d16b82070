"""Wijk codes: read from a CBS wijk GeoJSON and drawn per letting, last of all random draws."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from analysis import codes
from analysis.config import RegionConfig
from analysis.demo.calibration import calibration
from analysis.demo.errors import DemoError
from analysis.layout import SHIPPED_BOUNDARIES


def find_wijk_file(out_dir: Path) -> Path:
    """A wijk GeoJSON beside the raw exports (from `woonzorg geo fetch`), else the wijken
    shipped with the package."""
    candidates = sorted((out_dir / "geo").glob("*wijk*.geojson"))
    return candidates[0] if candidates else SHIPPED_BOUNDARIES / "wijk_2025_rd.geojson.gz"


def load_wijken(path: Path) -> dict[str, tuple[str, ...]]:
    """Wijk codes per gemeente code from a CBS wijk GeoJSON (properties statcode, gmCode)."""
    try:
        raw = Path(path).read_bytes()
        data = json.loads(gzip.decompress(raw) if Path(path).suffix == ".gz" else raw)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise DemoError(f"{path}: kan wijkgrenzen niet lezen ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise DemoError(f"{path}: geen geldige GeoJSON ({exc})") from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise DemoError(f"{path}: geen GeoJSON FeatureCollection")
    found: dict[str, set[str]] = {}
    for feature in features:
        props = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
        code = str(props.get("statcode") or "")
        if not re.fullmatch(r"WK\d{6}", code):
            continue
        gemeente = str(props.get("gmCode") or f"GM{code[2:6]}")
        if gemeente[2:6] == code[2:6]:  # a wijk must lie in its own gemeente
            found.setdefault(gemeente, set()).add(code)
    return {g: tuple(sorted(c)) for g, c in sorted(found.items())}


def region_wijken(path: Path, config: RegionConfig, notes: list[str]
                  ) -> dict[str, tuple[str, ...]]:
    """The region's wijk codes per gemeente; what is missing goes to `notes` in Dutch."""
    per_gemeente = load_wijken(path)
    region = {g: per_gemeente[g] for g in sorted(config.gemeenten) if g in per_gemeente}
    if not region:
        notes.append(f"{Path(path).name} bevat geen wijken van de regio: kolom wijk_code "
                     "blijft leeg")
        return {}
    total = sum(len(c) for c in region.values())
    notes.append(f"wijkcodes getrokken uit {Path(path).name} ({total} wijken in de regio)")
    for g in sorted(set(config.gemeenten) - set(region)):
        notes.append(f"geen wijken voor {config.gemeente_naam(g)} ({g}) in {Path(path).name}: "
                     "wijk_code blijft daar leeg")
    return region


def draw_wijk_codes(
    rng: np.random.Generator,
    lettings: Mapping[str, np.ndarray],
    wijken: Mapping[str, Sequence[str]],
) -> np.ndarray:
    """Wijk of each home: lettings follow each wijk's social stock, and priority lettings pile
    up in a few wijken with much of it (figures and sources: `wijken` in kalibratie.yml)."""
    cal = calibration().wijken
    gemeente, doelgroep = lettings["gemeente"], lettings["doelgroep"]
    out = np.full(len(gemeente), "", dtype=object)
    for g in sorted(wijken):
        options = np.array(wijken[g])
        stock = rng.gamma(cal.voorraad_vorm, size=len(options))  # few wijken hold much stock
        focus = stock * rng.lognormal(0.0, cal.ruis, size=len(options))
        # Piling up happens where stock is plentiful, cheap and turns over: above the median.
        candidates = np.flatnonzero(stock > np.median(stock))
        count = min(round(cal.ophoping_aandeel * len(options)), len(candidates))
        piled = rng.choice(candidates, size=count, replace=False)
        focus[piled] *= rng.uniform(*cal.ophoping_factor, size=count)
        in_g = gemeente == g
        for mask, weights in ((in_g & (doelgroep == codes.NO_GROUP), stock),
                              (in_g & (doelgroep != codes.NO_GROUP), focus)):
            out[mask] = rng.choice(options, size=int(mask.sum()), p=weights / weights.sum())
    return out
