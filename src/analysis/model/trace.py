"""The verdeelmodel's rekenspoor: one Dutch sentence per step, with the numbers it uses.

verdeelmodel.py does the arithmetic and hands each step's figures to a `trace_*` function here,
which only words them; nothing is computed anew, so the sentences cannot drift from the result.
Numbers are written with tables.fmt_number: whole numbers as is, others with up to 2 decimals
(key shares and remainders up to 4), so an exact fraction reads as it is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from analysis import codes
from analysis.model.config import BASES, CAPACITY_BASES, CAPACITY_ROUNDING, VerdeelmodelConfig
from analysis.model.types import POOL, FillRound, GemeenteInput, exact
from analysis.tables import fmt_number


@dataclass(frozen=True)
class TraceStep:
    """One step of the calculation: a Dutch sentence and the numbers it uses."""

    nummer: int
    fase: str  # uitgangspunten, sleutel, capaciteit, eigen_gemeente, te_verdelen, ronde, ...
    tekst: str
    gemeente: str | None = None  # set for steps about one gemeente
    waarden: Mapping[str, int | float] = field(default_factory=dict)


class Trace:
    """The steps so far, numbered in the order they are added."""

    def __init__(self) -> None:
        self.steps: list[TraceStep] = []

    def add(self, fase: str, tekst: str, gemeente: str | None = None,
            **waarden: int | float | Fraction) -> None:
        values = {k: int(v) if Fraction(v).denominator == 1 else float(v)
                  for k, v in waarden.items()}
        self.steps.append(TraceStep(len(self.steps) + 1, fase, tekst, gemeente, values))


def trace_principles(trace: Trace, gemeenten: Sequence[GemeenteInput], pool: int,
                     config: VerdeelmodelConfig, weights: Mapping[str, Fraction]) -> None:
    mix = " + ".join(f"{_share(w)} × {BASES[b]}" for b, w in weights.items())
    demand = sum(g.vraag for g in gemeenten)
    trace.add("uitgangspunten",
              f"Uitgangspunten: mutatiegrens {_pct(config.mutatiegrens)} van de "
              f"{CAPACITY_BASES[config.capaciteit_basis]}, "
              f"{CAPACITY_ROUNDING[config.capaciteit_afronding]} afgerond; verdeelsleutel "
              f"{mix} (elk als aandeel in het regiototaal); {len(gemeenten)} gemeenten met samen "
              f"{fmt_number(demand)} huishoudens eigen vraag, en {fmt_number(pool)} huishoudens "
              "in de regionale pool ('tenzij'-groepen, te huisvesten buiten de "
              "herkomstgemeente).",
              mutatiegrens=exact(config.mutatiegrens), eigen_vraag=demand, pool=pool)


def trace_key(trace: Trace, weights: Mapping[str, Fraction],
              bases: Mapping[str, Mapping[str, Fraction]], key: Mapping[str, Fraction]) -> None:
    """One step per gemeente; `bases` holds each weighted base's figure per gemeente."""
    totals = {b: sum(v.values()) for b, v in bases.items()}
    for code, share in key.items():
        terms = " + ".join(f"{_share(w)} × {fmt_number(bases[b][code])}/{fmt_number(totals[b])}"
                           for b, w in weights.items())
        trace.add("sleutel", f"{_name(code)}: sleutelaandeel = {terms} = {_share(share)}.",
                  code, sleutelaandeel=share, **{b: bases[b][code] for b in weights})


def trace_capacity(trace: Trace, g: GemeenteInput, basis: float, room: int, cap: int,
                   config: VerdeelmodelConfig) -> None:
    product = exact(config.mutatiegrens) * exact(basis)
    text = (f"{_name(g.gemeente)}: {_pct(config.mutatiegrens)} van {fmt_number(basis)} "
            f"{CAPACITY_BASES[config.capaciteit_basis]} = {fmt_number(product, 4)}")
    if product != room:
        text += f", {CAPACITY_ROUNDING[config.capaciteit_afronding]} afgerond {fmt_number(room)}"
    if g.reeds_toegezegd > room:
        text += (f"; er is al {fmt_number(g.reeds_toegezegd)} toegezegd, meer dan dat, dus "
                 "capaciteit 0 (nooit negatief).")
    elif g.reeds_toegezegd:
        text += (f"; min {fmt_number(g.reeds_toegezegd)} reeds toegezegd geeft capaciteit "
                 f"{fmt_number(cap)}.")
    else:
        text += f"; niets reeds toegezegd, dus capaciteit {fmt_number(cap)}."
    trace.add("capaciteit", text, g.gemeente, mutatiebasis=exact(basis), grensruimte=room,
              reeds_toegezegd=g.reeds_toegezegd, capaciteit=cap)


