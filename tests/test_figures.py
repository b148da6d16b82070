"""Chart factories in the house style, static export through Kaleido, and HTML divs."""

from __future__ import annotations

import json
import os
import re
import struct

import kaleido
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from analysis import figures
from analysis.figures import html, static
from analysis.figures.style import FONT_FAMILY, MARGIN_BOTTOM, NOTE_LINE, PAD, PALETTE
from analysis.indicators import catalogue
from analysis.tables import SUPPRESSED, SUPPRESSED_LABEL, SUPPRESSED_NOTE
from conftest import strings

GEMEENTEN = ["Delft", "'s-Gravenhage", "Leidschendam-Voorburg", "Midden-Delfland",
             "Pijnacker-Nootdorp", "Rijswijk", "Wassenaar", "Westland", "Zoetermeer"]
AANDEEL = pd.Series([27.4, 33.1, 24.9, 12.3, 18.8, 31.5, 9.7, 21.0, 26.2], index=GEMEENTEN)
SALDO = pd.Series([35, -120, 12, -8, 44, 61, -15, 3, -12], index=GEMEENTEN)
JAREN = pd.DataFrame({"Delft": [820, 910, 1005, 1120], "Rijswijk": [400, 455, 430, 1510]},
                     index=[2021, 2022, 2023, 2024])
VOORTGANG = pd.DataFrame(
    {"Opgeleverd": [120, 40, 15], "In aanbouw": [60, 20, 5], "Harde plancapaciteit": [200, 30, 40],
     "Opgave": [500, 120, 50]},
    index=["Ouderen", "Uitstroom beschermd wonen",
           "Mensen met een beperking of psychische kwetsbaarheid"])

FACTORIES = {
    "bar_per_gemeente": lambda: figures.bar_per_gemeente(
        AANDEEL, indicator="aandeel_mutaties_aandachtsgroepen", highlight="Rijswijk",
        reference=30, reference_label="Mutatiegrens 30%"),
    "grouped_bar": lambda: figures.grouped_bar(JAREN, indicator="verhuringen"),
    "stacked_bar": lambda: figures.grouped_bar(
        JAREN.T, indicator="verhuringen", stacked=True, horizontal=True),
    "over_years": lambda: figures.over_years(
        JAREN, indicator="verhuringen", reference=1000, reference_label="Doel"),
    "over_years_bar": lambda: figures.over_years(JAREN, indicator="verhuringen", kind="bar"),
    "diverging_bar": lambda: figures.diverging_bar(SALDO, indicator="saldo"),
    "progress_bar": lambda: figures.progress_bar(
        VOORTGANG, title="Voortgang woonopgave", unit="woningen", source="PPM woonopgave"),
}


@pytest.fixture(params=FACTORIES, ids=list(FACTORIES))
def fig(request) -> go.Figure:
    return FACTORIES[request.param]()


def trace_colours(fig: go.Figure) -> set[str]:
    colours = set()
    for trace in fig.data:
        colour = trace.marker.color
        colours.update([colour] if isinstance(colour, str) else list(colour or []))
    return colours


def test_house_style(fig):
    layout = fig.layout
    assert layout.title.text
    assert layout.separators == ",."
    assert layout.font.family == FONT_FAMILY
    assert list(layout.colorway) == list(PALETTE)
    assert layout.height  # fixed, so title, legend and source line are placed exactly
    sources = [a.text for a in layout.annotations if a.text.startswith("Bron: ")]
    assert len(sources) == 1
    assert sources[0].endswith(", bewerking Woonzorgmonitor")
    assert trace_colours(fig) <= set(PALETTE)
    category_axes = [ax for ax in (layout.xaxis, layout.yaxis) if ax.type == "category"]
    assert len(category_axes) == 1


def test_the_unit_is_on_the_value_axis(fig):
    titles = {fig.layout.xaxis.title.text, fig.layout.yaxis.title.text}
    assert titles & {"Procent", "Verhuringen", "Huishoudens", "Woningen"}


def test_title_and_source_come_from_the_catalogue():
    meta = catalogue()["aandeel_mutaties_aandachtsgroepen"]
    fig = FACTORIES["bar_per_gemeente"]()
    assert fig.layout.title.text == meta.titel
    assert f"Bron: {meta.bron}, bewerking Woonzorgmonitor" in [a.text for a in
                                                              fig.layout.annotations]
    assert fig.layout.xaxis.ticksuffix == "%"


