"""The Plotly figures of the HTML documents: small numbers of households in their data or text,
and NaN in their text."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator

import numpy as np

from analysis.config import DisclosureSettings
from analysis.disclosure import small
from analysis.report.leaks.tables import label_kind
from analysis.report.leaks.text import NOUNS, plain_text, text_findings
from analysis.report.leaks.values import as_text

_TEMPLATE_FIELD = re.compile(r"%\{(?P<field>\w+)(?:\[(?P<index>\d+)\])?(?::[^}]*)?\}")
_NOUN_NEXT = re.compile(rf"\s*(?:[a-zà-ÿ][\w-]*\s+)?(?:{NOUNS})\b")
_DIFFERENCE = re.compile(r"meer dan|minder dan|verschil|saldo", re.IGNORECASE)
_NAN = re.compile(r"\bnan\b", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
TEMPLATE_DATA = {"value": "values", "label": "labels"}  # template field → trace key


def _number(value: object) -> float:
    if isinstance(value, str):
        return float(value) if value.isdigit() else np.nan
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return np.nan


def _values(data: object, index: int | None) -> np.ndarray:
    """A trace's data (or column `index` of it) as a flat float array: Plotly's typed arrays
    (dtype, bdata, shape) decoded; text other than a whole number, and gaps, as NaN."""
    if isinstance(data, dict) and "bdata" in data:
        array = np.frombuffer(base64.b64decode(data["bdata"]),
                              dtype=np.dtype(data["dtype"])).astype("float64")
        if "shape" in data:
            array = array.reshape([int(n) for n in str(data["shape"]).split(",")])
        return (array[:, index] if index is not None and array.ndim == 2 else array).ravel()
    items = data if isinstance(data, list) else [data]
    if index is not None:
        items = [row[index] if isinstance(row, list) and index < len(row) else None
                 for row in items]
    flat = [value for item in items
            for value in (item if isinstance(item, list) else [item])]
    return np.array([_number(value) for value in flat], dtype="float64")


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _counted_fields(trace: dict, layout: dict) -> set[tuple[str, int | None]]:
    """The data a trace shows as a number of households: a template field followed by a
    household noun, or, without a hover template, an axis titled as household counts."""
    found = set()
    templates = [*_strings(trace.get("hovertemplate")), *_strings(trace.get("texttemplate"))]
    for template in templates:
        for match in _TEMPLATE_FIELD.finditer(template):
            if _NOUN_NEXT.match(TAG.sub(" ", template[match.end():])):
                index = match["index"]
                found.add((TEMPLATE_DATA.get(match["field"], match["field"]),
                           int(index) if index is not None else None))
    if not trace.get("hovertemplate"):
        for axis in ("x", "y"):
            name = trace.get(f"{axis}axis", axis).replace(axis, f"{axis}axis", 1)
            title = layout.get(name, {}).get("title", {})
            text = title.get("text", "") if isinstance(title, dict) else str(title)
            if label_kind(text):
                found.add((axis, None))
    return found


def figure_findings(traces: list[dict], layout: dict, rule: DisclosureSettings
                    ) -> list[tuple[int, str]]:
    """(trace, message) for small numbers of households a figure shows (in its data or its
    text) and for NaN in its text."""
    hits: list[tuple[int, str]] = []
    for number, trace in enumerate(traces):
        texts = [TAG.sub(" ", s) for key in ("name", "text", "hovertext", "hovertemplate",
                                             "texttemplate", "customdata", "labels")
                 for s in _strings(trace.get(key))]
        hits += [(number, f"NaN in de tekst: '{t.strip()}'") for t in texts if _NAN.search(t)]
        hits += [(number, message) for t in texts
                 for message in text_findings(_TEMPLATE_FIELD.sub(" ", t), rule)]
        if _DIFFERENCE.search(" ".join([str(trace.get("name", "")),
                                        *_strings(trace.get("hovertemplate"))])):
            continue  # a difference of counts, not a count
        for key, index in sorted(_counted_fields(trace, layout), key=str):
            if trace.get(key) is None:
                continue
            values = _values(trace[key], index)
            for i in np.flatnonzero(small(values, rule.kleinste_aantal)):
                field_name = key if index is None else f"{key}[{index}]"
                hits.append((number, f"{field_name} = {as_text(float(values[i]))} (punt {i + 1}) "
                                     "is een klein aantal huishoudens"))
    return hits


_SEPARATOR = re.compile(r"\s*,?\s*")


def plotly_figures(script: str) -> Iterator[tuple[list[dict], dict]]:
    """(traces, layout) of every `Plotly.newPlot(id, data, layout, …)` call in a script."""
    decoder = json.JSONDecoder()
    for match in re.finditer(r"Plotly\.newPlot\(\s*", script):
        arguments, position = [], match.end()
        try:
            for _ in range(3):
                value, position = decoder.raw_decode(script, position)
                arguments.append(value)
                position = _SEPARATOR.match(script, position).end()
        except json.JSONDecodeError:
            continue
        _, traces, layout = arguments
        if isinstance(traces, list) and isinstance(layout, dict):
            yield traces, layout


def figure_title(layout: dict) -> str:
    title = layout.get("title", "")
    return plain_text(TAG.sub(" ", title.get("text", "") if isinstance(title, dict)
                              else str(title)))
