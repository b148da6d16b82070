"""Property-based tests of the verdeelmodel: the rules docs/verdeelmodel.md promises, on many
generated regions (1–9 gemeenten, whole and one-decimal mutaties, every capacity rounding,
limits 5%–60%, key weights that sum to 1 or are normalised).

The hand-worked cases, the order-independence check and the config validation live in
tests/test_verdeelmodel.py; this file adds the structural rules that must hold for any input.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from types import MappingProxyType

import pandas as pd
import pytest
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from analysis.config import ConfigError
from analysis.model import (
    GemeenteInput,
    capacity,
    distribute,
    key_shares,
    largest_remainder,
    limit_room,
    load_verdeelmodel_config,
    parse_verdeelmodel_config,
    water_fill,
)
from analysis.model.config import CAPACITY_BASES, CAPACITY_ROUNDING

BASE_CONFIG = load_verdeelmodel_config()
CODES = tuple(f"GM{i:04d}" for i in range(1, 10))
KEY_BASES = ("sociale_huurvoorraad", "mutaties")
# Weights as a region would write them with `normaliseren: false`: they add up to 1.
WEIGHTS_SUMMING_TO_ONE = (
    {"sociale_huurvoorraad": 0.5, "mutaties": 0.5},
    {"sociale_huurvoorraad": 1.0, "mutaties": 0.0},
    {"sociale_huurvoorraad": 0.0, "mutaties": 1.0},
    {"sociale_huurvoorraad": 0.3, "mutaties": 0.7},
    {"sociale_huurvoorraad": 0.75, "mutaties": 0.25},
)
# Every table column that counts households: whole numbers, never negative.
COUNT_COLUMNS = ("grensruimte", "reeds_toegezegd", "capaciteit", "vraag_eigen",
                 "geplaatst_eigen", "uitgeplaatst", "niet_geplaatst", "ontvangen_overloop",
                 "ontvangen_pool", "taakstelling", "ruimte_over")

# The whole file must stay well under 20 s: distribute() takes a few ms per call.
MODEL = settings(max_examples=30, deadline=None)
PURE = settings(max_examples=120, deadline=None)  # the small pure functions are cheap
RAW_SETTINGS = yaml.safe_load(BASE_CONFIG.tekst)  # the packaged settings as written

# --- strategies ------------------------------------------------------------------------------


def one_decimal(low: int, high: int) -> st.SearchStrategy[float | int]:
    """Numbers in [low, high] with at most one decimal, as ints or as written decimals (12.3)."""
    return st.one_of(st.integers(low, high),
                     st.integers(low * 10, high * 10).map(lambda k: k / 10))


# A limit from 0.05 to 0.60 in steps of 0.005; k / 200 is the float of that decimal as written.
grens_steps = st.integers(10, 120)
roundings = st.sampled_from(sorted(CAPACITY_ROUNDING))


@st.composite
def regions(draw) -> list[GemeenteInput]:
    """1–9 gemeenten in a random input order; at least one key base has a positive total."""
    n = draw(st.integers(1, len(CODES)))
    codes = draw(st.permutations(CODES))[:n]
    gemeenten = [
        GemeenteInput(code, vraag=draw(st.integers(0, 400)),
                      verwachte_mutaties=draw(one_decimal(0, 3000)),
                      reeds_toegezegd=draw(st.integers(0, 300)),
                      sociale_huurvoorraad=draw(st.integers(0, 40_000)),
                      mutaties=draw(st.integers(0, 3000)))
        for code in codes
    ]
    if all(base_total(gemeenten, b) == 0 for b in KEY_BASES):
        gemeenten[0] = dataclasses.replace(gemeenten[0],
                                           sociale_huurvoorraad=draw(st.integers(1, 40_000)))
    return gemeenten


def base_total(gemeenten: list[GemeenteInput], base: str) -> float:
    return sum(getattr(g, base) for g in gemeenten)


@st.composite
def weights_for(draw, gemeenten: list[GemeenteInput]) -> tuple[dict[str, float], bool]:
    """Key weights (and `normaliseren`) the config accepts, weighing no base that is 0 everywhere.

    A base that is 0 in every gemeente cannot carry weight (the model refuses it), so such a
    base always gets weight 0 here."""
    usable = {b for b in KEY_BASES if base_total(gemeenten, b) > 0}
    if draw(st.booleans()):
        options = [w for w in WEIGHTS_SUMMING_TO_ONE if all(b in usable or w[b] == 0 for b in w)]
        return dict(draw(st.sampled_from(options))), False
    weights = {b: float(draw(st.integers(0, 5))) if b in usable else 0.0 for b in KEY_BASES}
    if not any(weights.values()):
        weights[sorted(usable)[0]] = 1.0
    return weights, True


@st.composite
def scenarios(draw):
    """(gemeenten, pool, config): a region, a pool of 0–500 and a valid model config."""
    gemeenten = draw(regions())
    weights, normaliseren = draw(weights_for(gemeenten))
    config = dataclasses.replace(
        BASE_CONFIG,
        mutatiegrens=draw(grens_steps) / 200,
        capaciteit_basis=draw(st.sampled_from(sorted(CAPACITY_BASES))),
        capaciteit_afronding=draw(roundings),
        gewichten=MappingProxyType(weights),
        normaliseren=normaliseren,
    )
    return gemeenten, draw(st.integers(0, 500)), config


@st.composite
def fractions(draw, max_value: int = 200) -> Fraction:
    """A non-negative fraction with a small denominator, so remainders often tie."""
    return Fraction(draw(st.integers(0, max_value * 12)), draw(st.sampled_from([1, 2, 3, 4, 12])))


# --- helpers ---------------------------------------------------------------------------------


def indexed(result) -> pd.DataFrame:
    return result.tabel.set_index("gemeente")


def received(result) -> pd.Series:
    t = indexed(result)
    return t["ontvangen_overloop"] + t["ontvangen_pool"]


def raw_settings(gewichten: dict[str, float], normaliseren: bool) -> dict:
    """The packaged settings as written, with another key: for parse_verdeelmodel_config."""
    return {**RAW_SETTINGS, "sleutel": {"gewichten": gewichten, "normaliseren": normaliseren}}


# --- 1. capacity is a hard ceiling; whole households -----------------------------------------


@MODEL
@given(scenarios())
def test_taakstelling_never_exceeds_capacity_and_all_counts_are_whole(scenario):
    """Taakstelling ≤ capaciteit in elke gemeente; alle aantallen zijn hele getallen ≥ 0."""
    gemeenten, pool, config = scenario
    result = distribute(gemeenten, pool, config)
    t = result.tabel
    assert (t["taakstelling"] <= t["capaciteit"]).all()
    for name in COUNT_COLUMNS:
        assert t[name].dtype.kind == "i", name
        assert (t[name] >= 0).all(), name
    for value in (result.tekort, result.pool, result.pool_geplaatst):
        assert type(value) is int
        assert value >= 0
    assert result.pool_geplaatst <= pool


# --- 2. conservation -------------------------------------------------------------------------


@MODEL
@given(scenarios())
def test_every_household_is_placed_once_or_counted_in_the_tekort(scenario):
    """Σ taakstelling + tekort = Σ vraag + pool, and every per-gemeente and pool balance holds."""
    gemeenten, pool, config = scenario
    result = distribute(gemeenten, pool, config)
    t = result.tabel
    assert t["taakstelling"].sum() + result.tekort == sum(g.vraag for g in gemeenten) + pool
    assert (t["vraag_eigen"] == [g.vraag for g in gemeenten]).all()
    assert (t["vraag_eigen"]
            == t["geplaatst_eigen"] + t["uitgeplaatst"] + t["niet_geplaatst"]).all()
    assert (t["taakstelling"]
            == t["geplaatst_eigen"] + t["ontvangen_overloop"] + t["ontvangen_pool"]).all()
    assert (t["capaciteit"] == t["taakstelling"] + t["ruimte_over"]).all()
    assert t["ontvangen_pool"].sum() == result.pool_geplaatst
    assert t["ontvangen_overloop"].sum() == t["uitgeplaatst"].sum()
    assert t["niet_geplaatst"].sum() + (pool - result.pool_geplaatst) == result.tekort


# --- 3. a lower limit never gives more room --------------------------------------------------


@PURE
@given(one_decimal(0, 3000), st.integers(0, 300), grens_steps, grens_steps, roundings)
@example(200, 0, 29, 29, "omlaag")  # 14,5% × 200 = 29 exactly; in floats 28.999999999999996
@example(10, 0, 10, 12, "rekenkundig")  # 5% × 10 = 0,5 rounds half up to 1
@example(150, 45, 60, 60, "omhoog")  # the worked example: 30% × 150 = 45, all committed
def test_lower_limit_never_gives_more_room_or_capacity(mutaties, toegezegd, k1, k2, afronding):
    """For g1 ≤ g2: limit_room and capacity under g1 are at most those under g2.

    And the room is the exact product of the decimals as written, rounded as configured."""
    g1, g2 = min(k1, k2) / 200, max(k1, k2) / 200
    room1, room2 = limit_room(mutaties, g1, afronding), limit_room(mutaties, g2, afronding)
    assert 0 <= room1 <= room2
    cap1 = capacity(mutaties, toegezegd, g1, afronding)
    cap2 = capacity(mutaties, toegezegd, g2, afronding)
    assert cap1 == max(0, room1 - toegezegd)
    assert 0 <= cap1 <= cap2
    exact_room = Fraction(min(k1, k2), 200) * Fraction(str(mutaties))
    if afronding == "omlaag":
        assert room1 <= exact_room < room1 + 1
    elif afronding == "omhoog":
        assert room1 - 1 < exact_room <= room1
    else:  # rekenkundig: to the nearest whole number, a half up
        assert room1 - Fraction(1, 2) <= exact_room < room1 + Fraction(1, 2)


@MODEL
@given(scenarios(), st.data())
def test_lower_limit_places_no_more_and_leaves_no_smaller_tekort(scenario, data):
    """For g1 ≤ g2: per gemeente capacity under g1 ≤ under g2, Σ taakstelling too, tekort ≥."""
    gemeenten, pool, config = scenario
    k1 = round(config.mutatiegrens * 200)
    higher = dataclasses.replace(config,
                                 mutatiegrens=data.draw(st.integers(k1, 120), label="k2") / 200)
    low, high = distribute(gemeenten, pool, config), distribute(gemeenten, pool, higher)
    assert (indexed(low)["grensruimte"] <= indexed(high)["grensruimte"]).all()
    assert (indexed(low)["capaciteit"] <= indexed(high)["capaciteit"]).all()
    assert low.tabel["taakstelling"].sum() <= high.tabel["taakstelling"].sum()
    assert low.tekort >= high.tekort


# --- 4. no shortfall while room is left ------------------------------------------------------


@MODEL
@given(scenarios())
def test_no_tekort_while_any_gemeente_has_room_left(scenario):
    """Tekort > 0 ⇒ Σ ruimte_over = 0, and ruimte_over > 0 anywhere ⇒ tekort = 0."""
    gemeenten, pool, config = scenario
    result = distribute(gemeenten, pool, config)
    room_left = result.tabel["ruimte_over"]
    if result.tekort > 0:
        assert room_left.sum() == 0
    if (room_left > 0).any():
        assert result.tekort == 0
    # Equivalently: placed = min(demand, total capacity).
    demand = sum(g.vraag for g in gemeenten) + pool
    assert result.tabel["taakstelling"].sum() == min(demand, result.tabel["capaciteit"].sum())


# --- 5. own demand first ---------------------------------------------------------------------


@MODEL
@given(scenarios())
def test_own_demand_first_and_senders_receive_nothing(scenario):
    """geplaatst_eigen = min(vraag, capaciteit); a gemeente sending households away gets none."""
    gemeenten, pool, config = scenario
    t = distribute(gemeenten, pool, config).tabel
    assert (t["geplaatst_eigen"] == t[["vraag_eigen", "capaciteit"]].min(axis=1)).all()
    sends = (t["uitgeplaatst"] + t["niet_geplaatst"]) > 0
    assert (t.loc[sends, "ontvangen_overloop"] + t.loc[sends, "ontvangen_pool"] == 0).all()
    assert (t.loc[sends, "ruimte_over"] == 0).all()


# --- 6. monotone where the model is ----------------------------------------------------------


@MODEL
@given(scenarios(), st.integers(0, 500))
def test_more_pool_never_lowers_the_regional_total_placed(scenario, extra):
    """Adding households to the pool never lowers Σ taakstelling (nor the pool placed)."""
    gemeenten, pool, config = scenario
    before = distribute(gemeenten, pool, config)
    after = distribute(gemeenten, pool + extra, config)
    assert before.tabel["taakstelling"].sum() <= after.tabel["taakstelling"].sum()
    assert before.pool_geplaatst <= after.pool_geplaatst
    # Own placement does not depend on the pool at all.
    assert (before.tabel["geplaatst_eigen"] == after.tabel["geplaatst_eigen"]).all()


@MODEL
@given(scenarios(), st.data())
def test_more_demand_never_lowers_own_placement(scenario, data):
    """More vraag in gemeente i never lowers its geplaatst_eigen; other gemeenten's stays equal."""
    gemeenten, pool, config = scenario
    i = data.draw(st.integers(0, len(gemeenten) - 1), label="gemeente")
    more = list(gemeenten)
    more[i] = dataclasses.replace(gemeenten[i], vraag=gemeenten[i].vraag
                                  + data.draw(st.integers(1, 400), label="extra"))
    before = indexed(distribute(gemeenten, pool, config))["geplaatst_eigen"]
    after = indexed(distribute(more, pool, config))["geplaatst_eigen"]
    code = gemeenten[i].gemeente
    assert after[code] >= before[code]
    assert (after.drop(code) == before.drop(code)).all()


