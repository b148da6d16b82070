"""Region and period settings: loaded from YAML and validated before anything uses them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TypeVar

import yaml

from analysis import codes

DEFAULT_CONFIG = "haaglanden.yml"
GEO_LEVELS = ("gemeente", "wijk")
FETCH_FOLDER = Path("data/raw/geo")  # where `woonzorg geo fetch` writes unless told otherwise


T = TypeVar("T")


class ConfigError(ValueError):
    """A settings file that cannot be used; the message names the file and the setting."""


@dataclass(frozen=True)
class GeoSettings:
    """Where the boundaries for the maps are looked for (see analysis.geo).

    map: the folder that `woonzorg geo fetch` fills (files `gemeente_{jaar}.geojson`,
        `wijk_{jaar}.geojson`); relative paths count from the project folder. None: the
        boundaries shipped with the package (CBS 2025, `layout.SHIPPED_BOUNDARIES`).
    jaar: the boundary year.
    bestanden: per level ('gemeente', 'wijk') a file to use instead of the one in `map`.
    """

    map: Path | None = None
    jaar: int = 2025
    bestanden: Mapping[str, Path] = field(default_factory=dict)

    def source(self, level: str) -> Path | None:
        """The configured file for `level`, else the folder to look in; None: the shipped set."""
        return self.bestanden.get(level, self.map)


@dataclass(frozen=True)
class SignalSettings:
    """Thresholds of the monitoring signals (block `signalen`); the limit itself is the
    verdeelmodel's mutatiegrens."""

    verschil_relatief: float = 0.20  # |werkelijk − model| ≥ this share of the model's figure
    verschil_minimaal: int = 25  # … and at least this many households
    woonopgave_minimaal: float = 50.0  # opgeleverd + harde plannen below this % of the task
    wijk_concentratie: float = 1.5  # concentration index of a wijk against its gemeente
    wijk_minimaal_verhuringen: int = 20  # fewer lettings in a wijk: too uncertain to show


@dataclass(frozen=True)
class DisclosureSettings:
    """The small-count rule (block `openbaarheid`): household counts from 1 up to
    `kleinste_aantal` − 1 are not published (0 may be), nor a rate whose numerator is hidden or
    whose denominator is under `kleinste_noemer` households."""

    kleinste_aantal: int = 5
    kleinste_noemer: int = 10


@dataclass(frozen=True)
class RegionConfig:
    naam: str
    gemeenten: tuple[str, ...]
    jaar_van: int
    jaar_tot_en_met: int
    bron: str
    korte_namen: Mapping[str, str] = field(default_factory=dict)  # for wide tables
    geo: GeoSettings = field(default_factory=GeoSettings)  # boundaries for the maps
    signalen: SignalSettings = field(default_factory=SignalSettings)
    openbaarheid: DisclosureSettings = field(default_factory=DisclosureSettings)
    tekst: str = field(default="", repr=False, compare=False)  # the settings file as written

    @property
    def jaren(self) -> tuple[int, ...]:
        return tuple(range(self.jaar_van, self.jaar_tot_en_met + 1))

    def gemeente_naam(self, code: str) -> str:
        return codes.labels("gemeenten")[code]

    def korte_naam(self, code: str) -> str:
        return self.korte_namen.get(code) or self.gemeente_naam(code)


def read_settings(path: Path | None, default: str) -> tuple[object, str, str]:
    """Parsed YAML, a label for messages and the source text of a settings file; without
    `path` the packaged file `default` from analysis/settings/."""
    if path is None:
        source = resources.files("analysis").joinpath("settings", default)
        text, label = source.read_text(encoding="utf-8"), f"analysis/settings/{default}"
    else:
        try:
            text, label = Path(path).read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise ConfigError(f"{path}: kan instellingen niet lezen ({exc.strerror})") from exc
    try:
        return yaml.safe_load(text), label, text
    except yaml.YAMLError as exc:
        raise ConfigError(f"{label}: geen geldige YAML ({exc})") from exc


def load_config(path: Path | None = None) -> RegionConfig:
    """Read and validate a region config; without `path` the packaged Haaglanden defaults."""
    raw, label, text = read_settings(path, DEFAULT_CONFIG)
    return dataclasses.replace(parse_config(raw, label), tekst=text)