def trace_own(trace: Trace, g: GemeenteInput, cap: int, own: int, spare: int) -> None:
    name = _name(g.gemeente)
    if g.vraag > cap:
        text = (f"{name}: eigen vraag {fmt_number(g.vraag)} is groter dan de capaciteit "
                f"{fmt_number(cap)}: {fmt_number(own)} in de eigen gemeente, overloop "
                f"{fmt_number(g.vraag - own)} naar elders. {name} ontvangt daarom zelf geen "
                "huishoudens van buiten.")
    elif g.vraag:
        text = (f"{name}: huisvest alle {fmt_number(g.vraag)} huishoudens uit de eigen gemeente; "
                f"ruimte over {fmt_number(spare)}.")
    else:
        text = f"{name}: geen eigen vraag; ruimte over {fmt_number(spare)}."
    trace.add("eigen_gemeente", text, g.gemeente, vraag=g.vraag, geplaatst_eigen=own,
              overloop=g.vraag - own, ruimte=spare)


def trace_to_distribute(trace: Trace, over: Mapping[str, int], pool: int,
                        spare: Mapping[str, int]) -> None:
    overflow = {g: o for g, o in over.items() if o}
    with_room = {g: s for g, s in spare.items() if s}
    total_over, total_spare = sum(overflow.values()), sum(with_room.values())
    if not total_over and not pool:
        text = "Er is geen overloop en geen pool: er valt niets regionaal te verdelen."
    else:
        origin = f" ({_listing(overflow)})" if overflow else ""
        room = (f"ruimte over bij {_join([_name(g) for g in with_room])}: samen "
                f"{fmt_number(total_spare)} ({_listing(with_room)})" if with_room
                else "geen enkele gemeente heeft ruimte over")
        text = (f"Regionaal te verdelen: overloop {fmt_number(total_over)}{origin} + pool "
                f"{fmt_number(pool)} = {fmt_number(total_over + pool)} huishoudens; {room}.")
    trace.add("te_verdelen", text, overloop=total_over, pool=pool, te_verdelen=total_over + pool,
              ruimte=total_spare)


def trace_round(trace: Trace, i: int, rnd: FillRound, spare: Mapping[str, int],
                last: bool) -> None:
    who = _join([_name(g) for g in rnd.aandelen])
    total = sum(rnd.aandelen.values())
    left = rnd.te_verdelen
    if rnd.gelijk:
        text = (f"Ronde {i}: {fmt_number(left)} te verdelen over {who}; de sleutel geeft hier "
                f"niets (sleutelaandeel samen 0), dus wordt gelijk verdeeld: {fmt_number(left)}/"
                f"{len(rnd.aandelen)} per gemeente.")
    else:
        text = (f"Ronde {i}: {fmt_number(left)} te verdelen over {who} naar sleutelaandeel "
                f"(samen {_share(total)}).")
    if rnd.vol:
        filled = [f"{_name(g)} zou {fmt_number(rnd.aanbod[g])} krijgen maar heeft "
                  f"{fmt_number(spare[g])} ruimte en is daarmee vol" for g in rnd.vol]
        rest = left - sum(spare[g] for g in rnd.vol)
        text += " " + "; ".join(filled) + "."
        if rest and last:
            text += f" Alle ruimte is nu vol; {fmt_number(rest)} huishoudens blijven over."
        elif rest:
            text += f" Nog te verdelen: {fmt_number(rest)}."
        else:
            text += " Alles is verdeeld."
        granted = {g: Fraction(spare[g]) for g in rnd.vol}
    else:
        parts = [f"{_name(g)} {fmt_number(rnd.aanbod[g])}" if rnd.gelijk else
                 f"{_name(g)} {fmt_number(left)} × {_share(k)}/{_share(total)} = "
                 f"{fmt_number(rnd.aanbod[g])}"
                 for g, k in rnd.aandelen.items()]
        text += " Ieder krijgt zijn deel: " + ", ".join(parts) + "; alles is verdeeld."
        granted = rnd.aanbod
    trace.add("ronde", text, te_verdelen=left, **granted)


def trace_rounding(trace: Trace, shares: Mapping[str, Fraction], result: Mapping[str, int],
                   ranked: Sequence[str], key: Mapping[str, Fraction]) -> None:
    """The water-filled amounts rounded to whole households (largest remainder)."""
    trace.add("afronding", "Afronden op hele huishoudens (grootste overschot): "
              + _rounding_sentence(shares, result, ranked, key), **result)


def trace_attribution(trace: Trace, sources: Mapping[str, int],
                      shares: Mapping[str, Fraction], result: Mapping[str, int], placed: int,
                      amount: int, ranked: Sequence[str], key: Mapping[str, Fraction]) -> None:
    ratio = f"{fmt_number(placed)}/{fmt_number(amount)}"
    parts = [f"{_name(s)} {fmt_number(d)} × {ratio} = {fmt_number(shares[s])}"
             for s, d in sources.items()]
    trace.add("herkomst",
              f"Er is plaats voor {fmt_number(placed)} van de {fmt_number(amount)} huishoudens. "
              f"Van elke herkomst wordt hetzelfde deel geplaatst ({ratio}): {', '.join(parts)}; "
              + _rounding_sentence(shares, result, ranked, key),
              **result)


