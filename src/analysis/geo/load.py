"""Read CBS boundaries into a checked GeoDataFrame in RD New (EPSG:28992).

One row per area with the columns `code` (CBS statcode, GM0518 or WK051801), `naam`
(statnaam), `gemeente` (the gemeente's code: gmCode for a wijk, the code itself for a
gemeente), `jaar` (the boundary year) and `geometry`, for the region's gemeenten only.
Values are joined on `code`, never on a name ("Rijswijk (ZH.)" is GM0603's official name).

Coordinate reference system, in this order: the `crs` argument; the file's own `crs` member;
otherwise the coordinates decide. GeoJSON without a `crs` member is WGS84 by the standard, but
CBS files in RD New often lack one: coordinates within the RD domain (x 0–300,000 m,
y 289,000–629,000 m) are taken as RD New, coordinates within ±180/±90 as WGS84 lon/lat; anything
else is an error. After reprojection every area must lie inside the RD domain.

The processed frame can be cached as GeoParquet in `cache_dir` (the build uses the `geo` folder
of data/processed) under a key of the file's sha256 and
the region, so a repeated build reads a few kilobytes instead of parsing the whole country.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Literal

import geopandas as gpd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from analysis import codes
from analysis.config import RegionConfig
from analysis.geo.errors import BoundariesMissing, GeoError
from analysis.geo.fetch import boundary_file
from analysis.geo.tiles import tile_grid
from analysis.layout import SHIPPED_BOUNDARIES
from analysis.storage import write_file

Level = Literal["gemeente", "wijk"]
RD = "EPSG:28992"
WGS84 = "EPSG:4326"
RD_X = (0, 300_000)  # the domain of RD New in metres
RD_Y = (289_000, 629_000)
LON, LAT = (-180, 180), (-90, 90)
CACHE_VERSION = 1  # raise when the processing changes, so old cache files are not used
COLUMNS = ["code", "naam", "gemeente", "jaar", "geometry"]
FETCH_HINT = "haal ze op met: woonzorg geo fetch --jaar {jaar}"


def load_boundaries(
    path_or_dir: Path | str | None,
    region: RegionConfig,
    level: Level,
    *,
    crs: str | int | None = None,
    cache_dir: Path | None = None,
) -> gpd.GeoDataFrame:
    """The region's gemeenten or wijken from a CBS GeoJSON, checked, in RD New.

    path_or_dir: a GeoJSON file, or a folder with `{level}_{jaar}.geojson` (or
        `{level}_{jaar}_rd.geojson`) for the year in the region's geo settings; None: the
        file or folder those settings name.
    crs: the file's coordinate system when it has no `crs` member and the coordinates do not
        tell (see the module docstring).
    cache_dir: where processed copies are kept; None: no cache.
    Raises BoundariesMissing when there is no such file, GeoError when it cannot be used (a
    configured gemeente missing, a geometry that cannot be repaired, an unknown CRS).
    """
    source = Path(path_or_dir) if path_or_dir is not None else configured(region, level)
    path = find_file(source, level, region.geo.jaar)
    try:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise GeoError(f"{path}: kan grenzen niet lezen ({exc})") from exc
    cached = _cache_path(cache_dir, data, region, level, crs)
    if cached is not None and cached.is_file():
        return gpd.read_parquet(cached)
    frame = _process(data, path, region, level, crs)
    if cached is not None:
        write_file(cached, frame.to_parquet)  # a build alongside never reads half a file
    return frame


def boundaries_or_tiles(region: RegionConfig, *, root: Path = Path(),
                        cache_dir: Path | None = None) -> gpd.GeoDataFrame:
    """The gemeente boundaries the settings point to, or the tile grid when there are none.

    Relative paths in the settings (and `cache_dir`) count from `root`, the project folder.
    Only a missing file falls back: boundaries that are there but wrong are an error.
    """
    try:
        return load_boundaries(configured(region, "gemeente", root), region, "gemeente",
                               cache_dir=None if cache_dir is None else root / cache_dir)
    except BoundariesMissing:
        return tile_grid(region)


def map_layers(region: RegionConfig, *, root: Path = Path(),
               cache_dir: Path | None = None) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The region's gemeente layer (boundaries, or the tile grid when there are none) and its
    wijk layer (no rows when there are no wijk boundaries); paths as in `boundaries_or_tiles`."""
    gemeenten = boundaries_or_tiles(region, root=root, cache_dir=cache_dir)
    try:
        wijken = load_boundaries(configured(region, "wijk", root), region, "wijk",
                                 cache_dir=None if cache_dir is None else root / cache_dir)
    except BoundariesMissing:
        wijken = gpd.GeoDataFrame(columns=COLUMNS, geometry="geometry", crs=RD)
    return tuple(layer.assign(naam=layer["naam"].map(codes.typographic))  # as documents print
                 for layer in (gemeenten, wijken))


