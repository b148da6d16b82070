"""Region and period settings: loaded from YAML and validated before anything uses them."""

from __future__ import annotations

import dataclasses
import math
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TypeVar

import yaml

from analysis import codes, periods

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


SEVERITIES = ("hoog", "midden", "laag")  # ernst of a signal rule, most severe first
RULE_LEVELS = ("gemeente", "regio")
RULE_PERIODS = ("laatste_jaar", "hele_periode", "elk_jaar", "planperiode")
RULE_TESTS = ("boven", "onder", "afwijking")
LIMIT_THRESHOLD = "mutatiegrens"  # a threshold by name: the verdeelmodel's limit, in percent
RULE_REQUIRED = ("indicator", "gebiedsniveau", "periode", "toets", "drempel", "ernst", "thema",
                 "tekst")
RULE_OPTIONAL = ("doelgroep", "categorie", "referentie", "referentie_procent")
# The named fields a rule's sentence may use (filled in by analysis.report.signals).
TEMPLATE_FIELDS = ("gebied", "waarde", "waarde_abs", "richting", "drempel", "periode",
                   "doelgroep", "categorie", "referentie", "gemeenten", "wijk_concentratie",
                   "wijk_minimaal_verhuringen")
RETIRED_SIGNAL_SETTINGS = ("verschil_relatief", "verschil_minimaal", "woonopgave_minimaal")


@dataclass(frozen=True)
class SignalRule:
    """One rule of `signalen.regels`: which rows of the indicator table it tests, the test, how
    severe a hit is, the monitored thema it belongs to and the Dutch sentence it writes. The
    indicator and code names are checked against the catalogue by analysis.report.signals."""

    id: str
    indicator: str
    gebiedsniveau: str  # gemeente | regio
    periode: str  # laatste_jaar | hele_periode | elk_jaar | planperiode (PPM, no years)
    toets: str  # boven, onder: than the threshold; afwijking: |waarde| at least the threshold
    drempel: float | str  # on the indicator's scale, or LIMIT_THRESHOLD
    ernst: str  # hoog | midden | laag
    thema: str  # the monitored thing; the monitor shows one traffic light per thema
    tekst: str  # str.format template with TEMPLATE_FIELDS
    doelgroep: str = "alle"  # a code of the indicator table, or 'elke': each one apart
    categorie: str = "alle"
    referentie: str | None = None  # afwijking only: and |waarde| ≥ referentie_procent% of
    referentie_procent: float | None = None  # this indicator for the same row


@dataclass(frozen=True)
class SignalSettings:
    """The monitoring signals (block `signalen`): the rules, and the two thresholds that define
    the indicator `wijken_boven_drempel` (and the wijk maps)."""

    wijk_concentratie: float = 1.5  # concentration index of a wijk against its gemeente
    wijk_minimaal_verhuringen: int = 20  # fewer lettings in a wijk: too uncertain to show
    regels: tuple[SignalRule, ...] = ()  # in the order of the settings


@dataclass(frozen=True)
class DisclosureSettings:
    """The small-count rule (block `openbaarheid`): household counts from 1 up to
    `kleinste_aantal` − 1 are not published (0 may be), nor a rate whose numerator is hidden or
    whose denominator is under `kleinste_noemer` households."""

    kleinste_aantal: int = 5
    kleinste_noemer: int = 10


@dataclass(frozen=True)
class EditionSettings:
    """Comparing with the previous edition (block `edities`, `woonzorg build --editie`): the key
    figures compared (rows without a breakdown, for every gemeente and the region, per year and
    over more years) and how far a figure of an earlier period must move to be listed: more
    than `tolerantie_procentpunt` percentage points for a percentage, more than
    `tolerantie_aantal` in its own unit for any other figure (verhuringen, huishoudens). 0 lists
    every change of a shown figure."""

    indicatoren: tuple[str, ...] = ("verhuringen", "aandeel_mutaties_aandachtsgroepen",
                                    "aandeel_eigen_herkomst", "taakstelling", "realisatie",
                                    "saldo")
    tolerantie_procentpunt: float = 0.5
    tolerantie_aantal: float = 5


@dataclass(frozen=True)
class MonitorSettings:
    """The periodic monitor (block `monitor`): in quarters or half years (`eenheid`, see
    `periods.UNITS`), through the part of the year `tot_en_met`; None: the part that holds the
    latest letting date."""

    eenheid: str = "kwartaal"
    tot_en_met: periods.Period | None = None


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
    edities: EditionSettings = field(default_factory=EditionSettings)
    monitor: MonitorSettings = field(default_factory=MonitorSettings)
    tekst: str = field(default="", repr=False, compare=False)  # the settings file as written

    @property
    def jaren(self) -> tuple[int, ...]:
        return tuple(range(self.jaar_van, self.jaar_tot_en_met + 1))

    def gemeente_naam(self, code: str) -> str:
        return codes.labels("gemeenten")[code]

    def korte_naam(self, code: str) -> str:
        return self.korte_namen.get(code) or self.gemeente_naam(code)

    def monitor_period(self, latest: date) -> periods.Period:
        """The part of the year the periodic monitor runs through, given the latest letting
        date: the setting, else the quarter or half year of that date."""
        chosen = self.monitor.tot_en_met or periods.containing(latest, self.monitor.eenheid)
        if chosen.first_day > latest:
            raise ConfigError(f"{self.bron}: instelling 'monitor.tot_en_met': {chosen.label} "
                              f"begint na de laatste verhuring ({latest:%d-%m-%Y})")
        return chosen