def test_explicit_text_overrides_the_catalogue():
    fig = figures.bar_per_gemeente(AANDEEL, indicator="aandeel_mutaties_aandachtsgroepen",
                                   title="Eigen titel", source="SVH verhuringen 2024")
    assert fig.layout.title.text == "Eigen titel"
    assert "Bron: SVH verhuringen 2024, bewerking Woonzorgmonitor" in [
        a.text for a in fig.layout.annotations]


def test_without_indicator_title_unit_and_source_are_required():
    with pytest.raises(ValueError, match="title, unit én source"):
        figures.bar_per_gemeente(AANDEEL, title="Zonder bron", unit="procent")
    with pytest.raises(KeyError, match="onbekende indicator"):
        figures.bar_per_gemeente(AANDEEL, indicator="bestaat_niet")


def test_years_are_categories_not_numbers():
    fig = figures.over_years(JAREN, indicator="verhuringen")
    assert fig.layout.xaxis.type == "category"
    assert list(fig.data[0].x) == ["2021", "2022", "2023", "2024"]
    assert list(fig.layout.xaxis.categoryarray) == ["2021", "2022", "2023", "2024"]


def test_value_labels_and_hover_are_dutch():
    bars = FACTORIES["bar_per_gemeente"]().data[0]
    assert list(bars.text[:3]) == ["33,1%", "31,5%", "27,4%"]  # sorted, largest on top
    assert bars.hovertemplate == "%{y}: %{x:,.1f}%<extra></extra>"
    counts = figures.grouped_bar(JAREN, indicator="verhuringen").data[0]
    assert "%{y:,.0f} verhuringen" in counts.hovertemplate
    saldo = FACTORIES["diverging_bar"]()
    assert list(saldo.data[0].text) == ["+61", "+44", "+35", "+12", "+3"]
    assert list(saldo.data[1].text) == ["−8", "−12", "−15", "−120"]  # minus sign as on the axis


def test_highlight_and_reference_line():
    fig = FACTORIES["bar_per_gemeente"]()
    colours = dict(zip(fig.data[0].y, fig.data[0].marker.color, strict=True))
    assert colours["Rijswijk"] != colours["Delft"]
    line = fig.layout.shapes[0]
    assert (line.x0, line.x1, line.line.dash) == (30, 30, "dash")
    assert "Mutatiegrens 30%" in [a.text for a in fig.layout.annotations]
    with pytest.raises(KeyError, match="Den Haag"):
        figures.bar_per_gemeente(AANDEEL, indicator="verhuringen", highlight="Den Haag")


# Hidden values: in published figures an empty value (NaN) is a hidden one.

def hide(data, category, column=None):
    hidden = data.astype(float)
    if column is None:
        hidden[category] = np.nan
    else:
        hidden.loc[category, column] = np.nan
    return hidden


HIDDEN = f": {SUPPRESSED_LABEL}"
# Per chart: the chart, the hidden value's trace (None: in no trace) and its position there,
# the hover of its mark, and the value it had before it was hidden, as a label would show it.
HIDDEN_FACTORIES = {
    "bar_per_gemeente": (lambda: figures.bar_per_gemeente(
        hide(AANDEEL, "Wassenaar"), indicator="aandeel_mutaties_aandachtsgroepen"),
        0, -1, "Wassenaar" + HIDDEN, "9,7"),
    "diverging_bar": (lambda: figures.diverging_bar(hide(SALDO, "Rijswijk"), indicator="saldo"),
                      None, None, "Rijswijk" + HIDDEN, "61"),
    "grouped_bar": (lambda: figures.grouped_bar(hide(JAREN, 2023, "Rijswijk"),
                                                indicator="verhuringen"),
                    1, 2, "2023<br>Rijswijk" + HIDDEN, "430"),
    "stacked_bar": (lambda: figures.grouped_bar(hide(JAREN, 2023, "Rijswijk").T,
                                                indicator="verhuringen", stacked=True,
                                                horizontal=True),
                    2, 1, "Rijswijk<br>2023" + HIDDEN, "430"),
    "over_years": (lambda: figures.over_years(hide(JAREN, 2023, "Rijswijk"),
                                              indicator="verhuringen"),
                   1, 2, "2023<br>Rijswijk" + HIDDEN, "430"),
    "over_years_bar": (lambda: figures.over_years(hide(JAREN["Delft"], 2022),
                                                  indicator="verhuringen", kind="bar"),
                       0, 1, "2022<br>Delft" + HIDDEN, "910"),
    "progress_bar": (lambda: figures.progress_bar(
        hide(VOORTGANG, "Ouderen", "In aanbouw"), title="Voortgang woonopgave",
        unit="woningen", source="PPM woonopgave"),
        1, 0, "Ouderen<br>In aanbouw" + HIDDEN, "60"),
}