def configured(region: RegionConfig, level: Level, root: Path = Path()) -> Path:
    """The file or folder the settings name for `level` (relative to `root`), else the
    boundaries shipped with the package."""
    source = region.geo.source(level)
    return SHIPPED_BOUNDARIES if source is None else root / source


def find_file(source: Path, level: Level, jaar: int) -> Path:
    """`source` itself, or the level's file for `jaar` in the folder `source` (GeoJSON, or
    gzip-compressed GeoJSON as shipped)."""
    if source.is_file():
        return source
    if source.is_dir():
        stem = boundary_file(level, jaar).removesuffix(".geojson")
        for name in (f"{stem}.geojson", f"{stem}_rd.geojson", f"{stem}_rd.geojson.gz"):
            if (source / name).is_file():
                return source / name
        missing = f"geen {level}grenzen voor {jaar} in {source}"
    else:
        missing = f"{source} bestaat niet"
    raise BoundariesMissing(f"{missing}; {FETCH_HINT.format(jaar=jaar)}")


def _cache_path(cache_dir: Path | None, data: bytes, region: RegionConfig, level: Level,
                crs: str | int | None) -> Path | None:
    if cache_dir is None:
        return None
    key = "|".join([str(CACHE_VERSION), hashlib.sha256(data).hexdigest(), level, str(crs),
                    ",".join(region.gemeenten), str(region.geo.jaar)])
    return Path(cache_dir) / f"{level}_{hashlib.sha256(key.encode()).hexdigest()[:20]}.parquet"


def _process(data: bytes, path: Path, region: RegionConfig, level: Level,
             crs: str | int | None) -> gpd.GeoDataFrame:
    collection = _parse(data, path)
    frame = gpd.GeoDataFrame.from_features(collection["features"])
    frame = _normalise(frame, path, level, region.geo.jaar)
    frame = frame[frame["gemeente"].isin(region.gemeenten)]
    _check_complete(frame, path, region, level)
    frame = frame.set_crs(_source_crs(collection, frame, path, crs), allow_override=True)
    frame = frame.to_crs(RD)
    _check_inside_rd(frame, path)
    frame["geometry"] = _valid(frame, path)
    return frame.sort_values("code").reset_index(drop=True)[COLUMNS]


def _parse(data: bytes, path: Path) -> dict:
    try:
        collection = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeoError(f"{path}: geen geldige GeoJSON ({exc})") from exc
    if not (isinstance(collection, dict) and isinstance(collection.get("features"), list)):
        raise GeoError(f"{path}: geen GeoJSON FeatureCollection")
    return collection


def _normalise(frame: gpd.GeoDataFrame, path: Path, level: Level,
               jaar: int) -> gpd.GeoDataFrame:
    """CBS properties → code, naam, gemeente, jaar; only the level's own codes (GM or WK)."""
    missing = [c for c in ("statcode", "statnaam") if c not in frame.columns]
    if missing:
        raise GeoError(f"{path}: eigenschap(pen) {', '.join(missing)} ontbreken; verwacht "
                       "CBS-grenzen met statcode en statnaam")
    prefix = "GM" if level == "gemeente" else "WK"
    frame = frame[frame["statcode"].astype(str).str.fullmatch(rf"{prefix}\d{{4,6}}")]
    if frame.empty:
        raise GeoError(f"{path}: geen {level}codes ({prefix}…) in de eigenschap statcode")
    out = gpd.GeoDataFrame({"code": frame["statcode"].astype(str),
                            "naam": frame["statnaam"].astype(str)}, geometry=frame.geometry)
    out["gemeente"] = out["code"] if level == "gemeente" else _wijk_gemeente(frame)
    out["jaar"] = _years(frame, jaar)
    return out


