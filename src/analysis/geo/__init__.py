"""Boundaries for the maps: fetch them from CBS/PDOK, load and check them, or fall back to a
tile grid when there are none.

`fetch.fetch_boundaries` downloads the generalised gemeente and wijk boundaries of one year into
data/raw/geo with a provenance record; `load.load_boundaries` reads a file in RD New with one
row per area (`code`, `naam`, `gemeente`, geometry) and checks it against the region;
`tiles.tile_grid` draws one square per gemeente when no boundaries are available.
Maps are made in `analysis.figures.maps`.
"""

from analysis.geo.errors import BoundariesMissing, GeoError
from analysis.geo.fetch import fetch_boundaries
from analysis.geo.load import boundaries_or_tiles, load_boundaries, map_layers
from analysis.geo.tiles import derive_layout, tile_grid

__all__ = [
    "BoundariesMissing",
    "GeoError",
    "boundaries_or_tiles",
    "derive_layout",
    "fetch_boundaries",
    "load_boundaries",
    "map_layers",
    "tile_grid",
]
