"""Boundaries: fetching from a (local) WFS, loading and checking, the cache, settings and the
tile-grid fallback. The real CBS 2025 files come from ../shared/data/geo and are never copied."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import re
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import shapely

from analysis.config import ConfigError, GeoSettings, load_config
from analysis.geo import (
    BoundariesMissing,
    GeoError,
    boundaries_or_tiles,
    derive_layout,
    fetch_boundaries,
    load_boundaries,
    map_layers,
    tile_grid,
)
from analysis.geo import load as geo_load
from analysis.geo.load import COLUMNS
from analysis.geo.tiles import is_tile_grid, packaged_layout
from analysis.layout import SHIPPED_BOUNDARIES

SHARED_GEO = Path(__file__).resolve().parents[2] / "shared" / "data" / "geo"
GEMEENTEN_RD = SHARED_GEO / "gemeente_2025_rd.geojson"
GEMEENTEN_WGS84 = SHARED_GEO / "gemeente_2025.geojson"
WIJKEN_RD = SHARED_GEO / "wijk_2025_rd.geojson"
HAAGLANDEN_WIJKEN = SHARED_GEO / "haaglanden_wijk_2025_rd.geojson"
LAYER_FILES = {"gemeente_gegeneraliseerd": GEMEENTEN_RD, "wijk_gegeneraliseerd": WIJKEN_RD}
SERVICE = "/cbs/gebiedsindelingen/{jaar}/wfs/v1_0"
SERVER_LIFETIME = 120  # s: the test server shuts itself down after this, whatever happens

REGION = load_config()


# ---------------------------------------------------------------------------------------------
# A local WFS: serves the shared files in pages, or fails on purpose
# ---------------------------------------------------------------------------------------------


class _WFS(BaseHTTPRequestHandler):
    """GET /{mode}/cbs/gebiedsindelingen/{jaar}/wfs/v1_0?typeNames=…&count=…&startIndex=…

    mode 'ok' answers like a WFS 2.0 (a page of the layer's features as GeoJSON); '404' and
    '500' answer with that status; 'html' with an HTML page; 'slow' waits until the test ends;
    'nopaging' ignores startIndex.
    """

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.server.requests.append(self.path)
        mode = url.path.split("/")[1]
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if mode in ("404", "500"):
            self._send(int(mode), b"<ExceptionReport/>", "text/xml")
        elif mode == "html":
            self._send(200, b"<html><body>Onderhoud</body></html>", "text/html")
        elif mode == "slow":
            self.server.release.wait(10)
            self._send(200, b"{}", "application/json")
        else:
            start = 0 if mode == "nopaging" else int(query["startIndex"])
            self._send(200, _page(query["typeNames"], start, int(query["count"])),
                       "application/json")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


def _page(layer: str, start: int, count: int) -> bytes:
    collection = json.loads(LAYER_FILES[layer].read_bytes())
    features = collection["features"][start:start + count]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


class LocalServer:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server

    def url(self, mode: str = "ok") -> str:
        return f"http://127.0.0.1:{self.server.server_port}/{mode}{SERVICE}"

    @property
    def requests(self) -> list[str]:
        return self.server.requests


@pytest.fixture
def wfs() -> Iterator[LocalServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _WFS)  # port 0: a free one
    server.daemon_threads = True
    server.requests = []
    server.release = threading.Event()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    watchdog = threading.Timer(SERVER_LIFETIME, server.shutdown)
    watchdog.daemon = True
    watchdog.start()
    try:
        yield LocalServer(server)
    finally:
        watchdog.cancel()
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


# ---------------------------------------------------------------------------------------------
# Fetch
# ---------------------------------------------------------------------------------------------


def test_fetch_downloads_both_layers_with_provenance(wfs, tmp_path):
    out = tmp_path / "geo"
    paths = fetch_boundaries(2025, out, base_url=wfs.url())
    assert [p.name for p in paths] == ["gemeente_2025.geojson", "wijk_2025.geojson",
                                       "herkomst_2025.json"]
    record = json.loads((out / "herkomst_2025.json").read_text(encoding="utf-8"))
    assert record["jaar"] == 2025
    assert record["bron"] == "Kadaster / Centraal Bureau voor de Statistiek, 2025"
    files = {entry["bestand"]: entry for entry in record["bestanden"]}
    assert files["gemeente_2025.geojson"]["objecten"] == 342
    assert files["wijk_2025.geojson"]["objecten"] == 3423
    for name, entry in files.items():
        assert entry["sha256"] == hashlib.sha256((out / name).read_bytes()).hexdigest()
        assert entry["crs"] == "EPSG:28992"
        assert entry["url"].startswith(wfs.url().format(jaar=2025) + "?")
        assert "typeNames=" + entry["laag"] in entry["url"]
        assert datetime.fromisoformat(entry["opgehaald"]).tzinfo is not None
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)


def test_fetch_pages_through_a_layer(wfs, tmp_path):
    fetch_boundaries(2025, tmp_path, base_url=wfs.url(), page_size=1000)
    wijk_pages = [r for r in wfs.requests if "wijk_gegeneraliseerd" in r]
    starts = sorted(int(parse_qs(urlsplit(r).query)["startIndex"][0]) for r in wijk_pages)
    assert starts == [0, 1000, 2000, 3000]  # 3,423 wijken; the short page ends it
    collection = json.loads((tmp_path / "wijk_2025.geojson").read_bytes())
    assert len({f["id"] for f in collection["features"]}) == 3423
    assert collection["crs"]["properties"]["name"].endswith("28992")


def test_fetched_files_load_as_boundaries(wfs, tmp_path):
    fetch_boundaries(2025, tmp_path, base_url=wfs.url())
    gemeenten = load_boundaries(tmp_path, REGION, "gemeente", cache_dir=None)
    wijken = load_boundaries(tmp_path, REGION, "wijk", cache_dir=None)
    assert sorted(gemeenten["code"]) == sorted(REGION.gemeenten)
    assert len(wijken) == 113


@pytest.mark.parametrize(("mode", "message"), [
    ("404", "HTTP 404"),
    ("500", "HTTP 500"),
    ("html", "het antwoord is geen JSON"),
    ("nopaging", "startIndex wordt genegeerd"),
])
def test_fetch_errors_name_the_url_and_write_nothing(wfs, tmp_path, mode, message):
    out = tmp_path / "geo"
    out.mkdir()
    old = out / "gemeente_2025.geojson"
    old.write_text("eerder opgehaald", encoding="utf-8")
    with pytest.raises(GeoError) as info:
        fetch_boundaries(2025, out, base_url=wfs.url(mode), page_size=100)
    assert message in str(info.value)
    assert f"http://127.0.0.1:{wfs.server.server_port}/{mode}/cbs/gebiedsindelingen/2025/" in \
        str(info.value)
    assert [p.name for p in out.iterdir()] == [old.name]
    assert old.read_text(encoding="utf-8") == "eerder opgehaald"


def test_fetch_timeout_is_a_clear_error(wfs, tmp_path):
    with pytest.raises(GeoError, match=r"geen antwoord binnen 0,2 s") as info:
        fetch_boundaries(2025, tmp_path / "geo", base_url=wfs.url("slow"), timeout=0.2)
    assert "/slow/cbs/gebiedsindelingen/2025/wfs/v1_0?" in str(info.value)
    assert not (tmp_path / "geo").exists()


def test_unreachable_server_is_a_clear_error(tmp_path):
    with ThreadingHTTPServer(("127.0.0.1", 0), _WFS) as closed:
        port = closed.server_port  # bound, then closed: nothing listens there
    with pytest.raises(GeoError, match="server niet bereikbaar"):
        fetch_boundaries(2025, tmp_path, base_url=f"http://127.0.0.1:{port}/wfs")


# ---------------------------------------------------------------------------------------------
# Load
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [GEMEENTEN_RD, GEMEENTEN_WGS84], ids=["rd", "wgs84"])
def test_loader_gives_the_nine_gemeenten_in_rd(path):
    frame = load_boundaries(path, REGION, "gemeente", cache_dir=None)
    assert sorted(frame["code"]) == sorted(REGION.gemeenten)
    assert frame.crs.to_epsg() == 28992
    assert frame.geometry.is_valid.all()
    assert list(frame.columns) == ["code", "naam", "gemeente", "jaar", "geometry"]
    assert (frame["gemeente"] == frame["code"]).all()
    assert set(frame["jaar"]) == {2025}
    assert frame.set_index("code").loc["GM0603", "naam"] == "Rijswijk (ZH.)"
    area = frame.set_index("code").area / 1e6
    assert area["GM0518"] == pytest.approx(85.8, abs=1)  # the README's areas: metres, not degrees
    assert area["GM0603"] == pytest.approx(14.8, abs=0.5)


@pytest.mark.parametrize("path", [WIJKEN_RD, HAAGLANDEN_WIJKEN], ids=["nl", "haaglanden"])
def test_loader_gives_the_wijken_of_the_region(path):
    frame = load_boundaries(path, REGION, "wijk", cache_dir=None)
    assert len(frame) == 113
    assert frame["gemeente"].value_counts()["GM0518"] == 44
    assert (frame["code"].str[2:6] == frame["gemeente"].str[2:6]).all()
    assert frame.crs.to_epsg() == 28992 and frame.geometry.is_valid.all()


def _write_collection(path: Path, features: list[dict], **extra) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", **extra, "features": features}),
                    encoding="utf-8")
    return path


def _features(source: Path = GEMEENTEN_RD) -> list[dict]:
    return json.loads(source.read_bytes())["features"]


def test_a_missing_gemeente_is_named(tmp_path):
    path = _write_collection(tmp_path / "zonder_rijswijk.geojson",
                             [f for f in _features() if f["id"] != "GM0603"])
    with pytest.raises(GeoError) as info:
        load_boundaries(path, REGION, "gemeente", cache_dir=None)
    assert "GM0603 (Rijswijk (ZH.)) ontbreekt" in str(info.value)
    assert str(path) in str(info.value)


def test_an_invalid_geometry_is_repaired(tmp_path):
    features = _features()
    delft = next(f for f in features if f["id"] == "GM0503")
    x, y = 84_000, 446_000  # a bow tie: the ring crosses itself
    delft["geometry"] = {"type": "Polygon", "coordinates": [[
        [x, y], [x + 2000, y + 2000], [x + 2000, y], [x, y + 2000], [x, y]]]}
    path = _write_collection(tmp_path / "kapot.geojson", features)
    frame = load_boundaries(path, REGION, "gemeente", cache_dir=None).set_index("code")
    assert frame.geometry.is_valid.all()
    assert frame.loc["GM0503", "geometry"].area == pytest.approx(2_000_000)


def test_a_declared_or_given_crs_wins_and_nonsense_coordinates_fail(tmp_path):
    features = _features()
    declared = _write_collection(tmp_path / "met_crs.geojson", features,
                                 crs={"type": "name", "properties": {
                                     "name": "urn:ogc:def:crs:EPSG::28992"}})
    assert load_boundaries(declared, REGION, "gemeente", cache_dir=None).crs.to_epsg() == 28992
    shifted = [{**f, "geometry": shapely.geometry.mapping(shapely.affinity.translate(
        shapely.geometry.shape(f["geometry"]), 1_000_000, 0))} for f in features]
    odd = _write_collection(tmp_path / "verschoven.geojson", shifted)
    with pytest.raises(GeoError, match="coördinatenstelsel onbekend"):
        load_boundaries(odd, REGION, "gemeente", cache_dir=None)
    with pytest.raises(GeoError, match="buiten Nederland"):
        load_boundaries(GEMEENTEN_RD, REGION, "gemeente", crs="EPSG:3857", cache_dir=None)


def test_not_a_cbs_file_is_a_clear_error(tmp_path):
    broken = tmp_path / "kapot.geojson"
    broken.write_text("{niet json", encoding="utf-8")
    with pytest.raises(GeoError, match="geen geldige GeoJSON"):
        load_boundaries(broken, REGION, "gemeente", cache_dir=None)
    other = _write_collection(tmp_path / "anders.geojson", [
        {"type": "Feature", "properties": {"naam": "x"},
         "geometry": {"type": "Point", "coordinates": [0, 0]}}])
    with pytest.raises(GeoError, match="statcode, statnaam ontbreken"):
        load_boundaries(other, REGION, "gemeente", cache_dir=None)


def test_a_folder_is_searched_for_the_configured_year(tmp_path):
    (tmp_path / "gemeente_2025.geojson").write_bytes(GEMEENTEN_RD.read_bytes())
    assert len(load_boundaries(tmp_path, REGION, "gemeente", cache_dir=None)) == 9
    assert len(load_boundaries(SHARED_GEO, REGION, "wijk", cache_dir=None)) == 113  # *_rd
    with pytest.raises(BoundariesMissing, match="woonzorg geo fetch --jaar 2025"):
        load_boundaries(tmp_path, REGION, "wijk", cache_dir=None)
    with pytest.raises(BoundariesMissing, match="bestaat niet"):
        load_boundaries(tmp_path / "nergens.geojson", REGION, "gemeente", cache_dir=None)


def test_processed_boundaries_are_cached_by_content(tmp_path, monkeypatch):
    source = tmp_path / "gemeente_2025.geojson"
    source.write_bytes(GEMEENTEN_RD.read_bytes())
    cache = tmp_path / "cache"
    first = load_boundaries(source, REGION, "gemeente", cache_dir=cache)
    assert len(list(cache.glob("gemeente_*.parquet"))) == 1

    def no_processing(*args):
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(geo_load, "_process", no_processing)
    again = load_boundaries(source, REGION, "gemeente", cache_dir=cache)
    assert again.crs.to_epsg() == 28992
    assert again.drop(columns="geometry").equals(first.drop(columns="geometry"))
    assert again.geometry.geom_equals(first.geometry).all()
    source.write_bytes(GEMEENTEN_WGS84.read_bytes())  # other content: other key
    with pytest.raises(AssertionError, match="cache"):
        load_boundaries(source, REGION, "gemeente", cache_dir=cache)


def test_values_join_on_code_not_on_name():
    frame = load_boundaries(GEMEENTEN_RD, REGION, "gemeente", cache_dir=None)
    values = {"GM0603": 31.5}  # the settings say "Rijswijk", the file "Rijswijk (ZH.)"
    joined = frame.assign(waarde=frame["code"].map(values)).set_index("naam")
    assert joined.loc["Rijswijk (ZH.)", "waarde"] == 31.5
    assert REGION.korte_naam("GM0603") == "Rijswijk"


# ---------------------------------------------------------------------------------------------
# Settings and fallback
# ---------------------------------------------------------------------------------------------


def test_geo_settings_default_and_custom(tmp_path):
    assert REGION.geo == GeoSettings(map=None, jaar=2025)  # the shipped boundaries
    path = tmp_path / "regio.yml"
    path.write_text(REGION.tekst.replace("  jaar: 2025\n", "  jaar: 2024\n  map: data/raw/geo\n"
                                         "  gemeente: eigen/gemeenten.geojson\n"),
                    encoding="utf-8")
    geo = load_config(path).geo
    assert (geo.jaar, geo.source("gemeente"), geo.source("wijk")) == (
        2024, Path("eigen/gemeenten.geojson"), Path("data/raw/geo"))


@pytest.mark.parametrize(("block", "message"), [
    ("geo: [data]", "instelling 'geo': verwacht een mapping"),
    ("geo: {jaar: twintig}", "instelling 'geo.jaar': verwacht het jaartal"),
    ("geo: {map: 12}", "instelling 'geo.map': verwacht een pad"),
    ("geo: {kaart: x}", "instelling 'geo.kaart': onbekende instelling"),
])
def test_bad_geo_settings_name_file_and_setting(tmp_path, block, message):
    path = tmp_path / "regio.yml"
    text = REGION.tekst[:REGION.tekst.index("geo:")] + block + "\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_shipped_boundaries_cover_every_gemeente_and_its_wijken():
    def features(name: str) -> list[dict]:
        data = gzip.decompress((SHIPPED_BOUNDARIES / name).read_bytes())
        return [f["properties"] for f in json.loads(data)["features"]]

    gemeenten = {p["statcode"] for p in features("gemeente_2025_rd.geojson.gz")}
    assert len(gemeenten) == 342 and all(re.fullmatch(r"GM\d{4}", g) for g in gemeenten)
    wijken = features("wijk_2025_rd.geojson.gz")
    per_gemeente = Counter(p["gmCode"] for p in wijken)
    assert set(per_gemeente) == gemeenten  # every gemeente has wijken, no wijk is orphaned
    assert len(wijken) == len({p["statcode"] for p in wijken}) == 3423
    assert (SHIPPED_BOUNDARIES / "PROVENANCE.txt").is_file()


def test_default_maps_use_the_shipped_boundaries(tmp_path):
    gemeenten, wijken = map_layers(REGION, root=tmp_path)
    assert not is_tile_grid(gemeenten) and len(gemeenten) == 9
    assert sorted(gemeenten["code"]) == sorted(REGION.gemeenten)
    assert len(wijken) == 113 and set(wijken["gemeente"]) == set(REGION.gemeenten)
    assert gemeenten.crs.to_epsg() == 28992


def test_without_boundaries_the_maps_get_a_tile_grid(tmp_path):
    region = dataclasses.replace(REGION, geo=GeoSettings(map=Path("data/raw/geo"), jaar=2025))
    frame = boundaries_or_tiles(region, root=tmp_path, cache_dir=Path("data/processed/geo"))
    assert is_tile_grid(frame)
    assert len(frame) == 9 and sorted(frame["code"]) == sorted(REGION.gemeenten)
    assert not list(tmp_path.iterdir())  # nothing cached for a tile grid


def test_configured_boundaries_are_used_when_present(tmp_path):
    region = dataclasses.replace(REGION, geo=GeoSettings(map=SHARED_GEO, jaar=2025))
    frame = boundaries_or_tiles(region, root=tmp_path, cache_dir=Path("data/processed/geo"))
    assert not is_tile_grid(frame) and len(frame) == 9
    assert list((tmp_path / "data" / "processed" / "geo").glob("*.parquet"))


def test_map_layers_are_cached_only_where_asked(tmp_path):
    missing = dataclasses.replace(REGION, geo=GeoSettings(map=Path("data/raw/geo"), jaar=2025))
    gemeenten, wijken = map_layers(missing, root=tmp_path)  # nothing in data/raw/geo there
    assert is_tile_grid(gemeenten) and len(wijken) == 0 and list(wijken.columns) == COLUMNS
    region = dataclasses.replace(REGION, geo=GeoSettings(
        map=SHARED_GEO, jaar=2025,
        bestanden={"wijk": SHARED_GEO / "haaglanden_wijk_2025_rd.geojson"}))
    gemeenten, wijken = map_layers(region, root=tmp_path)
    assert len(gemeenten) == 9 and set(wijken["gemeente"]) == set(REGION.gemeenten)
    assert not list(tmp_path.iterdir())
    map_layers(region, root=tmp_path, cache_dir=tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("*.parquet"))) == 2


def test_the_packaged_layout_follows_from_the_2025_centroids():
    frame = load_boundaries(GEMEENTEN_RD, REGION, "gemeente", cache_dir=None)
    centroids = {code: (p.x, p.y) for code, p in zip(frame["code"], frame.centroid, strict=True)}
    assert derive_layout(centroids) == packaged_layout(REGION.gemeenten)


def test_tiles_are_separate_squares_in_a_geographic_order():
    tiles = tile_grid(REGION).set_index("code")
    assert len(tiles) == 9 and tiles.crs is None
    union = tiles.geometry.union_all()
    assert union.area == pytest.approx(tiles.area.sum())  # no two tiles overlap
    y = tiles.centroid.y
    assert y["GM0629"] > y["GM0518"] > y["GM0503"]  # Wassenaar north, Delft south
    assert tiles.centroid.x["GM1783"] < tiles.centroid.x["GM0637"]  # Westland west


def test_a_region_without_layout_gets_an_alphabetical_grid():
    region = dataclasses.replace(REGION, gemeenten=("GM0363", "GM0014", "GM0344"))
    tiles = tile_grid(region)
    assert list(tiles["naam"]) == ["Amsterdam", "Groningen", "Utrecht"]
    centres = [(round(p.x, 2), round(p.y, 2)) for p in tiles.sort_values("naam").centroid]
    assert centres == [(0.5, -0.5), (1.5, -0.5), (0.5, -1.5)]


def test_cli_geo_fetch(wfs, tmp_path, cli):
    result = cli("geo", "fetch", "--jaar", "2025", "--out", tmp_path / "geo",
                 "--url", wfs.url())
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "geo").iterdir()) == [
        "gemeente_2025.geojson", "herkomst_2025.json", "wijk_2025.geojson"]
    failed = cli("geo", "fetch", "--jaar", "2025", "--out", tmp_path / "leeg",
                 "--url", wfs.url("404"))
    assert failed.exit_code == 1
    assert wfs.url("404").split("{")[0][:20] in failed.output
    assert not (tmp_path / "leeg").exists() or not any((tmp_path / "leeg").iterdir())
