"""Charts in the house style (Okabe–Ito colours, Dutch numbers, title, unit, source line).

`charts` makes the figures and `maps` the maps (choropleth, wijk choropleth, locator, flows);
`static` writes them as SVG/PNG for PDF and DOCX through one Kaleido browser per process; `html`
turns them into divs for the interactive report.
"""

from analysis.figures.charts import (
    bar_per_gemeente,
    diverging_bar,
    grouped_bar,
    interval_per_gemeente,
    over_years,
    progress_bar,
)
from analysis.figures.style import FONT_FAMILY, PALETTE

__all__ = [
    "FONT_FAMILY",
    "PALETTE",
    "bar_per_gemeente",
    "diverging_bar",
    "grouped_bar",
    "interval_per_gemeente",
    "over_years",
    "progress_bar",
]
