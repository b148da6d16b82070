"""Maps: classes and Dutch legends, joins on CBS code, the four map kinds on the real 2025
boundaries and on the tile grid, print sizes, static SVG through Kaleido and an HTML div that
loads nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
import shapely

from analysis.config import load_config
from analysis.figures import html, maps, static
from analysis.figures.style import BLUE, MARGIN_BOTTOM, NOTE_LINE, VERMILLION
from analysis.geo import load_boundaries, tile_grid
from analysis.tables import SUPPRESSED_LABEL, SUPPRESSED_NOTE
from conftest import strings

SHARED_GEO = Path(__file__).resolve().parents[2] / "shared" / "data" / "geo"
REGION = load_config()
SHARE = pd.Series({"GM0503": 27.4, "GM0518": 33.1, "GM1916": 24.9, "GM1842": 12.3,
                   "GM1926": 18.8, "GM0603": 31.5, "GM0629": 9.7, "GM1783": 21.0,
                   "GM0637": 26.2})
ATTRIBUTION = "Kaart: Kadaster / Centraal Bureau voor de Statistiek, 2025"
TILE_NOTE = "Gemeenten als vierkanten: de gemeentegrenzen waren niet beschikbaar."


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


def own_share() -> pd.Series:
    return pd.Series({code: 50.0 + i for i, code in enumerate(REGION.gemeenten)})


def area_traces(fig: go.Figure) -> list[go.Scatter]:
    return [t for t in fig.data if t.fill == "toself" and t.hoveron == "fills"]


def annotations(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def map_labels(fig: go.Figure) -> list:
    """The annotations placed on the map (in map units), not the notes around it."""
    return [a for a in fig.layout.annotations if a.xref in (None, "x")]


def legend(fig: go.Figure) -> list[str]:
    return [t.name for t in fig.data if t.showlegend is not False]


def luminance(colour: str) -> float:
    """WCAG relative luminance of '#RRGGBB'."""
    return float(srgb_linear(colour) @ [0.2126, 0.7152, 0.0722])


def srgb_linear(colour: str) -> np.ndarray:
    c = np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


# Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB.
DEFICIENCIES = {
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of linear RGB."""
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ np.clip(rgb, 0, 1) / [0.9505, 1, 1.089]
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def print_pt(px: float, fig: go.Figure, share: float) -> float:
    """The printed size in points of `px` on a figure placed at `share` of the text width."""
    return px * maps.TEXT_WIDTH_PT * share / (fig.layout.width or maps.WIDTH)


# ---------------------------------------------------------------------------------------------
# Classes
# ---------------------------------------------------------------------------------------------


def test_classes_split_at_the_reference_with_dutch_labels():
    scheme = maps.classify(SHARE, "procent", reference=30)
    assert scheme.labels == ("minder dan 10%", "10% – 20%", "20% – 30%",
                             "boven de grens van 30%")
    assert scheme.colour(30) == scheme.colours[2]  # at the limit is within it
    assert scheme.colour(30.04) == maps.ABOVE  # above it, though shown as 30,0%
    below, above = scheme.colours[:3], scheme.colours[3:]
    assert all(c in maps.BELOW[3] for c in below) and above == (maps.ABOVE,)


def test_classes_given_and_automatic():
    assert maps.classify(SHARE, "procent", [15, 25]).labels == (
        "minder dan 15%", "15% – 25%", "25% of meer")
    # Round steps of 200, then the empty classes 200–400 and 600–800 merged into the one below.
    assert maps.nice_bounds(pd.Series([120, 480, 950]), "huishoudens") == [400, 800]
    assert maps.class_labels([1000, 2500], "huishoudens") == [
        "minder dan 1.000", "1.000 – 2.500", "2.500 of meer"]
    assert maps.nice_bounds(pd.Series([0, 2, 3.0]), "huishoudens") == [2, 3]  # 1–2 empty
    assert maps.nice_bounds(pd.Series([5.0, 5.0]), "procent") == []
    with pytest.raises(ValueError, match="hoogstens"):
        maps.classify(SHARE, "procent", list(range(5, 40, 5)))


