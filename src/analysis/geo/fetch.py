"""Download the CBS generalised gemeente and wijk boundaries of one year from PDOK.

The service (an assumption from PDOK's published layout, not checked from this machine, which
has no internet): CBS and Kadaster publish the boundaries per year as the PDOK dataset
"CBS Gebiedsindelingen", with a WFS 2.0 at

    https://service.pdok.nl/cbs/gebiedsindelingen/{jaar}/wfs/v1_0

and the feature types `gemeente_gegeneraliseerd` and `wijk_gegeneraliseerd` (properties
`statcode`, `statnaam`, `jrstatcode`, …), asked for as GeoJSON (`outputFormat=application/json`)
in RD New (`srsName=EPSG:28992`). Public code that uses the same address and layer names reports
342 gemeenten for 2025. If PDOK moves the service, pass another `base_url` (with or without
`{jaar}`); any WFS 2.0 that answers these GetFeature requests with GeoJSON will do.

WFS servers cap the features per answer, so the layers are fetched in pages (`count`,
`startIndex`) until a page comes back short. The pages are joined into one FeatureCollection
with an explicit `crs` member, so the file says what it is. All files are written to a staging
folder first and moved into place together, the provenance record `herkomst_{jaar}.json` last:
a failed download leaves the folder as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from analysis import __version__
from analysis.geo.errors import GeoError
from analysis.storage import write_all

DEFAULT_BASE_URL = "https://service.pdok.nl/cbs/gebiedsindelingen/{jaar}/wfs/v1_0"
DEFAULT_OUT_DIR = Path("data/raw/geo")
LAYERS = {"gemeente": "gemeente_gegeneraliseerd", "wijk": "wijk_gegeneraliseerd"}
SRS = "EPSG:28992"
# GeoJSON 2008 named CRS: GDAL, geopandas and our loader read it.
CRS_MEMBER = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
PAGE_SIZE = 1000  # PDOK's usual cap per GetFeature answer
MAX_PAGES = 100  # 100,000 features: far above the ≈3,500 wijken; stops a server that loops
TIMEOUT = 60  # seconds per request
ATTRIBUTION = "Kadaster / Centraal Bureau voor de Statistiek"


def boundary_file(level: str, jaar: int) -> str:
    """The file name a level gets in the geo folder, e.g. 'gemeente_2025.geojson'."""
    return f"{level}_{jaar}.geojson"


def provenance_file(jaar: int) -> str:
    return f"herkomst_{jaar}.json"


def fetch_boundaries(
    jaar: int,
    out_dir: Path = DEFAULT_OUT_DIR,
    *,
    base_url: str = DEFAULT_BASE_URL,
    timeout: float = TIMEOUT,
    page_size: int = PAGE_SIZE,
) -> list[Path]:
    """Download the gemeente and wijk boundaries of `jaar` into `out_dir`.

    Writes `gemeente_{jaar}.geojson`, `wijk_{jaar}.geojson` and `herkomst_{jaar}.json` (per
    file the URL, download time, sha256, feature count and CRS) and returns their paths.
    Raises GeoError naming the URL on an HTTP error, a timeout or an answer that is no GeoJSON;
    then nothing is written.
    """
    service = base_url.format(jaar=jaar)
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    contents: dict[str, bytes] = {}
    records = []
    for level, layer in LAYERS.items():
        first_url, features = _fetch_layer(service, layer, timeout, page_size)
        data = _feature_collection(features)
        name = boundary_file(level, jaar)
        contents[name] = data
        records.append({"bestand": name, "laag": layer, "url": first_url,
                        "opgehaald": fetched_at, "sha256": hashlib.sha256(data).hexdigest(),
                        "objecten": len(features), "crs": SRS})
    record = {"jaar": jaar, "dienst": service, "bron": f"{ATTRIBUTION}, {jaar}",
              "software": f"woonzorgmonitor {__version__}", "bestanden": records}
    contents[provenance_file(jaar)] = (json.dumps(record, ensure_ascii=False, indent=2)
                                       + "\n").encode("utf-8")
    out_dir = Path(out_dir)
    write_all(out_dir, {name: _writer(data) for name, data in contents.items()},
              last=provenance_file(jaar))
    return [out_dir / name for name in contents]


def _writer(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def feature_url(service: str, layer: str, start: int, count: int) -> str:
    """A WFS 2.0 GetFeature request for one page of `layer` as GeoJSON in RD New."""
    query = urlencode({"service": "WFS", "version": "2.0.0", "request": "GetFeature",
                       "typeNames": layer, "outputFormat": "application/json",
                       "srsName": SRS, "count": count, "startIndex": start})
    return f"{service}?{query}"


def _fetch_layer(service: str, layer: str, timeout: float,
                 page_size: int) -> tuple[str, list[dict]]:
    """All features of `layer`, page by page; returns the first page's URL and the features."""
    features: list[dict] = []
    seen: set[object] = set()
    for page in range(MAX_PAGES):
        url = feature_url(service, layer, page * page_size, page_size)
        batch = _features(_get_json(url, timeout), url)
        ids = {feature.get("id") for feature in batch} - {None}
        if ids & seen:  # the server ignores startIndex: the same features again
            raise GeoError(f"{url}: de server geeft bij het doorbladeren dezelfde objecten "
                           "opnieuw (startIndex wordt genegeerd)")
        seen |= ids
        features += batch
        if len(batch) < page_size:
            break
    else:
        raise GeoError(f"{service}: laag {layer} heeft meer dan {MAX_PAGES} pagina's van "
                       f"{page_size} objecten; dat zijn geen gemeente- of wijkgrenzen")
    if not features:
        raise GeoError(f"{feature_url(service, layer, 0, page_size)}: laag {layer} is leeg")
    return feature_url(service, layer, 0, page_size), features


def _get_json(url: str, timeout: float) -> object:
    """GET `url` and parse its JSON, with Dutch errors that name the URL."""
    request = urllib.request.Request(url, headers={"Accept": "application/json",
                                                   "User-Agent": f"woonzorgmonitor/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise GeoError(f"{url}: de server antwoordt met HTTP {exc.code} ({exc.reason})") from exc
    except TimeoutError as exc:
        raise GeoError(f"{url}: geen antwoord binnen {_seconds(timeout)}") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise GeoError(f"{url}: geen antwoord binnen {_seconds(timeout)}") from exc
        raise GeoError(f"{url}: server niet bereikbaar ({exc.reason})") from exc
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        start = body[:120].decode("utf-8", "replace").strip()
        raise GeoError(f"{url}: het antwoord is geen JSON (begint met {start!r})") from exc


def _features(answer: object, url: str) -> list[dict]:
    if not (isinstance(answer, dict) and answer.get("type") == "FeatureCollection"
            and isinstance(answer.get("features"), list)):
        raise GeoError(f"{url}: het antwoord is geen GeoJSON FeatureCollection")
    crs = (answer.get("crs") or {}).get("properties", {}).get("name", "")
    if crs and not re.search(r"\b28992$", crs):  # EPSG:28992, urn:…::28992, …/EPSG/0/28992
        raise GeoError(f"{url}: coördinaten in {crs}, gevraagd was {SRS}")
    return answer["features"]


def _feature_collection(features: list[dict]) -> bytes:
    collection = {"type": "FeatureCollection", "crs": CRS_MEMBER, "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _seconds(value: float) -> str:
    return f"{value:g} s".replace(".", ",")