def parse_yaml(text: str) -> object:
    """YAML as `yaml.safe_load` reads it, by libyaml where PyYAML has it: ten times faster,
    and settings are read again in every document."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


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
        return parse_yaml(text), label, text
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
                        signalen=parse_signals(raw, fail),
                        openbaarheid=parse_disclosure(raw, fail),
                        edities=parse_editions(raw.get("edities"), fail),
                        monitor=parse_monitor(raw.get("monitor"), (van, tot), fail))


def parse_signals(raw: dict, fail: Callable[[str, str], ConfigError]) -> SignalSettings:
    """The optional `signalen` block: the wijk thresholds and the rules (`regels`)."""
    block = raw.get("signalen")
    retired = sorted(set(block) & set(RETIRED_SIGNAL_SETTINGS)) if isinstance(block, dict) else []
    if retired:
        raise fail(f"signalen.{retired[0]}", "vervallen: deze drempel staat nu in een regel onder "
                                             "signalen.regels (zie analysis/settings/"
                                             "haaglanden.yml)")
    settings = parse_thresholds(raw, "signalen", SignalSettings, fail)
    rules = (block or {}).get("regels")
    if rules is None:
        return settings
    if not isinstance(rules, dict) or not all(isinstance(key, str) for key in rules):
        raise fail("signalen.regels", "verwacht per regel een naam met daaronder "
                                      + ", ".join(RULE_REQUIRED))
    return dataclasses.replace(settings, regels=tuple(
        parse_rule(key, rule, fail) for key, rule in rules.items()))


def parse_rule(key: str, raw: object, fail: Callable[[str, str], ConfigError]) -> SignalRule:
    """One rule of `signalen.regels`, named `key` there."""
    def bad(setting: str, problem: str) -> ConfigError:
        return fail(f"signalen.regels.{key}.{setting}", problem)

    if not isinstance(raw, dict):
        raise fail(f"signalen.regels.{key}", "verwacht een mapping met "
                                             + ", ".join(RULE_REQUIRED))
    unknown = sorted(set(raw) - set(RULE_REQUIRED) - set(RULE_OPTIONAL))
    if unknown:
        raise bad(unknown[0], "onbekende instelling; kies uit "
                              + ", ".join(RULE_REQUIRED + RULE_OPTIONAL))
    missing = [name for name in RULE_REQUIRED if name not in raw]
    if missing:
        raise bad(missing[0], "ontbreekt")
    for name in ("indicator", "thema", "tekst", "doelgroep", "categorie", "referentie"):
        if name in raw and (not isinstance(raw[name], str) or not raw[name].strip()):
            raise bad(name, f"verwacht een tekst, gevonden {raw[name]!r}")
    for name, allowed in (("gebiedsniveau", RULE_LEVELS), ("periode", RULE_PERIODS),
                          ("toets", RULE_TESTS), ("ernst", SEVERITIES)):
        if raw[name] not in allowed:
            raise bad(name, f"verwacht {_one_of(allowed)}, gevonden {raw[name]!r}")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", raw["thema"]):
        raise bad("thema", "verwacht een naam van kleine letters, cijfers en _ (bijvoorbeeld "
                           f"mutatiegrens), gevonden {raw['thema']!r}")
    deviation = raw["toets"] == "afwijking"
    threshold = raw["drempel"]
    if threshold != LIMIT_THRESHOLD and (not _number(threshold) or (deviation and threshold < 0)):
        raise bad("drempel", f"verwacht een getal{' van 0 of meer' if deviation else ''} of "
                             f"'{LIMIT_THRESHOLD}', gevonden {threshold!r}")
    reference, share = raw.get("referentie"), raw.get("referentie_procent")
    if (reference is None) != (share is None):
        raise bad("referentie" if reference is None else "referentie_procent",
                  "ontbreekt: referentie en referentie_procent horen bij elkaar")
    if reference is not None and not deviation:
        raise bad("referentie", "alleen bij toets afwijking")
    if share is not None and (not _number(share) or share <= 0):
        raise bad("referentie_procent", f"verwacht een positief getal, gevonden {share!r}")
    _check_template(raw["tekst"], reference is not None, bad)
    return SignalRule(id=key, **raw)


def _number(value: object) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def _check_template(text: str, reference: bool,
                    bad: Callable[[str, str], ConfigError]) -> None:
    """A rule's sentence: fields of TEMPLATE_FIELDS only, written as {naam} without a format
    (a value is written as the tables write its unit)."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise bad("tekst", "ongeldige tekst: een accolade zonder partner; schrijf een veld als "
                           "{naam} en een losse accolade als {{ of }}") from exc
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in TEMPLATE_FIELDS:
            raise bad("tekst", f"onbekend veld {{{name}}}; kies uit "
                               + ", ".join(f"{{{f}}}" for f in TEMPLATE_FIELDS))
        if spec or conversion:
            raise bad("tekst", f"schrijf veld {{{name}}} zonder opmaak; de notatie volgt uit de "
                               "eenheid van de indicator")
        if name == "referentie" and not reference:
            raise bad("tekst", "veld {referentie} zonder instelling referentie in de regel")


