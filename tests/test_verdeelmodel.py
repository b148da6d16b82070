"""The verdeelmodel: hand-computed cases, properties, the trace and the config validation."""

from __future__ import annotations

import copy
import dataclasses
from fractions import Fraction
from importlib import resources
from types import MappingProxyType

import pandas as pd
import pytest
import yaml

from analysis import codes
from analysis.config import ConfigError
from analysis.model import (
    GemeenteInput,
    ModelInputError,
    capacity,
    distribute,
    inputs_from_frame,
    key_shares,
    largest_remainder,
    limit_room,
    load_verdeelmodel_config,
    parse_verdeelmodel_config,
    water_fill,
)

CONFIG = load_verdeelmodel_config()  # Haaglanden defaults: 30%, key 0,5 stock + 0,5 mutaties
G = GemeenteInput
DELFT, RIJSWIJK, WASSENAAR, ZOETERMEER = "GM0503", "GM0603", "GM0629", "GM0637"
MIDDEN_DELFLAND, WESTLAND = "GM1842", "GM1783"


def table(result) -> pd.DataFrame:
    return result.tabel.set_index("gemeente")


def column(result, name: str) -> dict[str, int]:
    return table(result)[name].to_dict()


# --- hand-computed cases -------------------------------------------------------------------


def test_no_overflow_everyone_houses_own_demand():
    # Key: stock 6.000/1.000/3.000 of 10.000 and mutaties 100/15/85 of 200:
    #   Delft 0,5×0,6 + 0,5×0,5 = 0,55; Midden-Delfland 0,5×0,1 + 0,5×0,075 = 0,0875;
    #   Westland 0,5×0,3 + 0,5×0,425 = 0,3625.
    # Capacity: Delft ⌊0,3×100⌋ = 30; Midden-Delfland ⌊0,3×15⌋ = ⌊4,5⌋ = 4;
    #   Westland ⌊0,3×85⌋ = ⌊25,5⌋ = 25, minus 5 committed = 20.
    # Demand 20, 4, 15 all fit: spare 10, 0, 5; nothing to distribute.
    result = distribute([
        G(DELFT, vraag=20, verwachte_mutaties=100, sociale_huurvoorraad=6000, mutaties=100),
        G(MIDDEN_DELFLAND, vraag=4, verwachte_mutaties=15, sociale_huurvoorraad=1000,
          mutaties=15),
        G(WESTLAND, vraag=15, verwachte_mutaties=85, reeds_toegezegd=5,
          sociale_huurvoorraad=3000, mutaties=85),
    ], pool=0, config=CONFIG)
    assert column(result, "sleutelaandeel") == {DELFT: 0.55, MIDDEN_DELFLAND: 0.0875,
                                                WESTLAND: 0.3625}
    assert column(result, "grensruimte") == {DELFT: 30, MIDDEN_DELFLAND: 4, WESTLAND: 25}
    assert column(result, "capaciteit") == {DELFT: 30, MIDDEN_DELFLAND: 4, WESTLAND: 20}
    assert column(result, "geplaatst_eigen") == {DELFT: 20, MIDDEN_DELFLAND: 4, WESTLAND: 15}
    assert column(result, "taakstelling") == {DELFT: 20, MIDDEN_DELFLAND: 4, WESTLAND: 15}
    assert column(result, "ruimte_over") == {DELFT: 10, MIDDEN_DELFLAND: 0, WESTLAND: 5}
    for name in ("uitgeplaatst", "niet_geplaatst", "ontvangen_overloop", "ontvangen_pool"):
        assert set(column(result, name).values()) == {0}
    assert result.tekort == 0
    assert [s.fase for s in result.trace if s.fase in ("ronde", "afronding")] == []
    assert any("niets regionaal te verdelen" in s.tekst for s in result.trace)


def worked_example():
    """The example of docs/verdeelmodel.md: Delft over capacity, plus a pool of 5."""
    return distribute([
        G(DELFT, vraag=60, verwachte_mutaties=150, reeds_toegezegd=5,
          sociale_huurvoorraad=5000, mutaties=150),
        G(RIJSWIJK, vraag=40, verwachte_mutaties=150, reeds_toegezegd=1,
          sociale_huurvoorraad=1000, mutaties=150),
        G(WASSENAAR, vraag=5, verwachte_mutaties=50, sociale_huurvoorraad=1000, mutaties=50),
        G(ZOETERMEER, vraag=25, verwachte_mutaties=150, sociale_huurvoorraad=3000,
          mutaties=150),
    ], pool=5, config=CONFIG)