def parse_config(raw: object, label: str) -> RegionConfig:
    def fail(setting: str, problem: str) -> ConfigError:
        return ConfigError(f"{label}: instelling '{setting}': {problem}")

    if not isinstance(raw, dict):
        raise ConfigError(f"{label}: verwacht een YAML-mapping met 'regio' en 'periode'")
    regio = raw.get("regio")
    periode = raw.get("periode")
    if not isinstance(regio, dict):
        raise fail("regio", "ontbreekt of is geen mapping")
    if not isinstance(periode, dict):
        raise fail("periode", "ontbreekt of is geen mapping")
    naam = regio.get("naam")
    if not isinstance(naam, str) or not naam.strip():
        raise fail("regio.naam", "verwacht een niet-lege tekst")
    gemeenten = regio.get("gemeenten")
    if not isinstance(gemeenten, list) or not gemeenten:
        raise fail("regio.gemeenten", "verwacht een lijst met CBS-gemeentecodes")
    known = set(codes.codes("gemeenten"))
    unknown = [str(g) for g in gemeenten if g not in known]
    if unknown:
        raise fail("regio.gemeenten", f"onbekende gemeentecode(s) {', '.join(unknown)}")
    if len(set(gemeenten)) != len(gemeenten):
        raise fail("regio.gemeenten", "een gemeente staat er meer dan eens in")
    van, tot = periode.get("van"), periode.get("tot_en_met")
    for key, value in (("periode.van", van), ("periode.tot_en_met", tot)):
        if not isinstance(value, int) or not 1990 <= value <= 2100:
            raise fail(key, f"verwacht een jaartal, gevonden {value!r}")
    if van > tot:
        raise fail("periode", f"'van' ({van}) ligt na 'tot_en_met' ({tot})")
    short = regio.get("korte_namen") or {}
    if not isinstance(short, dict) or any(
            code not in gemeenten or not isinstance(name, str) for code, name in short.items()):
        raise fail("regio.korte_namen", "verwacht gemeentecode: naam, alleen voor gemeenten "
                                        "van de regio")
    return RegionConfig(naam=naam, gemeenten=tuple(gemeenten), jaar_van=van,
                        jaar_tot_en_met=tot, bron=label, korte_namen=dict(short),
                        geo=parse_geo(raw.get("geo"), fail),
                        signalen=parse_thresholds(raw, "signalen", SignalSettings, fail),
                        openbaarheid=parse_disclosure(raw, fail))


def parse_disclosure(raw: dict, fail: Callable[[str, str], ConfigError]) -> DisclosureSettings:
    settings = parse_thresholds(raw, "openbaarheid", DisclosureSettings, fail)
    if settings.kleinste_noemer < settings.kleinste_aantal:
        # A share over fewer households than the smallest published count would give them away.
        raise fail("openbaarheid.kleinste_noemer", "mag niet kleiner zijn dan kleinste_aantal "
                                                   f"({settings.kleinste_aantal})")
    return settings


def parse_thresholds(raw: dict, block: str, settings: type[T],
                     fail: Callable[[str, str], ConfigError]) -> T:
    """An optional block of thresholds (`signalen`, `openbaarheid`); every threshold a
    positive number, counts whole."""
    raw = raw.get(block)
    if raw is None:
        return settings()
    if not isinstance(raw, dict):
        raise fail(block, "verwacht een mapping met drempels")
    defaults = dataclasses.asdict(settings())
    unknown = sorted(set(raw) - set(defaults))
    if unknown:
        raise fail(f"{block}.{unknown[0]}", "onbekende instelling; kies uit "
                                            + ", ".join(defaults))
    values = {}
    for key, default in defaults.items():
        value = raw.get(key, default)
        whole = isinstance(default, int)
        if (isinstance(value, bool) or not isinstance(value, int if whole else int | float)
                or value <= 0):
            kind = "een positief geheel getal" if whole else "een positief getal"
            raise fail(f"{block}.{key}", f"verwacht {kind}, gevonden {value!r}")
        values[key] = value
    return settings(**values)


def parse_geo(raw: object, fail: Callable[[str, str], ConfigError]) -> GeoSettings:
    """The optional `geo` block: {map: folder, jaar: year, gemeente: file, wijk: file}."""
    if raw is None:
        return GeoSettings()
    if not isinstance(raw, dict):
        raise fail("geo", "verwacht een mapping met 'map' en 'jaar'")
    unknown = sorted(set(raw) - {"map", "jaar", *GEO_LEVELS})
    if unknown:
        raise fail(f"geo.{unknown[0]}", "onbekende instelling; kies uit map, jaar, "
                                        + ", ".join(GEO_LEVELS))
    paths = {}
    for key in ("map", *GEO_LEVELS):
        value = raw.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise fail(f"geo.{key}", f"verwacht een pad, gevonden {value!r}")
        if value is not None:
            paths[key] = Path(value)
    jaar = raw.get("jaar", GeoSettings.jaar)
    if not isinstance(jaar, int) or isinstance(jaar, bool) or not 2000 <= jaar <= 2100:
        raise fail("geo.jaar", f"verwacht het jaartal van de grenzen, gevonden {jaar!r}")
    folder = paths.pop("map", GeoSettings.map)
    return GeoSettings(map=folder, jaar=jaar, bestanden=paths)