def embedded_strings(fig: go.Figure) -> list[str]:
    """The texts of the figure as the HTML embeds it, after checking that it holds null for a
    hidden value, never NaN or 'nan'."""
    data = fig.to_plotly_json()
    json.dumps(data, allow_nan=False, default=np.ndarray.tolist)  # raises on a NaN anywhere
    texts = strings(data)
    assert not [s for s in texts if re.search(r"\bnan\b", s, re.IGNORECASE)]
    return texts


@pytest.mark.parametrize("name", HIDDEN_FACTORIES)
def test_a_hidden_value_is_marked_x_never_drawn_and_explained(name):
    make, trace, position, hover, before = HIDDEN_FACTORIES[name]
    fig = make()
    marks = [a for a in fig.layout.annotations if a.text == SUPPRESSED]
    assert [a.hovertext for a in marks] == [hover]
    if trace is not None:  # no bar or point: null in the data
        horizontal = fig.data[trace].orientation == "h"
        assert (fig.data[trace].x if horizontal else fig.data[trace].y)[position] is None
    assert not [s for s in embedded_strings(fig) if re.search(rf"\b{before}\b", s)]
    # In print there is no hover: the note under the chart explains the 'x', in room made
    # for it above the source line.
    notes = [a for a in fig.layout.annotations if a.text == SUPPRESSED_NOTE]
    assert len(notes) == 1
    assert fig.layout.margin.b == MARGIN_BOTTOM + NOTE_LINE
    assert notes[0].yshift == PAD - fig.layout.margin.b + NOTE_LINE + 4


def test_without_hidden_values_there_is_no_note(fig):
    assert SUPPRESSED not in [a.text for a in fig.layout.annotations]
    assert SUPPRESSED_NOTE not in [a.text for a in fig.layout.annotations]
    assert fig.layout.margin.b == MARGIN_BOTTOM


def test_a_hidden_bar_is_labelled_x_at_zero():
    fig = HIDDEN_FACTORIES["bar_per_gemeente"][0]()
    assert list(fig.data[0].text)[-1] == SUPPRESSED  # sorted last
    assert fig.data[0].y[-1] == "Wassenaar" and fig.data[0].x[-1] is None
    mark = next(a for a in fig.layout.annotations if a.text == SUPPRESSED)
    assert (mark.x, mark.y, mark.xanchor) == (0, 8, "left")  # Wassenaar's place, counted from 0
    saldo = HIDDEN_FACTORIES["diverging_bar"][0]()
    assert "Rijswijk" not in [*saldo.data[0].y, *saldo.data[1].y]
    assert SUPPRESSED not in [*saldo.data[0].text, *saldo.data[1].text]
    assert saldo.layout.yaxis.categoryarray[-1] == "Rijswijk"  # hidden last, not as 0


def test_a_hidden_value_is_marked_at_its_own_bar_or_stack():
    grouped = HIDDEN_FACTORIES["grouped_bar"][0]()
    mark = next(a for a in grouped.layout.annotations if a.text == SUPPRESSED)
    # Two columns share 0,75 of a category: Rijswijk's bar of 2023 (position 2) is the second.
    assert (mark.x, mark.y) == (2 - 0.375 + 1.5 * 0.375, 0)
    stacked = HIDDEN_FACTORIES["stacked_bar"][0]()
    mark = next(a for a in stacked.layout.annotations if a.text == SUPPRESSED)
    assert (mark.x, mark.y) == (400 + 455 + 1510, 1)  # Rijswijk, past its shown parts
    progress = HIDDEN_FACTORIES["progress_bar"][0]()
    mark = next(a for a in progress.layout.annotations if a.text == SUPPRESSED)
    assert mark.x == 120 + 200  # the task (Opgave) is no part of the stack


def test_a_line_breaks_at_a_hidden_year():
    fig = HIDDEN_FACTORIES["over_years"][0]()
    rijswijk = fig.data[1]
    assert rijswijk.connectgaps is False
    assert list(rijswijk.y) == [400, 455, None, 1510]
    mark = next(a for a in fig.layout.annotations if a.text == SUPPRESSED)
    assert (mark.x, mark.yref) == (2, "paper")  # below the gap (2023), on no value


def test_hidden_values_of_one_year_share_one_mark():
    data = hide(hide(JAREN, 2023, "Rijswijk"), 2023, "Delft")
    fig = figures.over_years(data, indicator="verhuringen")
    marks = [a for a in fig.layout.annotations if a.text == SUPPRESSED]
    assert [a.hovertext for a in marks] == [f"2023<br>Delft{HIDDEN}<br>Rijswijk{HIDDEN}"]


