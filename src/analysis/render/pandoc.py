"""Running Pandoc (the bundled binary of pypandoc-binary) with our templates and filter."""

from __future__ import annotations

import os
import subprocess
import tempfile
from functools import cache
from importlib import resources
from pathlib import Path

import pypandoc

from analysis.render.meta import DocumentMeta


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
        common += ["--metadata", f"{key}={text}"]
    return run_pandoc([*args, *common], markdown, meta.label(out), cwd=folder)


def own_template(name: str, meta: DocumentMeta) -> list[str]:
    """Arguments for one of our templates (Typst or HTML) with its layout switches."""
    args = ["--template", str(template(name))]
    for key, value in meta.template_variables().items():
        args += ["--variable", f"{key}={value}"]
    return args


def write_atomic(out: Path, data: bytes) -> None:
    """Write `out` in one step, so nobody ever opens a half-written report (a unique partial
    file, since parallel builds may write the same cached reference document)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(partial, out)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
