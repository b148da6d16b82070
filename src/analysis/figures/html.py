"""Interactive figures for the HTML report: one div per figure, without plotly.js.

The renderer embeds plotly.js once per document, before the first figure (each div's script
calls `Plotly.newPlot` where it stands). Numbers in ticks and hover are Dutch through the
figure's own `layout.separators`; the Dutch locale registered here adds Dutch tooltips for
the modebar and Dutch month names. Nothing is loaded from elsewhere.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go

LOCALE = "nl"

# plotly.js publishes its locales as separate scripts that the plotly package does not ship;
# this is the part our charts show, registered like those scripts do.
_NL = {
    "moduleType": "locale",
    "name": LOCALE,
    "dictionary": {
        "Download plot as a PNG": "Download als PNG",
        "Download plot": "Download grafiek",
        "Preparing image - this may take a few seconds": "Afbeelding maken, even geduld",
        "Image download succeeded": "Afbeelding gedownload",
        "Zoom": "Zoomen",
        "Pan": "Verschuiven",
        "Reset axes": "Assen herstellen",
        "Double-click to zoom back out": "Dubbelklik om uit te zoomen",
        "Double-click on legend to isolate one trace":
            "Dubbelklik op de legenda om één reeks te tonen",
    },
    "format": {
        "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag",
                 "zaterdag"],
        "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
        "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                   "september", "oktober", "november", "december"],
        "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt",
                        "nov", "dec"],
        "date": "%d-%m-%Y",
        "decimal": ",",
        "thousands": ".",
    },
}
_REGISTER_NL = f"<script>window.Plotly && Plotly.register({json.dumps(_NL)});</script>"

CONFIG = {
    "displaylogo": False,
    # plotly.js 3 shows a "Share chart..." button by default that uploads the figure, data
    # included, to Plotly's cloud: never for confidential lettings data.
    "showSendToCloud": False,
    "locale": LOCALE,
    "responsive": True,
    # Selection and extra zoom buttons mean nothing to a reader of a bar chart.
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def to_div(fig: go.Figure) -> str:
    """The figure as an HTML fragment: the Dutch locale registration and the plot's div.

    The width follows the page; the height is the figure's own (the chart factories set it).
    """
    div = fig.to_html(include_plotlyjs=False, include_mathjax=False, full_html=False,
                      config=CONFIG, default_width="100%")
    return _REGISTER_NL + div
