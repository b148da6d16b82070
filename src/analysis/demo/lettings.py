"""The lettings: one row per letting, as many per gemeente and year as its mutaties."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

import numpy as np

from analysis import codes
from analysis.config import RegionConfig
from analysis.demo.calibration import Mix, calibration
from analysis.demo.rows import Row


def letting_columns(
    config: RegionConfig, voorraad: Sequence[Row], rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """One row per letting; per gemeente-year exactly as many as its mutaties. Sorted by date."""
    aandachtsgroepen = calibration().aandachtsgroepen
    groups = list(codes.aandachtsgroepen())
    mutaties = {(r["gemeente"], r["jaar"]): r["mutaties"] for r in voorraad}
    blocks: list[dict[str, np.ndarray]] = []
    for gemeente in sorted(config.gemeenten):
        weights = np.array([_group_weight(g, gemeente) for g in groups])
        weights /= weights.sum()
        mean, marge = aandachtsgroepen.aandeel[gemeente], aandachtsgroepen.marge
        for jaar in config.jaren:
            n = mutaties[(gemeente, jaar)]
            share = float(np.clip(mean + rng.normal(0, marge / 3), mean - marge, mean + marge))
            n_prio = round(n * share)
            counts = rng.multinomial(n_prio, weights)
            for doelgroep, k in [(codes.NO_GROUP, n - n_prio), *zip(groups, counts, strict=True)]:
                if k:
                    blocks.append(_letting_block(rng, gemeente, jaar, doelgroep, int(k)))
    columns = {name: np.concatenate([b[name] for b in blocks]) for name in blocks[0]}
    order = np.lexsort((columns["gemeente"], columns["datum"]))  # stable: by date, gemeente
    columns = {name: values[order] for name, values in columns.items()}
    columns["verhuring_id"] = _letting_ids(columns["datum"])
    return columns


def _group_weight(doelgroep: str, gemeente: str) -> float:
    doelgroepen = calibration().doelgroepen
    factor = doelgroepen.factor.get(doelgroep, {}).get(gemeente, 1.0)
    if doelgroep == "woonwagenbewoners" and gemeente not in doelgroepen.standplaats_gemeenten:
        factor = 0.0
    return doelgroepen.mix[doelgroep] * factor


@cache
def _urgentiecategorie(doelgroep: str) -> str:
    """The urgency category of a doelgroep per codes/doelgroepen.csv ('' if none)."""
    return {r["code"]: r["urgentiecategorie"] for r in codes.load("doelgroepen")}[doelgroep]


def _choice(rng: np.random.Generator, mix: Mix, size: int) -> np.ndarray:
    keys = list(mix)
    p = np.array([mix[k] for k in keys], dtype=float)
    return rng.choice(np.array(keys, dtype=object), size=size, p=p / p.sum())


def _letting_block(
    rng: np.random.Generator, gemeente: str, jaar: int, doelgroep: str, k: int
) -> dict[str, np.ndarray]:
    """`k` lettings of one doelgroep in one gemeente and year."""
    cal = calibration()
    datum = np.datetime64(f"{jaar}-01-01") + rng.integers(0, _days(jaar), size=k)
    route = _choice(rng, cal.route_mix[doelgroep], k)
    categorie = _urgentiecategorie(doelgroep)
    if (route == "urgentie").any() and not categorie:
        raise AssertionError(f"route urgentie zonder urgentiecategorie voor {doelgroep}")
    urgentie = np.where(route == "urgentie", categorie, "").astype(object)
    herkomst = _herkomst(rng, gemeente, doelgroep, k)
    tenzij = _tenzij(rng, gemeente, doelgroep, herkomst)
    huishouden = _choice(rng, cal.huishoudtype.per_doelgroep.get(
        doelgroep, cal.huishoudtype.standaard), k)
    leeftijd = _leeftijd(rng, doelgroep, huishouden)
    woningtype = _choice(rng, cal.woningtype.per_doelgroep.get(doelgroep)
                         or cal.woningtype.per_soort[cal.woningtype.gemeente_soort[gemeente]], k)
    huur = _kale_huur_cent(rng, jaar, doelgroep, woningtype, huishouden)
    if doelgroep == "studenten" and gemeente in cal.doelgroepen.studentensteden:
        corporatie = np.full(k, cal.corporaties.studenten, dtype=object)
    else:
        corporatie = _choice(rng, cal.corporaties.per_gemeente[gemeente], k)
    return {
        "datum": datum,
        "gemeente": np.full(k, gemeente, dtype=object),
        "corporatie": corporatie,
        "woningtype": woningtype,
        "huurklasse": _huurklasse(huur),
        "kale_huur": huur,
        "toewijzingsroute": route,
        "urgentiecategorie": urgentie,
        "doelgroep": np.full(k, doelgroep, dtype=object),
        "herkomst_gemeente": herkomst,
        "tenzij_reden": tenzij,
        "huishoudtype": huishouden,
        "leeftijdsklasse": leeftijd,
    }


def _days(jaar: int) -> int:
    return int((np.datetime64(f"{jaar + 1}-01-01") - np.datetime64(f"{jaar}-01-01")).astype(int))


def _herkomst(rng: np.random.Generator, gemeente: str, doelgroep: str, k: int) -> np.ndarray:
    herkomst, inwoners = calibration().herkomst, calibration().cbs.inwoners_start
    if doelgroep == codes.NO_GROUP:
        own = herkomst.eigen_regulier[gemeente]
        profile = (own, *((1 - own) * f for f in herkomst.rest_regulier))
    else:
        profile = herkomst.profiel.get(doelgroep, herkomst.profiel_standaard)
    eigen, regio, buiten, buitenland, onbekend = profile
    others = sorted(g for g in inwoners if g != gemeente)
    weights = np.array([inwoners[g][0] for g in others], dtype=float)
    if doelgroep != codes.NO_GROUP:
        weights[[g == herkomst.centrumgemeente for g in others]] *= herkomst.centrumfactor
    mix: dict[str, float] = {gemeente: eigen}
    mix.update(zip(others, regio * weights / weights.sum(), strict=True))
    total_buiten = sum(herkomst.buiten_regio.values())
    mix.update({g: buiten * w / total_buiten for g, w in herkomst.buiten_regio.items()})
    mix.update({"buitenland": buitenland, "onbekend": onbekend})
    return _choice(rng, {c: w for c, w in mix.items() if w > 0}, k)


def _tenzij(
    rng: np.random.Generator, gemeente: str, doelgroep: str, herkomst: np.ndarray
) -> np.ndarray:
    """Reason for housing outside the (Dutch) origin gemeente; only for the principle's groups."""
    tenzij = calibration().tenzij
    out = np.full(len(herkomst), "", dtype=object)
    if doelgroep not in tenzij.groepen:
        return out
    elsewhere = np.array([h.startswith("GM") and h != gemeente for h in herkomst], dtype=bool)
    out[elsewhere] = _choice(rng, tenzij.mix.get(doelgroep, tenzij.mix_standaard),
                             int(elsewhere.sum()))
    return out