def test_one_gemeente_over_capacity():
    # Key: stock 5.000/1.000/1.000/3.000 of 10.000 = 0,5/0,1/0,1/0,3 and
    #   mutaties 150/150/50/150 of 500 = 0,3/0,3/0,1/0,3 → key 0,4/0,2/0,1/0,3.
    # Capacity ⌊0,3×150⌋ = 45, ⌊0,3×50⌋ = 15: Delft 45−5 = 40, Rijswijk 45−1 = 44,
    #   Wassenaar 15, Zoetermeer 45.
    # Own: Delft 40 of 60 → overflow 20 (and receives nothing); Rijswijk 40 → spare 4;
    #   Wassenaar 5 → spare 10; Zoetermeer 25 → spare 20.
    # To distribute: 20 + pool 5 = 25 over Rijswijk, Wassenaar, Zoetermeer (key 0,6 together).
    # Round 1: Rijswijk 25×0,2/0,6 = 8,33 ≥ 4 → full with 4; left 21.
    # Round 2: Wassenaar 21×0,1/0,4 = 5,25; Zoetermeer 21×0,3/0,4 = 15,75.
    # Rounding: 4 + 5 + 15 = 24, one more to the largest remainder (Zoetermeer 0,75) → 16.
    # Split pool/overflow: pool share = received × 5/25: 0,8 / 1 / 3,2 → 0 + 1 + 3 = 4,
    #   one more to the largest remainder (Rijswijk 0,8): pool 1/1/3, overflow 3/4/13.
    result = worked_example()
    assert column(result, "sleutelaandeel") == {DELFT: 0.4, RIJSWIJK: 0.2, WASSENAAR: 0.1,
                                                ZOETERMEER: 0.3}
    assert column(result, "capaciteit") == {DELFT: 40, RIJSWIJK: 44, WASSENAAR: 15,
                                            ZOETERMEER: 45}
    assert column(result, "geplaatst_eigen") == {DELFT: 40, RIJSWIJK: 40, WASSENAAR: 5,
                                                 ZOETERMEER: 25}
    assert column(result, "uitgeplaatst") == {DELFT: 20, RIJSWIJK: 0, WASSENAAR: 0, ZOETERMEER: 0}
    assert column(result, "ontvangen_overloop") == {DELFT: 0, RIJSWIJK: 3, WASSENAAR: 4,
                                                    ZOETERMEER: 13}
    assert column(result, "ontvangen_pool") == {DELFT: 0, RIJSWIJK: 1, WASSENAAR: 1,
                                                ZOETERMEER: 3}
    assert column(result, "taakstelling") == {DELFT: 40, RIJSWIJK: 44, WASSENAAR: 10,
                                              ZOETERMEER: 41}
    assert column(result, "ruimte_over") == {DELFT: 0, RIJSWIJK: 0, WASSENAAR: 5, ZOETERMEER: 4}
    assert result.tekort == 0
    assert result.pool_geplaatst == 5