def test_class_bounds_are_distinct_as_shown():
    """The reported legend '0,1 – 0,1' twice: rates of 0,0–0,1 per 1.000 huishoudens, shown
    with one decimal, can only be told apart at 0,1."""
    rates = pd.Series([0.01, 0.02, 0.04, 0.06, 0.07, 0.09, 0.12, 0.14])
    scheme = maps.classify(rates, "per 1.000 huishoudens")
    assert scheme.labels == ("minder dan 0,1", "0,1 of meer")
    # A value is classed as its label shows it: 0,06 reads 0,1.
    assert scheme.colour(0.06) == scheme.colour(0.1) != scheme.colour(0.04)
    with pytest.raises(ValueError, match="niet te schrijven met 1 decimalen"):
        maps.classify(rates, "per 1.000 huishoudens", [0.05, 0.1])
    with pytest.raises(ValueError, match="boven de grens is één klasse"):
        maps.classify(SHARE, "procent", [20, 35], reference=30)


@pytest.mark.parametrize("scale", [0.01, 0.1, 1, 30, 1000])
@pytest.mark.parametrize("unit", ["per 1.000 huishoudens", "procent", "index", "huishoudens"])
def test_automatic_legends_are_distinct_increasing_and_never_empty(scale, unit):
    rng = np.random.default_rng(7)
    for _ in range(40):
        values = pd.Series(rng.gamma(1.5, scale, size=9))
        scheme = maps.classify(values, unit)
        shown = [float(b) for b in scheme.bounds]
        assert shown == sorted(set(shown))  # increasing, no two alike
        assert len(set(scheme.labels)) == len(scheme.labels)
        assert not any(re.fullmatch(r"(.+) – \1", label) for label in scheme.labels)
        labels = {scheme.labels[scheme.colours.index(scheme.colour(v))] for v in values}
        assert labels == set(scheme.labels)  # every class holds a value
        bounds = [maps.class_labels([b], unit)[0].removeprefix("minder dan ") for b in shown]
        assert len(set(bounds)) == len(bounds)  # also distinct as written


def test_limit_map_below_is_light_and_neutral_above_is_one_warm_colour(gemeenten):
    fig = maps.choropleth(gemeenten, SHARE, indicator="aandeel_mutaties_aandachtsgroepen",
                          reference=30)
    assert legend(fig)[-1] == "boven de grens van 30%"
    codes = dict(zip(gemeenten["naam"], gemeenten["code"], strict=True))
    fills = {codes[t.text.split("<br>")[0][3:-4]]: t.fillcolor for t in area_traces(fig)}
    above = {code for code, value in SHARE.items() if value > 30}
    assert {fills[code] for code in above} == {maps.ABOVE}
    below = {fills[code] for code in SHARE.index if code not in above}
    assert maps.ABOVE not in below
    for colour in below:  # light blues: nothing below the limit draws the eye
        r, _, b = srgb_linear(colour)
        assert luminance(colour) > 0.35 and b >= r
    r, _, b = srgb_linear(maps.ABOVE)
    assert r > 2 * b  # warm
    # Dark names and values on it stay legible (WCAG AA), and it stays far from every blue
    # for each common colour-vision deficiency.
    assert (luminance(maps.ABOVE) + 0.05) / (luminance(maps.TEXT_COLOUR) + 0.05) >= 4.5
    for matrix in DEFICIENCIES.values():
        warm = lab(np.array(matrix) @ srgb_linear(maps.ABOVE))
        for colour in maps.BELOW[5]:
            assert np.linalg.norm(warm - lab(np.array(matrix) @ srgb_linear(colour))) > 40


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
    assert hover["<b>Rijswijk (ZH.)</b>"].fillcolor == maps.ABOVE
    assert hover["<b>Wassenaar</b>"].text.endswith("9,7%")
    labels = next(t for t in fig.data if t.mode == "text")
    assert "Rijswijk<br><b>31,5%</b>" in labels.text
    assert legend(fig) == ["minder dan 10%", "10% – 20%", "20% – 30%",
                           "boven de grens van 30%"]
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


def test_an_area_without_a_value_is_light_grey_with_a_legend_entry(gemeenten):
    fig = maps.choropleth(gemeenten, SHARE.drop("GM0629"), title="Instroom",
                          unit="per 1.000 huishoudens", source="SVH verhuringen")
    wassenaar = next(t for t in area_traces(fig) if "Wassenaar" in t.text)
    assert wassenaar.fillcolor == maps.NO_DATA_COLOUR and wassenaar.text.endswith("–")
    assert legend(fig)[-1] == "Geen gegevens"
    assert SUPPRESSED_LABEL not in legend(fig)  # nothing is hidden
    assert "Per 1.000 huishoudens" in annotations(fig)  # the unit above the legend


