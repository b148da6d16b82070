"""Chart factories in the house style; each returns a plotly Figure.

Data comes in the shape a notebook has after a pivot: a Series with one value per category
(gemeente, doelgroep), or a DataFrame with the categories or years as index and one column per
series. Title, unit and source come from the indicator catalogue when `indicator` is given;
`title`, `unit` and `source` (the bron, e.g. "PPM woonopgave") override it or replace it.
Alt text is not part of a figure: the caller gives it to the renderer.

The data are published figures, where an empty value (NaN) is a hidden one: it draws no bar or
point, is marked `SUPPRESSED` ('x') where its bar would start, with `SUPPRESSED_LABEL` as hover
text, and the chart gets `SUPPRESSED_NOTE` above its source line. The figure (embedded as is
in the HTML) holds null for it, never a number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.figures.style import (
    BLACK,
    BLUE,
    LABEL_CHARS,
    MARGIN_BOTTOM,
    MARGIN_RIGHT,
    NOTE_LINE,
    PAD,
    PALETTE,
    SKY_BLUE,
    SMALL_FONT_SIZE,
    VERMILLION,
    WIDTH,
    ChartText,
    add_notes,
    bar_labels,
    category_axis,
    chart_text,
    finish,
    text_width,
    value_axis,
    value_with_unit,
    wrap,
    wrap_note,
)
from analysis.tables import SUPPRESSED, SUPPRESSED_LABEL, SUPPRESSED_NOTE

ROW_HEIGHT = 30  # px per bar in horizontal charts: 9 gemeenten or 19 doelgroepen both fit
EXTRA_LINE = 14  # px per extra line of a wrapped category label
VALUE_LABEL_MARGIN = 64  # room right of the longest bar for its value label
LEFT_NUMERIC = 72  # y tick labels ("10.000") and the rotated axis title
SLANT = 30  # degrees of category labels that do not fit side by side
LABEL_ROOM = 0.15  # share of the value range added for labels outside diverging bars
BARGAP = 0.25  # between the groups of grouped bars, as a share of a category's width
PREVIOUS_EDITION = "vorige editie"  # the legend entry of a figure as the last edition had it


def _labels(index: pd.Index) -> list[str]:
    """Category labels as text (years as '2024'), long ones wrapped over at most 3 lines."""
    return [wrap(str(label), LABEL_CHARS, max_lines=3) for label in index]


def _rows_height(labels: list[str]) -> int:
    """Plot height that gives every bar a row high enough for the longest wrapped label
    (plotly gives all categories the same height)."""
    extra_lines = max((label.count("<br>") for label in labels), default=0)
    return len(labels) * (ROW_HEIGHT + EXTRA_LINE * extra_lines)


def _left_margin(labels: list[str]) -> int:
    return text_width(labels) + 2 * PAD


def _check_series_count(data: pd.DataFrame) -> None:
    if data.shape[1] > len(PALETTE):
        raise ValueError(f"{data.shape[1]} reeksen, de huisstijl heeft {len(PALETTE)} kleuren: "
                         "voeg kleine groepen samen tot 'Overig'")


def _hover(category: str, value: str, unit: str, *, series: str | None = None) -> str:
    """Hover text 'series<br>category: value unit' without plotly's trace box."""
    head = f"{series}<br>" if series else ""
    return f"{head}%{{{category}}}: {value_with_unit(unit, value)}<extra></extra>"


def _data(values: pd.Series) -> list[float | None]:
    """A trace's values with null for a hidden one: no bar or point, and no NaN in the JSON."""
    return [None if pd.isna(value) else value for value in values.tolist()]


def _hidden_hover(category: object, series: Sequence[str] = ()) -> str:
    """'Wassenaar: niet gepubliceerd (…)'; with series, one such line per series under the
    category."""
    if not series:
        return f"{category}: {SUPPRESSED_LABEL}"
    return "<br>".join([str(category), *(f"{name}: {SUPPRESSED_LABEL}" for name in series)])


def _at(category: float, value: float, *, horizontal: bool) -> dict:
    """Just past `value` on the value axis, at the category at position `category` (counted
    from 0; between two to reach one bar of a group). A position, not the label: plotly
    reads a label such as '2023' as position 2023 and stretches the axis to it."""
    if horizontal:
        return {"x": value, "y": category, "xanchor": "left", "xshift": 4}
    return {"x": category, "y": value, "yanchor": "bottom", "yshift": 2}


