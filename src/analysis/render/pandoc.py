"""Running Pandoc (the bundled binary of pypandoc-binary) with our templates and filter."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path

import pypandoc

from analysis.render.meta import DocumentMeta
from analysis.storage import write_file

# A word that starts with an apostrophe is an elision: 's-Gravenhage, 's-Hertogenbosch, 't,
# 'n, '80. Its apostrophe is U+2019. Pandoc's smart quotes would take it for an opening quote
# (U+2018) whenever a closing quote follows later in the paragraph, so it is set beforehand:
# an apostrophe after a space, bracket, quote, emphasis mark or tag, before one letter or two
# digits that end the word ('aandachtsgroepen' stays a quotation, 's' too).
_ELISION = re.compile(r"(?<![^\s(\[>*_\"“])'(?=(?:[^\W\d_]|\d\d)(?![\w'’]))")
# A range of years is written with an en dash (2021–2025), as Dutch typesetting does; not
# inside a word such as a file name (svh_verhuringen_2021-2025.csv).
_YEARS = re.compile(r"(?<![\w./-])((?:19|20)\d\d)-((?:19|20)\d\d)(?![\w/-])")
# Code stays as written: fenced blocks and inline code; raw HTML only outside tags and scripts.
_CODE = re.compile(r"^(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n.*?^(?P=fence)[ \t]*$"
                   r"|`[^`\n]+`", re.M | re.S)
_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)


def _outside(pattern: re.Pattern[str], text: str, change: Callable[[str], str],
             keep: Callable[[re.Match[str]], str] = lambda match: match.group(0)) -> str:
    """`text` with `change` applied between the matches of `pattern` (matches go to `keep`)."""
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts += [change(text[last:match.start()]), keep(match)]
        last = match.end()
    return "".join([*parts, change(text[last:])])


def typeset(text: str) -> str:
    """`text` (Pandoc Markdown) with every elision's apostrophe set as U+2019 and every range of
    years with an en dash."""
    def elisions(part: str) -> str:
        return _YEARS.sub("\\1\u2013\\2", _ELISION.sub("\u2019", part))

    def code(match: re.Match[str]) -> str:
        if match.group("fence") and match.group("info").strip() == "{=html}":
            return _outside(_TAGS, match.group(0), elisions)
        return match.group(0)

    return _outside(_CODE, text, elisions, code)


class RenderError(RuntimeError):
    """A document that could not be made; the message names it and carries the tool's output."""


def template(name: str) -> Path:
    """A file from the package's `render/templates/` folder."""
    return Path(str(resources.files("analysis.render").joinpath("templates", name)))


@cache
def pandoc_binary() -> str:
    return pypandoc.get_pandoc_path()


def run_pandoc(args: list[str], markdown: str, document: str, cwd: Path | None = None) -> bytes:
    """Run pandoc with `markdown` on stdin; its output (stdout) as bytes.

    Pandoc always also looks for images in its working directory, so renders run in the
    resource folder: then Pandoc, our filter and Typst (rooted there) all see the same files."""
    command = [pandoc_binary(), *args]
    result = subprocess.run(command, input=markdown.encode("utf-8"), capture_output=True,
                            cwd=cwd)
    if result.returncode != 0:
        stderr = result.stderr.decode("utf-8", errors="replace")
        # A failing filter adds a Lua stack trace: about our code, not the user's document.
        stderr = stderr.split("\nstack traceback:")[0].strip()
        raise RenderError(f"{document}: pandoc faalde (exitcode {result.returncode}):\n{stderr}")
    return result.stdout


def convert(markdown: str, resources: Path, meta: DocumentMeta, out: Path, args: list[str],
            metadata: dict[str, str] | None = None) -> bytes:
    """Pandoc from our Markdown to the format that `args` choose; the output as bytes.

    Every format shares: the input syntax, where images live, our filter and the document's
    metadata (-M, which overrides any front matter the notebook left behind). `metadata`
    adds or replaces keys for one format (a key given twice to -M would become a list)."""
    folder = resources.resolve()
    common = ["--from", "markdown", "--resource-path", str(folder),
              "--lua-filter", str(template("woonzorg.lua"))]
    for key, value in (meta.pandoc_metadata() | (metadata or {})).items():
        text = ("true" if value else "false") if isinstance(value, bool) else value
        common += ["--metadata", f"{key}={typeset(text)}"]
    return run_pandoc([*args, *common], typeset(markdown), meta.label(out),
                      cwd=folder)


def own_template(name: str, meta: DocumentMeta) -> list[str]:
    """Arguments for one of our templates (Typst or HTML) with its layout switches."""
    args = ["--template", str(template(name))]
    for key, value in meta.template_variables().items():
        args += ["--variable", f"{key}={value}"]
    return args


def write_atomic(out: Path, data: bytes) -> None:
    """Write `out` in one step, so nobody ever opens a half-written report."""
    write_file(out, lambda path: path.write_bytes(data))