@PURE
@given(regions(), st.integers(0, 20), st.integers(0, 20), st.integers(2, 10))
def test_key_shares_sum_to_one_and_ignore_the_scale_of_the_weights(gemeenten, a, b, scale):
    """Σ k = 1 exactly; with normaliseren true, multiplying all weights leaves every k unchanged."""
    tenths = {"sociale_huurvoorraad": a, "mutaties": b}
    for base in KEY_BASES:
        if base_total(gemeenten, base) == 0:
            tenths[base] = 0  # a base that is 0 everywhere cannot carry weight
    assume(any(tenths.values()))
    weights = {base: t / 10 for base, t in tenths.items()}  # decimals as written: 0.3, 1.2
    scaled = {base: t * scale / 10 for base, t in tenths.items()}
    config = parse_verdeelmodel_config(raw_settings(weights, True), "test.yml")
    scaled_config = parse_verdeelmodel_config(raw_settings(scaled, True), "test.yml")
    shares = key_shares(gemeenten, config.gewichten)
    assert all(isinstance(k, Fraction) and k >= 0 for k in shares.values())
    assert sum(shares.values()) == 1
    assert key_shares(gemeenten, scaled_config.gewichten) == shares
    # Without normaliseren the config only accepts weights that add up to 1.
    if abs(sum(scaled.values()) - 1) > 1e-9:
        with pytest.raises(ConfigError, match="normaliseren"):
            parse_verdeelmodel_config(raw_settings(scaled, False), "test.yml")


