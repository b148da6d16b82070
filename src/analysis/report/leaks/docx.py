"""Word documents: paragraphs and tables, in order."""

from __future__ import annotations

from pathlib import Path

from analysis.config import DisclosureSettings
from analysis.report.leaks.finding import Finding, short
from analysis.report.leaks.tables import Table, table_findings
from analysis.report.leaks.text import text_findings


def docx_findings(name: str, path: Path, rule: DisclosureSettings) -> list[Finding]:
    """Paragraphs and tables of a Word document, in order; a table's caption is the paragraph
    'Tabel n …' before it."""
    import docx
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    findings, caption, paragraph, tables = [], "", 0, 0
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph += 1
            text = Paragraph(block, document).text
            if text.startswith("Tabel "):
                caption = text
            findings += [Finding(name, f"alinea {paragraph}", m)
                         for m in text_findings(text, rule)]
        elif tag == "tbl":
            tables += 1
            cells = [[cell.text for cell in row.cells] for row in WordTable(block, document).rows]
            if not cells:
                continue
            table = Table(caption=caption, header=cells[0], rows=cells[1:],
                          where=lambda r, c, t=tables, cap=caption, h=cells[0]:
                          f"tabel {t} ('{short(cap)}'), rij {r + 2}, kolom '{h[c]}'")
            findings += [Finding(name, p, m) for p, m in table_findings(table, rule)]
            findings += [Finding(name, f"tabel {tables} ('{short(caption)}'), rij {r + 1}", m)
                         for r, row in enumerate(cells) for text in row
                         for m in text_findings(text, rule)]
            caption = ""
    return findings