def test_maps_use_no_geo_or_mapbox_traces(gemeenten, wijken, tiles):
    figures = [maps.choropleth(gemeenten, SHARE, indicator="verhuringen"),
               maps.locator(gemeenten, "GM0503"), maps.flows(tiles, flow_matrix(), own_share()),
               maps.wijk_choropleth(wijken, pd.Series(1.0, index=wijken["code"]), gemeenten,
                                    indicator="concentratie_index_wijk")]
    for fig in figures:
        assert {trace.type for trace in fig.data} == {"scatter"}
        assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.xaxis.visible is False


# ---------------------------------------------------------------------------------------------
# Hidden values: in published figures an empty value (NaN) is a hidden one
# ---------------------------------------------------------------------------------------------


def embedded_strings(fig: go.Figure) -> list[str]:
    """The texts of the figure as the HTML embeds it (not the base64 of numeric arrays), after
    checking that it holds no NaN and no 'nan'."""
    data = fig.to_plotly_json()
    json.dumps(data, allow_nan=False, default=np.ndarray.tolist)  # raises on a NaN anywhere
    texts = strings(data)
    assert not [s for s in texts if re.search(r"\bnan\b", s, re.IGNORECASE)]
    return texts


def legend_colours(fig: go.Figure) -> dict[str, str]:
    return {t.name: t.marker.color for t in fig.data if t.showlegend is not False}


def test_a_hidden_value_is_grey_labelled_x_and_explained(gemeenten):
    fig = maps.choropleth(gemeenten, SHARE.astype(float).mask(SHARE.index == "GM0629"),
                          indicator="aandeel_mutaties_aandachtsgroepen", reference=30)
    wassenaar = next(t for t in area_traces(fig) if "Wassenaar" in t.text)
    assert wassenaar.text == f"<b>Wassenaar</b>: {SUPPRESSED_LABEL}"
    assert wassenaar.fillcolor == maps.SUPPRESSED_COLOUR
    assert "Wassenaar<br><b>x</b>" in next(t for t in fig.data if t.mode == "text").text
    # Classes over the shown values (from 12,3%); hidden, not 'Geen gegevens'.
    assert legend(fig) == ["minder dan 15%", "15% – 20%", "20% – 25%", "25% – 30%",
                           "boven de grens van 30%", SUPPRESSED_LABEL]
    assert legend_colours(fig)[SUPPRESSED_LABEL] == maps.SUPPRESSED_COLOUR
    # No trace of the hidden value (9,7%) anywhere in what the HTML embeds.
    assert not [text for text in embedded_strings(fig) if re.search(r"9,7|9\.7", text)]


def test_hidden_and_without_a_value_are_told_apart(gemeenten):
    values = SHARE.astype(float).mask(SHARE.index == "GM0629").drop("GM1842")
    fig = maps.choropleth(gemeenten, values, indicator="aandeel_mutaties_aandachtsgroepen")
    fills = {re.search(r"<b>(.*)</b>", t.text)[1]: t.fillcolor for t in area_traces(fig)}
    assert fills["Wassenaar"] == maps.SUPPRESSED_COLOUR
    assert fills["Midden-Delfland"] == maps.NO_DATA_COLOUR
    assert legend(fig)[-2:] == [SUPPRESSED_LABEL, maps.NO_DATA]
    everything = maps.choropleth(gemeenten, SHARE * np.nan, indicator="verhuringen")
    assert {t.fillcolor for t in area_traces(everything)} == {maps.SUPPRESSED_COLOUR}
    assert legend(everything) == [SUPPRESSED_LABEL]  # no class that nothing is in
    embedded_strings(everything)


def test_the_hidden_grey_is_no_class_colour_for_any_reader():
    classes = ({c for colours in maps.BLUES.values() for c in colours}
               | {c for colours in maps.BELOW.values() for c in colours}
               | {maps.ABOVE, maps.NO_DATA_COLOUR})
    for matrix in [np.eye(3), *map(np.array, DEFICIENCIES.values())]:
        grey = lab(matrix @ srgb_linear(maps.SUPPRESSED_COLOUR))
        for colour in classes:
            assert np.linalg.norm(grey - lab(matrix @ srgb_linear(colour))) > 20, colour
    # The name and 'x' on it stay legible (WCAG AA).
    assert maps._text_colour(maps.SUPPRESSED_COLOUR) == maps.TEXT_COLOUR
    assert ((luminance(maps.SUPPRESSED_COLOUR) + 0.05) / (luminance(maps.TEXT_COLOUR) + 0.05)
            >= 4.5)


