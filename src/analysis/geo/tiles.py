"""The offline fallback: one square tile per gemeente, in a roughly geographic arrangement.

The maps draw a tile grid like real boundaries (same columns, polygons), so a build without
boundary files still shows every gemeente, equally large, with a note for the reader that the
boundaries were not available (how to fetch them is `geo.load`'s message to the analyst). A
tile grid has no CRS (its unit is one tile); that is how the maps recognise it.

Layouts are data (`tegels.csv`: region, code, column, row; row 0 on top). The Haaglanden layout
was derived once with `derive_layout` from the centroids of the CBS 2025 boundaries; a test
checks that it still follows from them. A region without a layout gets an alphabetical grid.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from importlib import resources

import geopandas as gpd
import numpy as np
import shapely

from analysis.config import RegionConfig

Cell = tuple[int, int]  # (column, row), row 0 at the top
LAYOUT_FILE = "tegels.csv"
GAP = 0.08  # white space between tiles, in tiles


def tile_grid(region: RegionConfig) -> gpd.GeoDataFrame:
    """One tile per gemeente of the region, with the columns of loaded boundaries; `jaar` is
    the boundary year the settings ask for (the one to fetch)."""
    layout = packaged_layout(region.gemeenten) or alphabetical_layout(region)
    codes = list(region.gemeenten)
    return gpd.GeoDataFrame(
        {"code": codes, "naam": [region.gemeente_naam(c) for c in codes], "gemeente": codes,
         "jaar": region.geo.jaar},
        geometry=[_tile(*layout[code]) for code in codes], crs=None)


def is_tile_grid(frame: gpd.GeoDataFrame) -> bool:
    return frame.crs is None


def _tile(column: int, row: int) -> shapely.Polygon:
    half = GAP / 2
    return shapely.box(column + half, -row - 1 + half, column + 1 - half, -row - half)


def packaged_layout(gemeenten: tuple[str, ...]) -> dict[str, Cell] | None:
    """The packaged layout for exactly these gemeenten, if there is one."""
    layouts: dict[str, dict[str, Cell]] = {}
    text = resources.files("analysis.geo").joinpath(LAYOUT_FILE).read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):
        layouts.setdefault(row["regio"], {})[row["code"]] = (int(row["kolom"]), int(row["rij"]))
    return next((layout for layout in layouts.values() if set(layout) == set(gemeenten)), None)


def alphabetical_layout(region: RegionConfig) -> dict[str, Cell]:
    """Gemeenten by name in a near-square grid, row by row."""
    ordered = sorted(region.gemeenten, key=region.gemeente_naam)
    columns = math.ceil(math.sqrt(len(ordered)))
    return {code: (i % columns, i // columns) for i, code in enumerate(ordered)}


def derive_layout(centroids: Mapping[str, tuple[float, float]]) -> dict[str, Cell]:
    """A tile layout that keeps each gemeente near its centroid (x east, y north).

    The cell is as large as each gemeente's share of the centroids' bounding box, so the grid
    comes out compact. Each gemeente takes the nearest free cell (closest pairs first), then
    pairs swap cells while that lowers the total squared displacement.
    """
    codes = sorted(centroids)
    xy = np.array([centroids[c] for c in codes], dtype=float)
    span = xy.max(axis=0) - xy.min(axis=0)
    size = math.sqrt(span[0] * span[1] / len(codes)) or max(span.max() / len(codes), 1.0)
    # Grid position: columns eastwards, rows southwards from the northernmost centroid.
    position = np.column_stack([(xy[:, 0] - xy[:, 0].min()) / size,
                                (xy[:, 1].max() - xy[:, 1]) / size])
    cells = [(c, r) for c in range(-1, math.ceil(position[:, 0].max()) + 2)
             for r in range(-1, math.ceil(position[:, 1].max()) + 2)]

    def cost(i: int, cell: Cell) -> float:
        return float(np.sum((position[i] - cell) ** 2))

    assigned: dict[int, Cell] = {}
    for _, i, cell in sorted((cost(i, cell), i, cell) for i in range(len(codes))
                             for cell in cells):
        if i not in assigned and cell not in assigned.values():
            assigned[i] = cell
    _improve_by_swaps(assigned, cost)
    left = min(c for c, _ in assigned.values())
    top = min(r for _, r in assigned.values())
    return {codes[i]: (c - left, r - top) for i, (c, r) in sorted(assigned.items())}


def _improve_by_swaps(assigned: dict[int, Cell], cost) -> None:
    improved = True
    while improved:
        improved = False
        for i in assigned:
            for j in assigned:
                a, b = assigned[i], assigned[j]
                if i < j and cost(i, b) + cost(j, a) < cost(i, a) + cost(j, b) - 1e-9:
                    assigned[i], assigned[j] = b, a
                    improved = True
