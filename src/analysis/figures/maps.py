"""Maps in the house style: one Plotly figure per map for the static (Kaleido SVG) and the
interactive (HTML) report.

Technique: the areas are filled `go.Scatter` polygons on ordinary cartesian axes in RD metres,
with equal scales (`scaleanchor`) and the axes hidden. Nothing is fetched: Plotly's geo traces
load topojson from a CDN, and its MapLibre traces (`choropleth_map`) render to a raster image
inside the SVG, take ≈1 s instead of ≈0.15 s per image in Kaleido, and need a glyph server
(fonts.openmaptiles.org) for any text on the map. Here the SVG stays vector with text as text,
and names are ordinary scatter text in the house font.

Layers come from `analysis.geo` (`load_boundaries` or the `tile_grid` fallback); values are
Series indexed by CBS code (GM0518, WK051801), joined on that code, never on a name. A tile
grid (no CRS) gets a note for the reader that the boundaries were not available.

Values are published figures, where an empty value (NaN) is a hidden one: its area is grey
(`SUPPRESSED_COLOUR`, never a class colour), labelled `SUPPRESSED` ('x'), with
`SUPPRESSED_LABEL` in its hover text and the legend. An area without a value at all (its code
not in the values, e.g. a wijk with too few lettings to mean something) is 'Geen gegevens'.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations, pairwise

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from shapely.geometry.polygon import orient
from shapely.ops import polylabel

from analysis.figures.style import (
    BLUE,
    CHAR_EM,
    MARGIN_BOTTOM,
    NOTE_LINE,
    PAD,
    SMALL_FONT_SIZE,
    TEXT_COLOUR,
    TITLE_CHARS,
    WIDTH,
    ChartText,
    add_notes,
    bar_labels,
    chart_text,
    finish,
    wrap,
    wrap_note,
)
from analysis.geo.fetch import ATTRIBUTION
from analysis.geo.load import polygonal_part
from analysis.geo.tiles import is_tile_grid
from analysis.tables import (
    DECIMALS,
    MISSING,
    SUPPRESSED_LABEL,
    SUPPRESSED_NOTE,
    fmt_number,
)

MAX_PLOT_HEIGHT = 500  # px: a square region then fills 500 × 500 of the 700 px page width
RANGE_PAD = 0.02  # share of the extent kept free around the region
NO_DATA = "Geen gegevens"  # an area without a value (not a hidden one)
NO_DATA_COLOUR = "#D9D9D9"
# Hidden values: a mid grey, ΔE > 25 from every class colour and from NO_DATA_COLOUR, also for
# each common colour-vision deficiency; dark text on it at 4,7:1.
SUPPRESSED_COLOUR = "#8C8C8C"
BACKGROUND = "#EDEDED"  # areas that only give context (locator, flows)
BORDER = "white"  # between areas of one layer
GEMEENTE_BORDER = "#3A3A3A"  # gemeente outlines over wijken
LABEL_SIZE = 11  # px: ≈ 7 pt printed at the text width (16 cm)
LABEL_BOX_PAD = 2  # px of white box around a boxed label's text
TILE_NOTE = "Gemeenten als vierkanten: de gemeentegrenzen waren niet beschikbaar."

# The locator is placed at 60% of the text width (the gemeente appendix). Drawn that narrow,
# everything on it prints as large as on a full-width figure: 12 px names ≈ 7,8 pt on paper.
LOCATOR_SHARE = 0.6
LOCATOR_WIDTH = round(WIDTH * LOCATOR_SHARE)
LOCATOR_LABEL_SIZE = 12
TEXT_WIDTH_PT = 160 / 25.4 * 72  # the A4 text width (210 mm - 2 × 25 mm margin) in points
LINE_EM = 1.3  # height of a label line in em, as plotly sets it
Box = tuple[float, float, float, float]  # a label's extent: left, bottom, right, top in px

# ColorBrewer (Brewer & Harrower), colour-blind safe. Sequential: Blues, by number of classes.
# Around a limit: the light half of Blues up to and including it, so that nothing below it
# draws the eye, and one warm colour above it (OrRd; dark text on it at 5:1), which stays far
# from every blue for each common colour-vision deficiency (ΔE > 50, Machado et al. 2009).
BLUES = {
    1: ("#6BAED6",),
    2: ("#9ECAE1", "#3182BD"),
    3: ("#DEEBF7", "#9ECAE1", "#3182BD"),
    4: ("#EFF3FF", "#BDD7E7", "#6BAED6", "#2171B5"),
    5: ("#EFF3FF", "#BDD7E7", "#6BAED6", "#3182BD", "#08519C"),
    6: ("#EFF3FF", "#C6DBEF", "#9ECAE1", "#6BAED6", "#3182BD", "#08519C"),
}
BELOW = {1: ("#C6DBEF",), 2: ("#EFF3FF", "#9ECAE1"), 3: ("#EFF3FF", "#C6DBEF", "#9ECAE1"),
         4: ("#EFF3FF", "#C6DBEF", "#9ECAE1", "#6BAED6"),
         5: ("#EFF3FF", "#DEEBF7", "#C6DBEF", "#9ECAE1", "#6BAED6")}
ABOVE = "#EF6548"
MAX_CLASSES = len(BLUES)
AUTO_CLASSES = 5  # enough to tell gemeenten apart, few enough to match colours to the legend
NICE_STEPS = (1, 2, 2.5, 5)

FLOW_COLOUR = BLUE
FLOW_MAX_WIDTH = 14  # px for the largest flow
FLOW_BEND = 0.22  # curve: the control point lies this share of the distance to the right
LINE_LEGEND_INDENT = 8  # px: line symbols start further left than squares; align them
ARROW_BASE, ARROW_SCALE = 8, 1.1  # px: the head of a line of width w is 8 + 1.1 w long
FLOW_GAP = 36  # px left free at both ends of a flow, around the labels
FLOW_OPACITY = 0.85  # overlapping flows stay visible


# ---------------------------------------------------------------------------------------------
# Classes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Classes:
    """Value classes: `bounds` between them, one label and colour per class.

    A value falls in a class by the value as shown (rounded to `decimals`, as its label on the
    map): a gemeente labelled 0,2 is in '0,2 – 0,4', never in 'minder dan 0,2'. Each bound
    opens the class above it, except the reference: 'boven de grens' means above the value
    itself, as the report's text counts it, so a value at the limit is within it.
    """

    bounds: tuple[float, ...]
    labels: tuple[str, ...]
    colours: tuple[str, ...]
    decimals: int
    reference: float | None = None

    def colour(self, value: float) -> str:
        """The class colour of `value`; grey for a hidden one (NaN), never a class colour."""
        if pd.isna(value):
            return SUPPRESSED_COLOUR
        shown = _shown(value, self.decimals)
        index = sum(shown >= bound for bound in self.bounds if bound != self.reference)
        if self.reference is not None:
            index += value > self.reference
        return self.colours[index]


def classify(values: pd.Series, unit: str, bounds: Sequence[float] | None = None,
             reference: float | None = None, reference_name: str = "grens") -> Classes:
    """Classes for `values`: the given bounds, or round ones over the range of the values.

    With a reference (e.g. the 30% mutatiegrens) it is always a bound: light blues up to and
    including it, one warm colour above it, labelled 'boven de grens van 30%'.
    """
    decimals = DECIMALS.get(unit, 1)  # what bar_labels shows: whole numbers or 1 decimal
    if bounds is None:
        chosen = nice_bounds(values, unit, reference)
    else:
        chosen = sorted(set(bounds))
        _check_bounds(chosen, decimals, reference)
    if reference is not None and reference not in chosen:
        chosen = sorted({*chosen, reference})
    if len(chosen) + 1 > MAX_CLASSES:
        raise ValueError(f"{len(chosen) + 1} klassen; een kaart leest goed met hoogstens "
                         f"{MAX_CLASSES}")
    colours = BLUES[len(chosen) + 1] if reference is None else (*BELOW[len(chosen)], ABOVE)
    labels = class_labels(chosen, unit, limit=reference is not None, limit_name=reference_name)
    return Classes(tuple(chosen), tuple(labels), tuple(colours), decimals, reference)


def _check_bounds(bounds: Sequence[float], decimals: int, reference: float | None) -> None:
    """Given bounds must read as written (no 0,125 where one decimal is shown, which would
    show two classes as '0,1 – 0,1'), and a limit has one class above it."""
    unreadable = [b for b in bounds if _shown(b, decimals) != b]
    if unreadable:
        raise ValueError(f"klassengrens {unreadable[0]} is niet te schrijven met {decimals} "
                         "decimalen zoals de waarden op de kaart")
    if reference is not None and bounds and bounds[-1] > reference:
        raise ValueError(f"klassengrens {bounds[-1]} boven de grens {reference}: boven de "
                         "grens is één klasse")


def nice_bounds(values: pd.Series, unit: str, reference: float | None = None) -> list[float]:
    """Round bounds: multiples of the finest step (1, 2, 2,5 or 5 × 10ⁿ, never finer than
    the shown decimals, so no two bounds read alike) that gives at most AUTO_CLASSES classes;
    a class without a value is merged into the one below.

    With a reference only the values up to it are classed; above it is one class.
    """
    decimals = DECIMALS.get(unit, 1)
    finite = values.dropna().astype(float)
    if reference is not None:
        finite = finite[finite <= reference]
    shown = np.array([_shown(v, decimals) for v in finite])
    if shown.size == 0:
        return []
    low, top = shown.min(), shown.max() if reference is None else reference
    if low == top:
        return []
    magnitude = 10 ** math.floor(math.log10(top - low))
    for step in sorted(s * magnitude * 10.0**k for k in range(-2, 2) for s in NICE_STEPS):
        units = round(step * 10**decimals, 9)
        if units < 1 or not units.is_integer():  # 0,25 cannot be written with one decimal
            continue
        # Strictly above the lowest value (a bound at it would leave the class below empty),
        # up to the highest; below a reference, short of it (classify adds the reference).
        multiples = np.arange(math.floor(low / step) + 1, math.ceil(top / step) + 1) * step
        candidates = [b for b in np.round(multiples, decimals).tolist()
                      if b < top or (b == top and reference is None)]
        if len(candidates) + 1 + (reference is not None) <= AUTO_CLASSES:
            return _without_empty_classes(candidates, shown)
    return []  # not reached: the coarsest step leaves a single class


def _without_empty_classes(bounds: list[float], shown: np.ndarray) -> list[float]:
    """Drop each bound whose class (up to the next bound) holds no value."""
    upper = [*bounds[1:], math.inf]
    return [b for b, u in zip(bounds, upper, strict=True) if ((shown >= b) & (shown < u)).any()]


def _shown(value: float, decimals: int) -> float:
    """The value as its label shows it: rounded half away from zero, as `tables` does."""
    exponent = Decimal(1).scaleb(-decimals)
    return float(Decimal(str(float(value))).quantize(exponent, rounding=ROUND_HALF_UP))


def class_labels(bounds: Sequence[float], unit: str, *, limit: bool = False,
                 limit_name: str = "grens") -> list[str]:
    """Dutch labels with the bounds as round as they are: 'minder dan 20%', '20% – 25%', …,
    '35% of meer'; with `limit` the last bound is a limit: '…, boven de grens van 30%'."""
    if not bounds:
        return ["Alle gebieden"]
    suffix = "%" if unit == "procent" else ""
    text = [fmt_number(b, DECIMALS.get(unit, 1)) + suffix for b in bounds]
    if limit and len(text) == 1:
        return [f"binnen de {limit_name} van {text[0]}", f"boven de {limit_name} van {text[0]}"]
    middle = [f"{a} – {b}" for a, b in pairwise(text)]
    last = f"boven de {limit_name} van {text[-1]}" if limit else f"{text[-1]} of meer"
    return [f"minder dan {text[0]}", *middle, last]


# ---------------------------------------------------------------------------------------------
# Public map factories
# ---------------------------------------------------------------------------------------------


def choropleth(
    gdf: gpd.GeoDataFrame,
    values: pd.Series,
    *,
    indicator: str | None = None,
    title: str | None = None,
    unit: str | None = None,
    source: str | None = None,
    classes: Sequence[float] | None = None,
    labels: bool = True,
    highlight: str | None = None,
    reference: float | None = None,
) -> go.Figure:
    """Gemeenten coloured by value class, with name and value on each gemeente.

    values: one value per CBS code of `gdf`; NaN is a hidden value, a code without a value
        'Geen gegevens'.
    classes: the bounds between classes (e.g. [10, 20, 30]); default round steps.
    highlight: the code of a gemeente to outline (the gemeente of an appendix).
    reference: a limit that is always a class bound (30 for the mutatiegrens): light blues up
        to and including it, one warm colour for 'boven de grens van 30%'.
    """
    text = chart_text(indicator, title, unit, source)
    joined = _join(gdf, values)
    scheme = classify(joined.values, text.unit, classes, reference)
    fills = joined.fills(scheme)
    formatted = joined.labels(text.unit)
    names = [map_name(n) for n in gdf["naam"]]
    hover = [f"<b>{n}</b>: {SUPPRESSED_LABEL}" if hidden else f"<b>{n}</b><br>{v}"
             for n, v, hidden in zip(gdf["naam"], formatted, joined.hidden, strict=True)]
    fig = go.Figure(_areas(gdf, fills, hover))
    if labels:
        points = [_label_point(geometry) for geometry in gdf.geometry]
        fig.add_trace(_labels(points, [f"{n}<br><b>{v}</b>" for n, v in
                                       zip(names, formatted, strict=True)], fills))
    if highlight is not None:
        fig.add_trace(_outline(gdf[gdf["code"] == _check_code(gdf, highlight)],
                               colour=TEXT_COLOUR, width=3))
    _legend(fig, scheme, joined)
    return _finish_map(fig, gdf, text, legend=True, legend_title=_legend_title(text.unit))


def wijk_choropleth(
    wijken: gpd.GeoDataFrame,
    values: pd.Series,
    gemeenten: gpd.GeoDataFrame,
    *,
    indicator: str | None = None,
    title: str | None = None,
    unit: str | None = None,
    source: str | None = None,
    classes: Sequence[float] | None = None,
    reference: float | None = None,
    reference_name: str = "signaalwaarde",
    labels: bool = True,
    wijk_labels: bool = False,
    no_data: str = NO_DATA,
) -> go.Figure:
    """Wijken coloured by value class (e.g. concentration), gemeente outlines and names on top;
    above `reference` (a signal threshold, not a limit) in the warm colour.

    values: indexed by wijk code (WK051801); NaN is a hidden value, a wijk without a value
        `no_data` in the legend and hover (e.g. 'minder dan 20 verhuringen'). The outlines
        come from the gemeente layer: the two layers were generalised separately and the wijk
        edges do not quite match them.
    wijk_labels: each wijk labelled as `wijk_label_texts` says (its name, or its number where
        the names do not fit), instead of the gemeente names; for the map of one gemeente,
        since the numbers repeat across gemeenten.
    """
    text = chart_text(indicator, title, unit, source)
    joined = _join(wijken, values)
    scheme = classify(joined.values, text.unit, classes, reference, reference_name)
    gemeente_names = dict(zip(gemeenten["code"], gemeenten["naam"], strict=True))
    shown = [SUPPRESSED_LABEL if hidden else no_data if absent else v for v, hidden, absent
             in zip(joined.labels(text.unit), joined.hidden, joined.absent, strict=True)]
    hover = [f"<b>{naam}</b><br>{gemeente_names.get(g, g)}: {v}" for naam, g, v in
             zip(wijken["naam"], wijken["gemeente"], shown, strict=True)]
    clipped = _clipped(wijken, gemeenten)
    fig = go.Figure(_areas(clipped, joined.fills(scheme), hover, line_width=0.5))
    fig.add_trace(_outline(gemeenten, colour=GEMEENTE_BORDER, width=1.5))
    if wijk_labels:  # the gemeente's name would collide with them; the title names it
        placed, _ = _wijk_labels(clipped, gemeenten)
        _boxed_labels(fig, clipped, [label for label, _ in placed],
                      points=[(extent.centroid.x, extent.centroid.y) for _, extent in placed])
    elif labels:
        _boxed_labels(fig, gemeenten)
    _legend(fig, scheme, joined, no_data)
    return _finish_map(fig, gemeenten, text, legend=True, legend_title=_legend_title(text.unit))


def wijk_number(code: str) -> str:
    """The CBS wijk number: the last two digits of the wijk code (WK050301 → '01'), unique
    within a gemeente; the map labels wijken with it where their names do not fit."""
    if not re.fullmatch(r"WK\d{6}", code):
        raise ValueError(f"{code!r} is geen CBS-wijkcode (verwacht een code als WK050301)")
    return code[-2:]


def wijk_label_texts(wijken: gpd.GeoDataFrame,
                     gemeenten: gpd.GeoDataFrame) -> tuple[list[str], bool]:
    """The wijk labels of `wijk_choropleth(wijken, …, gemeenten, wijk_labels=True)` in the
    order of `wijken`, and whether they are the names (for the caption): the names, a long one
    over two lines where that helps, if no two of them overlap; else every wijk's number."""
    placed, names = _wijk_labels(_clipped(wijken, gemeenten), gemeenten)
    return [label for label, _ in placed], names