def trace_split(trace: Trace, received: Mapping[str, int], shares: Mapping[str, Fraction],
                from_pool: Mapping[str, int], placed: int, pool_placed: int,
                ranked: Sequence[str], key: Mapping[str, Fraction]) -> None:
    receivers = {g: s for g, s in shares.items() if received[g]}
    ratio = f"{fmt_number(pool_placed)}/{fmt_number(placed)}"
    parts = [f"{_name(g)} {fmt_number(received[g])} × {ratio} = {fmt_number(s)}"
             for g, s in receivers.items()]
    trace.add("splitsing",
              f"Wat een gemeente ontvangt, bestaat naar verhouding uit overloop "
              f"({fmt_number(placed - pool_placed)}) en pool ({fmt_number(pool_placed)}); het "
              f"poolaandeel is ontvangen × {ratio}: {', '.join(parts)}; "
              + _rounding_sentence(receivers, {g: from_pool[g] for g in receivers},
                                   [g for g in ranked if g in receivers], key)
              + " De rest van wat elk ontvangt is overloop.",
              **{g: from_pool[g] for g in receivers})


def trace_result(trace: Trace, row: Mapping[str, int | float | str]) -> None:
    code = str(row["gemeente"])
    name = _name(code)
    text = (f"{name}: taakstelling {fmt_number(row['taakstelling'])} = "
            f"{fmt_number(row['geplaatst_eigen'])} eigen + {fmt_number(row['ontvangen_overloop'])} "
            f"overloop + {fmt_number(row['ontvangen_pool'])} pool, binnen capaciteit "
            f"{fmt_number(row['capaciteit'])}; ruimte over {fmt_number(row['ruimte_over'])}.")
    if row["uitgeplaatst"]:
        text += (f" {fmt_number(row['uitgeplaatst'])} huishoudens uit {name} gaan naar andere "
                 "gemeenten.")
    if row["niet_geplaatst"]:
        text += f" {fmt_number(row['niet_geplaatst'])} huishoudens uit {name} passen nergens."
    trace.add("resultaat", text, code,
              **{k: v for k, v in row.items() if k not in ("gemeente", "sleutelaandeel",
                                                            "mutatiebasis")})


def trace_shortfall(trace: Trace, tekort: int, over: Mapping[str, int],
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
              f"Regionaal tekort: {fmt_number(tekort)} huishoudens passen nergens binnen de "
              f"mutatiegrens ({_listing(unplaced)}). Het model meldt dit tekort en verdeelt het "
              "niet over de gemeenten.",
              tekort=tekort, **unplaced)


def trace_check(trace: Trace, demand: int, pool: int, tekort: int) -> None:
    """The closing sum; `demand` includes the pool."""
    trace.add("controle", f"Controle: geplaatst {fmt_number(demand - tekort)} + tekort "
              f"{fmt_number(tekort)} = vraag {fmt_number(demand)} (eigen vraag "
              f"{fmt_number(demand - pool)} + pool {fmt_number(pool)}); geen gemeente komt boven "
              "haar capaciteit.",
              geplaatst=demand - tekort, tekort=tekort, vraag=demand)


# --- helpers -------------------------------------------------------------------------------


def _rounding_sentence(shares: Mapping[str, Fraction], result: Mapping[str, int],
                       ranked: Sequence[str], key: Mapping[str, Fraction]) -> str:
    """How largest_remainder turned `shares` into `result`.

    `ranked`: the shares' keys in the order largest_remainder hands out the missing units
    (largest remainder first, ties in its tie order).
    """
    down = {k: math.floor(v) for k, v in shares.items()}
    up = [k for k in ranked if result[k] > down[k]]
    outcome = f"Uitkomst: {_listing(result)}."
    if not up:
        return f"alle delen zijn al hele aantallen. {outcome}"

    def rest(k: str) -> Fraction:
        return shares[k] - down[k]

    extra = ("1 resterend huishouden gaat naar de grootste rest" if len(up) == 1
             else f"{len(up)} resterende gaan één voor één naar de grootste resten")
    text = (f"eerst alles naar beneden (samen {fmt_number(sum(down.values()))}); {extra}: "
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


def _share(x: Fraction) -> str:
    """A key share or a remainder: up to 4 decimals."""
    return fmt_number(x, 4)


def _pct(rate: float) -> str:
    """A rate such as the mutatiegrens (0.3) as a percentage, exactly: 30%, 29,5%."""
    return f"{fmt_number(exact(rate) * 100)}%"


def _name(code: str) -> str:
    return "de pool" if code == POOL else codes.labels("gemeenten").get(code, code)


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} en {items[-1]}"


def _listing(amounts: Mapping[str, int | Fraction]) -> str:
    return ", ".join(f"{_name(k)} {fmt_number(v)}" for k, v in amounts.items())