def test_a_hidden_wijk_is_grey_and_explained(wijken, gemeenten):
    values = pd.Series(np.linspace(0.2, 3, len(wijken)), index=wijken["code"])
    values.iloc[0] = np.nan
    fig = maps.wijk_choropleth(wijken, values.iloc[:-1], gemeenten,
                               indicator="concentratie_index_wijk", reference=1)
    areas = area_traces(fig)
    assert areas[0].fillcolor == maps.SUPPRESSED_COLOUR
    assert areas[0].text.endswith(f": {SUPPRESSED_LABEL}")
    assert areas[-1].fillcolor == maps.NO_DATA_COLOUR  # not in the values: too few lettings
    assert legend(fig)[-2:] == [SUPPRESSED_LABEL, maps.NO_DATA]
    embedded_strings(fig)
    # the report says why a wijk has no value, in the legend and on hover
    named = maps.wijk_choropleth(wijken, values.iloc[:-1], gemeenten, reference=1,
                                 indicator="concentratie_index_wijk",
                                 no_data="minder dan 20 verhuringen")
    assert legend(named)[-1] == "minder dan 20 verhuringen"
    assert area_traces(named)[-1].text.endswith(": minder dan 20 verhuringen")


def assert_notes_below_the_map(fig: go.Figure) -> None:
    """Notes and source (anchored at the bottom, shifted from the plot's lower edge) end
    under the plot."""
    for note in fig.layout.annotations:
        if note.yref == "paper" and note.y == 0:
            assert note.yshift + NOTE_LINE * (note.text.count("<br>") + 1) <= 0, note.text


def test_a_hidden_flow_is_not_drawn_and_a_note_says_so(tiles):
    matrix = flow_matrix().astype("Int64")  # also a nullable count column's pd.NA
    matrix.loc["GM0518", "GM0603"] = pd.NA  # 120, the largest
    matrix.loc["GM0503", "GM0503"] = pd.NA  # within Delft: never drawn anyway
    shares = own_share().drop("GM0629")  # Wassenaar: no share at all
    shares["GM0503"] = np.nan  # Delft's hidden
    fig = maps.flows(tiles, matrix, shares)
    names = dict(zip(tiles["code"], tiles["naam"], strict=True))
    drawn = [t.hovertemplate for t in fig.data if t.hovertemplate and "→" in t.hovertemplate]
    assert len(drawn) == 2
    assert not [h for h in drawn if h.startswith(f"{names['GM0518']} → {names['GM0603']}")]
    notes = annotations(fig)
    assert any("stromen van minstens 10" in n and "Niet gepubliceerde stromen (kleine<br>"
               "aantallen) zijn niet getekend." in n for n in notes)
    assert f"<b>{maps.map_name(names['GM0503'])}</b><br>x" in notes
    assert f"<b>{maps.map_name(names['GM0629'])}</b><br>–" in notes
    assert SUPPRESSED_NOTE in notes
    assert fig.layout.margin.b > MARGIN_BOTTOM  # room for the extra notes
    assert_notes_below_the_map(fig)
    assert not [t for t in embedded_strings(fig) if re.search(r"\b120\b", t)]


def test_without_hidden_values_the_flow_notes_stay_as_they_were(tiles, gemeenten):
    matrix = flow_matrix().astype(float)
    matrix.loc["GM0503", "GM0503"] = np.nan  # within a gemeente: not a flow on the map
    for gdf in (tiles, gemeenten):
        fig = maps.flows(gdf, matrix, own_share())
        assert not any("Niet gepubliceerde" in n or n == SUPPRESSED_NOTE
                       for n in annotations(fig))
        assert fig.layout.margin.b == MARGIN_BOTTOM
        assert_notes_below_the_map(fig)


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


def locator_labels(fig: go.Figure) -> list[tuple[str, float]]:
    """(text, font size) of every name on a locator: text trace and boxed annotation."""
    text = [(t, trace.textfont.size) for trace in fig.data if trace.mode == "text"
            for t in trace.text]
    return text + [(a.text, a.font.size) for a in map_labels(fig)]