def _wijk_labels(clipped: gpd.GeoDataFrame, gemeenten: gpd.GeoDataFrame
                 ) -> tuple[list[tuple[str, shapely.Polygon]], bool]:
    """Text and extent of each wijk's label as placed on the map of `gemeenten`, and whether
    they are the names. Names or numbers for all wijken, never mixed: a reader who sees one
    number looks up every wijk in the table."""
    view = _View.of(gemeenten)
    pad = LABEL_BOX_PAD + 1  # the box's (invisible) border is 1 px wide
    names = list(clipped["naam"])
    placed = _fit(clipped, names, [_two_lines(name) for name in names], view, LABEL_SIZE, pad)
    extents = [extent for _, extent in placed]
    if not any(_overlap(a.bounds, b.bounds) for a, b in combinations(extents, 2)):
        return placed, True
    numbers = [wijk_number(code) for code in clipped["code"]]
    return _fit(clipped, numbers, numbers, view, LABEL_SIZE, pad), False


def _two_lines(name: str) -> str:
    """`name` broken at the space that makes its longer line shortest."""
    words = name.split(" ")
    if len(words) < 2:
        return name
    lines = min(([" ".join(words[:i]), " ".join(words[i:])] for i in range(1, len(words))),
                key=lambda pair: max(map(len, pair)))
    return "<br>".join(lines)


