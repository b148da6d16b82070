"""HTML: one self-contained file (images, styles and, when needed, plotly.js inside), so it
opens from a mail attachment or a file share without any network."""

from __future__ import annotations

import html as markup
from functools import cache
from importlib import resources as package_files
from pathlib import Path

from analysis.render.meta import DocumentMeta
from analysis.render.pandoc import convert, own_template, typeset, write_atomic

PLOTLY_MARKER = "<!-- woonzorg:plotly -->"  # in templates/woonzorg.html, inside <head>
PLOTLY_DIV = 'class="plotly-graph-div"'     # what Plotly's to_html writes for each figure


def render_html(markdown: str, resources: Path, meta: DocumentMeta, out: Path) -> None:
    """Convert `markdown` (images relative to `resources`) to one self-contained HTML file.

    Interactive Plotly figures arrive as raw HTML without plotly.js; it is embedded once,
    from the installed plotly package, only when the document has such a figure."""
    # Pandoc escapes metadata as HTML text, quotes left as they are; in an attribute the
    # organisation (which names the region) goes in as a variable escaped here.
    organisation = markup.escape(typeset(meta.organisation))
    args = ["--to", "html5", "--standalone", "--embed-resources", "--number-sections",
            "--wrap=none", *own_template("woonzorg.html", meta),
            "--variable", f"organisation-attribute={organisation}"]
    if meta.toc:
        args += ["--toc", "--toc-depth=2"]
    html = convert(markdown, resources, meta, out, args).decode("utf-8")
    script = f"<script>{_plotly_js()}</script>" if PLOTLY_DIV in html else ""
    write_atomic(out, html.replace(PLOTLY_MARKER, script, 1).encode("utf-8"))


@cache
def _plotly_js() -> str:
    # Inserted after Pandoc, not through it: Pandoc would parse all 4.8 MB while embedding.
    source = package_files.files("plotly").joinpath("package_data", "plotly.min.js")
    return source.read_text(encoding="utf-8")
