"""Document settings from `_quarto.yml`, the one place for them (Quarto reads the same keys,
so the project stays Quarto-compatible without needing the Quarto binary)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis.config import ConfigError, parse_yaml

QUARTO_FILE = "_quarto.yml"
# Both go into the templates as they are, in a Typst string and an HTML attribute: a language
# tag (nl, nl-BE) and a paper name (a4, us-letter) need no escaping, anything else is refused.
LANGUAGE_TAG = (re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*"), "een taalcode zoals nl of nl-BE")
PAPER_NAME = (re.compile(r"[a-z0-9-]+"), "een papierformaat zoals a4 of us-letter")


@dataclass(frozen=True)
class DocumentSettings:
    title: str        # project.title: the publication series, e.g. "Woonzorgmonitor Haaglanden"
    lang: str         # lang: document language (hyphenation, captions, Word spelling)
    papersize: str    # format.typst.papersize: "a4"; used for DOCX as well
    output_dir: Path  # project.output-dir, absolute: where reports are written


def read_quarto(project_root: Path) -> tuple[Path, dict]:
    """`_quarto.yml` in `project_root` as a mapping, with its path for messages."""
    path = Path(project_root) / QUARTO_FILE
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: kan documentinstellingen niet lezen ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: geen geldige YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: verwacht instellingen als sleutel: waarde")
    return path, raw


def document_settings(project_root: Path) -> DocumentSettings:
    """Read and check `_quarto.yml` in `project_root`; errors name the file and the key."""
    path, raw = read_quarto(project_root)

    def text(*keys: str, form: tuple[re.Pattern[str], str] | None = None) -> str:
        value: object = raw
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{path}: instelling '{'.'.join(keys)}' ontbreekt of is geen tekst")
        if form is not None and not form[0].fullmatch(value.strip()):
            raise ConfigError(f"{path}: instelling '{'.'.join(keys)}': verwacht {form[1]}, "
                              f"gevonden '{value.strip()}'")
        return value.strip()

    return DocumentSettings(
        title=text("project", "title"),
        lang=text("lang", form=LANGUAGE_TAG),
        papersize=text("format", "typst", "papersize", form=PAPER_NAME),
        output_dir=(Path(project_root) / text("project", "output-dir")).resolve(),
    )