def test_a_chart_of_hidden_values_only():
    fig = figures.diverging_bar(SALDO * np.nan, indicator="saldo")
    assert len([a for a in fig.layout.annotations if a.text == SUPPRESSED]) == len(SALDO)
    assert list(fig.layout.xaxis.range) == [0, 0]
    embedded_strings(fig)


def test_long_labels_and_titles_are_wrapped():
    fig = FACTORIES["progress_bar"]()
    assert "Mensen met een beperking of<br>psychische kwetsbaarheid" in fig.data[0].y
    long = figures.over_years(JAREN, indicator="verhuringen", title="woord " * 20)
    assert "<br>" in long.layout.title.text
    assert long.layout.margin.t > figures.over_years(JAREN, indicator="verhuringen").layout.margin.t


def test_progress_marks_the_task():
    fig = FACTORIES["progress_bar"]()
    assert [t.name for t in fig.data] == ["Opgeleverd", "In aanbouw", "Harde plancapaciteit",
                                          "Opgave"]
    assert fig.layout.barmode == "stack"
    assert fig.data[-1].marker.symbol == "line-ns"
    with pytest.raises(KeyError, match="Taak"):
        figures.progress_bar(VOORTGANG, task="Taak", indicator="verhuringen")


def test_too_many_series_for_the_palette():
    wide = pd.DataFrame(np.ones((2, len(PALETTE) + 1)), index=[2023, 2024])
    with pytest.raises(ValueError, match="Overig"):
        figures.grouped_bar(wide, indicator="verhuringen")


# Static export: one browser for the whole module.

@pytest.fixture(scope="module")
def kaleido_session():
    static.start()
    yield
    static.stop()


def png_size(data: bytes) -> tuple[int, int]:
    return struct.unpack(">II", data[16:24])


