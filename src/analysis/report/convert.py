"""Executed notebook → Pandoc Markdown, in two flavours: 'static' (PDF, DOCX: figures as SVG
files) and 'html' (figures as interactive Plotly divs). Code is never shown; only Markdown cells
and the outputs of `analysis.report.show` make it into a report. The tables come along with
their real values, in document order, for the Excel tabellenboek."""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import nbformat
import plotly
import plotly.io as pio

from analysis.report.show import META_KEY, PLOTLY_MIME, ShownTable
from analysis.tables import md_text

Flavour = Literal["static", "html"]


@dataclass
class Converted:
    markdown: str
    figures: list[tuple[dict, Path]] = field(default_factory=list)  # static images to render
    tables: list[ShownTable] = field(default_factory=list)  # every show.table, in order


def _front_matter(cell) -> bool:
    return cell.cell_type in ("raw", "markdown") and cell.source.lstrip().startswith("---")


def _attribute(text: str) -> str:
    """`text` as a quoted Pandoc attribute value, which Pandoc reads back as written (it
    resolves backslash escapes and entities such as &lt; there)."""
    return '"' + re.sub(r'([\\"&])', r"\\\1", text) + '"'


def _figure_block(output, flavour: Flavour, resources: Path, converted: Converted) -> str:
    """A figure with its caption and alt text, which are plain text (they name the region
    and gemeenten) and are escaped here for raw HTML or Markdown."""
    spec = output["data"][PLOTLY_MIME]
    meta = output.get("metadata", {}).get(META_KEY, {})
    # One line each: inside the raw HTML block a line of backticks would end it.
    alt, caption = (" ".join(meta.get(key, "").split()) for key in ("alt", "caption"))
    if flavour == "html":
        from analysis.figures.html import to_div

        div = to_div(pio.from_json(json.dumps(spec)))
        # Quotes stay in the caption's text, where typeset() makes them typographic.
        return (f'::: {{.figuur}}\n```{{=html}}\n<figure role="group" '
                f'aria-label="{html.escape(alt)}">\n{div}\n'
                f"<figcaption>{html.escape(caption, quote=False)}</figcaption>\n</figure>\n"
                "```\n:::")
    # The file is named by what it shows and the plotly.js that draws it: a cached image is
    # reused only for the very same figure (`pipeline` also checks that it is complete).
    key = json.dumps([plotly.__version__, spec], sort_keys=True)
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    path = resources / f"figuur-{digest}.svg"
    converted.figures.append((spec, path))
    width = meta.get("width", "100%")
    return (f"![{md_text(caption)}]({path.name})"
            f"{{fig-alt={_attribute(alt)} alt={_attribute(alt)} width={width}}}")


def to_markdown(notebook: Path, flavour: Flavour, resources: Path) -> Converted:
    """Markdown for one executed notebook; static figures are listed, not yet rendered, so that
    the build can render all of them in one Kaleido session."""
    nb = nbformat.read(notebook, as_version=4)
    converted = Converted(markdown="")
    blocks: list[str] = []
    for cell in nb.cells:
        if _front_matter(cell) or cell.cell_type == "raw":
            continue
        if cell.cell_type == "markdown":
            blocks.append(cell.source)
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") not in ("display_data", "execute_result"):
                continue
            data = output.get("data", {})
            if PLOTLY_MIME in data:
                blocks.append(_figure_block(output, flavour, resources, converted))
            elif "text/markdown" in data:
                blocks.append(data["text/markdown"])
                shown = output.get("metadata", {}).get(META_KEY, {}).get("table")
                if shown:
                    converted.tables.append(ShownTable.from_metadata(shown))
    converted.markdown = "\n\n".join(block.strip() for block in blocks if block.strip()) + "\n"
    return converted
