"""HTML documents: visible text under its heading, tables, and the Plotly figures."""

from __future__ import annotations

from html.parser import HTMLParser

from analysis.config import DisclosureSettings
from analysis.report.leaks.figures import TAG, figure_findings, figure_title, plotly_figures
from analysis.report.leaks.finding import Finding, short
from analysis.report.leaks.tables import Table, table_findings
from analysis.report.leaks.text import plain_text, text_findings

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "td", "th",
           "caption", "figcaption", "tr", "table", "br", "dt", "dd", "title", "header",
           "footer", "nav", "figure", "blockquote", "pre"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _Page(HTMLParser):
    """Visible text by block (with the heading above it), tables, and scripts of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []  # (heading, text)
        self.tables: list[tuple[str, str, list[list[str]]]] = []  # (heading, caption, rows)
        self.scripts: list[str] = []
        self.heading = ""
        self._text: list[str] = []
        self._hidden = 0  # inside <script> or <style>
        self._in_heading = False
        self._table: tuple[list[str], list[list[str]]] | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def _flush(self) -> None:
        text = plain_text("".join(self._text))
        self._text = []
        if text:
            self.blocks.append((self.heading, text))
            if self._in_heading:
                self.heading = text

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
            if tag == "script":
                self.scripts.append("")
            return
        if tag in _BLOCKS:
            self._flush()
        if tag in _HEADINGS:
            self._in_heading = True
        if tag == "table":
            self._table = ([], [])
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._table is not None:
            self._table[1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
            return
        if tag in _BLOCKS:
            self._flush()
        if tag in _HEADINGS:
            self._in_heading = False
        if tag == "caption" and self._table is not None and self._caption is not None:
            self._table[0].append(plain_text("".join(self._caption)))
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            if self._table is not None and self._table[1]:
                self._table[1][-1].append(plain_text("".join(self._cell)))
            self._cell = None
        elif tag == "table" and self._table is not None:
            caption, rows = self._table
            self.tables.append((self.heading, " ".join(caption), [r for r in rows if r]))
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._hidden:
            if self.scripts:
                self.scripts[-1] += data
            return
        self._text.append(data)
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


def html_findings(name: str, text: str, rule: DisclosureSettings) -> list[Finding]:
    page = _Page()
    page.feed(text)
    page.close()
    findings = [Finding(name, f"tekst onder '{short(heading)}'" if heading else "tekst", m)
                for heading, block in page.blocks for m in text_findings(block, rule)]
    for number, (heading, caption, rows) in enumerate(page.tables, start=1):
        if not rows:
            continue
        label = f"tabel {number} ('{short(caption or heading)}')"
        table = Table(caption=caption, header=rows[0], rows=rows[1:],
                      where=lambda r, c, lab=label, h=rows[0]:
                      f"{lab}, rij {r + 2}, kolom '{h[c] if c < len(h) else c + 1}'")
        findings += [Finding(name, p, m) for p, m in table_findings(table, rule)]
    figures = [figure for script in page.scripts if "Plotly.newPlot(" in script
               for figure in plotly_figures(script)]
    for number, (traces, layout) in enumerate(figures, start=1):
        for trace, message in figure_findings(traces, layout, rule):
            name_of_trace = plain_text(TAG.sub(" ", str(traces[trace].get("name") or "")))
            findings.append(Finding(
                name, f"figuur {number} ('{short(figure_title(layout))}'), reeks {trace + 1}"
                      + (f" ('{short(name_of_trace)}')" if name_of_trace else ""), message))
    return findings