@pytest.mark.parametrize("code", ["GM0503", "GM0518", "GM1916"])
def test_locator_names_are_readable_at_60_percent_of_the_text_width(gemeenten, code):
    fig = maps.locator(gemeenten, code, short_names=REGION.korte_namen)
    labels = locator_labels(fig)
    assert len(labels) == 9
    assert all(print_pt(size, fig, share=0.6) >= 7.5 for _, size in labels)
    assert print_pt(fig.layout.title.font.size, fig, share=0.6) >= 10
    # Haaglanden's full names fit at that size: no short name is needed.
    names = {re.sub(r"</?b>", "", text).replace("<br>", "") for text, _ in labels}
    assert {"'s-Gravenhage", "Leidschendam-Voorburg", "Pijnacker-Nootdorp"} <= names
    # The hover keeps the official name.
    assert "<b>Rijswijk (ZH.)</b>" in [t.text for t in area_traces(fig)]


def test_locator_names_do_not_overlap(gemeenten, tiles):
    for gdf in (gemeenten, tiles):
        view = maps._View.of(gdf, maps.LOCATOR_WIDTH)
        extents = [extent for _, extent in maps._fitted_labels(
            gdf, REGION.korte_namen, view, maps.LOCATOR_LABEL_SIZE)]
        assert sum(a.intersection(b).area for i, a in enumerate(extents)
                   for b in extents[i + 1:]) == 0


def test_locator_uses_short_names_only_where_full_ones_collide():
    # Three gemeenten in a row, each ≈ 130 px wide at the locator's size: the two long names
    # run into each other; shortening Kapelle's is enough, so Alphen's stays whole.
    codes = ["GM0001", "GM0002", "GM0003", "GM0004"]
    gdf = gpd.GeoDataFrame(
        {"code": codes, "gemeente": codes, "jaar": 2025,
         "naam": ["Kapelle aan den IJssel", "Alphen aan den Rijn", "Ee", "Bergen op Zoom"]},
        geometry=[shapely.box(i * 6000, 0, (i + 1) * 6000, 6000) for i in range(3)]
        + [shapely.box(0, -6000, 18000, 0)], crs="EPSG:28992")
    short = {"GM0001": "Kapelle a/d IJ.", "GM0002": "Alphen", "GM0004": "Bergen op Z."}
    fig = maps.locator(gdf, "GM0004", short_names=short)
    texts = [re.sub(r"</?b>", "", t) for t, _ in locator_labels(fig)]
    assert texts == ["Kapelle a/d IJ.", "Alphen aan den Rijn", "Ee", "Bergen op Zoom"]
    view = maps._View.of(gdf, maps.LOCATOR_WIDTH)
    extents = [e for _, e in maps._fitted_labels(gdf, short, view, maps.LOCATOR_LABEL_SIZE)]
    assert not any(a.intersects(b) for i, a in enumerate(extents) for b in extents[i + 1:])
    full = [e for _, e in maps._fitted_labels(gdf, {}, view, maps.LOCATOR_LABEL_SIZE)]
    assert full[0].intersects(full[1])  # without short names they would collide


def wijk_map(wijken: gpd.GeoDataFrame, gemeenten: gpd.GeoDataFrame, gemeente: str,
             **options) -> go.Figure:
    """The appendix's wijk map of one gemeente, with its wijken labelled."""
    own = wijken[wijken["gemeente"] == gemeente]
    values = pd.Series(np.linspace(0.4, 2.2, len(own)), index=own["code"])
    return maps.wijk_choropleth(own, values, gemeenten[gemeenten["code"] == gemeente],
                                indicator="concentratie_index_wijk", reference=1.5,
                                wijk_labels=True, **options)


def assert_boxes_apart_and_on_the_map(fig: go.Figure, gemeenten: gpd.GeoDataFrame) -> None:
    """No two wijk labels' white boxes overlap (as estimated) and each lies within the plot."""
    view = maps._View.of(gemeenten)
    boxes = [maps._box(view.to_px(a.x, a.y), a.text, a.font.size, maps.LABEL_BOX_PAD + 1)
             for a in map_labels(fig)]
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if maps._overlap(a, b) > 0]
    tolerance = 1e-6  # px: a box moved onto the edge lands there up to rounding
    for left, bottom, right, top in boxes:
        assert left >= -tolerance and bottom >= -tolerance
        assert right <= view.plot_width + tolerance and top <= view.plot_height + tolerance