def test_every_gemeente_over_capacity_gives_shortfall():
    # Capacity: Delft ⌊0,3×100⌋ = 30; Rijswijk ⌊0,3×50⌋ = 15 but 20 committed → 0, not −5;
    #   Zoetermeer ⌊0,3×70⌋ = 21.
    # Own: Delft 30 of 40 (overflow 10), Rijswijk 0 of 5 (overflow 5), Zoetermeer 21 of 25
    #   (overflow 4). No spare anywhere, so overflow 19 + pool 2 = 21 is the regional tekort.
    result = distribute([
        G(DELFT, vraag=40, verwachte_mutaties=100, sociale_huurvoorraad=5000, mutaties=100),
        G(RIJSWIJK, vraag=5, verwachte_mutaties=50, reeds_toegezegd=20,
          sociale_huurvoorraad=2000, mutaties=50),
        G(ZOETERMEER, vraag=25, verwachte_mutaties=70, sociale_huurvoorraad=3000, mutaties=70),
    ], pool=2, config=CONFIG)
    assert column(result, "capaciteit") == {DELFT: 30, RIJSWIJK: 0, ZOETERMEER: 21}
    assert column(result, "taakstelling") == {DELFT: 30, RIJSWIJK: 0, ZOETERMEER: 21}
    assert column(result, "niet_geplaatst") == {DELFT: 10, RIJSWIJK: 5, ZOETERMEER: 4}
    assert column(result, "uitgeplaatst") == {DELFT: 0, RIJSWIJK: 0, ZOETERMEER: 0}
    assert result.tekort == 21
    assert result.pool_geplaatst == 0
    texts = [s.tekst for s in result.trace]
    assert any("Rijswijk (ZH.)" in t and "capaciteit 0 (nooit negatief)" in t for t in texts)
    assert any("geen enkele gemeente heeft ruimte over" in t for t in texts)
    assert any(t.startswith("Regionaal tekort: 21 huishoudens") for t in texts)


def test_partial_shortfall_is_shared_by_origin_and_pool_in_proportion():
    # Capacity: Delft ⌊0,3×100⌋ = 30 (demand 60: overflow 30); Rijswijk ⌊0,3×20⌋ = 6
    #   (spare 6); Wassenaar ⌊0,3×40⌋ = 12 − 8 committed = 4 (spare 4).
    # To distribute 30 + pool 10 = 40; room 10, so both fill up in round 1 and 30 is tekort.
    # Placed per origin: 10/40 of each: Delft 30×10/40 = 7,5, pool 10×10/40 = 2,5 → 7 + 2,
    #   the tie at 0,5 goes to Delft (the pool comes last in a tie): Delft 8, pool 2.
    # Split of what was received: pool share = received × 2/10: Rijswijk 1,2, Wassenaar 0,8
    #   → 1 + 0, one more to Wassenaar (0,8): pool 1/1, overflow 5/3.
    result = distribute([
        G(DELFT, vraag=60, verwachte_mutaties=100, sociale_huurvoorraad=7000, mutaties=100),
        G(RIJSWIJK, vraag=0, verwachte_mutaties=20, sociale_huurvoorraad=2000, mutaties=20),
        G(WASSENAAR, vraag=0, verwachte_mutaties=40, reeds_toegezegd=8,
          sociale_huurvoorraad=1000, mutaties=40),
    ], pool=10, config=CONFIG)
    assert column(result, "uitgeplaatst")[DELFT] == 8
    assert column(result, "niet_geplaatst")[DELFT] == 22
    assert result.pool_geplaatst == 2
    assert result.tekort == 30  # 22 from Delft + 8 from the pool
    assert column(result, "ontvangen_pool") == {DELFT: 0, RIJSWIJK: 1, WASSENAAR: 1}
    assert column(result, "ontvangen_overloop") == {DELFT: 0, RIJSWIJK: 5, WASSENAAR: 3}
    herkomst = next(s for s in result.trace if s.fase == "herkomst")
    assert "de pool komt bij gelijke rest als laatste" in herkomst.tekst


def test_pool_only():
    # Key 0,5/0,3/0,2 (stock 5.000/3.000/2.000 and mutaties 50/30/20 in the same ratio).
    # Capacity ⌊0,3×50⌋ = 15, ⌊0,3×30⌋ = 9, ⌊0,3×20⌋ = 6; Delft houses its 12 → spare 3, 9, 6.
    # Round 1: pool 10: Delft 10×0,5 = 5 ≥ 3 → full with 3; left 7.
    # Round 2: Rijswijk 7×0,3/0,5 = 4,2; Wassenaar 7×0,2/0,5 = 2,8.
    # Rounding: 4 + 2 = 6 of 7, one more to Wassenaar (0,8): Delft 3, Rijswijk 4, Wassenaar 3.
    result = distribute([
        G(DELFT, vraag=12, verwachte_mutaties=50, sociale_huurvoorraad=5000, mutaties=50),
        G(RIJSWIJK, vraag=0, verwachte_mutaties=30, sociale_huurvoorraad=3000, mutaties=30),
        G(WASSENAAR, vraag=0, verwachte_mutaties=20, sociale_huurvoorraad=2000, mutaties=20),
    ], pool=10, config=CONFIG)
    assert column(result, "ontvangen_pool") == {DELFT: 3, RIJSWIJK: 4, WASSENAAR: 3}
    assert column(result, "ontvangen_overloop") == {DELFT: 0, RIJSWIJK: 0, WASSENAAR: 0}
    assert column(result, "taakstelling") == {DELFT: 15, RIJSWIJK: 4, WASSENAAR: 3}
    assert column(result, "ruimte_over") == {DELFT: 0, RIJSWIJK: 5, WASSENAAR: 3}
    assert result.tekort == 0
    assert result.pool_geplaatst == 10
    assert [s.fase for s in result.trace].count("ronde") == 2