def test_write_svg_and_png(kaleido_session, tmp_path):
    fig = FACTORIES["bar_per_gemeente"]()
    svg = static.write_svg(fig, tmp_path / "aandeel.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    assert "Aandeel mutaties naar aandachtsgroepen" in svg
    assert "bewerking Woonzorgmonitor" in svg
    assert "33,1%" in svg
    assert "Liberation Sans" in svg
    png = static.write_png(fig, tmp_path / "sub" / "aandeel.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png_size(png) == (2 * 700, 2 * fig.layout.height)


def test_write_images_renders_a_batch(kaleido_session, tmp_path):
    items = [(factory(), tmp_path / f"{name}.{'svg' if i % 2 else 'png'}")
             for i, (name, factory) in enumerate(FACTORIES.items())]
    paths = static.write_images(items)
    assert paths == [path for _, path in items]
    for path in paths:
        head = path.read_bytes()[:8]
        assert head.startswith(b"<svg") if path.suffix == ".svg" else head == b"\x89PNG\r\n\x1a\n"


def test_hidden_values_render(kaleido_session, tmp_path):
    """The marks stand at category positions: read as labels, '2023' would stretch the axis to
    2023 and squeeze every year into the first."""
    items = [(HIDDEN_FACTORIES[name][0](), tmp_path / f"{name}.svg")
             for name in ("over_years", "grouped_bar")]
    for path in static.write_images(items):
        svg = path.read_text(encoding="utf-8")
        assert all(f">{year}</text>" in svg for year in JAREN.index)
        assert ">x</text>" in svg and f">{SUPPRESSED_NOTE}</text>" in svg


def test_unsupported_format_fails_before_rendering(tmp_path):
    with pytest.raises(ValueError, match=r"\.svg of \.png"):
        static.write_images([(FACTORIES["grouped_bar"](), tmp_path / "grafiek.pdf")])


def test_browser_page_loads_nothing_from_the_network(monkeypatch):
    """The options static.start passes give a page with only local scripts and a dead proxy;
    the XDG folders are set only while the browser starts."""
    calls = {}

    class Recorder:
        def __init__(self, **options):
            calls.update(options)

        async def open(self):
            calls["xdg"] = os.environ.get("XDG_CONFIG_HOME")

        async def close(self):
            calls["closed"] = True

    monkeypatch.setattr(static, "_SteadyKaleido", Recorder)
    monkeypatch.setattr(static, "_browser", None)
    monkeypatch.setattr(static, "_private_dir", None)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    static.start()
    static.stop()
    assert calls["mathjax"] is False
    assert calls["proxy_server"] == static.NO_NETWORK_PROXY
    assert calls["xdg"] and "woonzorgmonitor-chromium" in calls["xdg"]
    assert calls["closed"]
    assert "XDG_CONFIG_HOME" not in os.environ
    page = kaleido.PageGenerator(plotly=calls["plotlyjs"], mathjax=False).generate_index()
    assert not re.search(r"https?://", page)
    assert static.PLOTLY_JS.as_uri() in page


def _drawing(svg: str) -> list[tuple]:
    """An SVG as what it draws: every element with its attributes and text, in order, with the
    random ids Plotly gives a plot and its traces made equal."""
    from xml.etree import ElementTree

    plain = re.sub(r"(trace|defs-|clip|legend|topdefs-|-)[0-9a-f]{6}", r"\1#", svg)
    return [(e.tag, sorted(e.attrib.items()), (e.text or "").strip())
            for e in ElementTree.fromstring(plain).iter()]


def test_a_kept_page_draws_as_a_fresh_page(kaleido_session, tmp_path):
    """Kaleido's tab keeps its page between images (no reload): a figure drawn after others is
    the figure drawn on a new page."""
    assert "_return_kaleido_tab" in vars(kaleido.Kaleido)  # the hook static overrides
    last = "over_years"
    items = [(factory(), tmp_path / "na" / f"{name}.svg") for name, factory in FACTORIES.items()
             if name != last]
    static.write_images([*items, (FACTORIES[last](), tmp_path / "na" / f"{last}.svg")])
    static.stop()
    alone = static.write_svg(FACTORIES[last](), tmp_path / "alleen" / f"{last}.svg")
    after = tmp_path / "na" / f"{last}.svg"
    assert _drawing(after.read_text(encoding="utf-8")) == _drawing(
        alone.read_text(encoding="utf-8"))


def test_a_failed_batch_closes_the_browser(kaleido_session, tmp_path, monkeypatch):
    async def fails(self, specs, **kwargs):
        raise RuntimeError("plotly.js kon de figuur niet tekenen")

    static.start()
    monkeypatch.setattr(static._SteadyKaleido, "write_fig_from_object", fails)
    with pytest.raises(RuntimeError, match="niet tekenen"):
        static.write_svg(FACTORIES["grouped_bar"](), tmp_path / "grafiek.svg")
    assert static._browser is None
    assert not (tmp_path / "grafiek.svg").exists()
    monkeypatch.undo()
    assert static.write_svg(FACTORIES["grouped_bar"](), tmp_path / "grafiek.svg").is_file()


# HTML

def test_to_div_is_a_fragment_without_plotly_js():
    div = html.to_div(FACTORIES["diverging_bar"]())
    assert "<script src=" not in div
    assert "cdn" not in div.lower()
    assert "<html" not in div
    assert "Plotly.newPlot" in div
    assert '"separators":",."' in div
    config = json.loads(re.search(r"\{\"displaylogo.*?\}(?=\s*\))", div).group(0))
    assert config["locale"] == "nl"
    assert config["displaylogo"] is False
    assert config["showSendToCloud"] is False


def test_to_div_registers_the_dutch_locale():
    div = html.to_div(FACTORIES["over_years"]())
    assert div.startswith("<script>window.Plotly && Plotly.register(")
    assert '"decimal": ","' in div and '"thousands": "."' in div


def test_the_previous_edition_is_marked_where_a_figure_moved():
    years = pd.DataFrame({"Delft": [20.0, 21.0, 19.0], "Haaglanden": [25.0, 24.0, 26.0]},
                         index=["2021", "2022", "2023"])
    previous = years * np.nan
    previous.loc["2022", "Delft"] = 23.0
    for kind, frame, old in (("line", years, previous), ("bar", years.T, previous.T)):
        fig = figures.over_years(frame, indicator="aandeel_mutaties_aandachtsgroepen",
                                 kind=kind, previous=old)
        marks = [t for t in fig.data if t.name == "vorige editie"]
        assert [list(t.y) for t in marks] == [[23.0]], kind
        assert sum(bool(t.showlegend) for t in marks) == 1
        assert "vorige editie" in marks[0].hovertemplate
        if kind == "bar":  # on a linear axis over the categories, at Delft's 2022 bar
            assert marks[0].xaxis == "x2" and -0.5 < marks[0].x[0] < 0.5
            assert list(fig.layout.xaxis2.range) == [-0.5, 1.5]
    # nothing moved, or no earlier edition: no mark and no legend entry
    for old in (None, previous * np.nan):
        fig = figures.over_years(years, indicator="aandeel_mutaties_aandachtsgroepen",
                                 previous=old)
        assert not [t for t in fig.data if t.name == "vorige editie"]