@PURE
@given(regions(), st.sampled_from(KEY_BASES), st.integers(2, 1000))
def test_key_shares_ignore_the_unit_of_a_base(gemeenten, base, factor):
    """Multiplying one base by the same factor in every gemeente leaves every k unchanged."""
    weights = dict(BASE_CONFIG.gewichten)
    assume(all(base_total(gemeenten, b) > 0 for b in weights))
    rescaled = [dataclasses.replace(g, **{base: getattr(g, base) * factor}) for g in gemeenten]
    assert key_shares(rescaled, weights) == key_shares(gemeenten, weights)


@st.composite
def fill_cases(draw):
    """(spare, shares): room per gemeente and key shares, some 0 (even all 0 among the open)."""
    codes = draw(st.permutations(CODES))[: draw(st.integers(1, len(CODES)))]
    spare = {c: draw(st.integers(0, 100)) for c in codes}
    shares = {c: draw(st.one_of(st.just(Fraction(0)), fractions(5))) for c in codes}
    return spare, shares


@PURE
@given(fill_cases(), st.integers(0, 1000), st.integers(0, 1000))
def test_water_fill_is_monotone_in_the_amount(case, x, y):
    """Before rounding, more to spread never gives any gemeente less; Σ = min(amount, Σ room)."""
    spare, shares = case
    small, _ = water_fill(min(x, y), spare, shares)
    large, _ = water_fill(max(x, y), spare, shares)
    for fill, amount in ((small, min(x, y)), (large, max(x, y))):
        assert sum(fill.values()) == min(amount, sum(spare.values()))
        assert all(0 <= fill[g] <= spare[g] for g in spare)
    assert all(small[g] <= large[g] for g in spare)