def test_rounding_tie_goes_to_larger_key_share():
    # Key 0,5/0,1/0,4 (stock 5.000/1.000/4.000, mutaties 500/100/400). Capacity 30 each;
    # Zoetermeer houses its 30 and is full. Pool 3 over Delft and Rijswijk (key 0,6):
    #   Delft 3×0,5/0,6 = 2,5, Rijswijk 3×0,1/0,6 = 0,5 → 2 + 0, one left, equal remainders
    #   0,5: Delft has the larger key share → Delft 3, Rijswijk 0.
    result = distribute([
        G(DELFT, vraag=0, verwachte_mutaties=100, sociale_huurvoorraad=5000, mutaties=500),
        G(RIJSWIJK, vraag=0, verwachte_mutaties=100, sociale_huurvoorraad=1000, mutaties=100),
        G(ZOETERMEER, vraag=30, verwachte_mutaties=100, sociale_huurvoorraad=4000,
          mutaties=400),
    ], pool=3, config=CONFIG)
    assert column(result, "ontvangen_pool") == {DELFT: 3, RIJSWIJK: 0, ZOETERMEER: 0}
    step = next(s for s in result.trace if s.fase == "afronding")
    assert "Gelijke rest 0,5 bij Delft en Rijswijk (ZH.)" in step.tekst
    assert "groter sleutelaandeel (0,5 tegen 0,1)" in step.tekst


def test_rounding_tie_with_equal_key_goes_to_lower_gemeente_code():
    # Equal key 0,5/0,5; pool 1 → 0,5 each; Delft (GM0503) before Zoetermeer (GM0637),
    # whatever the input order.
    gemeenten = [
        G(ZOETERMEER, vraag=0, verwachte_mutaties=10, sociale_huurvoorraad=100, mutaties=10),
        G(DELFT, vraag=0, verwachte_mutaties=10, sociale_huurvoorraad=100, mutaties=10),
    ]
    for order in (gemeenten, gemeenten[::-1]):
        result = distribute(order, pool=1, config=CONFIG)
        assert column(result, "ontvangen_pool") == {DELFT: 1, ZOETERMEER: 0}
    step = next(s for s in result.trace if s.fase == "afronding")
    assert "gelijk sleutelaandeel, lagere gemeentecode (GM0503 vóór GM0637)" in step.tekst


def test_zero_key_among_gemeenten_with_room_falls_back_to_equal_shares():
    # All weight on inwoners; only Delft has inhabitants, but Delft is over capacity.
    # Overflow 10 + pool 3 = 13 over Rijswijk and Wassenaar (key 0 both) → 6,5 each;
    # the tie goes to the lower code: Rijswijk 7, Wassenaar 6.
    config = dataclasses.replace(CONFIG, gewichten=MappingProxyType({"inwoners": 1.0}))
    result = distribute([
        G(DELFT, vraag=40, verwachte_mutaties=100, inwoners=100_000),
        G(RIJSWIJK, vraag=0, verwachte_mutaties=100, inwoners=0),
        G(WASSENAAR, vraag=0, verwachte_mutaties=100, inwoners=0),
    ], pool=3, config=config)
    received = table(result)["ontvangen_overloop"] + table(result)["ontvangen_pool"]
    assert received.to_dict() == {DELFT: 0, RIJSWIJK: 7, WASSENAAR: 6}
    assert result.tekort == 0
    ronde = next(s for s in result.trace if s.fase == "ronde")
    assert "(sleutelaandeel samen 0), dus wordt gelijk verdeeld: 13/2 per gemeente" in ronde.tekst


