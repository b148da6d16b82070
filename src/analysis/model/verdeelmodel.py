"""The verdeelmodel: which gemeente houses how many priority-group households within the limit.

Pure functions on plain values. Every step goes into a trace of Dutch sentences with the
numbers, so the report's method appendix can show how each figure came about. The method is
described for readers in docs/verdeelmodel.md.

Arithmetic is exact (fractions of the decimals as written), so no figure shifts by a
floating-point hair and every number can be recomputed by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from fractions import Fraction
from numbers import Integral, Real

import pandas as pd

from analysis import codes
from analysis.model.config import BASES, CAPACITY_BASES, CAPACITY_ROUNDING, VerdeelmodelConfig

POOL = "pool"  # the regional pool as a source of households in the shortfall attribution

COLUMNS = (
    "gemeente",
    "sleutelaandeel",
    "mutatiebasis",  # the vacancies the capacity is based on (capaciteit.basis)
    "grensruimte",  # mutatiegrens × mutatiebasis, rounded as configured
    "reeds_toegezegd",
    "capaciteit",
    "vraag_eigen",
    "geplaatst_eigen",
    "uitgeplaatst",  # own-origin demand placed in other gemeenten
    "niet_geplaatst",  # own-origin demand placed nowhere: this gemeente's part of the tekort
    "ontvangen_overloop",
    "ontvangen_pool",
    "taakstelling",
    "ruimte_over",
)

_ROUNDERS: dict[str, Callable[[Fraction], int]] = {
    "omlaag": math.floor,
    "omhoog": math.ceil,
    "rekenkundig": lambda q: math.floor(q + Fraction(1, 2)),
}


class ModelInputError(ValueError):
    """Input the model cannot use; the message names the gemeente and the field."""


@dataclass(frozen=True)
class GemeenteInput:
    """One gemeente's figures for one period and one group (or bundle of groups).

    Only the key bases that carry a weight in the verdeelsleutel are needed. `mutaties` is a
    key base (e.g. last year's vacancies); capacity is based on `verwachte_mutaties` unless the
    config says `capaciteit.basis: mutaties`.
    """

    gemeente: str
    vraag: int  # V_g: households from this gemeente to be housed
    verwachte_mutaties: float  # M_g: social-rent homes expected to become vacant
    reeds_toegezegd: int = 0  # homes under the limit already committed
    sociale_huurvoorraad: float | None = None
    mutaties: float | None = None
    inwoners: float | None = None
    huishoudens: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.gemeente, str) or not self.gemeente.strip():
            raise ModelInputError(f"gemeente: verwacht een gemeentecode, "
                                  f"gevonden {self.gemeente!r}")
        for name in ("vraag", "reeds_toegezegd"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
                raise ModelInputError(f"{self.gemeente}: '{name}' moet een geheel getal ≥ 0 zijn "
                                      f"(hele huishoudens), gevonden {value!r}")
        for name in ("verwachte_mutaties", *BASES):
            value = getattr(self, name)
            if value is None and name != "verwachte_mutaties":
                continue
            if (isinstance(value, bool) or not isinstance(value, Real)
                    or not math.isfinite(value) or value < 0):
                raise ModelInputError(f"{self.gemeente}: '{name}' moet een getal ≥ 0 zijn, "
                                      f"gevonden {value!r}")


@dataclass(frozen=True)
class TraceStep:
    """One step of the calculation: a Dutch sentence and the numbers it uses."""

    nummer: int
    fase: str  # uitgangspunten, sleutel, capaciteit, eigen_gemeente, te_verdelen, ronde, ...
    tekst: str
    gemeente: str | None = None  # set for steps about one gemeente
    waarden: Mapping[str, int | float] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)  # holds a DataFrame, which has no plain ==
class DistributionResult:
    tabel: pd.DataFrame  # one row per gemeente, in input order, columns COLUMNS
    tekort: int  # regional shortfall: households that fit nowhere under the limit
    pool: int  # pool demand ('tenzij' groups housed outside their origin)
    pool_geplaatst: int
    trace: tuple[TraceStep, ...]

    def trace_table(self) -> pd.DataFrame:
        """The trace as a table (nummer, fase, gemeente, tekst) for the method appendix."""
        return pd.DataFrame(
            [(s.nummer, s.fase, s.gemeente, s.tekst) for s in self.trace],
            columns=["nummer", "fase", "gemeente", "tekst"],
        )


@dataclass(frozen=True)
class FillRound:
    """One round of water-filling."""

    te_verdelen: Fraction
    aandelen: dict[str, Fraction]  # the participants' key shares (1 each in the fallback)
    gelijk: bool  # fallback: the participants' key shares add up to 0, so equal shares
    aanbod: dict[str, Fraction]  # what each participant is offered this round
    vol: tuple[str, ...]  # participants whose offer meets their room: they are filled


def inputs_from_frame(frame: pd.DataFrame) -> tuple[GemeenteInput, ...]:
    """One GemeenteInput per row; columns named as its fields, extra columns ignored."""
    missing = [c for c in ("gemeente", "vraag", "verwachte_mutaties") if c not in frame.columns]
    if missing:
        raise ModelInputError(f"invoer verdeelmodel: kolom(men) {', '.join(missing)} ontbreken")
    names = [f.name for f in fields(GemeenteInput) if f.name in frame.columns]
    return tuple(GemeenteInput(**{n: _plain(row[n]) for n in names})
                 for row in frame.to_dict("records"))


def key_shares(gemeenten: Sequence[GemeenteInput],
               gewichten: Mapping[str, float]) -> dict[str, Fraction]:
    """k_g = Σ_b w_b × basis_b,g / Σ_h basis_b,h, weights divided by their sum, so Σ k = 1."""
    weights = _weights(gewichten)
    shares = {g.gemeente: Fraction(0) for g in gemeenten}
    for base, weight in weights.items():
        values = _base_values(gemeenten, base)
        total = sum(values.values())
        for code, value in values.items():
            shares[code] += weight * value / total
    return shares


def limit_room(mutaties: float, mutatiegrens: float, afronding: str = "omlaag") -> int:
    """Homes under the limit: mutatiegrens × mutaties, rounded as configured."""
    return _ROUNDERS[afronding](_exact(mutatiegrens) * _exact(mutaties))


def capacity(mutaties: float, reeds_toegezegd: int, mutatiegrens: float,
             afronding: str = "omlaag") -> int:
    """C_g: the room under the limit minus what is already committed, never below 0."""
    return max(0, limit_room(mutaties, mutatiegrens, afronding) - reeds_toegezegd)


def water_fill(amount: int, spare: Mapping[str, int],
               shares: Mapping[str, Fraction]) -> tuple[dict[str, Fraction], tuple[FillRound, ...]]:
    """Spread `amount` in proportion to `shares`, capped at `spare`, until placed or all full.

    Each round offers what is left to the gemeenten with room, in proportion to their key
    shares; those whose offer meets their room are filled and drop out, and the rest is offered
    again. If the gemeenten with room all have key share 0, they get equal shares, so room is
    never left unused while households wait. The amounts add up to min(amount, Σ spare).
    """
    given = {g: Fraction(0) for g in spare}
    open_ = [g for g in spare if spare[g] > 0]
    left = Fraction(amount)
    rounds: list[FillRound] = []
    while left > 0 and open_:
        weights = {g: Fraction(shares[g]) for g in open_}
        equal = sum(weights.values()) == 0
        if equal:
            weights = dict.fromkeys(open_, Fraction(1))
        total = sum(weights.values())
        offers = {g: left * w / total for g, w in weights.items()}
        full = tuple(g for g in open_ if offers[g] >= spare[g])
        granted = {g: Fraction(spare[g]) for g in full} if full else offers
        for g, x in granted.items():
            given[g] += x
        rounds.append(FillRound(left, weights, equal, offers, full))
        left -= sum(granted.values())
        open_ = [g for g in open_ if g not in full]
    return given, tuple(rounds)


def largest_remainder(shares: Mapping[str, Fraction], tie_order: Sequence[str]) -> dict[str, int]:
    """Round shares to whole numbers keeping their (whole) total: the largest-remainder method.

    Everyone gets their share rounded down; the units still missing go one each to the largest
    remainders, a tie going to whoever comes first in `tie_order`. Every result is its share
    rounded down or up, so a share under a whole-number cap stays under it.
    """
    total = sum(shares.values(), Fraction(0))
    if total.denominator != 1:
        raise ValueError(f"de delen tellen op tot {total}, geen geheel getal")
    result = {k: math.floor(v) for k, v in shares.items()}
    missing = int(total) - sum(result.values())
    for k in _by_remainder(shares, tie_order)[:missing]:
        result[k] += 1
    return result


def distribute(gemeenten: Sequence[GemeenteInput], pool: int,
               config: VerdeelmodelConfig) -> DistributionResult:
    """Run the verdeelmodel for one period and one group (or bundle of groups).

    1. each gemeente houses its own demand up to its capacity; 2. the overflow plus the pool
    is water-filled over the gemeenten with room, in proportion to the key; 3. what fits
    nowhere is the regional tekort; 4. all figures are whole households (largest remainder).
    The pool is one regional number without origin: who goes where individually is up to the
    placement, which keeps pool households out of their origin gemeente.
    """
    _check_inputs(gemeenten, pool)
    trace = _Trace()
    order = [g.gemeente for g in gemeenten]
    key = key_shares(gemeenten, config.gewichten)
    # A rounding tie goes to the larger key share, then the lower gemeente code.
    tie_order = sorted(order, key=lambda code: (-key[code], code))
    _trace_principles(trace, gemeenten, pool, config)
    _trace_key(trace, gemeenten, config, key)

    room, cap, own, over, spare = {}, {}, {}, {}, {}
    for g in gemeenten:
        basis = getattr(g, config.capaciteit_basis)
        if basis is None:
            raise ModelInputError(f"{g.gemeente}: '{config.capaciteit_basis}' ontbreekt, maar is "
                                  "de basis van de capaciteit (capaciteit.basis)")
        code = g.gemeente
        room[code] = limit_room(basis, config.mutatiegrens, config.capaciteit_afronding)
        cap[code] = max(0, room[code] - g.reeds_toegezegd)
        own[code] = min(g.vraag, cap[code])
        over[code] = g.vraag - own[code]
        spare[code] = cap[code] - own[code]
        _trace_capacity(trace, g, basis, room[code], cap[code], config)
    for g in gemeenten:
        _trace_own(trace, g, cap[g.gemeente], own[g.gemeente], spare[g.gemeente])

    amount = sum(over.values()) + pool
    _trace_to_distribute(trace, over, pool, spare)
    fill, rounds = water_fill(amount, spare, key)
    for i, rnd in enumerate(rounds, start=1):
        _trace_round(trace, i, rnd, spare, last=i == len(rounds))
    received = largest_remainder(fill, tie_order)
    placed = sum(received.values())
    if placed:
        receivers = {g: x for g, x in fill.items() if x}
        result = {g: received[g] for g in receivers}
        trace.add("afronding", "Afronden op hele huishoudens (grootste overschot): "
                  + _rounding_sentence(receivers, result, tie_order, key), **result)

    sources = {g: o for g, o in over.items() if o} | ({POOL: pool} if pool else {})
    source_order = [*tie_order, POOL]  # the pool comes last in a tie
    if placed == amount:
        from_source = sources
    elif placed == 0:
        from_source = dict.fromkeys(sources, 0)
    else:
        source_shares = {s: Fraction(d * placed, amount) for s, d in sources.items()}
        from_source = largest_remainder(source_shares, source_order)
        _trace_attribution(trace, sources, source_shares, from_source, placed, amount,
                           source_order, key)
    pool_placed = from_source.get(POOL, 0)

    if placed:
        pool_shares = {g: Fraction(x * pool_placed, placed) for g, x in received.items()}
        from_pool = largest_remainder(pool_shares, tie_order)
        if 0 < pool_placed < placed:
            _trace_split(trace, received, pool_shares, from_pool, placed, pool_placed, tie_order,
                         key)
    else:
        from_pool = dict.fromkeys(received, 0)

    rows = []
    for g in gemeenten:
        code = g.gemeente
        row = {
            "gemeente": code,
            "sleutelaandeel": float(key[code]),
            "mutatiebasis": getattr(g, config.capaciteit_basis),
            "grensruimte": room[code],
            "reeds_toegezegd": g.reeds_toegezegd,
            "capaciteit": cap[code],
            "vraag_eigen": g.vraag,
            "geplaatst_eigen": own[code],
            "uitgeplaatst": from_source.get(code, 0),
            "niet_geplaatst": over[code] - from_source.get(code, 0),
            "ontvangen_overloop": received[code] - from_pool[code],
            "ontvangen_pool": from_pool[code],
            "taakstelling": own[code] + received[code],
            "ruimte_over": spare[code] - received[code],
        }
        rows.append(row)
        _trace_result(trace, row)
    tekort = amount - placed
    _trace_shortfall(trace, tekort, over, from_source, pool, pool_placed)
    demand = sum(g.vraag for g in gemeenten) + pool
    trace.add("controle", f"Controle: geplaatst {_fmt(demand - tekort)} + tekort {_fmt(tekort)} "
              f"= vraag {_fmt(demand)} (eigen vraag {_fmt(demand - pool)} + pool {_fmt(pool)}); "
              "geen gemeente komt boven haar capaciteit.",
              geplaatst=demand - tekort, tekort=tekort, vraag=demand)
    return DistributionResult(tabel=pd.DataFrame(rows, columns=list(COLUMNS)), tekort=tekort,
                              pool=pool, pool_geplaatst=pool_placed, trace=tuple(trace.steps))


# --- helpers -------------------------------------------------------------------------------


def _check_inputs(gemeenten: Sequence[GemeenteInput], pool: int) -> None:
    if not gemeenten:
        raise ModelInputError("invoer verdeelmodel: geen gemeenten")
    seen: set[str] = set()
    for g in gemeenten:
        if g.gemeente in seen:
            raise ModelInputError(f"invoer verdeelmodel: gemeente {g.gemeente} staat er dubbel in")
        seen.add(g.gemeente)
    if isinstance(pool, bool) or not isinstance(pool, Integral) or pool < 0:
        raise ModelInputError(f"pool: moet een geheel getal ≥ 0 zijn (hele huishoudens), "
                              f"gevonden {pool!r}")


def _plain(value: object) -> object:
    """A DataFrame cell as a plain Python value: empty → None, whole numbers → int."""
    if pd.isna(value):
        return None
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real) and float(value).is_integer():
        return int(value)
    return value


def _exact(x: float) -> Fraction:
    """The decimal as written (0.3 is 3/10, not the nearest binary fraction)."""
    if isinstance(x, Integral):
        return Fraction(int(x))
    if isinstance(x, Fraction):
        return x
    return Fraction(repr(float(x)))


def _weights(gewichten: Mapping[str, float]) -> dict[str, Fraction]:
    """The positive weights divided exactly by their sum, so the key adds up to exactly 1."""
    exact = {b: _exact(w) for b, w in gewichten.items() if w > 0}
    total = sum(exact.values())
    return {b: w / total for b, w in exact.items()}


def _base_values(gemeenten: Sequence[GemeenteInput], base: str) -> dict[str, Fraction]:
    values = {}
    for g in gemeenten:
        value = getattr(g, base)
        if value is None:
            raise ModelInputError(f"{g.gemeente}: basis '{base}' ontbreekt, maar weegt mee in de "
                                  "verdeelsleutel")
        values[g.gemeente] = _exact(value)
    if sum(values.values()) == 0:
        raise ModelInputError(f"basis '{base}' is 0 in alle gemeenten, dus elk aandeel erin is "
                              "onbepaald; geef deze basis gewicht 0 of vul de cijfers aan")
    return values


def _by_remainder(shares: Mapping[str, Fraction], tie_order: Sequence[str]) -> list[str]:
    rank = {k: i for i, k in enumerate(tie_order)}
    return sorted(shares, key=lambda k: (-(shares[k] - math.floor(shares[k])), rank[k]))


class _Trace:
    def __init__(self) -> None:
        self.steps: list[TraceStep] = []

    def add(self, fase: str, tekst: str, gemeente: str | None = None,
            **waarden: int | float | Fraction) -> None:
        values = {k: int(v) if Fraction(v).denominator == 1 else float(v)
                  for k, v in waarden.items()}
        self.steps.append(TraceStep(len(self.steps) + 1, fase, tekst, gemeente, values))


def _fmt(x: float | Fraction, decimals: int = 2) -> str:
    """Dutch notation, 1.234,5: at most `decimals` decimals, trailing zeros dropped."""
    q = _exact(x)
    if q.denominator == 1:
        text = f"{int(q):,}"
    else:
        text = f"{float(q):,.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _share(x: float | Fraction) -> str:
    return _fmt(x, 4)


def _pct(x: float) -> str:
    return f"{_fmt(_exact(x) * 100, 2)}%"


def _name(code: str) -> str:
    return "de pool" if code == POOL else codes.labels("gemeenten").get(code, code)


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} en {items[-1]}"


def _listing(amounts: Mapping[str, int | Fraction]) -> str:
    return ", ".join(f"{_name(k)} {_fmt(v)}" for k, v in amounts.items())


def _trace_principles(trace: _Trace, gemeenten: Sequence[GemeenteInput], pool: int,
                      config: VerdeelmodelConfig) -> None:
    weights = _weights(config.gewichten)
    mix = " + ".join(f"{_share(w)} × {BASES[b]}" for b, w in weights.items())
    demand = sum(g.vraag for g in gemeenten)
    trace.add("uitgangspunten",
              f"Uitgangspunten: mutatiegrens {_pct(config.mutatiegrens)} van de "
              f"{CAPACITY_BASES[config.capaciteit_basis]}, "
              f"{CAPACITY_ROUNDING[config.capaciteit_afronding]} afgerond; verdeelsleutel "
              f"{mix} (elk als aandeel in het regiototaal); {len(gemeenten)} gemeenten met samen "
              f"{_fmt(demand)} huishoudens eigen vraag, en {_fmt(pool)} huishoudens in de "
              "regionale pool ('tenzij'-groepen, te huisvesten buiten de herkomstgemeente).",
              mutatiegrens=_exact(config.mutatiegrens), eigen_vraag=demand, pool=pool)


def _trace_key(trace: _Trace, gemeenten: Sequence[GemeenteInput], config: VerdeelmodelConfig,
               key: Mapping[str, Fraction]) -> None:
    weights = _weights(config.gewichten)
    values = {b: _base_values(gemeenten, b) for b in weights}
    totals = {b: sum(v.values()) for b, v in values.items()}
    for g in gemeenten:
        code = g.gemeente
        terms = " + ".join(f"{_share(w)} × {_fmt(values[b][code])}/{_fmt(totals[b])}"
                           for b, w in weights.items())
        trace.add("sleutel", f"{_name(code)}: sleutelaandeel = {terms} = {_share(key[code])}.",
                  code, sleutelaandeel=key[code], **{b: values[b][code] for b in weights})


def _trace_capacity(trace: _Trace, g: GemeenteInput, basis: float, room: int, cap: int,
                    config: VerdeelmodelConfig) -> None:
    product = _exact(config.mutatiegrens) * _exact(basis)
    text = (f"{_name(g.gemeente)}: {_pct(config.mutatiegrens)} van {_fmt(basis)} "
            f"{CAPACITY_BASES[config.capaciteit_basis]} = {_fmt(product, 4)}")
    if product != room:
        text += f", {CAPACITY_ROUNDING[config.capaciteit_afronding]} afgerond {_fmt(room)}"
    if g.reeds_toegezegd > room:
        text += (f"; er is al {_fmt(g.reeds_toegezegd)} toegezegd, meer dan dat, dus capaciteit 0 "
                 "(nooit negatief).")
    elif g.reeds_toegezegd:
        text += f"; min {_fmt(g.reeds_toegezegd)} reeds toegezegd geeft capaciteit {_fmt(cap)}."
    else:
        text += f"; niets reeds toegezegd, dus capaciteit {_fmt(cap)}."
    trace.add("capaciteit", text, g.gemeente, mutatiebasis=_exact(basis), grensruimte=room,
              reeds_toegezegd=g.reeds_toegezegd, capaciteit=cap)


def _trace_own(trace: _Trace, g: GemeenteInput, cap: int, own: int, spare: int) -> None:
    name = _name(g.gemeente)
    if g.vraag > cap:
        text = (f"{name}: eigen vraag {_fmt(g.vraag)} is groter dan de capaciteit {_fmt(cap)}: "
                f"{_fmt(own)} in de eigen gemeente, overloop {_fmt(g.vraag - own)} naar elders. "
                f"{name} ontvangt daarom zelf geen huishoudens van buiten.")
    elif g.vraag:
        text = (f"{name}: huisvest alle {_fmt(g.vraag)} huishoudens uit de eigen gemeente; "
                f"ruimte over {_fmt(spare)}.")
    else:
        text = f"{name}: geen eigen vraag; ruimte over {_fmt(spare)}."
    trace.add("eigen_gemeente", text, g.gemeente, vraag=g.vraag, geplaatst_eigen=own,
              overloop=g.vraag - own, ruimte=spare)


def _trace_to_distribute(trace: _Trace, over: Mapping[str, int], pool: int,
                         spare: Mapping[str, int]) -> None:
    overflow = {g: o for g, o in over.items() if o}
    with_room = {g: s for g, s in spare.items() if s}
    total_over, total_spare = sum(overflow.values()), sum(with_room.values())
    if not total_over and not pool:
        text = "Er is geen overloop en geen pool: er valt niets regionaal te verdelen."
    else:
        origin = f" ({_listing(overflow)})" if overflow else ""
        room = (f"ruimte over bij {_join([_name(g) for g in with_room])}: samen "
                f"{_fmt(total_spare)} ({_listing(with_room)})" if with_room
                else "geen enkele gemeente heeft ruimte over")
        text = (f"Regionaal te verdelen: overloop {_fmt(total_over)}{origin} + pool {_fmt(pool)} "
                f"= {_fmt(total_over + pool)} huishoudens; {room}.")
    trace.add("te_verdelen", text, overloop=total_over, pool=pool, te_verdelen=total_over + pool,
              ruimte=total_spare)


def _trace_round(trace: _Trace, i: int, rnd: FillRound, spare: Mapping[str, int],
                 last: bool) -> None:
    who = _join([_name(g) for g in rnd.aandelen])
    total = sum(rnd.aandelen.values())
    left = rnd.te_verdelen
    if rnd.gelijk:
        text = (f"Ronde {i}: {_fmt(left)} te verdelen over {who}; de sleutel geeft hier niets "
                f"(sleutelaandeel samen 0), dus wordt gelijk verdeeld: {_fmt(left)}/"
                f"{len(rnd.aandelen)} per gemeente.")
    else:
        text = (f"Ronde {i}: {_fmt(left)} te verdelen over {who} naar sleutelaandeel "
                f"(samen {_share(total)}).")
    if rnd.vol:
        filled = [f"{_name(g)} zou {_fmt(rnd.aanbod[g])} krijgen maar heeft {_fmt(spare[g])} "
                  "ruimte en is daarmee vol" for g in rnd.vol]
        rest = left - sum(spare[g] for g in rnd.vol)
        text += " " + "; ".join(filled) + "."
        if rest and last:
            text += f" Alle ruimte is nu vol; {_fmt(rest)} huishoudens blijven over."
        elif rest:
            text += f" Nog te verdelen: {_fmt(rest)}."
        else:
            text += " Alles is verdeeld."
        granted = {g: Fraction(spare[g]) for g in rnd.vol}
    else:
        parts = [f"{_name(g)} {_fmt(rnd.aanbod[g])}" if rnd.gelijk else
                 f"{_name(g)} {_fmt(left)} × {_share(k)}/{_share(total)} = {_fmt(rnd.aanbod[g])}"
                 for g, k in rnd.aandelen.items()]
        text += " Ieder krijgt zijn deel: " + ", ".join(parts) + "; alles is verdeeld."
        granted = rnd.aanbod
    trace.add("ronde", text, te_verdelen=left, **granted)


def _rounding_sentence(shares: Mapping[str, Fraction], result: Mapping[str, int],
                       tie_order: Sequence[str], key: Mapping[str, Fraction]) -> str:
    down = {k: math.floor(v) for k, v in shares.items()}
    ranked = _by_remainder(shares, tie_order)
    up = [k for k in ranked if result[k] > down[k]]
    outcome = f"Uitkomst: {_listing(result)}."
    if not up:
        return f"alle delen zijn al hele aantallen. {outcome}"

    def rest(k: str) -> Fraction:
        return shares[k] - down[k]

    extra = ("1 resterend huishouden gaat naar de grootste rest" if len(up) == 1
             else f"{len(up)} resterende gaan één voor één naar de grootste resten")
    text = (f"eerst alles naar beneden (samen {_fmt(sum(down.values()))}); {extra}: "
            + ", ".join(f"{_name(k)} (rest {_share(rest(k))})" for k in up) + ".")
    winner = up[-1]
    losers = [k for k in ranked if k not in up and rest(k) == rest(winner)]
    if losers:
        other = losers[0]
        if other == POOL:
            reason = "de pool komt bij gelijke rest als laatste"
        elif key[winner] != key[other]:
            reason = (f"groter sleutelaandeel ({_share(key[winner])} tegen "
                      f"{_share(key[other])})")
        else:
            reason = f"gelijk sleutelaandeel, lagere gemeentecode ({winner} vóór {other})"
        text += (f" Gelijke rest {_share(rest(winner))} bij {_name(winner)} en "
                 f"{_join([_name(k) for k in losers])}: voorrang voor {_name(winner)}, {reason}.")
    return f"{text} {outcome}"


def _trace_attribution(trace: _Trace, sources: Mapping[str, int],
                       shares: Mapping[str, Fraction], result: Mapping[str, int], placed: int,
                       amount: int, source_order: Sequence[str],
                       key: Mapping[str, Fraction]) -> None:
    ratio = f"{_fmt(placed)}/{_fmt(amount)}"
    parts = [f"{_name(s)} {_fmt(d)} × {ratio} = {_fmt(shares[s])}" for s, d in sources.items()]
    trace.add("herkomst",
              f"Er is plaats voor {_fmt(placed)} van de {_fmt(amount)} huishoudens. Van elke "
              f"herkomst wordt hetzelfde deel geplaatst ({ratio}): {', '.join(parts)}; "
              + _rounding_sentence(shares, result, source_order, key),
              **result)


def _trace_split(trace: _Trace, received: Mapping[str, int], shares: Mapping[str, Fraction],
                 from_pool: Mapping[str, int], placed: int, pool_placed: int,
                 tie_order: Sequence[str], key: Mapping[str, Fraction]) -> None:
    receivers = {g: s for g, s in shares.items() if received[g]}
    ratio = f"{_fmt(pool_placed)}/{_fmt(placed)}"
    parts = [f"{_name(g)} {_fmt(received[g])} × {ratio} = {_fmt(s)}" for g, s in receivers.items()]
    trace.add("splitsing",
              f"Wat een gemeente ontvangt, bestaat naar verhouding uit overloop "
              f"({_fmt(placed - pool_placed)}) en pool ({_fmt(pool_placed)}); het poolaandeel is "
              f"ontvangen × {ratio}: {', '.join(parts)}; "
              + _rounding_sentence(receivers, {g: from_pool[g] for g in receivers}, tie_order,
                                   key)
              + " De rest van wat elk ontvangt is overloop.",
              **{g: from_pool[g] for g in receivers})


def _trace_result(trace: _Trace, row: Mapping[str, int | float | str]) -> None:
    code = str(row["gemeente"])
    name = _name(code)
    text = (f"{name}: taakstelling {_fmt(row['taakstelling'])} = {_fmt(row['geplaatst_eigen'])} "
            f"eigen + {_fmt(row['ontvangen_overloop'])} overloop + {_fmt(row['ontvangen_pool'])} "
            f"pool, binnen capaciteit {_fmt(row['capaciteit'])}; ruimte over "
            f"{_fmt(row['ruimte_over'])}.")
    if row["uitgeplaatst"]:
        text += f" {_fmt(row['uitgeplaatst'])} huishoudens uit {name} gaan naar andere gemeenten."
    if row["niet_geplaatst"]:
        text += f" {_fmt(row['niet_geplaatst'])} huishoudens uit {name} passen nergens."
    trace.add("resultaat", text, code,
              **{k: v for k, v in row.items() if k not in ("gemeente", "sleutelaandeel",
                                                            "mutatiebasis")})


def _trace_shortfall(trace: _Trace, tekort: int, over: Mapping[str, int],
                     from_source: Mapping[str, int], pool: int, pool_placed: int) -> None:
    if not tekort:
        trace.add("tekort", "Geen regionaal tekort: alle vraag past binnen de capaciteit.",
                  tekort=0)
        return
    unplaced = {g: o - from_source.get(g, 0) for g, o in over.items()
                if o - from_source.get(g, 0)}
    if pool - pool_placed:
        unplaced[POOL] = pool - pool_placed
    trace.add("tekort",
              f"Regionaal tekort: {_fmt(tekort)} huishoudens passen nergens binnen de "
              f"mutatiegrens ({_listing(unplaced)}). Het model meldt dit tekort en verdeelt het "
              "niet over de gemeenten.",
              tekort=tekort, **unplaced)