def _mark_hidden(fig: go.Figure, marks: Sequence[tuple[dict, str]]) -> None:
    """`SUPPRESSED` at each (position, hover text): no bar must not read as 0, and the hover
    says why. Annotations, not a trace: they leave the axis range alone."""
    for position, hover in marks:
        fig.add_annotation(text=SUPPRESSED, hovertext=hover, showarrow=False,
                           **{"xref": "x", "yref": "y", **position})


def _finish(fig: go.Figure, text: ChartText, *, extra_bottom: int = 0, **layout) -> go.Figure:
    """`finish`, with `SUPPRESSED_NOTE` above the source line when the chart marks a hidden
    value: a printed chart has no hover to explain the 'x'. `extra_bottom`: px for slanted
    category labels."""
    hidden = any(a.text == SUPPRESSED for a in fig.layout.annotations)
    notes = [wrap_note(SUPPRESSED_NOTE, WIDTH)] if hidden else []
    lines = sum(note.count("<br>") + 1 for note in notes)
    finish(fig, text, margin_bottom=MARGIN_BOTTOM + extra_bottom + NOTE_LINE * lines, **layout)
    add_notes(fig, notes, below=1)
    return fig


def bar_per_gemeente(
    values: pd.Series,
    *,
    indicator: str | None = None,
    title: str | None = None,
    unit: str | None = None,
    source: str | None = None,
    highlight: str | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
    sort: bool = True,
) -> go.Figure:
    """Horizontal bars, one per index label (gemeente), largest on top, value at each bar.

    highlight: the label drawn dark (the gemeente of an appendix), the others light.
    reference: a dashed line at this value (e.g. 30 for the mutatiegrens), with `reference_label`
        above it.
    """
    text = chart_text(indicator, title, unit, source)
    if highlight is not None and highlight not in map(str, values.index):
        raise KeyError(f"{highlight!r} staat niet in de gegevens")
    if sort:
        values = values.sort_values(ascending=False)
    labels = _labels(values.index)
    colours = [BLUE if highlight in (None, str(name)) else SKY_BLUE for name in values.index]
    fig = go.Figure(go.Bar(
        x=_data(values), y=labels, orientation="h", marker_color=colours,
        text=bar_labels(values, text.unit), textposition="outside", cliponaxis=False,
        hovertemplate=_hover("y", "x", text.unit),
    ))
    _mark_hidden_bars(fig, values)
    fig.update_xaxes(value_axis(text.unit))
    fig.update_yaxes(category_axis(labels), autorange="reversed")
    if reference is not None:
        _reference_line(fig, reference, reference_label, categories=len(labels),
                        horizontal=True)
    return _finish(fig, text, margin_left=_left_margin(labels), margin_right=VALUE_LABEL_MARGIN,
                   plot_height=_rows_height(labels))


def interval_per_gemeente(
    values: pd.Series,
    low: pd.Series,
    high: pd.Series,
    *,
    indicator: str | None = None,
    title: str | None = None,
    unit: str | None = None,
    source: str | None = None,
    name: str = "Verwachting",
    interval_name: str = "90%-interval",
    reference: float | None = None,
    reference_label: str | None = None,
) -> go.Figure:
    """An estimate per index label (gemeente) as a point with its interval as a line from
    `low` to `high` (same index), largest on top, the value right of the interval.

    name, interval_name: legend names of the point and the interval.
    reference: a dashed line at this value (e.g. 30 for the mutatiegrens).
    """
    text = chart_text(indicator, title, unit, source)
    order = values.sort_values(ascending=False).index
    values, low, high = values[order], low.reindex(order), high.reindex(order)
    labels = _labels(order)
    # One line per row: its two ends and a gap (None) before the next row.
    ends = [x for pair in zip(_data(low), _data(high), [None] * len(low), strict=True)
            for x in pair]
    rows = [y for label in labels for y in (label, label, None)]
    fig = go.Figure([
        go.Scatter(name=interval_name, x=ends, y=rows, mode="lines", hoverinfo="skip",
                   line={"color": SKY_BLUE, "width": 8}),
        go.Scatter(name=name, x=_data(values), y=labels, mode="markers",
                   marker={"color": BLUE, "size": 11, "line": {"color": "white", "width": 1.5}},
                   hovertemplate=_hover("y", "x", text.unit)),
        go.Scatter(x=[h if pd.notna(h) else v for h, v in zip(_data(high), _data(values),
                                                              strict=True)],
                   y=labels, mode="text", text=bar_labels(values, text.unit),
                   textposition="middle right", showlegend=False, hoverinfo="skip",
                   cliponaxis=False),
    ])
    _mark_hidden_bars(fig, values)
    fig.update_xaxes(value_axis(text.unit), rangemode="tozero")
    fig.update_yaxes(category_axis(labels), autorange="reversed")
    if reference is not None:
        _reference_line(fig, reference, reference_label, categories=len(labels),
                        horizontal=True)
    return _finish(fig, text, margin_left=_left_margin(labels), margin_right=VALUE_LABEL_MARGIN,
                   plot_height=_rows_height(labels), legend=True)


