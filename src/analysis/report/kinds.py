"""The document kinds: the table `documenten:` in `_quarto.yml`, read once and used by the plan,
the document metadata, the output paths, the index page and `woonzorg build --help`.

A kind has at most one parameter. The parameters this code knows are in `PARAMETERS`: what
values a full build makes a document for, and how a value is named for readers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis import codes
from analysis.config import ConfigError, RegionConfig
from analysis.render.settings import read_quarto
from analysis.tables import listing

# Quarto's format name → the file it becomes.
SUFFIXES = {"typst": ".pdf", "docx": ".docx", "html": ".html"}
FORMAT_NAMES = {"typst": "PDF", "docx": "Word", "html": "HTML"}
TABLE_KEY = "documenten"
# What a document covers: the years of the monitor period, or the periodic monitor's year to
# date (`RegionConfig.monitor_period`).
PERIODS = ("jaren", "monitor")


@dataclass(frozen=True)
class Parameter:
    values: Callable[[RegionConfig], tuple[str, ...]]  # every value, for a full build
    name: Callable[[str], str]  # how readers see a value


PARAMETERS = {
    "gemeente": Parameter(values=lambda region: region.gemeenten,
                          name=lambda code: codes.typographic(codes.labels("gemeenten")[code])),
    "doelgroep": Parameter(values=lambda _region: codes.aandachtsgroepen(),
                           name=lambda code: codes.labels("doelgroepen")[code]),
}


def slug(text: str) -> str:
    """Lower-case words joined by hyphens, for file names ('s-Gravenhage → s-gravenhage)."""
    plain = codes.name_key(text).replace(" ", "-")
    return re.sub(r"[^a-z0-9-]", "", plain)


@dataclass(frozen=True)
class DocumentKind:
    id: str
    notebook: Path  # from the project folder
    title: str
    area: str  # cover subtitle; {regio} and {naam} are filled in
    folder: str  # within the output folder
    file: str  # base name; {naam}, {code} and {periode} are filled in as slugs
    formats: tuple[str, ...]  # Quarto format names
    parameter: str | None
    index: str  # section heading on the index page
    toc: bool
    cover: bool  # a cover page; else a title block above the text
    workbook: bool  # an Excel tabellenboek beside the documents
    period: str = "jaren"  # one of PERIODS

    @property
    def suffixes(self) -> tuple[str, ...]:
        return tuple(SUFFIXES[f] for f in self.formats) + ((".xlsx",) if self.workbook else ())

    @property
    def format_names(self) -> str:
        """'PDF', 'PDF en Word': for the index page and the help text."""
        names = [FORMAT_NAMES[f] for f in self.formats] + (["Excel"] if self.workbook else [])
        return listing(names)

    def values(self, region: RegionConfig) -> tuple[str | None, ...]:
        """The parameter values of a full build; (None,) for a kind without a parameter."""
        return (None,) if self.parameter is None else PARAMETERS[self.parameter].values(region)

    def display_name(self, value: str | None) -> str:
        return "" if value is None else PARAMETERS[self.parameter].name(value)

    def area_text(self, region: RegionConfig, value: str | None) -> str:
        return self.area.format(regio=region.naam, naam=self.display_name(value))

    def target(self, reports: Path, value: str | None, periode: str) -> Path:
        """The output path without its extension; `periode` is the label of the period the
        document covers (2021-2025, 2025-K3)."""
        name = self.file.format(naam=slug(self.display_name(value)), code=slug(value or ""),
                                periode=slug(periode))
        return reports / self.folder / name


def document_kinds(project_root: Path) -> dict[str, DocumentKind]:
    """The table of document kinds from `_quarto.yml`, checked; errors name the file and key."""
    path, raw = read_quarto(project_root)
    table = raw.get(TABLE_KEY)
    if not isinstance(table, dict) or not table:
        raise ConfigError(f"{path}: instelling '{TABLE_KEY}' ontbreekt of is geen tabel van "
                          "documentsoorten")
    return {kind: _kind(path, kind, entry) for kind, entry in table.items()}


def _kind(path: Path, kind: str, entry: object) -> DocumentKind:
    where = f"{path}: {TABLE_KEY}.{kind}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: verwacht sleutel: waarde")

    def text(key: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}.{key} ontbreekt of is geen tekst")
        return value.strip()

    formats = entry.get("formaten")
    if (not isinstance(formats, list) or not formats
            or any(f not in SUFFIXES for f in formats)):
        raise ConfigError(f"{where}.formaten: verwacht een lijst uit {', '.join(SUFFIXES)}")
    parameter = entry.get("parameter")
    if parameter is not None and parameter not in PARAMETERS:
        raise ConfigError(f"{where}.parameter: '{parameter}' is onbekend; kies uit "
                          f"{', '.join(PARAMETERS)} of laat leeg")
    def switch(key: str, default: bool) -> bool:
        value = entry.get(key, default)
        if not isinstance(value, bool):
            raise ConfigError(f"{where}.{key}: verwacht true of false")
        return value

    period = entry.get("periode", "jaren")
    if period not in PERIODS:
        raise ConfigError(f"{where}.periode: '{period}' is onbekend; kies uit {', '.join(PERIODS)}")
    return DocumentKind(id=kind, notebook=Path(text("notebook")), title=text("titel"),
                        area=text("gebied"), folder=text("map"), file=text("bestand"),
                        formats=tuple(formats), parameter=parameter, index=text("index"),
                        toc=switch("toc", False), cover=switch("omslag", True),
                        workbook=switch("tabellenboek", False), period=period)
