"""Verdeelmodel settings: one YAML file, validated into a frozen dataclass before the model runs."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from analysis import codes
from analysis.config import ConfigError, read_settings

DEFAULT_MODEL_CONFIG = "verdeelmodel.yml"

# Code → Dutch label; the labels appear in the trace and in overview tables.
BASES = {
    "sociale_huurvoorraad": "sociale huurvoorraad",
    "mutaties": "mutaties",
    "inwoners": "inwoners",
    "huishoudens": "huishoudens",
}
CAPACITY_BASES = {"verwachte_mutaties": "verwachte mutaties", "mutaties": "mutaties"}
CAPACITY_ROUNDING = {"omlaag": "naar beneden", "omhoog": "naar boven", "rekenkundig": "rekenkundig"}
ROUNDING_METHODS = {"grootste_overschot": "grootste overschot"}
SPOREN = {
    "verdeelafspraak": "Verdeelafspraak",
    "woonagenda": "Woonagenda",
    "andere_tafels": "Andere regionale tafels",
    "nog_overleg": "Nog in overleg",
}
MODEL_SPOOR = "verdeelafspraak"
WEIGHT_TOLERANCE = 1e-9

_TOP_LEVEL = ("mutatiegrens", "capaciteit", "sleutel", "afronding", "telt_mee_voor_grens",
              "pool_doelgroepen", "sporen")
_OPTIONAL = ("naam", "taakstelling")  # the name of a scenario; the prospective taakstelling
# The prospective taakstelling: the year after the data, averages over the last 3 years.
NEXT_YEAR = "volgend"
DEFAULT_AVERAGE_YEARS = 3


@dataclass(frozen=True)
class VerdeelmodelConfig:
    mutatiegrens: float
    capaciteit_basis: str
    capaciteit_afronding: str
    gewichten: Mapping[str, float]  # as written; the model divides by their sum exactly
    normaliseren: bool
    afronding: str
    grens_doelgroepen: tuple[str, ...]
    grens_routes: tuple[str, ...]
    zonder_doelgroepen: tuple[str, ...]  # left out in the "ook tonen zonder" variant
    zonder_routes: tuple[str, ...]
    pool_doelgroepen: tuple[str, ...]
    sporen: Mapping[str, str]  # doelgroep → spoor, every doelgroep except 'geen'
    bron: str
    naam: str | None = None  # the scenario's name as written; None: not named
    taakstelling_jaar: int | None = None  # the year of the prospective taakstelling; None: next
    jaren_gemiddelde: int = DEFAULT_AVERAGE_YEARS  # years the prospective averages run over
    tekst: str = field(default="", repr=False, compare=False)  # the settings file as written

    @property
    def model_doelgroepen(self) -> tuple[str, ...]:
        """Doelgroepen the verdeelmodel covers (spoor 'verdeelafspraak'), in code-list order."""
        return tuple(d for d in codes.codes("doelgroepen") if self.sporen.get(d) == MODEL_SPOOR)

    def counts_for_limit(self, doelgroep: pd.Series, route: pd.Series,
                         zonder: bool = False) -> pd.Series:
        """Per letting whether it counts under the limit: its doelgroep or its route is listed.

        With `zonder`, lettings whose doelgroep or route is in 'ook_tonen_zonder' are left out.
        The one statement of the rule: the indicators, the model and the reports all use it."""
        counts = doelgroep.isin(self.grens_doelgroepen) | route.isin(self.grens_routes)
        if zonder:
            return counts & ~(doelgroep.isin(self.zonder_doelgroepen)
                              | route.isin(self.zonder_routes))
        return counts

    def telt_mee_voor_grens(self, doelgroep: str, route: str, zonder: bool = False) -> bool:
        """`counts_for_limit` for one letting."""
        return bool(self.counts_for_limit(pd.Series([doelgroep]), pd.Series([route]),
                                          zonder).iloc[0])

    def sporen_overzicht(self) -> pd.DataFrame:
        """One row per doelgroep: its spoor, and whether the model and the pool cover it."""
        labels = codes.labels("doelgroepen")
        return pd.DataFrame(
            [{"doelgroep": d, "naam": labels[d], "spoor": spoor, "spoor_naam": SPOREN[spoor],
              "in_verdeelmodel": spoor == MODEL_SPOOR, "in_pool": d in self.pool_doelgroepen}
             for d in codes.codes("doelgroepen") if (spoor := self.sporen.get(d))]
        )


def load_verdeelmodel_config(path: Path | None = None) -> VerdeelmodelConfig:
    """Read and validate the model settings; without `path` the packaged Haaglanden defaults."""
    raw, label, text = read_settings(path, DEFAULT_MODEL_CONFIG)
    return dataclasses.replace(parse_verdeelmodel_config(raw, label), tekst=text)


def parse_verdeelmodel_config(raw: object, label: str) -> VerdeelmodelConfig:
    def fail(setting: str, problem: str) -> ConfigError:
        return ConfigError(f"{label}: instelling '{setting}': {problem}")

    def mapping(value: object, setting: str, allowed: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            raise fail(setting, "ontbreekt of is geen mapping")
        unknown = [str(k) for k in value if k not in allowed]
        if unknown:
            raise fail(setting, f"onbekende instelling(en) {', '.join(unknown)}; "
                                f"toegestaan: {', '.join(allowed)}")
        return value

    def choice(value: object, setting: str, allowed: Mapping[str, str]) -> str:
        if value not in allowed:
            raise fail(setting, f"onbekende waarde {value!r}; toegestaan: {', '.join(allowed)}")
        return value

    def code_list(value: object, setting: str, allowed: tuple[str, ...], what: str) -> tuple:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise fail(setting, f"verwacht een lijst met {what}")
        unknown = [str(v) for v in value if v not in allowed]
        if unknown:
            raise fail(setting, f"onbekende {what} {', '.join(unknown)}")
        if len(set(value)) != len(value):
            raise fail(setting, "een code staat er meer dan eens in")
        return tuple(value)

    if not isinstance(raw, dict):
        raise ConfigError(f"{label}: verwacht een YAML-mapping met {', '.join(_TOP_LEVEL)}")
    mapping(raw, "(bovenste niveau)", _TOP_LEVEL + _OPTIONAL)
    missing = [key for key in _TOP_LEVEL if key not in raw]
    if missing:
        raise fail(missing[0], "ontbreekt")

    grens = raw["mutatiegrens"]
    if isinstance(grens, bool) or not isinstance(grens, int | float) or not 0 < grens <= 1:
        raise fail("mutatiegrens", f"verwacht een getal groter dan 0 en hoogstens 1 "
                                   f"(bijvoorbeeld 0.30), gevonden {grens!r}")

    capaciteit = mapping(raw["capaciteit"], "capaciteit", ("basis", "afronding"))
    basis = choice(capaciteit.get("basis"), "capaciteit.basis", CAPACITY_BASES)
    cap_afronding = choice(capaciteit.get("afronding"), "capaciteit.afronding", CAPACITY_ROUNDING)

    sleutel = mapping(raw["sleutel"], "sleutel", ("gewichten", "normaliseren"))
    normaliseren = sleutel.get("normaliseren", False)
    if not isinstance(normaliseren, bool):
        raise fail("sleutel.normaliseren", f"verwacht true of false, gevonden {normaliseren!r}")
    gewichten = sleutel.get("gewichten")
    if not isinstance(gewichten, dict) or not gewichten:
        raise fail("sleutel.gewichten", "verwacht een mapping basis → gewicht")
    for base, weight in gewichten.items():
        if base not in BASES:
            raise fail("sleutel.gewichten", f"onbekende basis {base!r}; toegestaan: "
                                            f"{', '.join(BASES)}")
        if (isinstance(weight, bool) or not isinstance(weight, int | float)
                or not math.isfinite(weight)):
            raise fail(f"sleutel.gewichten.{base}", f"verwacht een getal, gevonden {weight!r}")
        if weight < 0:
            raise fail(f"sleutel.gewichten.{base}", f"gewicht mag niet negatief zijn ({weight})")
    total = sum(gewichten.values())
    if total <= 0:
        raise fail("sleutel.gewichten", "minstens één gewicht moet groter dan 0 zijn")
    if not normaliseren and abs(total - 1) > WEIGHT_TOLERANCE:
        raise fail("sleutel.gewichten", f"de gewichten tellen op tot {total:g} in plaats van 1; "
                                        "pas ze aan of zet 'sleutel.normaliseren: true'")

    afronding = choice(raw["afronding"], "afronding", ROUNDING_METHODS)

    doelgroepen = codes.codes("doelgroepen")
    routes = codes.codes("toewijzingsroutes")
    grens_cfg = mapping(raw["telt_mee_voor_grens"], "telt_mee_voor_grens",
                        ("doelgroepen", "routes", "ook_tonen_zonder"))
    grens_doelgroepen = code_list(grens_cfg.get("doelgroepen"), "telt_mee_voor_grens.doelgroepen",
                                  doelgroepen, "doelgroep(en)")
    grens_routes = code_list(grens_cfg.get("routes"), "telt_mee_voor_grens.routes", routes,
                             "route(s)")
    if not grens_doelgroepen and not grens_routes:
        raise fail("telt_mee_voor_grens", "noem minstens één doelgroep of route")
    zonder = mapping(grens_cfg.get("ook_tonen_zonder", {}), "telt_mee_voor_grens.ook_tonen_zonder",
                     ("doelgroepen", "routes"))
    zonder_doelgroepen = code_list(zonder.get("doelgroepen"),
                                   "telt_mee_voor_grens.ook_tonen_zonder.doelgroepen",
                                   grens_doelgroepen, "doelgroep(en) (die niet meetellen)")
    zonder_routes = code_list(zonder.get("routes"), "telt_mee_voor_grens.ook_tonen_zonder.routes",
                              grens_routes, "route(s) (die niet meetellen)")

    sporen = raw["sporen"]
    if not isinstance(sporen, dict):
        raise fail("sporen", "verwacht een mapping doelgroep → spoor")
    for doelgroep, spoor in sporen.items():
        if doelgroep == codes.NO_GROUP:
            raise fail("sporen", f"'{codes.NO_GROUP}' is geen aandachtsgroep en krijgt geen spoor")
        if doelgroep not in doelgroepen:
            raise fail("sporen", f"onbekende doelgroep {doelgroep!r}")
        choice(spoor, f"sporen.{doelgroep}", SPOREN)
    without = [d for d in doelgroepen if d != codes.NO_GROUP and d not in sporen]
    if without:
        raise fail("sporen", f"geen spoor voor doelgroep(en) {', '.join(without)}; "
                             f"elke aandachtsgroep hoort op een spoor ({', '.join(SPOREN)})")
    if MODEL_SPOOR not in sporen.values():
        raise fail("sporen", f"geen enkele doelgroep staat op '{MODEL_SPOOR}': "
                             "het verdeelmodel heeft dan niets te verdelen")

    pool = code_list(raw["pool_doelgroepen"], "pool_doelgroepen", doelgroepen, "doelgroep(en)")
    off_model = [d for d in pool if sporen.get(d) != MODEL_SPOOR]
    if off_model:
        raise fail("pool_doelgroepen", f"{', '.join(off_model)} staat niet op spoor "
                                       f"'{MODEL_SPOOR}' en valt dus niet onder het verdeelmodel")

    naam = raw.get("naam")
    if naam is not None and (not isinstance(naam, str) or not naam.strip()):
        raise fail("naam", f"verwacht een korte naam voor dit scenario, gevonden {naam!r}")
    vooruit = mapping(raw.get("taakstelling", {}), "taakstelling", ("jaar", "jaren_gemiddelde"))
    jaar = vooruit.get("jaar", NEXT_YEAR)
    if jaar != NEXT_YEAR and (isinstance(jaar, bool) or not isinstance(jaar, int)
                              or not 2000 <= jaar <= 2100):
        raise fail("taakstelling.jaar", f"verwacht '{NEXT_YEAR}' (het jaar na de gegevens) of "
                                        f"een jaartal, gevonden {jaar!r}")
    jaren = vooruit.get("jaren_gemiddelde", DEFAULT_AVERAGE_YEARS)
    if isinstance(jaren, bool) or not isinstance(jaren, int) or not 1 <= jaren <= 10:
        raise fail("taakstelling.jaren_gemiddelde", f"verwacht een geheel aantal jaren van 1 tot "
                                                    f"en met 10, gevonden {jaren!r}")

    return VerdeelmodelConfig(
        mutatiegrens=float(grens),
        capaciteit_basis=basis,
        capaciteit_afronding=cap_afronding,
        gewichten=MappingProxyType({b: float(w) for b, w in gewichten.items()}),
        normaliseren=normaliseren,
        afronding=afronding,
        grens_doelgroepen=grens_doelgroepen,
        grens_routes=grens_routes,
        zonder_doelgroepen=zonder_doelgroepen,
        zonder_routes=zonder_routes,
        pool_doelgroepen=pool,
        sporen=MappingProxyType(dict(sporen)),
        bron=label,
        naam=naam.strip() if naam else None,
        taakstelling_jaar=None if jaar == NEXT_YEAR else jaar,
        jaren_gemiddelde=jaren,
    )