def _mark_hidden_bars(fig: go.Figure, values: pd.Series) -> None:
    """The hidden values of one series of horizontal bars, at zero."""
    _mark_hidden(fig, [(_at(i, 0, horizontal=True), _hidden_hover(name))
                       for i, (name, hidden) in enumerate(values.isna().items()) if hidden])


def _reference_line(fig: go.Figure, value: float, label: str | None, *, categories: int,
                    horizontal: bool) -> None:
    """A dashed line at `value` across all categories, labelled at its end.

    Drawn between grid and data so that it never hides a bar or value label. Plotly draws that
    layer only for shapes on both data axes (a 'paper' shape goes below the grid, a 'domain'
    one fails), so the line spans the category positions -0.5 … categories - 0.5.
    """
    across = {"type": "line", "layer": "between", "xref": "x", "yref": "y",
              "line": {"color": BLACK, "width": 1.5, "dash": "dash"}}
    font = {"size": SMALL_FONT_SIZE}
    if horizontal:  # categories down the side, value along x: a vertical line
        fig.add_shape(**across, x0=value, x1=value, y0=-0.5, y1=categories - 0.5)
        if label:
            fig.add_annotation(text=label, x=value, xref="x", y=1, yref="paper",
                               yanchor="bottom", showarrow=False, font=font)
    else:
        fig.add_shape(**across, y0=value, y1=value, x0=-0.5, x1=categories - 0.5)
        if label:
            fig.add_annotation(text=label, y=value, yref="y", x=1, xref="paper",
                               xanchor="right", yanchor="bottom", showarrow=False, font=font)


def grouped_bar(
    data: pd.DataFrame,
    *,
    indicator: str | None = None,
    title: str | None = None,
    unit: str | None = None,
    source: str | None = None,
    stacked: bool = False,
    horizontal: bool = False,
) -> go.Figure:
    """Bars per category (index: gemeenten or years), one colour per column (e.g. doelgroep).

    stacked: one bar per category with the columns stacked, instead of side by side.
    horizontal: categories down the side, in index order; use it for gemeente names.
    """
    text = chart_text(indicator, title, unit, source)
    _check_series_count(data)
    labels = _labels(data.index)
    value, category = ("x", "y") if horizontal else ("y", "x")
    fig = go.Figure([
        go.Bar(name=str(column), orientation="h" if horizontal else "v",
               **{value: _data(data[column]), category: labels},
               hovertemplate=_hover(category, value, text.unit, series=str(column)))
        for column in data.columns
    ])
    fig.update_layout(barmode="stack" if stacked else "group", bargap=BARGAP, bargroupgap=0.05)
    if stacked:
        _mark_hidden_in_stacks(fig, data, _top(data), horizontal=horizontal)
    else:
        _mark_hidden_in_groups(fig, data, horizontal=horizontal)
    return _finish_bars(fig, text, labels, horizontal=horizontal, legend=data.shape[1] > 1)


def _mark_hidden_in_groups(fig: go.Figure, data: pd.DataFrame, *, horizontal: bool) -> None:
    """Each hidden value at zero in its own bar's place: plotly gives each column an equal
    share of the group, the groups `1 - BARGAP` of a category wide."""
    share = (1 - BARGAP) / data.shape[1]
    rows, columns = np.nonzero(data.isna().to_numpy())
    _mark_hidden(fig, [
        (_at(row - (1 - BARGAP) / 2 + (column + 0.5) * share, 0, horizontal=horizontal),
         _hidden_hover(data.index[row], [str(data.columns[column])]))
        for row, column in zip(rows, columns, strict=True)])


def _mark_hidden_in_stacks(fig: go.Figure, data: pd.DataFrame, tops: pd.Series, *,
                           horizontal: bool) -> None:
    """One mark per category with a hidden value, past the top of its stack (`tops`, the sum
    of its shown parts): the stack is incomplete."""
    _mark_hidden(fig, [
        (_at(i, top, horizontal=horizontal),
         _hidden_hover(name, [str(c) for c in data.columns[hidden]]))
        for i, (name, top, hidden) in enumerate(zip(data.index, tops, data.isna().to_numpy(),
                                                    strict=True)) if hidden.any()])


def _top(stacked: pd.DataFrame) -> pd.Series:
    """Where each stack of the shown positive parts ends (hidden ones count as nothing)."""
    return stacked.clip(lower=0).sum(axis=1)


