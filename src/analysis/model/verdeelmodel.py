"""The verdeelmodel: which gemeente houses how many priority-group households within the limit.

Pure functions on plain values. Every step goes into a trace of Dutch sentences with the
numbers (worded in trace.py), so the report's method appendix can show how each figure came
about. The method is described for readers in docs/verdeelmodel.md.

Arithmetic is exact (fractions of the decimals as written), so no figure shifts by a
floating-point hair and every number can be recomputed by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from fractions import Fraction
from numbers import Integral, Real

import pandas as pd

from analysis.model.config import VerdeelmodelConfig
from analysis.model.trace import (
    Trace,
    TraceStep,
    trace_attribution,
    trace_capacity,
    trace_check,
    trace_key,
    trace_own,
    trace_principles,
    trace_result,
    trace_round,
    trace_rounding,
    trace_shortfall,
    trace_split,
    trace_to_distribute,
)
from analysis.model.types import POOL, FillRound, GemeenteInput, ModelInputError, exact

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
    return _ROUNDERS[afronding](exact(mutatiegrens) * exact(mutaties))


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
    trace = Trace()
    order = [g.gemeente for g in gemeenten]
    key = key_shares(gemeenten, config.gewichten)
    # A rounding tie goes to the larger key share, then the lower gemeente code.
    tie_order = sorted(order, key=lambda code: (-key[code], code))
    weights = _weights(config.gewichten)
    trace_principles(trace, gemeenten, pool, config, weights)
    trace_key(trace, weights, {b: _base_values(gemeenten, b) for b in weights}, key)

    room, cap, own, over, spare = {}, {}, {}, {}, {}
    for g in gemeenten:
        basis = getattr(g, config.capaciteit_basis)
        if basis is None:
            raise ModelInputError(f"{g.gemeente}: '{config.capaciteit_basis}' ontbreekt, maar is "
                                  "de basis van de capaciteit (capaciteit.basis)")
        code = g.gemeente
        room[code] = limit_room(basis, config.mutatiegrens, config.capaciteit_afronding)
        cap[code] = capacity(basis, g.reeds_toegezegd, config.mutatiegrens,
                             config.capaciteit_afronding)
        own[code] = min(g.vraag, cap[code])
        over[code] = g.vraag - own[code]
        spare[code] = cap[code] - own[code]
        trace_capacity(trace, g, basis, room[code], cap[code], config)
    for g in gemeenten:
        trace_own(trace, g, cap[g.gemeente], own[g.gemeente], spare[g.gemeente])

    amount = sum(over.values()) + pool
    trace_to_distribute(trace, over, pool, spare)
    fill, rounds = water_fill(amount, spare, key)
    for i, rnd in enumerate(rounds, start=1):
        trace_round(trace, i, rnd, spare, last=i == len(rounds))
    received = largest_remainder(fill, tie_order)
    placed = sum(received.values())
    if placed:
        receivers = {g: x for g, x in fill.items() if x}
        trace_rounding(trace, receivers, {g: received[g] for g in receivers},
                       _by_remainder(receivers, tie_order), key)

    sources = {g: o for g, o in over.items() if o} | ({POOL: pool} if pool else {})
    source_order = [*tie_order, POOL]  # the pool comes last in a tie
    if placed == amount:
        from_source = sources
    elif placed == 0:
        from_source = dict.fromkeys(sources, 0)
    else:
        source_shares = {s: Fraction(d * placed, amount) for s, d in sources.items()}
        from_source = largest_remainder(source_shares, source_order)
        trace_attribution(trace, sources, source_shares, from_source, placed, amount,
                          _by_remainder(source_shares, source_order), key)
    pool_placed = from_source.get(POOL, 0)

    if placed:
        pool_shares = {g: Fraction(x * pool_placed, placed) for g, x in received.items()}
        from_pool = largest_remainder(pool_shares, tie_order)
        if 0 < pool_placed < placed:
            trace_split(trace, received, pool_shares, from_pool, placed, pool_placed,
                        _by_remainder(pool_shares, tie_order), key)
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
        trace_result(trace, row)
    tekort = amount - placed
    trace_shortfall(trace, tekort, over, from_source, pool, pool_placed)
    trace_check(trace, sum(g.vraag for g in gemeenten) + pool, pool, tekort)
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


def _weights(gewichten: Mapping[str, float]) -> dict[str, Fraction]:
    """The positive weights divided exactly by their sum, so the key adds up to exactly 1."""
    written = {b: exact(w) for b, w in gewichten.items() if w > 0}
    total = sum(written.values())
    return {b: w / total for b, w in written.items()}


def _base_values(gemeenten: Sequence[GemeenteInput], base: str) -> dict[str, Fraction]:
    values = {}
    for g in gemeenten:
        value = getattr(g, base)
        if value is None:
            raise ModelInputError(f"{g.gemeente}: basis '{base}' ontbreekt, maar weegt mee in de "
                                  "verdeelsleutel")
        values[g.gemeente] = exact(value)
    if sum(values.values()) == 0:
        raise ModelInputError(f"basis '{base}' is 0 in alle gemeenten, dus elk aandeel erin is "
                              "onbepaald; geef deze basis gewicht 0 of vul de cijfers aan")
    return values


def _by_remainder(shares: Mapping[str, Fraction], tie_order: Sequence[str]) -> list[str]:
    rank = {k: i for i, k in enumerate(tie_order)}
    return sorted(shares, key=lambda k: (-(shares[k] - math.floor(shares[k])), rank[k]))