# --- building blocks -----------------------------------------------------------------------


def test_key_shares_are_exact_and_add_up_to_one():
    gemeenten = [G(DELFT, 0, 0, sociale_huurvoorraad=1, mutaties=1),
                 G(RIJSWIJK, 0, 0, sociale_huurvoorraad=2, mutaties=0)]
    shares = key_shares(gemeenten, {"sociale_huurvoorraad": 0.5, "mutaties": 0.5})
    assert shares == {DELFT: Fraction(1, 6) + Fraction(1, 2), RIJSWIJK: Fraction(1, 3)}
    # Weights 2 and 2 (normaliseren: true) give the same key as 0,5 and 0,5.
    assert key_shares(gemeenten, {"sociale_huurvoorraad": 2, "mutaties": 2}) == shares


def test_capacity_is_exact_and_never_negative():
    assert limit_room(100, 0.29) == 29  # 0.29 × 100 in floating point is 28.999…
    assert limit_room(15, 0.3) == 4
    assert limit_room(15, 0.3, "omhoog") == 5
    assert limit_room(15, 0.3, "rekenkundig") == 5  # 4,5 → 5
    assert limit_room(14, 0.3, "rekenkundig") == 4  # 4,2 → 4
    assert capacity(100, 10, 0.3) == 20
    assert capacity(50, 20, 0.3) == 0  # 15 − 20 is clipped


def test_largest_remainder_keeps_total_and_uses_tie_order():
    shares = {"a": Fraction(3, 2), "b": Fraction(3, 2), "c": Fraction(1)}
    assert largest_remainder(shares, ["b", "a", "c"]) == {"a": 1, "b": 2, "c": 1}
    with pytest.raises(ValueError, match="geen geheel getal"):
        largest_remainder({"a": Fraction(1, 2)}, ["a"])


def test_water_fill_rounds():
    given, rounds = water_fill(25, {"r": 4, "w": 10, "z": 20},
                               {"r": Fraction(1, 5), "w": Fraction(1, 10), "z": Fraction(3, 10)})
    assert given == {"r": 4, "w": Fraction(21, 4), "z": Fraction(63, 4)}
    assert [r.vol for r in rounds] == [("r",), ()]


def test_inputs_from_frame():
    frame = pd.DataFrame({
        "gemeente": [DELFT, RIJSWIJK], "vraag": [3.0, 4.0], "verwachte_mutaties": [10, 20],
        "sociale_huurvoorraad": [100, None], "jaar": [2025, 2025],
    })
    assert inputs_from_frame(frame) == (
        G(DELFT, 3, 10, sociale_huurvoorraad=100), G(RIJSWIJK, 4, 20))
    with pytest.raises(ModelInputError, match="vraag"):
        inputs_from_frame(frame.drop(columns="vraag"))


@pytest.mark.parametrize(("make", "message"), [
    (lambda: G(DELFT, vraag=-1, verwachte_mutaties=10), "'vraag' moet een geheel getal ≥ 0"),
    (lambda: G(DELFT, vraag=2.5, verwachte_mutaties=10), "hele huishoudens"),
    (lambda: G(DELFT, vraag=1, verwachte_mutaties=-3), "'verwachte_mutaties' moet een getal"),
    (lambda: distribute([G(DELFT, 1, 10, sociale_huurvoorraad=1, mutaties=1)] * 2, 0, CONFIG),
     "staat er dubbel in"),
    (lambda: distribute([G(DELFT, 1, 10, sociale_huurvoorraad=1)], 0, CONFIG),
     "GM0503: basis 'mutaties' ontbreekt"),
    (lambda: distribute([G(DELFT, 1, 10, sociale_huurvoorraad=0, mutaties=1)], 0, CONFIG),
     "basis 'sociale_huurvoorraad' is 0 in alle gemeenten"),
    (lambda: distribute([G(DELFT, 1, 10, sociale_huurvoorraad=1, mutaties=1)], -1, CONFIG),
     "pool: moet een geheel getal"),
])
def test_bad_input_is_a_clear_error(make, message):
    with pytest.raises(ModelInputError, match=message):
        make()


