"""The indicator catalogue: definitions written once (catalogus.yml) and read everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

FIELDS = ("titel", "thema", "definitie", "eenheid", "teller", "noemer", "factor",
          "uitsplitsingen", "bron", "kanttekeningen", "bescherming")
THEMES = ("verhuringen", "mutatiegrens", "instroom", "herkomst", "woonopgave", "verdeling",
          "concentratie", "wachttijden", "statushouders")


PROTECTION_KINDS = ("aantal", "aandeel", "verschil", "volgt", "maat", "geen")
# Which cell of its series a noemer is: the gebied's total over categories (no suffix), the
# region's cell for the categorie ('/regio'), the cell for all doelgroepen ('/doelgroep').
NOEMER_CELLS = ("", "regio", "doelgroep")


@dataclass(frozen=True)
class Protection:
    """How the small-count rule applies (field `bescherming`; the catalogue's header says how)."""

    soort: str
    # the count this indicator's teller is (default: its own); for soort 'maat' (a median or
    # mean over households) the count it rests on
    reeks: str | None = None
    categorie: str | None = None  # 'gebied': the teller is the cell of `reeks` for its own gebied
    som: str | None = None  # 'indicator' or 'indicator/categorie' its categories add up to
    volgt: str | None = None  # for soort 'volgt'
    noemer: str | None = None  # 'reeks' or 'reeks/regio': the noemer is a count of households

    @property
    def counted(self) -> bool:
        """Whether the indicator's value or teller is a number of households."""
        return self.soort in ("aantal", "aandeel")


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
    bescherming: Protection


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
                                               "factor": float(entry["factor"]),
                                               "bescherming": _protection(key, entry)})
    for indicator in indicators.values():
        linked = indicator.bescherming
        for other in (linked.reeks, linked.volgt, (linked.som or "").split("/")[0] or None):
            if other is not None and other not in indicators:
                raise ValueError(f"catalogus.yml, indicator '{indicator.id}': bescherming "
                                 f"verwijst naar onbekende indicator '{other}'")
    return indicators


def _protection(key: str, entry: dict) -> Protection:
    raw = entry["bescherming"]
    fields = ("soort", "reeks", "categorie", "som", "volgt", "noemer")
    if (not isinstance(raw, dict) or raw.get("soort") not in PROTECTION_KINDS
            or set(raw) - set(fields) or raw.get("categorie") not in (None, "gebied")
            or (raw["soort"] == "volgt") != ("volgt" in raw)
            or (raw["soort"] == "maat" and "reeks" not in raw)
            or ("noemer" in raw and raw["soort"] != "aandeel")
            or str(raw.get("noemer", "")).partition("/")[2] not in NOEMER_CELLS):
        raise ValueError(f"catalogus.yml, indicator '{key}': bescherming verwacht soort "
                         f"({', '.join(PROTECTION_KINDS)}) en eventueel reeks, categorie: "
                         f"gebied, som, noemer (alleen bij soort aandeel; reeks, reeks/regio of "
                         f"reeks/doelgroep), volgt (alleen bij soort volgt) of reeks (verplicht "
                         f"bij soort maat); gevonden {raw!r}")
    return Protection(**raw)