def _leeftijd(rng: np.random.Generator, doelgroep: str, huishouden: np.ndarray) -> np.ndarray:
    leeftijden = calibration().leeftijdsklasse
    leeftijd = _choice(rng, leeftijden.per_doelgroep.get(doelgroep, leeftijden.standaard),
                       len(huishouden))
    # A main tenant with minor children is not 65+: redraw those.
    met_kinderen = list(calibration().huishoudtype.met_kinderen)
    bad = np.isin(huishouden, met_kinderen) & np.isin(leeftijd, ["65-74", "75+"])
    leeftijd[bad] = _choice(rng, leeftijden.met_kinderen, int(bad.sum()))
    return leeftijd


def _kale_huur_cent(
    rng: np.random.Generator, jaar: int, doelgroep: str, woningtype: np.ndarray,
    huishouden: np.ndarray,
) -> np.ndarray:
    """Kale huur in whole cents, within social rent; priority groups per passend toewijzen."""
    huur = calibration().huur
    mean = np.array([huur.per_woningtype_2025[w][0] for w in woningtype])
    sd = np.array([huur.per_woningtype_2025[w][1] for w in woningtype])
    cent = np.rint(rng.normal(mean, sd) * huur.niveau.get(jaar, 1.0) * 100).astype(np.int64)
    if doelgroep != codes.NO_GROUP:
        cap = np.where(np.isin(huishouden, list(huur.kleine_huishoudens)),
                       huur.aftopping_laag_cent, huur.aftopping_hoog_cent)
        over = cent > cap
        cent[over] = cap[over] - rng.integers(0, 8_000, size=int(over.sum()))
    return np.clip(cent, int(huur.minimum * 100), huur.grenzen_2025_cent[-1][1])


