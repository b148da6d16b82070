"""The house style's colours: one palette for PDF, DOCX and HTML (sober, dark blue accent)."""

from __future__ import annotations

# Hex RGB without '#'. The Typst and HTML templates receive them as metadata `colour-<name>`.
COLOURS = {
    "ink": "1a1a1a",           # body text
    "accent": "1b3f66",        # headings, cover, table header text
    "accent-light": "e6edf4",  # table header row
    "rule": "9aa5b1",          # thin table rules
    "muted": "5b6670",         # running header, footer, captions
    "demo": "b3261e",          # the DEMO banner
}