def _clipped(wijken: gpd.GeoDataFrame, gemeenten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The wijken clipped to the gemeente outlines, so that no sliver of the wijk layer pokes
    out (and each label lies in what is drawn)."""
    return wijken.assign(geometry=wijken.geometry.intersection(gemeenten.union_all())
                         .apply(polygonal_part))


def locator(gdf: gpd.GeoDataFrame, gemeente: str, *, title: str | None = None,
            short_names: Mapping[str, str] | None = None) -> go.Figure:
    """The region with one gemeente (a CBS code) filled, the others as context.

    Drawn for 60% of the text width (`show.figure(..., width="60%")`), with names large enough
    to read there. short_names: per CBS code a shorter name (the region's `korte_namen`), used
    only where the full name would overlap another or run off the map.
    """
    _check_code(gdf, gemeente)
    chosen = (gdf["code"] == gemeente).to_numpy()
    naam = gdf.loc[chosen, "naam"].iloc[0]
    fills = [BLUE if c else BACKGROUND for c in chosen]
    fig = go.Figure(_areas(gdf, fills, [f"<b>{n}</b>" for n in gdf["naam"]]))
    labels = _fitted_labels(gdf, short_names or {}, _View.of(gdf, LOCATOR_WIDTH),
                            LOCATOR_LABEL_SIZE)
    texts = [f"<b>{text}</b>" if c else text for (text, _), c in zip(labels, chosen, strict=True)]
    points = [(extent.centroid.x, extent.centroid.y) for _, extent in labels]
    i = int(chosen.argmax())
    if labels[i][1].within(gdf.geometry.iloc[i]):
        fig.add_trace(_labels(points, texts, fills, size=LOCATOR_LABEL_SIZE))
    else:  # white on blue would run onto the grey: dark on a white box instead
        rest = [j for j in range(len(gdf)) if j != i]
        fig.add_trace(_labels([points[j] for j in rest], [texts[j] for j in rest],
                              [fills[j] for j in rest], size=LOCATOR_LABEL_SIZE))
        fig.add_annotation(x=points[i][0], y=points[i][1], text=texts[i], showarrow=False,
                           font={"size": LOCATOR_LABEL_SIZE, "color": TEXT_COLOUR},
                           bgcolor="rgba(255,255,255,0.85)", borderpad=2)
    title = title or f"Ligging van {naam} in de regio"
    return _finish_map(fig, gdf, ChartText(title, "", ""), legend=False, width=LOCATOR_WIDTH)


def flows(
    gdf: gpd.GeoDataFrame,
    matrix: pd.DataFrame,
    own_share: pd.Series,
    *,
    indicator: str | None = "herkomst_bestemming",
    title: str | None = None,
    unit: str | None = None,
    source: str | None = None,
    min_count: int = 10,
    max_flows: int = 20,
) -> go.Figure:
    """Flows from origin (index) to destination (columns) gemeente, as curved arrows with a
    width proportional to the count. Flows within a gemeente are not drawn; `own_share` (CBS
    code → percentage, the indicator aandeel_eigen_herkomst) is printed at each name, so the map
    shows the same figure as every other place that names it.

    A hidden count or share (NaN) is never drawn: a hidden flow has no arrow (a note says so),
    a hidden share prints `SUPPRESSED` ('x'), explained by `SUPPRESSED_NOTE`.
    min_count: smaller flows are not drawn (this also keeps small counts off the map).
    max_flows: only the largest flows are drawn, so that the map stays legible.
    """
    text = chart_text(indicator, title, unit, source)
    matrix = _check_matrix(gdf, matrix)
    points = dict(zip(gdf["code"], map(_label_point, gdf.geometry), strict=True))
    names = dict(zip(gdf["code"], gdf["naam"], strict=True))
    fig = go.Figure(_areas(gdf, [BACKGROUND] * len(gdf), [f"<b>{n}</b>" for n in gdf["naam"]]))
    between = matrix.stack(future_stack=True)
    between = between[[o != d for o, d in between.index]]
    pairs = _flow_pairs(between, min_count)
    shown = pairs[:max_flows]
    largest = max((count for *_, count in shown), default=1)
    unit_per_px = _View.of(gdf).unit_per_px
    for origin, destination, count in reversed(shown):  # thin ones last, on top
        curve = _curve(points[origin], points[destination], FLOW_GAP * unit_per_px)
        _flow(fig, curve, _width(count, largest), unit_per_px,
              f"{names[origin]} → {names[destination]}: "
              f"{bar_labels([count], text.unit)[0]} {text.unit}")
    shares = [own_share.get(code) for code in gdf["code"]]
    _boxed_labels(fig, gdf, _own_share_labels(gdf, shares))
    _flow_legend(fig, largest, text.unit)
    notes = _flow_notes(len(pairs), len(shown), min_count, text.unit,
                        hidden_flows=bool(between.isna().any()))
    if any(share is not None and pd.isna(share) for share in shares):
        notes.append(SUPPRESSED_NOTE)
    return _finish_map(fig, gdf, text, legend=bool(shown), notes=notes)


def _flow_notes(total: int, shown: int, min_count: int, unit: str, *,
                hidden_flows: bool) -> list[str]:
    drawn = (f"de {shown} grootste van {total} stromen" if shown < total else "stromen")
    # Secondary suppression can hide a flow of min_count or more: the first note must not
    # claim that every such flow is drawn.
    hidden = (" Niet gepubliceerde stromen (kleine aantallen) zijn niet getekend."
              if hidden_flows else "")
    return [f"Getekend: {drawn} van minstens {bar_labels([min_count], unit)[0]} {unit} "
            f"tussen gemeenten.{hidden}",
            "Percentage bij de naam: deel van de verhuringen in de gemeente aan huishoudens "
            "uit die gemeente zelf."]


# ---------------------------------------------------------------------------------------------
# Joining and checks
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Joined:
    """Values in the order of a layer's areas: NaN where hidden or `absent` (no value at all)."""

    values: pd.Series
    absent: np.ndarray

    @property
    def hidden(self) -> np.ndarray:
        return self.values.isna().to_numpy() & ~self.absent

    def fills(self, scheme: Classes) -> list[str]:
        return [NO_DATA_COLOUR if absent else scheme.colour(value)
                for value, absent in zip(self.values, self.absent, strict=True)]

    def labels(self, unit: str) -> list[str]:
        """As on the map: the value, `SUPPRESSED` where hidden, `MISSING` where absent."""
        return [MISSING if absent else label for label, absent in
                zip(bar_labels(self.values, unit), self.absent, strict=True)]


def _join(gdf: gpd.GeoDataFrame, values: pd.Series) -> _Joined:
    """Values in the order of `gdf`, joined on CBS code."""
    index = values.index.astype(str)
    unknown = sorted(set(index) - set(gdf["code"]))
    if unknown:
        hint = ("" if any(re.fullmatch(r"(GM|WK)\d+", c) for c in unknown)
                else "; waarden horen bij CBS-codes (GM0518, WK051801), niet bij namen")
        raise KeyError(f"waarden voor onbekende gebieden {', '.join(unknown[:5])}{hint}")
    series = pd.Series(values.to_numpy(dtype=float), index=index)
    codes = gdf["code"].to_numpy()
    return _Joined(series.reindex(codes), ~np.isin(codes, index))


def _check_code(gdf: gpd.GeoDataFrame, code: str) -> str:
    if code not in set(gdf["code"]):
        raise KeyError(f"{code!r} staat niet op de kaart (verwacht een CBS-code als GM0503)")
    return code


def _check_matrix(gdf: gpd.GeoDataFrame, matrix: pd.DataFrame) -> pd.DataFrame:
    matrix = matrix.copy()
    matrix.index, matrix.columns = matrix.index.astype(str), matrix.columns.astype(str)
    unknown = sorted((set(matrix.index) | set(matrix.columns)) - set(gdf["code"]))
    if unknown:
        raise KeyError(f"herkomst of bestemming {', '.join(unknown[:5])} staat niet op de "
                       "kaart (verwacht CBS-codes als GM0503)")
    return matrix.astype(float)  # a hidden count as NaN, also from a nullable dtype (pd.NA)


# ---------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------


def map_name(naam: str) -> str:
    """A gemeente name for on the map: without the province in 'Rijswijk (ZH.)', and long
    double names over two lines ('Leidschendam-<br>Voorburg'), "'s-Gravenhage" whole."""
    naam = re.sub(r"\s*\([A-Z]{1,2}\.\)$", "", naam)
    head, dash, tail = naam.partition("-")
    return f"{head}-<br>{tail}" if dash and len(head) >= 4 and len(tail) >= 4 else naam


def _decimals(gdf: gpd.GeoDataFrame) -> int:
    """Whole metres for RD (the source precision); tile grids are in tiles."""
    return 2 if is_tile_grid(gdf) else 0


def _path(geometries: Iterable[shapely.Geometry], decimals: int) -> tuple[list, list]:
    """x and y of all rings of (multi)polygons, separated by None: one fill with holes
    (interior rings run the other way, so plotly's nonzero fill leaves them open)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for polygon in shapely.get_parts(list(geometries)):
        oriented = orient(polygon)
        for ring in (oriented.exterior, *oriented.interiors):
            coords = np.round(np.asarray(ring.coords), decimals)
            xs += [*coords[:, 0].tolist(), None]
            ys += [*coords[:, 1].tolist(), None]
    return xs, ys


def _areas(gdf: gpd.GeoDataFrame, fills: Sequence[str], hover: Sequence[str], *,
           line_width: float = 1) -> list[go.Scatter]:
    """One filled polygon trace per area, hover text on the fill."""
    decimals = _decimals(gdf)
    traces = []
    for geometry, fill, text in zip(gdf.geometry, fills, hover, strict=True):
        xs, ys = _path([geometry], decimals)
        traces.append(go.Scatter(
            x=xs, y=ys, mode="lines", fill="toself", fillcolor=fill,
            line={"color": BORDER, "width": line_width}, hoveron="fills", text=text,
            hoverlabel={"namelength": 0}, showlegend=False, name=""))
    return traces


def _outline(gdf: gpd.GeoDataFrame, *, colour: str, width: float) -> go.Scatter:
    """Outlines only (no fill, no hover): gemeente borders over wijken, a highlight."""
    xs, ys = _path(gdf.geometry, _decimals(gdf))
    return go.Scatter(x=xs, y=ys, mode="lines", line={"color": colour, "width": width},
                      hoverinfo="skip", showlegend=False)


def _label_point(geometry: shapely.Geometry) -> tuple[float, float]:
    """The point deepest inside the largest part: always inside, also for odd shapes."""
    largest = max(shapely.get_parts(geometry), key=lambda part: part.area)
    point = polylabel(largest, tolerance=math.sqrt(largest.area) / 100)
    return point.x, point.y


def _text_colour(fill: str) -> str:
    """White on dark fills, dark text on light ones (relative luminance, WCAG)."""
    rgb = [int(fill[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "white" if luminance < 0.25 else TEXT_COLOUR


def _labels(points: Sequence[tuple[float, float]], texts: Sequence[str],
            fills: Sequence[str], *, size: int = LABEL_SIZE) -> go.Scatter:
    return go.Scatter(
        x=[p[0] for p in points], y=[p[1] for p in points], mode="text", text=list(texts),
        textfont={"size": size, "color": [_text_colour(f) for f in fills]},
        hoverinfo="skip", showlegend=False)


def _fitted_labels(gdf: gpd.GeoDataFrame, short_names: Mapping[str, str], view: _View,
                   size: int) -> list[tuple[str, shapely.Polygon]]:
    """Name and estimated extent (in map units) per area, the short name instead wherever
    that lessens the overlap of the labels (see `_fit`)."""
    full = [map_name(naam) for naam in gdf["naam"]]
    short = [map_name(short_names.get(code, naam)) for code, naam in
             zip(gdf["code"], gdf["naam"], strict=True)]
    return _fit(gdf, full, short, view, size)


def _fit(gdf: gpd.GeoDataFrame, full: Sequence[str], short: Sequence[str], view: _View,
         size: int, pad: float = 0) -> list[tuple[str, shapely.Polygon]]:
    """Text and estimated extent (in map units, `pad` px wider on each side) per area: each
    label moved inwards as far as it would run off the map (plotly clips it there), and its
    `short` text instead wherever that lessens the overlap of the labels (largest overlap
    first)."""
    anchors = [view.to_px(*_label_point(geometry)) for geometry in gdf.geometry]
    names = list(full)
    extent = {(i, text): view.inside(_box(anchors[i], text, size, pad))
              for i, texts in enumerate(zip(full, short, strict=True)) for text in texts}

    def boxes() -> list[Box]:
        return [extent[i, name] for i, name in enumerate(names)]

    def overlaps() -> list[float]:
        """Per label the area it shares with the others, summed as `_overlap` pair by pair
        would (in the order of the others), so that ties stay ties."""
        placed = np.array(boxes(), dtype=float).reshape(-1, 4)
        low, high = placed[:, None, :2], placed[:, None, 2:]
        sides = np.maximum(0.0, np.minimum(high, placed[None, :, 2:])
                           - np.maximum(low, placed[None, :, :2]))
        shared = sides[..., 0] * sides[..., 1]
        np.fill_diagonal(shared, 0.0)
        return [sum(row) for row in shared.tolist()]

    untried = {i for i in range(len(names)) if short[i] != full[i]}
    while untried:
        area = overlaps()
        worst = max(untried, key=area.__getitem__)
        if area[worst] == 0:
            break
        untried.discard(worst)
        names[worst] = short[worst]
        if sum(overlaps()) >= sum(area):
            names[worst] = full[worst]
    return [(name, shapely.box(*view.to_map(*box[:2]), *view.to_map(*box[2:])))
            for name, box in zip(names, boxes(), strict=True)]


def _box(point: tuple[float, float], text: str, size: int, pad: float = 0) -> Box:
    """The estimated extent of a label centred on `point`, wide enough for bold names;
    `pad` px more on each side (a label's box)."""
    lines = text.split("<br>")
    width = max(len(re.sub(r"</?b>", "", line)) for line in lines) * size * CHAR_EM + 2 * pad
    height = len(lines) * size * LINE_EM + 2 * pad
    x, y = point
    return x - width / 2, y - height / 2, x + width / 2, y + height / 2


def _overlap(a: Box, b: Box) -> float:
    return (max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
            * max(0.0, min(a[3], b[3]) - max(a[1], b[1])))


def _boxed_labels(fig: go.Figure, gdf: gpd.GeoDataFrame,
                  texts: Sequence[str] | None = None, *,
                  points: Sequence[tuple[float, float]] | None = None) -> None:
    """Labels (default: the names; at each area's label point unless placed) on a
    half-transparent white box, above every trace: readable over any wijk colour or flow
    line."""
    texts = texts if texts is not None else [map_name(naam) for naam in gdf["naam"]]
    points = points if points is not None else [_label_point(g) for g in gdf.geometry]
    # All at once: plotly checks every annotation again with each one added
    fig.update_layout(annotations=[*fig.layout.annotations, *(
        {"x": x, "y": y, "text": text, "showarrow": False,
         "font": {"size": LABEL_SIZE, "color": TEXT_COLOUR},
         "bgcolor": "rgba(255,255,255,0.75)", "borderpad": LABEL_BOX_PAD}
        for text, (x, y) in zip(texts, points, strict=True))])


def _legend(fig: go.Figure, scheme: Classes, joined: _Joined, no_data: str = NO_DATA) -> None:
    """One legend entry per class (none if every value is hidden), then hidden, then 'no
    data' (`no_data`), each only where the map has it."""
    shown = joined.values.notna().any()
    entries = list(zip(scheme.labels, scheme.colours, strict=True)) if shown else []
    if joined.hidden.any():
        entries.append((SUPPRESSED_LABEL, SUPPRESSED_COLOUR))
    if joined.absent.any():
        entries.append((no_data, NO_DATA_COLOUR))
    for label, colour in entries:
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name=label, hoverinfo="skip",
            marker={"symbol": "square", "size": 14, "color": colour,
                    "line": {"color": "#BDBDBD", "width": 1}}))


def _legend_title(unit: str) -> str | None:
    """Percentages carry their '%'; other units are named above the classes."""
    return None if unit == "procent" else unit[:1].upper() + unit[1:]


# ---------------------------------------------------------------------------------------------
# Flows
# ---------------------------------------------------------------------------------------------


def _flow_pairs(between: pd.Series, min_count: int) -> list[tuple[str, str, float]]:
    """(origin, destination, count) of the flows of at least `min_count` (never a hidden one),
    largest first; `between` holds the counts by (origin, destination)."""
    pairs = [(str(o), str(d), float(c)) for (o, d), c in between.items() if c >= min_count]
    return sorted(pairs, key=lambda pair: -pair[2])


def _own_share_labels(gdf: gpd.GeoDataFrame, shares: Sequence[float | None]) -> list[str]:
    """Name and the share of the gemeente's lettings that went to its own households:
    `SUPPRESSED` if hidden (NaN), `MISSING` if there is none."""
    return [f"<b>{map_name(naam)}</b><br>"
            f"{MISSING if share is None else bar_labels([share], 'procent')[0]}"
            for naam, share in zip(gdf["naam"], shares, strict=True)]


def _width(count: float, largest: float) -> float:
    return max(1.0, FLOW_MAX_WIDTH * count / largest)


def _curve(start: tuple[float, float], end: tuple[float, float], gap: float,
           steps: int = 24) -> np.ndarray:
    """A quadratic Bézier bending to the right of the direction of travel, so A→B and B→A
    lie side by side; `gap` (map units) is left off at both ends, clear of the labels."""
    a, b = np.asarray(start), np.asarray(end)
    along = b - a
    right = np.array([along[1], -along[0]])
    control = (a + b) / 2 + FLOW_BEND * right
    trim = min(0.35, gap / max(float(np.hypot(*along)), 1e-9))
    t = np.linspace(trim, 1 - trim, steps)[:, None]
    return (1 - t) ** 2 * a + 2 * (1 - t) * t * control + t ** 2 * b


def _flow(fig: go.Figure, curve: np.ndarray, width: float, unit_per_px: float,
          hover: str) -> None:
    """The curve as a line (hover anywhere along it) that ends in a filled arrowhead.

    The head is a polygon in map units sized from pixels, wider than the line: plotly's arrow
    markers are as narrow as a thick line and its annotation arrows cannot follow a curve.
    """
    length = (ARROW_BASE + ARROW_SCALE * width) * unit_per_px
    tip = curve[-1]
    back = np.hypot(*(tip - curve).T)
    body = np.vstack([curve[back > length * 0.8], tip])  # the line ends inside the head
    direction = (tip - curve[-2]) / np.hypot(*(tip - curve[-2]))
    base = tip - direction * length
    across = np.array([-direction[1], direction[0]]) * length * 0.55
    head = np.array([tip, base + across, base - across, tip])
    style = {"showlegend": False, "opacity": FLOW_OPACITY}
    fig.add_trace(go.Scatter(x=body[:, 0], y=body[:, 1], mode="lines",
                             line={"color": FLOW_COLOUR, "width": width},
                             hovertemplate=hover + "<extra></extra>", **style))
    fig.add_trace(go.Scatter(x=head[:, 0], y=head[:, 1], mode="lines", fill="toself",
                             fillcolor=FLOW_COLOUR, line={"width": 0}, hoveron="fills",
                             text=hover, hoverlabel={"namelength": 0}, **style))


def _flow_legend(fig: go.Figure, largest: float, unit: str) -> None:
    """Line widths for three round counts up to the largest flow."""
    fig.update_layout(legend_indentation=LINE_LEGEND_INDENT)
    step = _round_down(largest)
    for count in sorted({_round_down(step / 4), _round_down(step / 2), step}):
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="lines", hoverinfo="skip",
            name=f"{bar_labels([count], unit)[0]} {unit}",
            line={"color": FLOW_COLOUR, "width": _width(count, largest)}))