# --- trace ---------------------------------------------------------------------------------


def test_trace_tells_the_whole_calculation_in_order():
    result = worked_example()
    phases = [s.fase for s in result.trace]
    assert phases == (["uitgangspunten"] + ["sleutel"] * 4 + ["capaciteit"] * 4
                      + ["eigen_gemeente"] * 4 + ["te_verdelen", "ronde", "ronde", "afronding",
                                                  "splitsing"]
                      + ["resultaat"] * 4 + ["tekort", "controle"])
    assert [s.nummer for s in result.trace] == list(range(1, len(phases) + 1))
    text = {(s.fase, s.gemeente): s.tekst for s in result.trace}
    assert text["sleutel", DELFT] == ("Delft: sleutelaandeel = 0,5 × 5.000/10.000 + "
                                      "0,5 × 150/500 = 0,4.")
    assert text["capaciteit", DELFT] == ("Delft: 30% van 150 verwachte mutaties = 45; min 5 "
                                         "reeds toegezegd geeft capaciteit 40.")
    assert "Delft ontvangt daarom zelf geen huishoudens van buiten" in text["eigen_gemeente",
                                                                           DELFT]
    assert text["te_verdelen", None].startswith("Regionaal te verdelen: overloop 20 (Delft 20) "
                                                "+ pool 5 = 25 huishoudens")
    rounds = [s for s in result.trace if s.fase == "ronde"]
    assert "Rijswijk (ZH.) zou 8,33 krijgen maar heeft 4 ruimte en is daarmee vol" in \
        rounds[0].tekst
    assert "Wassenaar 21 × 0,1/0,4 = 5,25, Zoetermeer 21 × 0,3/0,4 = 15,75" in rounds[1].tekst
    assert dict(rounds[1].waarden) == {"te_verdelen": 21, WASSENAAR: 5.25, ZOETERMEER: 15.75}
    assert "Zoetermeer (rest 0,75)" in text["afronding", None]
    assert text["resultaat", ZOETERMEER].startswith(
        "Zoetermeer: taakstelling 41 = 25 eigen + 13 overloop + 3 pool")
    assert text["controle", None].startswith("Controle: geplaatst 135 + tekort 0 = vraag 135")
    trace_table = result.trace_table()
    assert list(trace_table.columns) == ["nummer", "fase", "gemeente", "tekst"]
    assert len(trace_table) == len(phases)


# --- config --------------------------------------------------------------------------------


def default_raw() -> dict:
    text = resources.files("analysis").joinpath("settings", "verdeelmodel.yml").read_text("utf-8")
    return yaml.safe_load(text)


def test_default_config():
    assert CONFIG.mutatiegrens == 0.30
    assert (CONFIG.capaciteit_basis, CONFIG.capaciteit_afronding) == ("verwachte_mutaties",
                                                                      "omlaag")
    assert dict(CONFIG.gewichten) == {"sociale_huurvoorraad": 0.5, "mutaties": 0.5}
    assert CONFIG.afronding == "grootste_overschot"
    assert CONFIG.pool_doelgroepen == ("uitstroom_vrouwenopvang",)
    assert set(CONFIG.sporen) == set(codes.codes("doelgroepen")) - {"geen"}
    assert "uitstroom_vrouwenopvang" in CONFIG.model_doelgroepen
    assert "dakloze_gezinnen" in CONFIG.model_doelgroepen
    assert not {"ouderen", "statushouders", "studenten"} & set(CONFIG.model_doelgroepen)
    assert CONFIG.bron == "analysis/settings/verdeelmodel.yml"
    overview = CONFIG.sporen_overzicht()
    assert len(overview) == len(codes.codes("doelgroepen")) - 1
    assert overview.set_index("doelgroep").loc["ouderen", "spoor_naam"] == "Woonagenda"


def test_which_lettings_count_under_the_limit():
    assert CONFIG.telt_mee_voor_grens("statushouders", "statushouder")
    assert not CONFIG.telt_mee_voor_grens("statushouders", "statushouder", zonder=True)
    assert CONFIG.telt_mee_voor_grens("geen", "urgentie")  # the route alone counts
    assert CONFIG.telt_mee_voor_grens("uitstroom_mo", "regulier", zonder=True)
    assert not CONFIG.telt_mee_voor_grens("ouderen", "regulier")