def _finish_bars(fig: go.Figure, text: ChartText, labels: list[str], *, horizontal: bool,
                 legend: bool) -> go.Figure:
    if horizontal:
        fig.update_xaxes(value_axis(text.unit))
        fig.update_yaxes(category_axis(labels), autorange="reversed")
        return _finish(fig, text, margin_left=_left_margin(labels), legend=legend,
                       plot_height=_rows_height(labels))
    fig.update_yaxes(value_axis(text.unit), rangemode="tozero")
    fig.update_xaxes(category_axis(labels))
    # Labels wider than their slot are slanted; the margin grows by their height, so they
    # never run into the source line (plotly's own automargin would move that line too).
    slot = (WIDTH - LEFT_NUMERIC - MARGIN_RIGHT) / max(len(labels), 1)
    extra = 0
    if text_width(labels) > 0.9 * slot:
        fig.update_xaxes(tickangle=-SLANT)
        extra = round(text_width(labels) * math.sin(math.radians(SLANT)))
    return _finish(fig, text, margin_left=LEFT_NUMERIC, legend=legend, extra_bottom=extra)


def over_years(
    data: pd.DataFrame | pd.Series,
    *,
    indicator: str | None = None,
    title: str | None = None,
    unit: str | None = None,
    source: str | None = None,
    kind: Literal["line", "bar"] = "line",
    reference: float | None = None,
    reference_label: str | None = None,
    previous: pd.DataFrame | None = None,
) -> go.Figure:
    """A development over the years in the index; one line (or bar colour) per column. A line
    breaks at a hidden year, marked below the gap.

    reference: a dashed horizontal line at this value (e.g. 30, the mutatiegrens), labelled
        `reference_label` at its right end.
    previous: the previous edition's figures where they moved (same index and columns, NaN
        elsewhere): a mark at the old value on the line or bar, one legend entry.
    """
    frame = data.to_frame() if isinstance(data, pd.Series) else data
    text = chart_text(indicator, title, unit, source)
    if kind == "bar":
        fig = grouped_bar(frame, indicator=indicator, title=title, unit=unit, source=source)
    else:
        fig = _lines(frame, text)
    if reference is not None:
        _reference_line(fig, reference, reference_label, categories=len(frame),
                        horizontal=False)
    if previous is not None and previous.notna().to_numpy().any():
        _previous_edition(fig, frame, previous.reindex_like(frame), text.unit, bars=kind == "bar")
    return fig


def _previous_edition(fig: go.Figure, frame: pd.DataFrame, previous: pd.DataFrame, unit: str,
                      *, bars: bool) -> None:
    """The previous edition's value where it moved: a dark dash across the bar (on the
    series' own bar of the group) or an open ring on the line, named in the legend once."""
    labels = _labels(frame.index)
    share = (1 - BARGAP) / frame.shape[1]
    for column_number, column in enumerate(frame.columns):
        old = previous[column]
        rows = np.flatnonzero(old.notna().to_numpy())
        if not len(rows):
            continue
        # Bars: at the middle of the series' own bar, on a hidden linear axis laid over the
        # categories (a trace reads a number on a category axis as a new category).
        x = ([row - (1 - BARGAP) / 2 + (column_number + 0.5) * share for row in rows] if bars
             else [labels[row] for row in rows])
        fig.add_trace(go.Scatter(
            x=x, y=old.iloc[rows].tolist(), mode="markers", name=PREVIOUS_EDITION,
            xaxis="x2" if bars else "x",
            legendgroup="vorige", showlegend=not any(t.legendgroup == "vorige" for t in fig.data),
            marker={"symbol": "line-ew-open" if bars else "circle-open", "color": BLACK,
                    "size": 18 if bars else 12, "line": {"width": 2.5, "color": BLACK}},
            customdata=[labels[row] for row in rows],
            hovertemplate=f"{column}, {PREVIOUS_EDITION}<br>"
                          + _hover("customdata", "y", unit)))
    if bars:
        fig.update_layout(xaxis2={"overlaying": "x", "range": [-0.5, len(frame) - 0.5],
                                  "visible": False, "fixedrange": True})
    fig.update_layout(showlegend=True)