@PURE
@given(fill_cases(), st.integers(0, 1000))
def test_water_fill_gives_open_gemeenten_one_level_by_key(case, amount):
    """Gemeenten not full get amount ∝ key (one water level); full ones sit at or below it.

    Gemeenten with key 0 get something only once every gemeente with a positive key is full,
    and then in equal parts: those of them not full all get the same."""
    spare, shares = case
    fill, _ = water_fill(amount, spare, shares)
    keyed = [g for g in spare if shares[g] > 0 and spare[g] > 0]
    open_keyed = [g for g in keyed if fill[g] < spare[g]]
    levels = {fill[g] / shares[g] for g in open_keyed}
    assert len(levels) <= 1
    if levels:
        (level,) = levels
        assert all(spare[g] / shares[g] <= level for g in keyed if fill[g] == spare[g])
        assert all(fill[g] == 0 for g in spare if shares[g] == 0)
    assert len({fill[g] for g in spare if shares[g] == 0 and fill[g] < spare[g]}) <= 1


@MODEL
@given(scenarios())
def test_rounded_receipts_are_within_one_of_the_water_filled_share(scenario):
    """Each gemeente receives its exact water-filled share rounded down or up (|Δ| < 1).

    Not monotone per gemeente in the pool (largest remainder has the Alabama paradox), but the
    rounding never moves a gemeente a whole household away from its exact share."""
    gemeenten, pool, config = scenario
    result = distribute(gemeenten, pool, config)
    t = indexed(result)
    spare = (t["capaciteit"] - t["geplaatst_eigen"]).to_dict()
    amount = int((t["vraag_eigen"] - t["geplaatst_eigen"]).sum()) + pool
    fill, _ = water_fill(amount, spare, key_shares(gemeenten, config.gewichten))
    got = received(result)
    for code, share in fill.items():
        assert abs(got[code] - share) < 1, code
        assert got[code] in (math.floor(share), math.ceil(share)), code


