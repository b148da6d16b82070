"""The house style shared by every chart: palette, font, Dutch numbers, title, unit and source.

Sizes are chosen for an A4 page: a 700 px wide figure placed at the 16 cm text width prints the
13 px base font at about 9 pt.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analysis.indicators.catalogue import catalogue
from analysis.tables import DECIMALS, SUPPRESSED, fmt_decimal, fmt_int, fmt_value

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Ordered for use as a colorway: the strongest pairs first, yellow (weak on white)
# and black (reserved for reference lines) last.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)
BLUE, ORANGE, GREEN, VERMILLION, SKY_BLUE, PURPLE, YELLOW, BLACK = PALETTE

# Liberation Sans (Debian: fonts-liberation2, recommended by chromium) has Arial's metrics, so the
# layout is the same where a reader's browser falls back to Arial; DejaVu Sans is on every Debian
# system with fontconfig.
FONT_FAMILY = "Liberation Sans, Arial, DejaVu Sans, sans-serif"
FONT_SIZE = 13
SMALL_FONT_SIZE = 12  # legend, hover, reference labels
TEXT_COLOUR = "#222222"
MUTED_COLOUR = "#595959"  # source line; 7:1 contrast on white
GRID_COLOUR = "#E3E3E3"

WIDTH, HEIGHT = 700, 420  # default static size (px); charts with many rows set their height
SEPARATORS = ",."  # decimal comma, thousands dot (plotly: decimal first)
BEWERKING = "bewerking Woonzorgmonitor"

PAD = 12  # px between the figure edge and title or source line
TITLE_TOP = 16  # px above the title
LINE_HEIGHT = 22  # per title line or legend row
MARGIN_BOTTOM = 86  # tick labels, axis title and the source line
NOTE_LINE = 15  # px per line of a note or of the source in the bottom margin
NOTE_SIZE = 11  # notes and source line
CHAR_EM = 0.6  # width per character of bold text, a little more than text_width's 0.55 em
MARGIN_RIGHT = 24
TITLE_CHARS = 64  # wrap longer titles so they are never clipped
LABEL_CHARS = 30  # wrap longer category labels (doelgroep names)


@dataclass(frozen=True)
class ChartText:
    title: str
    unit: str
    source: str  # the full line under the chart, "Bron: …, bewerking Woonzorgmonitor"


def chart_text(indicator: str | None, title: str | None, unit: str | None,
               source: str | None) -> ChartText:
    """Title, unit and source, taken from the indicator catalogue unless given explicitly."""
    meta = None
    if indicator is not None:
        if indicator not in catalogue():
            raise KeyError(f"onbekende indicator {indicator!r} (zie catalogus.yml)")
        meta = catalogue()[indicator]
    title = title or (meta.titel if meta else None)
    unit = unit or (meta.eenheid if meta else None)
    source = source or (meta.bron if meta else None)
    if not (title and unit and source):
        raise ValueError("geef een indicator of anders title, unit én source")
    return ChartText(title, unit, source_line(source))


def source_line(bron: str) -> str:
    return f"Bron: {bron}, {BEWERKING}"


def d3_format(unit: str) -> str:
    """The d3-format of a value: the decimals of the tables for catalogue units, else up to 1."""
    return f",.{DECIMALS[unit]}f" if unit in DECIMALS else ",.1~f"


def bar_labels(values: Iterable[float], unit: str, *, signed: bool = False) -> list[str]:
    """Value labels for bars, formatted as in the tables, with a true minus sign as on plotly's
    axes, and '+' before positive values when `signed`. A published figure is empty (NaN) only
    where it is hidden: `SUPPRESSED` ('x')."""
    labels = []
    for value in values:
        if pd.isna(value):
            labels.append(SUPPRESSED)
            continue
        if unit in DECIMALS:
            label = fmt_value(value, unit)
        else:
            label = fmt_int(value) if float(value).is_integer() else fmt_decimal(value, 1)
        if signed and value > 0:
            label = "+" + label
        labels.append(label.replace("-", "\N{MINUS SIGN}", 1))
    return labels


def value_with_unit(unit: str, variable: str) -> str:
    """A plotly template for a value with its unit, e.g. '%{x:,.0f} verhuringen' (for hover);
    percentages as '%{x:,.1f}%'."""
    value = "%{" + variable + ":" + d3_format(unit) + "}"
    return value + "%" if unit == "procent" else f"{value} {unit}"


def wrap(text: str, width: int, *, max_lines: int | None = None) -> str:
    """Break `text` into lines (Plotly <br>) of at most `width` characters."""
    return "<br>".join(textwrap.wrap(text, width, max_lines=max_lines, placeholder=" …"))


def text_width(labels: Iterable[str], size: int = FONT_SIZE) -> int:
    """Estimated pixel width of the longest label line (Liberation Sans averages 0.55 em)."""
    longest = max((len(line) for label in labels for line in str(label).split("<br>")),
                  default=0)
    return round(longest * size * 0.55)


def value_axis(unit: str) -> dict:
    """The numeric axis: unit as title, Dutch separators (also for 4 digits), no 'k'."""
    return {
        "title": {"text": unit[:1].upper() + unit[1:], "standoff": 8,
                  "font": {"size": FONT_SIZE}},
        "ticksuffix": "%" if unit == "procent" else "",
        "separatethousands": True,
        "exponentformat": "none",
        "showgrid": True,
        "gridcolor": GRID_COLOUR,
        "zeroline": True,
        "zerolinecolor": "#9A9A9A",
        "zerolinewidth": 1,
        "automargin": True,
    }


def category_axis(labels: Iterable[str]) -> dict:
    """A category axis in the given order: years stay '2024', not 2.023,5."""
    return {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": list(labels),
        "showgrid": False,
        "ticks": "",
        "ticklabelstandoff": 6,
        "automargin": True,
        "title": {"text": None},
    }


def legend_rows(names: Sequence[str], plot_width: int) -> int:
    """Rows of a horizontal legend as plotly.js lays it out: one row when all entries fit the
    plot width, else a grid with columns as wide as the widest entry (its text, 40 px for the
    symbol and 5 px gap)."""
    widths = [text_width([name], SMALL_FONT_SIZE) + 40 for name in names]
    if not widths or sum(widths) + 5 * (len(widths) - 1) < plot_width:
        return min(len(widths), 1)
    columns = max(1, (plot_width + 5) // (max(widths) + 5))
    return math.ceil(len(widths) / columns)


def finish(fig: go.Figure, text: ChartText, *, margin_left: int, legend: bool = False,
           margin_right: int = MARGIN_RIGHT, plot_height: int | None = None,
           legend_title: str | None = None, margin_bottom: int = MARGIN_BOTTOM) -> go.Figure:
    """Apply the house layout: font, separators, title, legend under the title, source line.

    plot_height: the height of the plot area, for charts with one row per category; otherwise
    the plot is as high as in a figure of HEIGHT px. The width is left to the export (WIDTH)
    or, in HTML, the page.
    margin_bottom: more than MARGIN_BOTTOM to make room for notes (`add_notes`); the figure
    grows by the difference.
    legend_title: a line above the legend entries (a map's unit). Plotly's own legend title
    stands left of the entries, and its horizontal legend then no longer wraps in time.
    Traces with `showlegend=False` have no entry.

    Title, legend and source line are placed in pixels from the margins set here, not by
    plotly's automargin (which would fit the legend but not the title above it). Automargin
    only ever widens a margin for long tick labels, which moves the source line inwards but
    never onto the plot.
    """
    title = wrap(text.title, TITLE_CHARS)
    title_height = TITLE_TOP + LINE_HEIGHT * (title.count("<br>") + 1)
    names = [trace.name for trace in fig.data if trace.showlegend is not False]
    rows = legend_rows(names, WIDTH - margin_left - margin_right) if legend else 0
    legend_top = title_height + (LINE_HEIGHT if legend and legend_title else 0)
    top = legend_top + LINE_HEIGHT * rows + PAD
    height = (HEIGHT - MARGIN_BOTTOM if plot_height is None else top + plot_height) + margin_bottom
    fig.update_layout(
        template="none",  # our settings only, whatever plotly.io.templates.default says
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": TEXT_COLOUR},
        separators=SEPARATORS,
        colorway=list(PALETTE),
        plot_bgcolor="white",
        paper_bgcolor="white",
        title={"text": title, "x": 0, "xref": "container", "xanchor": "left",
               "y": 1, "yref": "container", "yanchor": "top",
               "pad": {"l": PAD, "t": TITLE_TOP}, "font": {"size": 17, "weight": "bold"}},
        legend={"orientation": "h", "xref": "container", "x": 0, "xanchor": "left",
                "yref": "container", "y": 1 - legend_top / height, "yanchor": "top",
                "title": {"text": None}, "traceorder": "normal",
                "font": {"size": SMALL_FONT_SIZE}},
        showlegend=legend,
        margin={"l": margin_left, "r": margin_right, "t": top, "b": margin_bottom},
        hoverlabel={"font": {"family": FONT_FAMILY, "size": SMALL_FONT_SIZE}},
        height=height,
    )
    fig.add_annotation(
        text=text.source, showarrow=False, xref="paper", yref="paper", x=0, y=0,
        xanchor="left", yanchor="bottom", xshift=PAD - margin_left, yshift=PAD - margin_bottom,
        font={"size": NOTE_SIZE, "color": MUTED_COLOUR}, align="left",
    )
    if legend and legend_title:
        fig.add_annotation(
            text=legend_title, showarrow=False, xref="paper", yref="paper", x=0, y=1,
            xanchor="left", yanchor="top", xshift=PAD - margin_left,
            yshift=top - title_height, font={"size": SMALL_FONT_SIZE}, align="left")
    return fig


def wrap_note(note: str, width: int, size: int = NOTE_SIZE) -> str:
    """`note` in lines that fit a figure `width` px wide."""
    return wrap(note, int((width - 2 * PAD) / (size * CHAR_EM)))


def add_notes(fig: go.Figure, notes: Sequence[str], *, below: int,
              warning: bool = False) -> int:
    """Notes (wrapped) in the bottom margin, left-aligned with the source line, stacked upwards
    above `below` lines (the source line and any notes added before); returns the lines now
    taken from the bottom. A warning is bold and vermillion, for the reader to notice."""
    size = SMALL_FONT_SIZE if warning else NOTE_SIZE
    for note in reversed(notes):  # from the bottom up
        fig.add_annotation(
            text=note, showarrow=False, xref="paper", yref="paper", x=0, y=0, xanchor="left",
            yanchor="bottom", align="left", xshift=PAD - fig.layout.margin.l,
            yshift=PAD - fig.layout.margin.b + NOTE_LINE * below + 4,
            font={"size": size, "color": VERMILLION if warning else MUTED_COLOUR,
                  "weight": "bold" if warning else "normal"})
        below += note.count("<br>") + 1
    return below