def test_normalised_weights_are_accepted():
    raw = default_raw()
    raw["sleutel"] = {"gewichten": {"sociale_huurvoorraad": 2, "mutaties": 2},
                      "normaliseren": True}
    assert parse_verdeelmodel_config(raw, "test.yml").normaliseren


def _set(path: str, value):
    def change(raw: dict) -> None:
        *parents, last = path.split(".")
        for part in parents:
            raw = raw[part]
        raw[last] = value
    return change


@pytest.mark.parametrize(("change", "message"), [
    (_set("sleutel.gewichten", {"sociale_huurvoorraad": 0.5, "mutaties": 0.4}),
     "'sleutel.gewichten': de gewichten tellen op tot 0.9 in plaats van 1; pas ze aan of zet "
     "'sleutel.normaliseren: true'"),
    (_set("sleutel.gewichten", {"sociale_huurvoorraad": 1.5, "mutaties": -0.5}),
     "'sleutel.gewichten.mutaties': gewicht mag niet negatief zijn"),
    (_set("sleutel.gewichten", {"woningen": 1.0}), "onbekende basis 'woningen'"),
    (_set("mutatiegrens", 0), "'mutatiegrens': verwacht een getal groter dan 0 en hoogstens 1"),
    (_set("mutatiegrens", 1.3), "gevonden 1.3"),
    (_set("mutatiegrens", "30%"), "'mutatiegrens'"),
    (_set("mutatiegrens", True), "'mutatiegrens'"),
    (_set("telt_mee_voor_grens.doelgroepen", ["ouderenzorg"]),
     "'telt_mee_voor_grens.doelgroepen': onbekende doelgroep(en) ouderenzorg"),
    (_set("telt_mee_voor_grens.routes", ["voorrang"]),
     "'telt_mee_voor_grens.routes': onbekende route(s) voorrang"),
    (_set("telt_mee_voor_grens.ook_tonen_zonder.routes", ["loting"]), "die niet meetellen"),
    (_set("pool_doelgroepen", ["onbekend"]), "'pool_doelgroepen': onbekende doelgroep"),
    (_set("pool_doelgroepen", ["ouderen"]), "ouderen staat niet op spoor 'verdeelafspraak'"),
    (_set("sporen.ouderen", "zorgtafel"), "'sporen.ouderen': onbekende waarde 'zorgtafel'"),
    (lambda raw: raw["sporen"].pop("studenten"), "geen spoor voor doelgroep(en) studenten"),
    (_set("sporen.geen", "woonagenda"), "'geen' is geen aandachtsgroep"),
    (_set("sporen.jongeren", "woonagenda"), "onbekende doelgroep 'jongeren'"),
    (_set("capaciteit.afronding", "af"), "'capaciteit.afronding': onbekende waarde 'af'"),
    (_set("capaciteit.basis", "voorraad"), "'capaciteit.basis'"),
    (_set("afronding", "banker"), "'afronding': onbekende waarde 'banker'"),
    (_set("mutatiegrns", 0.3), "onbekende instelling(en) mutatiegrns"),
    (lambda raw: raw.pop("sporen"), "'sporen': ontbreekt"),
])
def test_config_errors_name_file_and_setting(change, message):
    raw = copy.deepcopy(default_raw())
    change(raw)
    with pytest.raises(ConfigError) as caught:
        parse_verdeelmodel_config(raw, "test.yml")
    assert str(caught.value).startswith("test.yml: ")
    assert message in str(caught.value)


def test_load_from_path(tmp_path):
    raw = default_raw()
    raw["mutatiegrens"] = 1
    path = tmp_path / "model.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    assert load_verdeelmodel_config(path).mutatiegrens == 1.0
    path.write_text("mutatiegrens: [", encoding="utf-8")
    with pytest.raises(ConfigError, match="geen geldige YAML"):
        load_verdeelmodel_config(path)
    with pytest.raises(ConfigError, match="kan instellingen niet lezen"):
        load_verdeelmodel_config(tmp_path / "bestaat_niet.yml")