# --- 7. largest remainder --------------------------------------------------------------------


@st.composite
def remainder_cases(draw):
    """(shares, tie_order): fractions that add up to a whole number, and an order for ties."""
    codes = draw(st.permutations(CODES))[: draw(st.integers(1, len(CODES)))]
    shares = {c: draw(fractions()) for c in codes}
    total = sum(shares.values(), Fraction(0))
    topped = draw(st.sampled_from(codes))
    shares[topped] += math.ceil(total) - total  # make the total whole
    return shares, draw(st.permutations(codes))


@PURE
@given(remainder_cases())
def test_largest_remainder_keeps_the_total_and_rounds_each_share_down_or_up(case):
    """Σ result = Σ shares; each result is ⌊share⌋ or ⌈share⌉; the largest remainders go up."""
    shares, tie_order = case
    result = largest_remainder(shares, tie_order)
    assert sum(result.values()) == sum(shares.values())
    assert all(result[k] in (math.floor(v), math.ceil(v)) for k, v in shares.items())
    rank = {k: i for i, k in enumerate(tie_order)}
    up = [k for k in shares if result[k] > shares[k]]
    down = [k for k in shares if result[k] < shares[k]]
    for k in up:
        for j in down:
            rest_k, rest_j = shares[k] % 1, shares[j] % 1
            assert rest_k > rest_j or (rest_k == rest_j and rank[k] < rank[j])