def _huurklasse(cent: np.ndarray) -> np.ndarray:
    grenzen = calibration().huur.grenzen_2025_cent
    limits = np.array([limit for _, limit in grenzen])
    names = np.array([name for name, _ in grenzen], dtype=object)
    return names[np.searchsorted(limits, cent, side="left")]


def waiting_columns(
    rng: np.random.Generator, lettings: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Inschrijfduur and zoekduur in whole months and the reacties on the advert, by route
    (`wachttijden` in kalibratie.yml); NaN where a route has none, as direct mediation has no
    advert to respond to. Zoekduur is a share of the inschrijfduur, so never longer."""
    cal = calibration().wachttijden
    route = lettings["toewijzingsroute"]
    n = len(route)
    median = (_mapped(route, {r: m for r, (m, _) in cal.inschrijfduur.items()})
              * _mapped(lettings["gemeente"], cal.factor_gemeente, 1.0)
              * _mapped(lettings["doelgroep"], cal.factor_doelgroep, 1.0))
    spread = _mapped(route, {r: sd for r, (_, sd) in cal.inschrijfduur.items()})
    inschrijfduur = np.rint(np.minimum(median * np.exp(spread * rng.standard_normal(n)),
                                       cal.maximum_maanden))
    share = _mapped(route, cal.zoekduur_deel)
    searched = ~np.isnan(share)
    k = cal.zoekduur_concentratie
    zoekduur = np.full(n, np.nan)
    zoekduur[searched] = np.rint(inschrijfduur[searched] * rng.beta(
        share[searched] * k, (1 - share[searched]) * k))
    median = _mapped(route, {r: m for r, (m, _) in cal.reacties.items()})
    spread = _mapped(route, {r: sd for r, (_, sd) in cal.reacties.items()})
    advertised = ~np.isnan(median)
    reacties = np.full(n, np.nan)
    reacties[advertised] = np.rint(median[advertised] * np.exp(
        spread[advertised] * rng.standard_normal(int(advertised.sum()))))
    return {"inschrijfduur": inschrijfduur, "zoekduur": zoekduur, "reacties": reacties}


def household_sizes(rng: np.random.Generator, lettings: Mapping[str, np.ndarray]) -> np.ndarray:
    """Persons per household, drawn from the mix of its huishoudtype (`huishoudgrootte` in
    kalibratie.yml; a doelgroep may have its own), so always consistent with it. One uniform
    number per letting, read through the mix's cumulative weights."""
    cal = calibration().huishoudgrootte
    household, group = lettings["huishoudtype"].astype(str), lettings["doelgroep"].astype(str)
    uniform = rng.random(len(household))
    sizes = np.empty(len(household))
    for doelgroep, huishoudtype in sorted(set(zip(group, household, strict=True))):
        mix = (cal.per_doelgroep.get(doelgroep, {}).get(huishoudtype)
               or cal.per_huishoudtype[huishoudtype])
        values = np.array(list(mix), dtype=float)
        cumulative = np.cumsum(list(mix.values())) / sum(mix.values())
        rows = (group == doelgroep) & (household == huishoudtype)
        sizes[rows] = values[np.minimum(np.searchsorted(cumulative, uniform[rows], side="right"),
                                        len(values) - 1)]
    return sizes


def _mapped(values: np.ndarray, mapping: Mapping[str, float], default: float = np.nan
            ) -> np.ndarray:
    """`mapping` applied per distinct value (a few codes, not millions of rows)."""
    distinct, inverse = np.unique(values.astype(str), return_inverse=True)
    return np.array([mapping.get(v, default) for v in distinct], dtype=float)[inverse]


def _letting_ids(datum: np.ndarray) -> np.ndarray:
    """DEMO-<jaar>-<volgnummer>, numbered per year in date order."""
    years = datum.astype("datetime64[Y]").astype(int) + 1970
    ids = np.empty(len(datum), dtype=object)
    for jaar in np.unique(years):
        idx = np.flatnonzero(years == jaar)
        ids[idx] = [f"DEMO-{jaar}-{i:06d}" for i in range(1, len(idx) + 1)]
    return ids