def _one_of(options: tuple[str, ...]) -> str:
    return ", ".join(options[:-1]) + " of " + options[-1]


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
        if not isinstance(default, int | float):
            continue  # a nested block (signalen.regels) has its own parser
        value = raw.get(key, default)
        whole = isinstance(default, int)
        if (isinstance(value, bool) or not isinstance(value, int if whole else int | float)
                or value <= 0):
            kind = "een positief geheel getal" if whole else "een positief getal"
            raise fail(f"{block}.{key}", f"verwacht {kind}, gevonden {value!r}")
        values[key] = value
    return settings(**values)


def parse_editions(raw: object, fail: Callable[[str, str], ConfigError]) -> EditionSettings:
    """The optional `edities` block: indicator ids (checked against the catalogue by
    `analysis.editions`, which can read it) and tolerances of 0 or more."""
    if raw is None:
        return EditionSettings()
    if not isinstance(raw, dict):
        raise fail("edities", "verwacht een mapping met indicatoren en toleranties")
    defaults = dataclasses.asdict(EditionSettings())
    unknown = sorted(set(raw) - set(defaults))
    if unknown:
        raise fail(f"edities.{unknown[0]}", "onbekende instelling; kies uit "
                                            + ", ".join(defaults))
    indicators = raw.get("indicatoren", list(EditionSettings.indicatoren))
    if (not isinstance(indicators, list) or not indicators
            or not all(isinstance(i, str) and i.strip() for i in indicators)):
        raise fail("edities.indicatoren", "verwacht een lijst met indicatornamen uit de "
                                          "catalogus (docs/indicatoren.md)")
    if len(set(indicators)) != len(indicators):
        raise fail("edities.indicatoren", "een indicator staat er meer dan eens in")
    tolerances = {}
    for key in ("tolerantie_procentpunt", "tolerantie_aantal"):
        value = raw.get(key, defaults[key])
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1e9:
            raise fail(f"edities.{key}", f"verwacht een getal van 0 of meer, gevonden {value!r}")
        tolerances[key] = value
    return EditionSettings(indicatoren=tuple(indicators), **tolerances)


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


def parse_monitor(raw: object, years: tuple[int, int],
                  fail: Callable[[str, str], ConfigError]) -> MonitorSettings:
    """The optional `monitor` block: {eenheid: kwartaal | halfjaar, tot_en_met: '2025-K3' or
    empty}, the part of the year within the monitor period `years`."""
    if raw is None:
        return MonitorSettings()
    if not isinstance(raw, dict):
        raise fail("monitor", "verwacht een mapping met eenheid en tot_en_met")
    unknown = sorted(set(raw) - {"eenheid", "tot_en_met"})
    if unknown:
        raise fail(f"monitor.{unknown[0]}", "onbekende instelling; kies uit eenheid, tot_en_met")
    unit = raw.get("eenheid", MonitorSettings.eenheid)
    if not isinstance(unit, str) or unit not in periods.UNITS:
        raise fail("monitor.eenheid", f"verwacht {' of '.join(periods.UNITS)}, gevonden {unit!r}")
    value = raw.get("tot_en_met")
    if value is None:
        return MonitorSettings(eenheid=unit)
    example = periods.Period(years[1], unit, 1).label
    chosen = periods.part(value) if isinstance(value, str) else None
    if chosen is None or chosen.eenheid != unit:
        raise fail("monitor.tot_en_met", f"verwacht een {unit} zoals {example}, of leeg voor "
                                         f"het {unit} van de laatste verhuring; gevonden {value!r}")
    if not years[0] <= chosen.jaar <= years[1]:
        raise fail("monitor.tot_en_met", f"{chosen.label} valt buiten de periode "
                                         f"{years[0]}–{years[1]}")
    return MonitorSettings(eenheid=unit, tot_en_met=chosen)