@PURE
@given(remainder_cases(), st.integers(2, 7), st.integers(1, 6))
def test_largest_remainder_refuses_a_total_that_is_not_whole(case, denominator, numerator):
    """Shares adding up to a fraction cannot be rounded keeping their total: a clear error."""
    shares, tie_order = case
    assume(numerator % denominator)
    first = tie_order[0]
    broken = {**shares, first: shares[first] + Fraction(numerator, denominator)}
    with pytest.raises(ValueError, match="geen geheel getal"):
        largest_remainder(broken, tie_order)


# --- 8. determinism --------------------------------------------------------------------------


@MODEL
@given(scenarios())
def test_same_input_gives_the_same_table_and_trace(scenario):
    """The same input twice (also rebuilt as equal copies) gives an identical table and trace."""
    gemeenten, pool, config = scenario
    first = distribute(gemeenten, pool, config)
    copies = [dataclasses.replace(g) for g in gemeenten]
    config_copy = dataclasses.replace(config, gewichten=MappingProxyType(dict(config.gewichten)))
    for again in (distribute(gemeenten, pool, config), distribute(copies, pool, config_copy)):
        pd.testing.assert_frame_equal(first.tabel, again.tabel, check_exact=True)
        assert first.trace == again.trace
        pd.testing.assert_frame_equal(first.trace_table(), again.trace_table())
        assert (first.tekort, first.pool, first.pool_geplaatst) == (
            again.tekort, again.pool, again.pool_geplaatst)
    assert [s.nummer for s in first.trace] == list(range(1, len(first.trace) + 1))


@MODEL
@given(scenarios(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_the_order_of_gemeenten(scenario, rnd):
    """The input order changes nothing: ties follow the key and the gemeente code."""
    gemeenten, pool, config = scenario
    shuffled = list(gemeenten)
    rnd.shuffle(shuffled)
    first = distribute(gemeenten, pool, config)
    second = distribute(shuffled, pool, config)
    pd.testing.assert_frame_equal(indexed(first).sort_index(), indexed(second).sort_index())
    assert first.tekort == second.tekort


@MODEL
@given(scenarios(), st.data())
def test_more_capacity_never_increases_shortfall(scenario, data):
    """More vacancies or fewer commitments in one gemeente never add to the tekort."""
    gemeenten, pool, config = scenario
    i = data.draw(st.integers(0, len(gemeenten) - 1))
    basis = config.capaciteit_basis
    more = list(gemeenten)
    more[i] = dataclasses.replace(
        gemeenten[i], **{basis: getattr(gemeenten[i], basis) + data.draw(st.integers(0, 500))},
        reeds_toegezegd=max(0, gemeenten[i].reeds_toegezegd - data.draw(st.integers(0, 50))))
    assert distribute(more, pool, config).tekort <= distribute(gemeenten, pool, config).tekort
