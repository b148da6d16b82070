"""Rendering: Pandoc Markdown plus images → PDF (Pandoc + Typst), DOCX (Pandoc) and
self-contained HTML (Pandoc), in the Woonzorgmonitor house style."""

from analysis.render.docx import render_docx
from analysis.render.html import render_html
from analysis.render.meta import DocumentMeta
from analysis.render.pandoc import RenderError
from analysis.render.pdf import render_pdf
from analysis.render.settings import DocumentSettings, document_settings

__all__ = [
    "DocumentMeta",
    "DocumentSettings",
    "RenderError",
    "document_settings",
    "render_docx",
    "render_html",
    "render_pdf",
]
