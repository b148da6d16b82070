"""The indicator catalogue: definitions written once (catalogus.yml) and read everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

FIELDS = ("titel", "thema", "definitie", "eenheid", "teller", "noemer", "factor",
          "uitsplitsingen", "bron", "kanttekeningen")
THEMES = ("verhuringen", "mutatiegrens", "instroom", "herkomst", "woonopgave", "verdeling",
          "concentratie")


@dataclass(frozen=True)
class Indicator:
    id: str
    titel: str
    thema: str
    definitie: str
    eenheid: str
    teller: str
    noemer: str | None
    factor: float
    uitsplitsingen: tuple[str, ...]
    bron: str
    kanttekeningen: str | None


@cache
def catalogue() -> dict[str, Indicator]:
    """Indicator id → definition, in catalogue order; malformed entries fail loudly."""
    text = resources.files(__package__).joinpath("catalogus.yml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    indicators = {}
    for key, entry in raw.items():
        missing = [f for f in FIELDS if f not in entry]
        unknown = [f for f in entry if f not in FIELDS]
        if missing or unknown:
            raise ValueError(f"catalogus.yml, indicator '{key}': ontbrekende velden {missing}, "
                             f"onbekende velden {unknown}")
        if entry["thema"] not in THEMES:
            raise ValueError(f"catalogus.yml, indicator '{key}': onbekend thema "
                             f"'{entry['thema']}'")
        indicators[key] = Indicator(id=key, **{**entry,
                                               "uitsplitsingen": tuple(entry["uitsplitsingen"]),
                                               "factor": float(entry["factor"])})
    return indicators
