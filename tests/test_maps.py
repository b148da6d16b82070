"""Maps: classes and Dutch legends, joins on CBS code, the four map kinds on the real 2025
boundaries and on the tile grid, static SVG through Kaleido and an HTML div that loads
nothing."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis.config import load_config
from analysis.figures import html, maps, static
from analysis.figures.style import BLUE
from analysis.geo import load_boundaries, tile_grid

SHARED_GEO = Path(__file__).resolve().parents[2] / "shared" / "data" / "geo"
REGION = load_config()
SHARE = pd.Series({"GM0503": 27.4, "GM0518": 33.1, "GM1916": 24.9, "GM1842": 12.3,
                   "GM1926": 18.8, "GM0603": 31.5, "GM0629": 9.7, "GM1783": 21.0,
                   "GM0637": 26.2})
ATTRIBUTION = "Kaart: Kadaster / Centraal Bureau voor de Statistiek, 2025"
TILE_NOTE = "Echte gemeentegrenzen ontbreken; haal ze op met: woonzorg geo fetch --jaar 2025"


@pytest.fixture(scope="module")
def gemeenten():
    return load_boundaries(SHARED_GEO / "gemeente_2025_rd.geojson", REGION, "gemeente",
                           cache_dir=None)


@pytest.fixture(scope="module")
def wijken():
    return load_boundaries(SHARED_GEO / "haaglanden_wijk_2025_rd.geojson", REGION, "wijk",
                           cache_dir=None)


@pytest.fixture(scope="module")
def tiles():
    return tile_grid(REGION)


def flow_matrix() -> pd.DataFrame:
    codes = list(REGION.gemeenten)
    counts = np.full((9, 9), 4)
    np.fill_diagonal(counts, 500)
    matrix = pd.DataFrame(counts, index=codes, columns=codes)
    matrix.loc["GM0518", "GM0603"] = 120
    matrix.loc["GM0518", "GM0503"] = 60
    matrix.loc["GM0603", "GM0518"] = 25
    return matrix


def area_traces(fig: go.Figure) -> list[go.Scatter]:
    return [t for t in fig.data if t.fill == "toself" and t.hoveron == "fills"]


def annotations(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def legend(fig: go.Figure) -> list[str]:
    return [t.name for t in fig.data if t.showlegend is not False]


# ---------------------------------------------------------------------------------------------
# Classes
# ---------------------------------------------------------------------------------------------


def test_classes_split_at_the_reference_with_dutch_labels():
    scheme = maps.classify(SHARE, "procent", reference=30)
    assert scheme.labels == ("≤ 10,0%", "10,0% – 20,0%", "20,0% – 30,0%", "> 30,0%")
    assert scheme.colour(30) == scheme.colours[2]  # at the limit is within it
    below, above = scheme.colours[:3], scheme.colours[3:]
    assert all(c in maps.BELOW[3] for c in below) and above == maps.ABOVE[1]


def test_classes_given_and_automatic():
    assert maps.classify(SHARE, "procent", [15, 25]).labels == (
        "≤ 15,0%", "15,0% – 25,0%", "> 25,0%")
    assert maps.nice_bounds(pd.Series([120, 480, 950])) == [200, 400, 600, 800]
    assert maps.class_labels([1000, 2500], "huishoudens") == [
        "≤ 1.000", "1.000 – 2.500", "> 2.500"]
    assert maps.nice_bounds(pd.Series([0, 3.0])) == [1, 2]  # no class for the lowest alone
    assert maps.nice_bounds(pd.Series([5.0, 5.0])) == []
    with pytest.raises(ValueError, match="hoogstens"):
        maps.classify(SHARE, "procent", list(range(5, 40, 5)))


def test_map_names():
    assert maps.map_name("Rijswijk (ZH.)") == "Rijswijk"
    assert maps.map_name("Leidschendam-Voorburg") == "Leidschendam-<br>Voorburg"
    assert maps.map_name("'s-Gravenhage") == "'s-Gravenhage"


# ---------------------------------------------------------------------------------------------
# Choropleth
# ---------------------------------------------------------------------------------------------


def test_choropleth_joins_on_code_and_shows_dutch_values(gemeenten):
    fig = maps.choropleth(gemeenten, SHARE, indicator="aandeel_mutaties_aandachtsgroepen",
                          reference=30, highlight="GM0603")
    hover = {t.text.split("<br>")[0]: t for t in area_traces(fig)}
    assert hover["<b>Rijswijk (ZH.)</b>"].text.endswith("31,5%")  # the name differs: code join
    assert hover["<b>Rijswijk (ZH.)</b>"].fillcolor in maps.ABOVE[1]
    assert hover["<b>Wassenaar</b>"].text.endswith("9,7%")
    labels = next(t for t in fig.data if t.mode == "text")
    assert "Rijswijk<br><b>31,5%</b>" in labels.text
    assert legend(fig) == ["≤ 10,0%", "10,0% – 20,0%", "20,0% – 30,0%", "> 30,0%"]
    assert fig.layout.title.text == "Aandeel mutaties naar aandachtsgroepen"
    assert any(ATTRIBUTION in text and text.startswith("Bron: SVH verhuringen")
               for text in annotations(fig))
    outline = [t for t in fig.data if t.line.width == 3]
    assert len(outline) == 1 and outline[0].fill is None


def test_values_by_name_or_unknown_code_are_refused(gemeenten):
    by_name = SHARE.rename(index=REGION.gemeente_naam)
    with pytest.raises(KeyError, match="CBS-codes"):
        maps.choropleth(gemeenten, by_name, indicator="aandeel_mutaties_aandachtsgroepen")
    with pytest.raises(KeyError, match="GM9999"):
        maps.choropleth(gemeenten, pd.Series({"GM9999": 1.0}), indicator="verhuringen")
    with pytest.raises(KeyError, match="Delft"):
        maps.locator(gemeenten, "Delft")


def test_missing_values_are_grey_with_a_legend_entry(gemeenten):
    fig = maps.choropleth(gemeenten, SHARE.drop("GM0629"), title="Instroom",
                          unit="per 1.000 huishoudens", source="SVH verhuringen")
    wassenaar = next(t for t in area_traces(fig) if "Wassenaar" in t.text)
    assert wassenaar.fillcolor == maps.NO_DATA_COLOUR and wassenaar.text.endswith("–")
    assert legend(fig)[-1] == "Geen gegevens"
    assert "Per 1.000 huishoudens" in annotations(fig)  # the unit above the legend


def test_maps_use_no_geo_or_mapbox_traces(gemeenten, wijken, tiles):
    figures = [maps.choropleth(gemeenten, SHARE, indicator="verhuringen"),
               maps.locator(gemeenten, "GM0503"), maps.flows(tiles, flow_matrix()),
               maps.wijk_choropleth(wijken, pd.Series(1.0, index=wijken["code"]), gemeenten,
                                    indicator="concentratie_index_wijk")]
    for fig in figures:
        assert {trace.type for trace in fig.data} == {"scatter"}
        assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.xaxis.visible is False


# ---------------------------------------------------------------------------------------------
# Locator, flows, wijken
# ---------------------------------------------------------------------------------------------


def test_locator_fills_one_gemeente(gemeenten):
    fig = maps.locator(gemeenten, "GM0503")
    fills = {t.text: t.fillcolor for t in area_traces(fig)}
    assert fills["<b>Delft</b>"] == BLUE
    assert sum(colour == BLUE for colour in fills.values()) == 1
    assert fig.layout.title.text == "Ligging van Delft in de regio"
    assert any(text.startswith("Bron kaart: Kadaster") for text in annotations(fig))


def test_flows_leave_out_own_and_small_flows(gemeenten):
    fig = maps.flows(gemeenten, flow_matrix(), min_count=10)
    hovers = [t.hovertemplate for t in fig.data if t.hovertemplate]
    assert len(hovers) == 3  # 120, 60 and 25; the 4s and the diagonal are not drawn
    assert "'s-Gravenhage → Rijswijk (ZH.): 120 verhuringen<extra></extra>" in hovers
    widths = {h.split(":")[0]: t.line.width for h, t in
              ((t.hovertemplate, t) for t in fig.data if t.hovertemplate)}
    assert widths["'s-Gravenhage → Rijswijk (ZH.)"] == maps.FLOW_MAX_WIDTH
    assert widths["'s-Gravenhage → Delft"] == pytest.approx(maps.FLOW_MAX_WIDTH / 2)
    own = 500 / (500 + 8 * 4 + 120 - 4)  # Rijswijk: its own households of all it let
    assert f"<b>Rijswijk</b><br>{own * 100:.1f}%".replace(".", ",") in annotations(fig)
    assert any("van minstens 10 verhuringen tussen gemeenten" in t for t in annotations(fig))


def test_flows_keep_the_largest(gemeenten):
    fig = maps.flows(gemeenten, flow_matrix(), min_count=1, max_flows=2)
    assert len([t for t in fig.data if t.hovertemplate]) == 2
    assert any("de 2 grootste van 72 stromen" in t for t in annotations(fig))
    with pytest.raises(KeyError, match="GM9999"):
        maps.flows(gemeenten, pd.DataFrame({"GM9999": [1]}, index=["GM0503"]))


def test_wijk_map_has_wijk_areas_and_gemeente_outlines(wijken, gemeenten):
    values = pd.Series(np.linspace(0.2, 3, len(wijken)), index=wijken["code"])
    fig = maps.wijk_choropleth(wijken, values, gemeenten, indicator="concentratie_index_wijk",
                               reference=1)
    assert len(area_traces(fig)) == 113
    oostduinen = next(t for t in area_traces(fig) if "Oostduinen" in t.text)
    assert "'s-Gravenhage: " in oostduinen.text
    outlines = [t for t in fig.data if t.fill is None and t.line.color == maps.GEMEENTE_BORDER]
    assert len(outlines) == 1
    assert "Midden-<br>Delfland" in annotations(fig)


# ---------------------------------------------------------------------------------------------
# Fallback
# ---------------------------------------------------------------------------------------------


def test_the_tile_grid_draws_every_gemeente_with_a_note(tiles):
    fig = maps.choropleth(tiles, SHARE, indicator="aandeel_mutaties_aandachtsgroepen",
                          reference=30)
    assert len(area_traces(fig)) == 9
    assert TILE_NOTE in annotations(fig)
    assert not any("Kadaster" in text for text in annotations(fig))  # no boundaries used
    assert TILE_NOTE in annotations(maps.locator(tiles, "GM0503"))


# ---------------------------------------------------------------------------------------------
# Static and interactive output
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kaleido_session():
    static.start()
    yield
    static.stop()


@pytest.fixture(scope="module")
def all_maps(gemeenten, wijken, tiles) -> dict[str, go.Figure]:
    wijk_values = pd.Series(np.linspace(0.2, 3, len(wijken)), index=wijken["code"])
    return {
        "choropleth": maps.choropleth(gemeenten, SHARE, reference=30,
                                      indicator="aandeel_mutaties_aandachtsgroepen"),
        "locator": maps.locator(gemeenten, "GM0503"),
        "flows": maps.flows(gemeenten, flow_matrix()),
        "wijk": maps.wijk_choropleth(wijken, wijk_values, gemeenten,
                                     indicator="concentratie_index_wijk", reference=1),
        "tegels": maps.choropleth(tiles, SHARE, indicator="aandeel_mutaties_aandachtsgroepen"),
    }


def test_maps_export_to_svg(kaleido_session, all_maps, tmp_path):
    paths = static.write_images([(fig, tmp_path / f"{name}.svg")
                                 for name, fig in all_maps.items()])
    for path, fig in zip(paths, all_maps.values(), strict=True):
        svg = path.read_text(encoding="utf-8")
        assert svg.startswith("<svg")
        assert fig.layout.title.text in svg
        assert "<image" not in svg  # vector, not a raster of a WebGL map
    assert "Echte gemeentegrenzen ontbreken" in (tmp_path / "tegels.svg").read_text("utf-8")
    assert "Kadaster / Centraal Bureau voor de Statistiek, 2025" in \
        (tmp_path / "choropleth.svg").read_text("utf-8")


def test_html_divs_load_nothing(all_maps):
    for fig in all_maps.values():
        div = html.to_div(fig)
        assert not re.search(r"https?://", div)
        lowered = div.lower()
        assert "openmaptiles" not in lowered and "mapbox" not in lowered
        assert "cdn" not in lowered and "<script src=" not in lowered
        assert "Plotly.newPlot" in div