def test_wijk_number_is_the_last_two_digits_of_the_code():
    assert maps.wijk_number("WK050301") == "01"
    assert maps.wijk_number("WK051844") == "44"
    with pytest.raises(ValueError, match="CBS-wijkcode"):
        maps.wijk_number("GM0503")


@pytest.mark.parametrize("code", ["GM1842", "GM0629"])
def test_the_wijken_of_a_small_gemeente_are_named_on_its_map(wijken, gemeenten, code):
    own = wijken[wijken["gemeente"] == code]
    fig = wijk_map(wijken, gemeenten, code)
    labels = map_labels(fig)
    texts = [a.text for a in labels]
    assert [t.replace("<br>", " ") for t in texts] == list(own["naam"])
    assert maps.wijk_label_texts(own, gemeenten[gemeenten["code"] == code]) == (texts, True)
    assert_boxes_apart_and_on_the_map(fig, gemeenten[gemeenten["code"] == code])
    # The gemeente's name is not printed over the wijken (the title and caption give it).
    naam = REGION.gemeente_naam(code)
    assert naam not in texts and maps.map_name(naam) not in texts


def test_den_haag_wijken_are_numbered_as_in_the_table(wijken, gemeenten):
    own = wijken[wijken["gemeente"] == "GM0518"]
    fig = wijk_map(wijken, gemeenten, "GM0518")
    texts = [a.text for a in map_labels(fig)]
    numbers = [maps.wijk_number(c) for c in own["code"]]
    assert len(texts) == 44 and texts == numbers
    assert maps.wijk_label_texts(own, gemeenten[gemeenten["code"] == "GM0518"]) == (
        numbers, False)
    # The hover still names each wijk and its gemeente.
    hover = [t.text for t in area_traces(fig)]
    assert len(hover) == 44
    assert all(text.startswith(f"<b>{naam}</b><br>'s-Gravenhage: ")
               for text, naam in zip(hover, own["naam"], strict=True))
    assert hover[0] == "<b>Wijk 01 Oostduinen</b><br>'s-Gravenhage: 0,40"


def test_wijk_labels_read_at_print_size_over_any_fill(wijken, gemeenten):
    for code in ("GM1842", "GM0518"):
        for label in map_labels(wijk_map(wijken, gemeenten, code)):
            assert label.font.size == maps.LABEL_SIZE >= 9  # px at the export width
            assert label.font.color == maps.TEXT_COLOUR
            assert label.bgcolor == "rgba(255,255,255,0.75)"
            assert label.showarrow is False
    fig = wijk_map(wijken, gemeenten, "GM1842")
    assert fig.layout.width is None  # exported at WIDTH, printed at the text width
    assert print_pt(maps.LABEL_SIZE, fig, share=1) >= 7


def test_the_region_wijk_map_names_only_the_gemeenten(wijken, gemeenten):
    fig = maps.wijk_choropleth(wijken, pd.Series(1.0, index=wijken["code"]), gemeenten,
                               indicator="concentratie_index_wijk")
    assert sorted(a.text for a in map_labels(fig)) == sorted(
        maps.map_name(n) for n in gemeenten["naam"])
    assert len(area_traces(fig)) == len(wijken) == 113


def synthetic_wijken(names: list[str]) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """A square gemeente of 6 km split into as many wijken side by side as names."""
    width = 6000 / len(names)
    codes = [f"WK0001{i:02d}" for i in range(len(names))]
    wijken = gpd.GeoDataFrame(
        {"code": codes, "naam": names, "gemeente": "GM0001", "jaar": 2025},
        geometry=[shapely.box(i * width, 0, (i + 1) * width, 6000) for i in range(len(names))],
        crs="EPSG:28992")
    gemeente = gpd.GeoDataFrame(
        {"code": ["GM0001"], "naam": ["Ergens"], "gemeente": ["GM0001"], "jaar": [2025]},
        geometry=[shapely.box(0, 0, 6000, 6000)], crs="EPSG:28992")
    return wijken, gemeente