def _wijk_gemeente(frame: gpd.GeoDataFrame) -> object:
    """gmCode, or else the gemeente number inside the wijk code (WK051801 lies in GM0518)."""
    own = "GM" + frame["statcode"].astype(str).str[2:6]
    return frame["gmCode"].fillna(own).astype(str) if "gmCode" in frame else own


def _years(frame: gpd.GeoDataFrame, default: int) -> object:
    """The year in jrstatcode (2025GM0518), else the configured one."""
    years = frame["jrstatcode"].astype(str).str[:4] if "jrstatcode" in frame else None
    return years.astype(int) if years is not None and years.str.isdigit().all() else default


def _check_complete(frame: gpd.GeoDataFrame, path: Path, region: RegionConfig,
                    level: Level) -> None:
    missing = [g for g in region.gemeenten if g not in set(frame["gemeente"])]
    if missing:
        names = ", ".join(f"{g} ({region.gemeente_naam(g)})" for g in missing)
        what = "ontbreekt" if len(missing) == 1 else "ontbreken"
        inside = "" if level == "gemeente" else "wijken van "
        raise GeoError(f"{path}: {inside}gemeente {names} {what}; de regio-instellingen "
                       f"({region.bron}) noemen ze wel")


def _source_crs(collection: dict, frame: gpd.GeoDataFrame, path: Path,
                crs: str | int | None) -> CRS:
    named = (collection.get("crs") or {}).get("properties", {}).get("name")
    given = crs if crs is not None else named
    if given is not None:
        try:
            return CRS.from_user_input(given)
        except CRSError as exc:
            raise GeoError(f"{path}: onbekend coördinatenstelsel {given!r}") from exc
    if _within(frame, RD_X, RD_Y):
        return CRS.from_user_input(RD)
    if _within(frame, LON, LAT):
        return CRS.from_user_input(WGS84)
    minx, miny, maxx, maxy = frame.total_bounds
    raise GeoError(f"{path}: coördinatenstelsel onbekend (geen 'crs' in het bestand, en "
                   f"x {minx:.0f}–{maxx:.0f}, y {miny:.0f}–{maxy:.0f} zijn RD noch lengte/"
                   "breedte); geef het op, bijvoorbeeld crs='EPSG:28992'")


def _within(frame: gpd.GeoDataFrame, xs: tuple[float, float], ys: tuple[float, float]) -> bool:
    minx, miny, maxx, maxy = frame.total_bounds
    return xs[0] <= minx and maxx <= xs[1] and ys[0] <= miny and maxy <= ys[1]


def _check_inside_rd(frame: gpd.GeoDataFrame, path: Path) -> None:
    if not _within(frame, RD_X, RD_Y):
        raise GeoError(f"{path}: de grenzen liggen in {frame.crs.to_string()} buiten "
                       "Nederland; klopt het coördinatenstelsel?")


def _valid(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoSeries:
    """Repair invalid geometries (make_valid) and keep their polygonal part; an area without
    one is an error."""
    repaired = frame.geometry.make_valid()
    polygonal = repaired.apply(polygonal_part)
    empty = frame.loc[polygonal.is_empty, "code"].tolist()
    if empty:
        raise GeoError(f"{path}: geen bruikbare vlakken voor {', '.join(empty)}")
    return gpd.GeoSeries(polygonal, crs=frame.crs, index=frame.index)


def polygonal_part(geometry: shapely.Geometry) -> shapely.Geometry:
    """The polygons in a geometry (make_valid and intersections may add lines and points)."""
    parts = [p for p in shapely.get_parts(geometry)
             if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()

