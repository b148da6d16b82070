"""The demo's calibration: figures and their public sources in kalibratie.yml, read into typed,
checked structures.

The dataclasses mirror the sections of the file. The loader converts each value to its declared
type (lists to tuples or frozensets, integers to floats where a float is declared), so a figure
written as `720` or `720.0` draws the same numbers; anything else is refused with its place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from importlib import resources
from typing import Any, get_args, get_origin, get_type_hints

import yaml

CALIBRATION_FILE = "kalibratie.yml"

Mix = Mapping[str, float]  # code → relative weight (normalised when drawn), in drawing order
# Origin shares: own gemeente, other region gemeente, outside the region, abroad, unknown.
Profiel = tuple[float, float, float, float, float]


@dataclass(frozen=True)
class Voorraad:
    start: Mapping[str, tuple[int, float]]  # gemeente → (stock on 1 January, yearly growth)
    start_ruis: float  # also jitters the CBS start values
    ruis: float


@dataclass(frozen=True)
class Mutatiegraad:
    per_gemeente: Mapping[str, float]
    jaarfactor: Mapping[int, float]  # years not listed: 1.0
    ruis: float


@dataclass(frozen=True)
class Aandachtsgroepen:
    aandeel: Mapping[str, float]
    marge: float


@dataclass(frozen=True)
class Doelgroepen:
    mix: Mix
    factor: Mapping[str, Mix]  # doelgroep → gemeente → multiplier; not listed: 1.0
    standplaats_gemeenten: frozenset[str]
    studentensteden: frozenset[str]


@dataclass(frozen=True)
class Herkomst:
    profiel: Mapping[str, Profiel]
    profiel_standaard: Profiel
    eigen_regulier: Mapping[str, float]
    rest_regulier: tuple[float, float, float, float]  # region, outside, abroad, unknown
    centrumgemeente: str
    centrumfactor: float
    buiten_regio: Mix


@dataclass(frozen=True)
class Tenzij:
    groepen: frozenset[str]
    mix: Mapping[str, Mix]
    mix_standaard: Mix


@dataclass(frozen=True)
class Corporaties:
    per_gemeente: Mapping[str, Mix]
    studenten: str


@dataclass(frozen=True)
class Woningtype:
    gemeente_soort: Mapping[str, str]
    per_soort: Mapping[str, Mix]
    per_doelgroep: Mapping[str, Mix]


@dataclass(frozen=True)
class Huur:
    per_woningtype_2025: Mapping[str, tuple[float, float]]  # (mean, sd) in euro per month
    minimum: float
    niveau: Mapping[int, float]  # relative to 2025; years not listed: 1.0
    grenzen_2025_cent: tuple[tuple[str, int], ...]  # huurklasse and its upper limit, ascending
    aftopping_laag_cent: int
    aftopping_hoog_cent: int
    kleine_huishoudens: frozenset[str]


@dataclass(frozen=True)
class Huishoudtype:
    per_doelgroep: Mapping[str, Mix]
    standaard: Mix
    met_kinderen: frozenset[str]


@dataclass(frozen=True)
class Leeftijdsklasse:
    per_doelgroep: Mapping[str, Mix]
    standaard: Mix
    met_kinderen: Mix


@dataclass(frozen=True)
class Cbs:
    inwoners_start: Mapping[str, tuple[int, float, float]]  # inwoners, growth, household size
    huishoudgrootte_daling: float


@dataclass(frozen=True)
class Ppm:
    opgave_per_jaar: Mapping[str, Mapping[str, int]]  # doelgroep → gemeente → task
    groei_vanaf: int
    groei: float
    eenheid: Mapping[str, str]
    eenheid_standaard: str
    realisatie: Mix
    pijplijn: Mapping[str, Mapping[int, float]]  # fase → years after the period → fraction
    schaal_met_realisatie: frozenset[str]
    jaren_vooruit: int


@dataclass(frozen=True)
class Wijken:
    voorraad_vorm: float  # gamma shape of the social stock per wijk: lower, more concentrated
    ruis: float  # sd of the lognormal deviation of priority lettings from the stock
    ophoping_aandeel: float  # share of the wijken where priority lettings pile up
    ophoping_factor: tuple[float, float]  # extra factor there, drawn uniformly in this range


@dataclass(frozen=True)
class Wachttijden:
    inschrijfduur: Mapping[str, tuple[float, float]]  # route → (median in months, sd of log)
    factor_gemeente: Mapping[str, float]  # on the median inschrijfduur; not listed: 1.0
    factor_doelgroep: Mapping[str, float]
    maximum_maanden: float
    zoekduur_deel: Mapping[str, float]  # route → mean share of the inschrijfduur; not listed: none
    zoekduur_concentratie: float  # of the beta distribution of that share
    reacties: Mapping[str, tuple[float, float]]  # route → (median, sd of log); not listed: none


@dataclass(frozen=True)
class Huishoudgrootte:
    per_huishoudtype: Mapping[str, Mapping[int, float]]  # huishoudtype → persons → weight
    # doelgroep → huishoudtype → persons → weight, where a group's households differ
    per_doelgroep: Mapping[str, Mapping[str, Mapping[int, float]]]


@dataclass(frozen=True)
class TaakstellingStatushouders:
    inwoners_per_persoon: Mapping[str, float]  # half year ('2024-H1') → inhabitants per person
    standaard: float  # for a half year not listed


@dataclass(frozen=True)
class Calibration:
    voorraad: Voorraad
    mutatiegraad: Mutatiegraad
    aandachtsgroepen: Aandachtsgroepen
    doelgroepen: Doelgroepen
    route_mix: Mapping[str, Mix]
    herkomst: Herkomst
    tenzij: Tenzij
    corporaties: Corporaties
    woningtype: Woningtype
    huur: Huur
    huishoudtype: Huishoudtype
    leeftijdsklasse: Leeftijdsklasse
    cbs: Cbs
    ppm: Ppm
    wijken: Wijken
    wachttijden: Wachttijden
    huishoudgrootte: Huishoudgrootte
    taakstelling_statushouders: TaakstellingStatushouders


@cache
def calibration() -> Calibration:
    """The calibration in kalibratie.yml; a malformed file fails loudly, naming the figure."""
    text = resources.files(__package__).joinpath(CALIBRATION_FILE).read_text(encoding="utf-8")
    return _convert(yaml.safe_load(text), Calibration, CALIBRATION_FILE)


def _convert(value: Any, hint: Any, where: str) -> Any:
    """`value` as type `hint`: dataclasses, Mapping, tuple, frozenset, str, int and float."""
    origin, args = get_origin(hint), get_args(hint)
    if is_dataclass(hint):
        names = [f.name for f in fields(hint)]
        if not isinstance(value, dict) or set(value) != set(names):
            raise ValueError(f"{where}: verwacht precies de velden {', '.join(names)}")
        types = get_type_hints(hint)
        return hint(**{n: _convert(value[n], types[n], f"{where}.{n}") for n in names})
    if origin is Mapping and isinstance(value, dict):
        key_type, value_type = args
        return {_convert(k, key_type, f"{where}.{k}"): _convert(v, value_type, f"{where}.{k}")
                for k, v in value.items()}
    if origin is frozenset and isinstance(value, list):
        return frozenset(_convert(v, args[0], where) for v in value)
    if origin is tuple and isinstance(value, list):
        item_types = [args[0]] * len(value) if args[-1] is Ellipsis else list(args)
        if len(item_types) == len(value):
            return tuple(_convert(v, t, where) for v, t in zip(value, item_types, strict=True))
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint in (int, str) and type(value) is hint:
        return value
    raise ValueError(f"{where}: {value!r} is geen {getattr(hint, '__name__', hint)}")
