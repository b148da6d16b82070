"""`generate_demo`: draw every source in a fixed order from one seed, then write the files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.config import RegionConfig, load_config
from analysis.demo.calibration import calibration
from analysis.demo.errors import DemoError
from analysis.demo.lettings import household_sizes, letting_columns, waiting_columns
from analysis.demo.rows import cbs_rows, ppm_rows, taakstelling_rows, voorraad_rows
from analysis.demo.wijken import draw_wijk_codes, find_wijk_file, region_wijken
from analysis.demo.writers import (
    CBS_FILE,
    PPM_FILE,
    TAAKSTELLING_FILE,
    VOORRAAD_FILE,
    real_exports,
    verhuringen_file,
    write_cbs,
    write_marker,
    write_ppm,
    write_taakstelling,
    write_verhuringen,
    write_voorraad,
)
from analysis.layout import DEMO_MARKER

DEFAULT_SEED = 20250701
# Smallest volume for `verhuringen_per_jaar`: below it the smallest gemeenten get years without
# a single letting and the group mixes lose their meaning.
MIN_VERHURINGEN_PER_JAAR = 1_000


@dataclass
class DemoResult:
    files: list[Path] = field(default_factory=list)  # written files, marker last
    notes: list[str] = field(default_factory=list)  # Dutch remarks for the user


def generate_demo(
    out_dir: Path,
    *,
    config: RegionConfig | None = None,
    wijken: Path | None = None,
    seed: int = DEFAULT_SEED,
    verhuringen_per_jaar: int | None = None,
    progress: Callable[[str], None] | None = None,
    overwrite: bool = False,
) -> DemoResult:
    """Write the demo raw files into `out_dir` and a DEMO.json marker with their checksums.

    `wijken` is a CBS wijk GeoJSON; without it the first `out_dir/geo/*wijk*.geojson` is used,
    else the wijken shipped with the package (`layout.SHIPPED_BOUNDARIES`).
    `verhuringen_per_jaar` scales the region to about that many lettings a year for the region
    as a whole (see `region_scale`); None keeps the calibrated Haaglanden volume (≈ 8,800).
    A folder with real exports (`real_exports`) is refused unless `overwrite`: the demo would
    replace those of the same name, and its marker would label the rest as demo.
    """
    config = config or load_config()
    out_dir = Path(out_dir)
    real = [] if overwrite else real_exports(out_dir)
    if real:
        raise DemoError(f"{out_dir} bevat echte exports ({', '.join(real)}): de demo zou ze "
                        "overschrijven of als DEMO markeren. Kies een andere map met --out, of "
                        "geef --overschrijf als dat echt de bedoeling is")
    _check_calibrated(config)
    scale = region_scale(config, verhuringen_per_jaar)
    result = DemoResult()
    report = progress or (lambda _message: None)
    wijk_file = wijken if wijken is not None else find_wijk_file(out_dir)
    wijk_codes = region_wijken(wijk_file, config, result.notes)  # fails before writing
    out_dir.mkdir(parents=True, exist_ok=True)

    # One generator, drawn in this order; wijk codes last so a boundary file changes nothing else.
    rng = np.random.default_rng(seed)
    voorraad = voorraad_rows(config, rng, scale)
    cbs = cbs_rows(config, rng, scale)
    ppm = ppm_rows(config, rng, scale)
    lettings = letting_columns(config, voorraad, rng)
    lettings["wijk_code"] = draw_wijk_codes(rng, lettings, wijk_codes)
    # Waiting times and household sizes each from a child stream of the seed, so the columns
    # above (and each other) stay as they were when they were added.
    waiting, sizes = (np.random.default_rng(child)
                      for child in np.random.SeedSequence(seed).spawn(2))
    lettings.update(waiting_columns(waiting, lettings))
    lettings["aantal_personen"] = household_sizes(sizes, lettings)
    taakstelling = taakstelling_rows(cbs)  # from the inhabitants: no random numbers

    writers: list[tuple[str, Callable[[Path], None]]] = [
        (verhuringen_file(config), lambda p: write_verhuringen(p, lettings)),
        (VOORRAAD_FILE, lambda p: write_voorraad(p, voorraad)),
        (PPM_FILE, lambda p: write_ppm(p, ppm)),
        (CBS_FILE, lambda p: write_cbs(p, cbs)),
        (TAAKSTELLING_FILE, lambda p: write_taakstelling(p, taakstelling)),
    ]
    for name, write in writers:
        path = out_dir / name
        write(path)
        result.files.append(path)
        report(f"{name} geschreven")

    marker = out_dir / DEMO_MARKER
    write_marker(marker, seed, result.files, wijk_file if wijk_codes else None,
                 verhuringen_per_jaar)
    result.files.append(marker)
    report(f"{DEMO_MARKER} geschreven")
    return result


def _check_calibrated(config: RegionConfig) -> None:
    missing = [g for g in config.gemeenten if g not in calibration().voorraad.start]
    if missing:
        raise DemoError(
            "de demo is gekalibreerd op de Haaglanden-gemeenten; geen demogegevens voor "
            + ", ".join(missing)
        )


def expected_verhuringen_per_jaar(config: RegionConfig) -> float:
    """Lettings a year the calibration gives for the region, averaged over the period (the
    trend of stock and mutatiegraad without noise)."""
    start, graden = calibration().voorraad.start, calibration().mutatiegraad
    totals = [
        sum(start[g][0] * (1 + start[g][1]) ** i * graden.per_gemeente[g]
            for g in config.gemeenten) * graden.jaarfactor.get(jaar, 1.0)
        for i, jaar in enumerate(config.jaren)
    ]
    return sum(totals) / len(totals)


def region_scale(config: RegionConfig, verhuringen_per_jaar: int | None) -> float:
    """Factor on every absolute figure so the region lets about `verhuringen_per_jaar` homes a
    year; 1.0 (the calibrated volume) for None."""
    if verhuringen_per_jaar is None:
        return 1.0
    if verhuringen_per_jaar < MIN_VERHURINGEN_PER_JAAR:
        raise DemoError(f"verhuringen per jaar moet minstens {MIN_VERHURINGEN_PER_JAAR} zijn, "
                        f"niet {verhuringen_per_jaar}")
    return verhuringen_per_jaar / expected_verhuringen_per_jaar(config)