def test_a_long_wijk_name_wraps_before_the_names_give_way_to_numbers():
    # Two wijken ≈ 240 px wide: the 40-character names collide on one line; one of them
    # over two lines is enough.
    names = ["Wijk 00 Zuidwestelijk deel der gemeente", "Wijk 01 Noordoostelijk deel der gemeente"]
    wijken, gemeente = synthetic_wijken(names)
    texts, named = maps.wijk_label_texts(wijken, gemeente)
    assert named and [t.replace("<br>", " ") for t in texts] == names
    assert sum("<br>" in t for t in texts) == 1
    fig = maps.wijk_choropleth(wijken, pd.Series(1.0, index=wijken["code"]), gemeente,
                               indicator="concentratie_index_wijk", wijk_labels=True)
    assert [a.text for a in map_labels(fig)] == texts
    assert_boxes_apart_and_on_the_map(fig, gemeente)
    # Six wijken ≈ 80 px wide: not even two lines fit, so every wijk gets its number.
    wijken, gemeente = synthetic_wijken([f"Wijk 0{i} Westbroekpolder" for i in range(6)])
    assert maps.wijk_label_texts(wijken, gemeente) == (
        ["00", "01", "02", "03", "04", "05"], False)


# ---------------------------------------------------------------------------------------------
# Fallback
# ---------------------------------------------------------------------------------------------


def test_the_tile_grid_draws_every_gemeente_with_a_note(tiles):
    fig = maps.choropleth(tiles, SHARE, indicator="aandeel_mutaties_aandachtsgroepen",
                          reference=30)
    assert len(area_traces(fig)) == 9
    assert TILE_NOTE in annotations(fig)
    assert not any("Kadaster" in text for text in annotations(fig))  # no boundaries used
    # On the narrow locator the note wraps, and stays the same sentence.
    notes = [text.replace("<br>", " ") for text in annotations(maps.locator(tiles, "GM0503"))]
    assert TILE_NOTE in notes


def test_the_tile_note_is_for_the_reader(tiles):
    """One sentence, without the command that fetches boundaries (that is for the analyst)."""
    assert TILE_NOTE.count(".") == 1 and TILE_NOTE.endswith(".")
    for fig in (maps.choropleth(tiles, SHARE, indicator="verhuringen"),
                maps.locator(tiles, "GM0503"), maps.flows(tiles, flow_matrix(), own_share())):
        warnings = [a.text for a in fig.layout.annotations if a.font.color == VERMILLION]
        assert [text.replace("<br>", " ") for text in warnings] == [TILE_NOTE]
        assert not re.search(r"woonzorg |fetch|--|`", " ".join(annotations(fig)))


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
        "flows": maps.flows(gemeenten, flow_matrix(), own_share()),
        "wijk": maps.wijk_choropleth(wijken, wijk_values, gemeenten,
                                     indicator="concentratie_index_wijk", reference=1),
        "wijk_genummerd": wijk_map(wijken, gemeenten, "GM0518"),
        "tegels": maps.choropleth(tiles, SHARE, indicator="aandeel_mutaties_aandachtsgroepen"),
        "verborgen": maps.choropleth(gemeenten, SHARE.astype(float).mask(SHARE > 30),
                                     indicator="aandeel_mutaties_aandachtsgroepen"),
    }


def test_maps_export_to_svg(kaleido_session, all_maps, tmp_path):
    paths = static.write_images([(fig, tmp_path / f"{name}.svg")
                                 for name, fig in all_maps.items()])
    for path, fig in zip(paths, all_maps.values(), strict=True):
        svg = path.read_text(encoding="utf-8")
        assert svg.startswith("<svg")
        assert fig.layout.title.text in svg
        assert "<image" not in svg  # vector, not a raster of a WebGL map
    assert TILE_NOTE in (tmp_path / "tegels.svg").read_text("utf-8")
    assert 'width="420"' in (tmp_path / "locator.svg").read_text("utf-8")[:300]
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


def test_flow_map_prints_the_own_share_it_is_given(tiles):
    fig = maps.flows(tiles, flow_matrix(), own_share())
    labels = " ".join(str(a.text) for a in fig.layout.annotations)
    for i, _code in enumerate(REGION.gemeenten):
        assert f"{50 + i},0%" in labels or f"{50 + i}%" in labels


def test_wijk_threshold_is_called_a_signal_value_not_a_limit():
    labels = maps.classify(pd.Series([0.8, 1.2, 1.9]), "index", reference=1.5,
                           reference_name="signaalwaarde").labels
    assert labels[-1] == "boven de signaalwaarde van 1,5"