def _round_down(value: float) -> float:
    """The largest round number (1, 2, 2,5 or 5 × 10ⁿ) not above `value`."""
    if value < 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    return max(s * magnitude for s in NICE_STEPS if s * magnitude <= value)


# ---------------------------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _View:
    """The visible extent of a map and its size on the page."""

    x_range: tuple[float, float]
    y_range: tuple[float, float]
    plot_height: int  # px; the map fills the height, the width follows from the aspect

    @classmethod
    def of(cls, gdf: gpd.GeoDataFrame, width: int = WIDTH) -> _View:
        minx, miny, maxx, maxy = gdf.total_bounds
        pad = RANGE_PAD * max(maxx - minx, maxy - miny)
        x_range, y_range = (minx - pad, maxx + pad), (miny - pad, maxy + pad)
        aspect = (x_range[1] - x_range[0]) / (y_range[1] - y_range[0])
        return cls(x_range, y_range, round(min(MAX_PLOT_HEIGHT, (width - 2 * PAD) / aspect)))

    @property
    def unit_per_px(self) -> float:
        """Map units (metres, tiles) per pixel: for sizes that must look the same on every
        map, such as the arrowheads."""
        return (self.y_range[1] - self.y_range[0]) / self.plot_height

    @property
    def plot_width(self) -> float:
        return (self.x_range[1] - self.x_range[0]) / self.unit_per_px

    def to_px(self, x: float, y: float) -> tuple[float, float]:
        """A map point in px from the plot's lower left corner."""
        return ((x - self.x_range[0]) / self.unit_per_px,
                (y - self.y_range[0]) / self.unit_per_px)

    def to_map(self, x: float, y: float) -> tuple[float, float]:
        return (self.x_range[0] + x * self.unit_per_px, self.y_range[0] + y * self.unit_per_px)

    def inside(self, box: Box) -> Box:
        """`box` (px) shifted into the plot as far as it fits."""
        dx = _shift(box[0], box[2], self.plot_width)
        dy = _shift(box[1], box[3], self.plot_height)
        return box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy


def _shift(low: float, high: float, size: float) -> float:
    """How far to move [low, high] to lie within [0, size]; centred if it is wider."""
    if high - low >= size:
        return (size - low - high) / 2
    return max(0.0, -low) - max(0.0, high - size)


def _finish_map(fig: go.Figure, gdf: gpd.GeoDataFrame, text: ChartText, *, legend: bool,
                legend_title: str | None = None, notes: Sequence[str] = (),
                width: int | None = None) -> go.Figure:
    """House layout for a map: equal scales, hidden axes, source line with the map's origin,
    notes above it, and for a tile grid a visible note that the boundaries were not available.
    The notes fill the bottom margin (free of axes on a map) and widen it when they need more.

    width: a fixed width in px for a map placed narrower than the text (the locator); by
    default the export's WIDTH, and in HTML the page's.
    """
    view = _View.of(gdf, width or WIDTH)
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": False}
    fig.update_xaxes(axis, range=view.x_range, constrain="domain")
    fig.update_yaxes(axis, range=view.y_range, scaleanchor="x", scaleratio=1,
                     constrain="domain")
    source = _map_source(text.source, gdf)
    # finish wraps titles for the full width; a narrow map's title is wrapped to its own.
    title = wrap(text.title, TITLE_CHARS * width // WIDTH) if width else text.title
    notes = [wrap_note(note, width or WIDTH) for note in notes]
    warnings = ([wrap_note(TILE_NOTE, width or WIDTH, SMALL_FONT_SIZE)] if is_tile_grid(gdf)
                else [])
    lines = sum(part.count("<br>") + 1 for part in [source, *notes, *warnings])
    finish(fig, ChartText(title, text.unit, source), margin_left=PAD, margin_right=PAD,
           legend=legend, plot_height=view.plot_height, legend_title=legend_title,
           margin_bottom=max(MARGIN_BOTTOM, 2 * PAD + NOTE_LINE * lines))
    fig.update_layout(hovermode="closest", dragmode="pan", width=width)
    below = add_notes(fig, notes, below=source.count("<br>") + 1)
    add_notes(fig, warnings, below=below, warning=True)
    return fig


def _year(gdf: gpd.GeoDataFrame) -> int:
    return int(gdf["jaar"].dropna().max())


def _map_source(source: str, gdf: gpd.GeoDataFrame) -> str:
    """'Bron: …, bewerking Woonzorgmonitor' and, on its own line, the boundaries' origin."""
    lines = [source] if source else []
    if not is_tile_grid(gdf):
        lines.append(f"{'Kaart' if lines else 'Bron kaart'}: {ATTRIBUTION}, {_year(gdf)}")
    return "<br>".join(lines)