def _lines(frame: pd.DataFrame, text: ChartText) -> go.Figure:
    _check_series_count(frame)
    labels = _labels(frame.index)
    fig = go.Figure([
        go.Scatter(name=str(column), x=labels, y=_data(frame[column]), mode="lines+markers",
                   connectgaps=False, line={"width": 2.5}, marker={"size": 7},
                   hovertemplate=_hover("x", "y", text.unit, series=str(column)))
        for column in frame.columns
    ])
    # A hidden year has no place on the value axis: its mark stands on the bottom of the plot.
    _mark_hidden(fig, [
        ({"x": i, "y": 0, "yref": "paper", "yanchor": "bottom"},
         _hidden_hover(year, [str(c) for c in frame.columns[hidden]]))
        for i, (year, hidden) in enumerate(zip(frame.index, frame.isna().to_numpy(), strict=True))
        if hidden.any()])
    fig.update_yaxes(value_axis(text.unit), rangemode="tozero")
    fig.update_xaxes(category_axis(labels))
    return _finish(fig, text, margin_left=LEFT_NUMERIC, legend=frame.shape[1] > 1)


def diverging_bar(
    values: pd.Series,
    *,
    indicator: str | None = None,
    title: str | None = None,
    unit: str | None = None,
    source: str | None = None,
    labels: tuple[str, str] = ("Positief saldo", "Negatief saldo"),
) -> go.Figure:
    """Horizontal bars right and left of zero (a saldo per gemeente), from high to low; hidden
    values last.

    labels: legend names of the positive and the negative bars.
    """
    text = chart_text(indicator, title, unit, source)
    values = values.astype(float).sort_values(ascending=False)  # pd.NA as NaN for the masks
    names = _labels(values.index)
    positive, negative = (values >= 0).to_numpy(), (values < 0).to_numpy()
    fig = go.Figure([
        go.Bar(name=name, x=values.to_numpy()[mask],
               y=[label for label, keep in zip(names, mask, strict=True) if keep],
               orientation="h", marker_color=colour, cliponaxis=False, textposition="outside",
               text=bar_labels(values[mask], text.unit, signed=True),
               hovertemplate=_hover("y", "x", text.unit))
        for name, colour, mask in ((labels[0], BLUE, positive), (labels[1], VERMILLION, negative))
    ])
    _mark_hidden_bars(fig, values)
    fig.update_xaxes(value_axis(text.unit), range=_padded_range(values))
    fig.update_yaxes(category_axis(names), autorange="reversed")
    fig.update_layout(barmode="relative")
    return _finish(fig, text, margin_left=_left_margin(names), legend=True,
                   margin_right=VALUE_LABEL_MARGIN, plot_height=_rows_height(names))


def _padded_range(values: pd.Series) -> list[float]:
    """Zero and all shown values, with room on both sides for the labels outside the bars (the
    left one would otherwise run into the category names)."""
    shown = [*values.dropna(), 0]
    low, high = min(shown), max(shown)
    pad = LABEL_ROOM * ((high - low) or 1)
    return [low - pad if low < 0 else 0, high + pad if high > 0 else 0]


def progress_bar(
    data: pd.DataFrame,
    *,
    task: str = "Opgave",
    indicator: str | None = None,
    title: str | None = None,
    unit: str | None = None,
    source: str | None = None,
) -> go.Figure:
    """Progress per category (doelgroep): the other columns stacked, the `task` column a mark.

    Columns in stacking order, e.g. Opgeleverd, In aanbouw, Harde plancapaciteit; and Opgave.
    A category with a hidden phase or task is marked once, past its shown phases.
    """
    if task not in data.columns:
        raise KeyError(f"kolom {task!r} (de opgave) ontbreekt")
    text = chart_text(indicator, title, unit, source)
    parts = data.drop(columns=task)
    # Dark to light for done to planned; the task mark takes black.
    colours = (BLUE, SKY_BLUE, *(c for c in PALETTE if c not in (BLUE, SKY_BLUE, BLACK)))
    if parts.shape[1] > len(colours):
        raise ValueError(f"hoogstens {len(colours)} fasen naast de opgave")
    labels = _labels(data.index)
    fig = go.Figure([
        go.Bar(name=str(column), x=_data(parts[column]), y=labels, orientation="h",
               marker_color=colour, hovertemplate=_hover("y", "x", text.unit, series=str(column)))
        for column, colour in zip(parts.columns, colours, strict=False)
    ])
    fig.add_trace(go.Scatter(
        name=task, x=_data(data[task]), y=labels, mode="markers",
        marker={"symbol": "line-ns", "size": ROW_HEIGHT - 6, "color": BLACK,
                "line": {"width": 3, "color": BLACK}},
        hovertemplate=_hover("y", "x", text.unit, series=task),
    ))
    fig.update_layout(barmode="stack", bargap=0.35)
    _mark_hidden_in_stacks(fig, data, _top(parts), horizontal=True)
    return _finish_bars(fig, text, labels, horizontal=True, legend=True)
