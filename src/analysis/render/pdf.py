"""PDF: Pandoc writes Typst with our template (templates/woonzorg.typ), Typst typesets it."""

from __future__ import annotations

import hashlib
import tempfile
from functools import cache
from pathlib import Path

import typst

from analysis.render.meta import DocumentMeta
from analysis.render.pandoc import RenderError, convert, own_template, write_atomic

# PDF/UA-1 makes Typst refuse what a screen reader could not use (no title, no language, an
# image without alt text) instead of quietly writing an inaccessible PDF.
PDF_STANDARDS = ["ua-1"]
PDF_UA_HINT = ("Toegankelijke PDF (PDF/UA-1) eist onder meer dat de eerste kop niveau 1 is, "
               "dat kopniveaus niet springen (# dan ##, niet # dan ###) en alt-tekst bij elke "
               "afbeelding; pas het notebook of de Markdown aan.\n")


@cache
def _fonts() -> typst.Fonts:
    """Typst's own fonts plus the system's, scanned once per process, not per document."""
    return typst.Fonts()


def debug_folder(out: Path) -> Path:
    """Where the generated Typst source stays after a render, one folder per output file,
    so a Typst error's line number can be looked up."""
    key = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / "woonzorgmonitor-render" / f"{out.stem}-{key}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def render_pdf(markdown: str, resources: Path, meta: DocumentMeta, out: Path) -> None:
    """Typeset `markdown` (images relative to `resources`) as an accessible PDF at `out`."""
    # typst-smart: Pandoc writes the quotes and apostrophes it chose (’s-Gravenhage) as
    # characters; as ASCII quotes, Typst's own smart quotes would open a quotation there.
    source = convert(markdown, resources, meta, out,
                     ["--to", "typst-smart", *own_template("woonzorg.typ", meta)])
    typ_path = debug_folder(out) / f"{out.stem}.typ"
    typ_path.write_bytes(source)
    try:
        # The source goes in as bytes with `resources` as Typst's root, so the image paths in
        # the Markdown resolve as written and nothing outside `resources` can be read.
        pdf = typst.compile(source, root=resources.resolve(), font_paths=_fonts(),
                            pdf_standards=PDF_STANDARDS)
    except typst.TypstError as exc:
        hint = PDF_UA_HINT if exc.message.startswith("PDF/UA") else ""
        raise RenderError(
            f"{meta.label(out)}: typst faalde: {exc.message}\n{exc.diagnostic}\n{hint}"
            f"de regelnummers verwijzen naar de gegenereerde Typst-bron {typ_path}") from exc
    write_atomic(out, pdf)
