"""Disclosure control: the suppression engine on hand-made tables, the protection of a tiny
indicator table and verdeelmodel run, the settings and catalogue metadata behind it, and the
demo build as a whole."""

from __future__ import annotations

import dataclasses
import math
import sys
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.config import ConfigError, DisclosureSettings, GeoSettings, load_config
from analysis.disclosure import SECONDARY, SHOWN, SMALL, exposed, membership, small, suppress
from analysis.indicators.catalogue import Protection, catalogue
from analysis.indicators.table import (
    AANDACHTSGROEPEN,
    ALLE,
    finish,
    period_label,
    roll_up,
    with_doelgroep_totals,
)
from analysis.model import GemeenteInput, distribute, load_verdeelmodel_config
from analysis.model.run import ModelRun
from analysis.protection import (
    HIDDEN_COLUMNS,
    REDACTED_STEP,
    Protected,
    measure_cells,
    noemer_cells,
    protect,
    relations,
    rule_text,
)

MODEL = load_verdeelmodel_config()
DELFT, DEN_HAAG, WASSENAAR = "GM0503", "GM0518", "GM0629"
REGION = dataclasses.replace(load_config(), gemeenten=(DELFT, DEN_HAAG, WASSENAAR),
                             jaar_van=2024, jaar_tot_en_met=2025)
REGIO = REGION.naam
PERIOD = period_label(REGION.jaren)  # "2024-2025"
GROUPS = ("geen", "ouderen", "statushouders")


def hidden(status: np.ndarray) -> np.ndarray:
    return np.asarray(status) != SHOWN


# --- the engine -------------------------------------------------------------------------------


def test_small_counts_are_one_up_to_the_threshold():
    values = np.array([0, 1, 2, 3, 4, 5, 12])
    assert small(values, 5).tolist() == [False, True, True, True, True, False, False]
    status = suppress(values, small(values, 5), np.ones(7, dtype=bool), [])
    assert status.tolist() == [SHOWN, SMALL, SMALL, SMALL, SMALL, SHOWN, SHOWN]


def test_exposed_and_membership():
    relations_ = [np.array([0, 1, 2]), np.array([2, 3])]
    rel, cell = membership(relations_)
    assert rel.tolist() == [0, 0, 0, 1, 1] and cell.tolist() == [0, 1, 2, 2, 3]
    assert exposed(np.array([True, False, False, False]), relations_).tolist() == [0]
    assert exposed(np.array([False, False, True, False]), relations_).tolist() == [0, 1]
    assert exposed(np.array([True, True, False, False]), relations_).tolist() == []


def test_a_row_total_with_one_small_cell_hides_exactly_the_smallest_other():
    # total 30 = 3 + 12 + 7 + 8
    values = np.array([30, 3, 12, 7, 8])
    status = suppress(values, small(values, 5), np.ones(5, dtype=bool), [np.arange(5)])
    assert status.tolist() == [SHOWN, SMALL, SHOWN, SECONDARY, SHOWN]


def test_zeros_are_chosen_only_without_a_non_zero_candidate():
    # total 10 = 3 + 0 + 7: hiding the 0 would tell that the 3 and the total differ by 7
    values = np.array([10, 3, 0, 7])
    status = suppress(values, small(values, 5), np.ones(4, dtype=bool), [np.arange(4)])
    assert status.tolist() == [SHOWN, SMALL, SHOWN, SECONDARY]
    # 8 = 3 + 5 + 0, where only the 3 and the 0 may be hidden: the 0 is the last resort
    values = np.array([8, 3, 5, 0])
    suppressible = np.array([False, True, False, True])
    status = suppress(values, small(values, 5), suppressible, [np.arange(4)])
    assert status.tolist() == [SHOWN, SMALL, SHOWN, SECONDARY]


def two_way_table() -> tuple[np.ndarray, list[np.ndarray]]:
    """A 2 × 2 table with row, column and grand totals, cells numbered row by row:
         3  10 | 13
         8  20 | 28
        ---------+---
        11  30 | 41"""
    values = np.array([3, 10, 13, 8, 20, 28, 11, 30, 41])
    grid = np.arange(9).reshape(3, 3)
    return values, [*grid, *grid.T]


def test_a_cell_two_totals_would_give_away_is_protected_in_both():
    values, relations_ = two_way_table()
    status = suppress(values, small(values, 5), np.ones(9, dtype=bool), relations_)
    # the row gives up its 10, the column its 8, then the 20 closes both: the classic rectangle
    assert np.flatnonzero(hidden(status)).tolist() == [0, 1, 3, 4]
    assert status[0] == SMALL and set(status[[1, 3, 4]]) == {SECONDARY}
    assert not len(exposed(hidden(status), relations_))


def test_a_cell_that_may_not_be_hidden_is_never_chosen():
    # total 20 = 3 + 6 + 11; the 6 is a setting of the model, not to be hidden
    values = np.array([20, 3, 6, 11])
    suppressible = np.array([True, True, False, True])
    status = suppress(values, small(values, 5), suppressible, [np.arange(4)])
    assert status.tolist() == [SHOWN, SMALL, SHOWN, SECONDARY]


def test_a_small_cell_that_cannot_be_protected_fails_loudly():
    values = np.array([10, 3, 7])
    with pytest.raises(ValueError, match="cel 1 is niet te beschermen"):
        suppress(values, small(values, 5), np.array([False, True, False]), [np.arange(3)])


def test_suppression_is_idempotent():
    values, relations_ = two_way_table()
    first = suppress(values, small(values, 5), np.ones(9, dtype=bool), relations_)
    again = suppress(values, hidden(first), np.ones(9, dtype=bool), relations_)
    assert (hidden(again) == hidden(first)).all()
    assert SECONDARY not in set(again)  # nothing more to hide


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.integers(2, 5), st.data())
def test_random_two_way_tables_leave_no_relation_exposed(rows, columns, data):
    inner = np.array(data.draw(st.lists(st.integers(0, 30), min_size=rows * columns,
                                        max_size=rows * columns))).reshape(rows, columns)
    full = np.zeros((rows + 1, columns + 1), dtype=int)
    full[:rows, :columns] = inner
    full[:rows, columns] = inner.sum(axis=1)
    full[rows, :] = full[:rows, :].sum(axis=0)
    grid = np.arange(full.size).reshape(full.shape)
    relations_ = [*grid, *grid.T]
    primary = small(full.ravel(), 5)
    status = suppress(full.ravel(), primary, np.ones(full.size, dtype=bool), relations_)
    assert not len(exposed(hidden(status), relations_))
    assert (hidden(status)[primary]).all() and (status[primary] == SMALL).all()
    assert (status[~primary] != SMALL).all()


# --- protection of a tiny indicator table and model run -------------------------------------

# verhuringen per gemeente and year: geen, ouderen, statushouders
VERHURINGEN = {
    (DELFT, 2024): (100, 20, 10), (DELFT, 2025): (110, 22, 12),
    (DEN_HAAG, 2024): (500, 60, 40), (DEN_HAAG, 2025): (520, 70, 45),
    (WASSENAAR, 2024): (30, 3, 8), (WASSENAAR, 2025): (35, 9, 6),
}
MUTATIES = {(DELFT, 2024): 400, (DELFT, 2025): 410, (DEN_HAAG, 2024): 1500,
            (DEN_HAAG, 2025): 1550, (WASSENAAR, 2024): 140, (WASSENAAR, 2025): 150}
# per year: gemeente, vraag, verwachte mutaties, reeds toegezegd, sociale huurvoorraad, mutaties
MODEL_INPUTS = {
    2024: [(DELFT, 60, 400, 30, 16000, 400), (DEN_HAAG, 300, 1500, 100, 75000, 1500),
           (WASSENAAR, 10, 140, 2, 2600, 140)],
    2025: [(DELFT, 70, 410, 35, 16000, 410), (DEN_HAAG, 320, 1550, 110, 75000, 1550),
           (WASSENAAR, 12, 150, 8, 2600, 150)],
}
POOL = {2024: 20, 2025: 25}
REALISATIE = {2024: {DELFT: 85, DEN_HAAG: 310, WASSENAAR: 25},
              2025: {DELFT: 90, DEN_HAAG: 330, WASSENAAR: 20}}
WIJKEN = {  # aandachtsgroepen among the lettings of two wijken of Wassenaar: (teller, noemer)
    ("WK062900", 2024): (3, 20), ("WK062900", 2025): (8, 25),
    ("WK062901", 2024): (10, 30), ("WK062901", 2025): (12, 30),
}


def indicator_table(verhuringen=VERHURINGEN, mutaties=MUTATIES, region=REGION) -> pd.DataFrame:
    """verhuringen, aandeel_mutaties_doelgroep and verhuringen_route rolled up as the pipeline
    does, plus a few rows the rule must leave alone or follow; the years of `region`."""
    parts = pd.DataFrame([
        {"gemeente": g, "jaar": j, "doelgroep": d, "categorie": ALLE, "teller": n,
         "noemer": mutaties[g, j]}
        for (g, j), counts in verhuringen.items() if j in region.jaren
        for d, n in zip(GROUPS, counts, strict=True)])
    per_group = with_doelgroep_totals(parts)
    # two routes per doelgroep: urgentie gets a fifth (rounded down), regulier the rest
    urgentie = per_group.assign(categorie="urgentie", teller=per_group["teller"] // 5)
    regulier = per_group.assign(categorie="regulier",
                                teller=per_group["teller"] - urgentie["teller"])
    routes = pd.concat([regulier, urgentie], ignore_index=True).drop(columns="noemer")
    voortgang = pd.DataFrame({  # homes, not households: 3 of 4 is published
        "gebiedsniveau": "gemeente", "gebied": WASSENAAR, "periode": "2024",
        "doelgroep": "ouderen", "categorie": "woningen", "teller": [3.0], "noemer": [4.0]})
    key = pd.DataFrame({"gebiedsniveau": "gemeente", "gebied": WASSENAAR, "periode": "2024",
                        "doelgroep": "verdeelafspraak", "categorie": ALLE,
                        "teller": [0.048], "noemer": [1.0]})
    yearly = pd.DataFrame([
        {"gebiedsniveau": "wijk", "gebied": wijk, "periode": str(jaar),
         "doelgroep": AANDACHTSGROEPEN, "categorie": WASSENAAR, "teller": t, "noemer": n}
        for (wijk, jaar), (t, n) in WIJKEN.items() if jaar in region.jaren])
    whole = (yearly.groupby(["gebiedsniveau", "gebied", "doelgroep", "categorie"],
                            as_index=False)[["teller", "noemer"]].sum()
             .assign(periode=period_label(region.jaren)))
    wijken = pd.concat([yearly, whole], ignore_index=True)
    return pd.concat([
        roll_up(per_group.drop(columns="noemer"), "verhuringen", region),
        roll_up(per_group, "aandeel_mutaties_doelgroep", region),
        roll_up(routes, "verhuringen_route", region),
        finish(voortgang, "voortgang_opgeleverd"),
        finish(key, "sleutelaandeel"),
        finish(wijken, "aandeel_aandachtsgroepen_wijk"),
        finish(wijken.assign(teller=wijken["teller"] / wijken["noemer"], noemer=0.4),
               "concentratie_index_wijk"),
    ], ignore_index=True)


def model_run(inputs=MODEL_INPUTS, pool=POOL, realisatie=REALISATIE) -> ModelRun:
    """The verdeelmodel on hand-made inputs, put together as `run_model` does."""
    tables, regional, traces = [], [], []
    for jaar, rows in inputs.items():
        gemeenten = [GemeenteInput(gemeente=g, vraag=v, verwachte_mutaties=m_verwacht,
                                   reeds_toegezegd=r, sociale_huurvoorraad=s, mutaties=m)
                     for g, v, m_verwacht, r, s, m in rows]
        result = distribute(gemeenten, pool[jaar], MODEL)
        table = result.tabel.assign(jaar=jaar,
                                    realisatie=result.tabel["gemeente"].map(realisatie[jaar]))
        table["sleutelaandeel"] = 100 * table["sleutelaandeel"]
        tables.append(table.assign(saldo=table["realisatie"] - table["taakstelling"]))
        regional.append({"jaar": jaar, "vraag_eigen": sum(g.vraag for g in gemeenten),
                         "pool": result.pool, "pool_geplaatst": result.pool_geplaatst,
                         "geplaatst": int(table["taakstelling"].sum()), "tekort": result.tekort})
        traces.append(result.trace_table().assign(jaar=jaar))
    resultaten = pd.concat(tables, ignore_index=True)
    return ModelRun(resultaten=resultaten[["jaar", *resultaten.columns.drop("jaar")]],
                    regio=pd.DataFrame(regional),
                    trace=pd.concat(traces, ignore_index=True)[
                        ["jaar", "nummer", "fase", "gemeente", "tekst"]])


@pytest.fixture(scope="module")
def toy() -> Protected:
    return protect(indicator_table(), model_run(), REGION, MODEL)


def published(frame: pd.DataFrame, indicator: str, gebied: str, periode: str | int,
              doelgroep: str, categorie: str = ALLE) -> pd.Series:
    match = frame[(frame["indicator"] == indicator) & (frame["gebied"] == gebied)
                  & (frame["periode"] == str(periode)) & (frame["doelgroep"] == doelgroep)
                  & (frame["categorie"] == categorie)]
    assert len(match) == 1, (indicator, gebied, periode, doelgroep, categorie)
    return match.iloc[0]


def cell(cells: pd.DataFrame, reeks: str, gebied: str, periode: str | int) -> pd.Series:
    """A cell of the verdeelmodel (doelgroep verdeelafspraak, categorie alle)."""
    match = cells[(cells["reeks"] == reeks) & (cells["gebied"] == gebied)
                  & (cells["periode"] == str(periode))]
    assert len(match) == 1, (reeks, gebied, periode)
    return match.iloc[0]


def model_row(frame: pd.DataFrame, jaar: int, gemeente: str) -> pd.Series:
    return frame[(frame["jaar"] == jaar) & (frame["gemeente"] == gemeente)].iloc[0]


def test_a_small_count_is_hidden_in_the_count_and_in_its_share(toy):
    for indicator in ("verhuringen", "aandeel_mutaties_doelgroep"):
        row = published(toy.indicators, indicator, WASSENAAR, 2024, "ouderen")
        assert row["status"] == SMALL and np.isnan(row["waarde"])
    shown = published(toy.indicators, "verhuringen", WASSENAAR, 2024, "geen")
    assert shown["status"] == SHOWN and shown["waarde"] == 30
    assert published(toy.indicators, "aandeel_mutaties_doelgroep", WASSENAAR, 2024,
                     "geen")["waarde"] == pytest.approx(100 * 30 / 140)


def test_the_region_total_and_the_period_make_a_second_cell_hidden(toy):
    indicators = toy.indicators
    # the region's 83 ouderen in 2024 minus Delft and Den Haag would give Wassenaar's 3:
    # Delft's 20, the smaller of the two, is hidden as well
    assert published(indicators, "verhuringen", DELFT, 2024, "ouderen")["status"] == SECONDARY
    assert published(indicators, "verhuringen", DEN_HAAG, 2024, "ouderen")["status"] == SHOWN
    assert published(indicators, "verhuringen", REGIO, 2024, "ouderen")["waarde"] == 83
    # Wassenaar's 12 over the period minus 2025 would give it too: 2025's 9 is hidden
    assert published(indicators, "verhuringen", WASSENAAR, 2025, "ouderen")["status"] == SECONDARY
    assert published(indicators, "verhuringen", WASSENAAR, PERIOD, "ouderen")["waarde"] == 12


def test_a_share_follows_its_secondarily_hidden_teller(toy):
    row = published(toy.indicators, "aandeel_mutaties_doelgroep", DELFT, 2024, "ouderen")
    assert row["status"] == SECONDARY and np.isnan(row["waarde"])


def test_a_small_route_count_is_protected_by_its_route_and_doelgroep_totals(toy):
    # Wassenaar 2024, urgentie (a fifth, rounded down): statushouders 1 and aandachtsgroepen 2
    # are small; 8 statushouders = 7 regulier + 1 urgentie hides the 7, and the route's 8 for
    # everyone = 6 geen + 2 aandachtsgroepen hides the 6
    expected = {("statushouders", "urgentie"): SMALL, ("aandachtsgroepen", "urgentie"): SMALL,
                ("statushouders", "regulier"): SECONDARY, ("geen", "urgentie"): SECONDARY,
                (ALLE, "urgentie"): SHOWN, ("ouderen", "urgentie"): SHOWN}  # the latter is 0
    for (doelgroep, route), status in expected.items():
        row = published(toy.indicators, "verhuringen_route", WASSENAAR, 2024, doelgroep, route)
        assert row["status"] == status, (doelgroep, route)


def test_no_relation_between_the_toy_cells_is_left_exposed(toy):
    status = hidden(toy.cells["status"])
    for checked in (True, False):
        found = relations(toy.cells, REGION, MODEL, checked=checked)
        assert found and not len(exposed(status, found))
    # every small count is hidden, nothing else is marked small
    assert (toy.cells["status"].eq(SMALL) == toy.cells["primary"]).all()


def test_a_share_with_a_small_denominator_is_hidden():
    # Wassenaar 2024: 8 mutaties, 6 of them let to statushouders (no count is small)
    verhuringen = {**VERHURINGEN, (WASSENAAR, 2024): (0, 0, 6)}
    result = protect(indicator_table(verhuringen, {**MUTATIES, (WASSENAAR, 2024): 8}),
                     model_run(), REGION, MODEL)
    share = published(result.indicators, "aandeel_mutaties_doelgroep", WASSENAAR, 2024,
                      "statushouders")
    assert share["status"] == SMALL and np.isnan(share["waarde"])
    count = published(result.indicators, "verhuringen", WASSENAAR, 2024, "statushouders")
    assert count["status"] == SHOWN and count["waarde"] == 6
    # over the period the noemer is 158: shown
    assert published(result.indicators, "aandeel_mutaties_doelgroep", WASSENAAR, PERIOD,
                     "statushouders")["status"] == SHOWN


def test_figures_without_households_are_never_hidden(toy):
    voortgang = published(toy.indicators, "voortgang_opgeleverd", WASSENAAR, 2024, "ouderen",
                          "woningen")
    assert voortgang["status"] == SHOWN and voortgang["waarde"] == 75  # 3 of 4 homes
    key = published(toy.indicators, "sleutelaandeel", WASSENAAR, 2024, "verdeelafspraak")
    assert key["status"] == SHOWN and key["waarde"] == pytest.approx(4.8)  # its noemer is 1
    unprotected = [i.id for i in catalogue().values() if i.bescherming.soort == "geen"]
    rows = toy.indicators[toy.indicators["indicator"].isin(unprotected)]
    assert len(rows) == 2 and (rows["status"] == SHOWN).all()


def test_an_indicator_that_follows_another_takes_its_status(toy):
    for wijk, jaar, status in (("WK062900", 2024, SMALL), ("WK062900", 2025, SECONDARY),
                               ("WK062901", 2024, SHOWN)):
        for indicator in ("aandeel_aandachtsgroepen_wijk", "concentratie_index_wijk"):
            row = published(toy.indicators, indicator, wijk, jaar, AANDACHTSGROEPEN, WASSENAAR)
            assert row["status"] == status
            assert np.isnan(row["waarde"]) == (status != SHOWN)


def wijk_lettings(region=REGION) -> pd.DataFrame:
    """verhuringen_wijk for the toy's two wijken of Wassenaar, and Wassenaar's total of them."""
    wijk = pd.DataFrame([
        {"gebiedsniveau": "wijk", "gebied": wijk, "periode": str(jaar), "doelgroep": doelgroep,
         "categorie": WASSENAAR, "teller": float(count), "noemer": np.nan}
        for (wijk, jaar), (t, n) in WIJKEN.items() if jaar in region.jaren
        for doelgroep, count in ((AANDACHTSGROEPEN, t), (ALLE, n))])
    whole = (wijk.groupby(["gebiedsniveau", "gebied", "doelgroep", "categorie"],
                          as_index=False)["teller"].sum()
             .assign(periode=period_label(region.jaren), noemer=np.nan))
    gemeente = (wijk.assign(gemeente=WASSENAAR, jaar=wijk["periode"].astype(int),
                            categorie=ALLE)
                .groupby(["gemeente", "jaar", "doelgroep", "categorie"], as_index=False)
                ["teller"].sum())
    return pd.concat([finish(pd.concat([wijk, whole]), "verhuringen_wijk"),
                      roll_up(gemeente, "verhuringen_wijk", region)], ignore_index=True)


def test_a_hidden_wijk_count_is_protected_by_its_gemeente_total():
    result = protect(pd.concat([indicator_table(), wijk_lettings()], ignore_index=True),
                     model_run(), REGION, MODEL)
    rows = result.indicators
    # Wassenaar 2024: 3 + 10 households from aandachtsgroepen in its two wijken; the 13 is
    # published, so the 10 is hidden with the 3, and the share of that wijk with it
    assert published(rows, "verhuringen_wijk", WASSENAAR, 2024, AANDACHTSGROEPEN)["waarde"] == 13
    for wijk, status in (("WK062900", SMALL), ("WK062901", SECONDARY)):
        for indicator in ("verhuringen_wijk", "aandeel_aandachtsgroepen_wijk"):
            row = published(rows, indicator, wijk, 2024, AANDACHTSGROEPEN, WASSENAAR)
            assert row["status"] == status and np.isnan(row["waarde"]), (indicator, wijk)
    # all lettings of the wijken (20 and 30) are no part of that sum and stay published
    assert published(rows, "verhuringen_wijk", "WK062900", 2024, ALLE, WASSENAAR)["waarde"] == 20
    status = hidden(result.cells["status"])
    for checked in (True, False):
        assert not len(exposed(status, relations(result.cells, REGION, MODEL, checked)))


def test_a_noemer_is_the_cell_the_catalogue_names():
    key = pd.DataFrame({"gebiedsniveau": ["wijk"], "gebied": ["WK062900"], "periode": ["2024"],
                        "doelgroep": [AANDACHTSGROEPEN], "categorie": [WASSENAAR]})
    expected = {"verhuringen_wijk/doelgroep": ("wijk", "WK062900", ALLE, WASSENAAR),
                "verhuringen_wijk/regio": ("regio", REGION.naam, AANDACHTSGROEPEN, WASSENAAR),
                "verhuringen_wijk": ("wijk", "WK062900", AANDACHTSGROEPEN, ALLE)}
    for spec, (level, gebied, doelgroep, categorie) in expected.items():
        cell_key = noemer_cells(spec, key, REGION).iloc[0]
        assert (cell_key["reeks"], cell_key["gebiedsniveau"], cell_key["gebied"],
                cell_key["doelgroep"], cell_key["categorie"]) == (
            "verhuringen_wijk", level, gebied, doelgroep, categorie), spec


def measures(noemers: dict[tuple[str, int, str, str], float]) -> pd.DataFrame:
    """inschrijfduur_mediaan (a maat) for cells (gemeente, jaar, doelgroep, categorie) of the
    toy, with the number of lettings it rests on as noemer; none of them, no value."""
    rows = pd.DataFrame([
        {"gebiedsniveau": "gemeente", "gebied": g, "periode": str(j), "doelgroep": d,
         "categorie": c, "waarde": 12.0 if n else np.nan, "teller": np.nan, "noemer": n}
        for (g, j, d, c), n in noemers.items()])
    return finish(rows, "inschrijfduur_mediaan")


def test_a_maat_follows_the_count_it_rests_on_and_its_noemer(toy):
    cells = {  # (gemeente, jaar, doelgroep, categorie): (lettings with a value, status)
        (WASSENAAR, 2024, "ouderen", ALLE): (3, SMALL),  # its count of 3 is small
        (DELFT, 2024, "ouderen", ALLE): (20, SECONDARY),  # its count protects Wassenaar's
        (DEN_HAAG, 2024, "ouderen", ALLE): (60, SHOWN),
        (WASSENAAR, 2024, ALLE, "urgentie"): (8, SMALL),  # a shown count, but under 10
        (WASSENAAR, 2024, "statushouders", "urgentie"): (1, SMALL),
    }
    assert published(toy.indicators, "verhuringen_route", WASSENAAR, 2024, ALLE,
                     "urgentie")["status"] == SHOWN
    without_value = (DEN_HAAG, 2024, "geen", "urgentie")  # its count is published
    noemers = {**{k: n for k, (n, _) in cells.items()}, without_value: 0}
    result = protect(pd.concat([indicator_table(), measures(noemers)]), model_run(), REGION,
                     MODEL)
    for (gemeente, jaar, doelgroep, categorie), (_, status) in cells.items():
        row = published(result.indicators, "inschrijfduur_mediaan", gemeente, jaar, doelgroep,
                        categorie)
        assert row["status"] == status, (gemeente, doelgroep, categorie)
        assert math.isnan(row["teller"]) and math.isnan(row["noemer"])  # never published
    assert published(result.indicators, "inschrijfduur_mediaan", DEN_HAAG, 2024, "ouderen")[
        "waarde"] == 12
    # no figure: left out, so that an empty published value is always a hidden one
    rows = result.indicators[result.indicators["indicator"] == "inschrijfduur_mediaan"]
    assert len(rows) == len(cells)
    assert rows[(rows["gebied"] == DEN_HAAG) & (rows["doelgroep"] == "geen")].empty
    assert (rows["waarde"].isna() == (rows["status"] != SHOWN)).all()
    # a maat is no cell: the counts are protected as without it
    pd.testing.assert_frame_equal(result.cells, toy.cells)


def test_a_maat_rests_on_the_total_of_its_categories():
    key = pd.DataFrame({"gebiedsniveau": ["gemeente"] * 2, "gebied": [DELFT] * 2,
                        "periode": ["2024"] * 2, "doelgroep": [ALLE] * 2,
                        "categorie": ["regulier", ALLE]})
    cells = measure_cells(Protection(soort="maat", reeks="verhuringen_route"), key)
    assert list(zip(cells["reeks"], cells["categorie"], strict=True)) == [
        ("verhuringen_route", "regulier"), ("verhuringen", ALLE)]
    cells = measure_cells(Protection(soort="maat", reeks="verhuringen_urgentie"), key)
    assert list(zip(cells["reeks"], cells["categorie"], strict=True)) == [
        ("verhuringen_urgentie", "regulier"), ("verhuringen_route", "urgentie")]


def test_a_maat_without_its_count_fails_loudly():
    table = pd.concat([indicator_table(), measures({(DELFT, 2024, ALLE, "loting"): 30})])
    with pytest.raises(ValueError, match="'inschrijfduur_mediaan' rust op een aantal dat er "
                                         "niet is"):
        protect(table, model_run(), REGION, MODEL)


def test_the_thresholds_come_from_the_settings():
    region = dataclasses.replace(REGION, openbaarheid=DisclosureSettings(kleinste_aantal=3,
                                                                         kleinste_noemer=200))
    result = protect(indicator_table(), model_run(), region, MODEL)
    count = published(result.indicators, "verhuringen", WASSENAAR, 2024, "ouderen")
    assert count["status"] == SHOWN and count["waarde"] == 3
    assert published(result.indicators, "verhuringen", DELFT, 2024,
                     "ouderen")["status"] == SHOWN
    # Wassenaar's 140 mutaties are now too few for a share, Den Haag's 1.500 are not
    for gemeente, status in ((WASSENAAR, SMALL), (DEN_HAAG, SHOWN)):
        assert published(result.indicators, "aandeel_mutaties_doelgroep", gemeente, 2024,
                         "ouderen")["status"] == status


def test_a_small_commitment_is_hidden_with_the_capacity_it_gives_away(toy):
    results = toy.model.resultaten
    row = model_row(results, 2024, WASSENAAR)  # grensruimte 42 = 2 reeds toegezegd + 40
    assert np.isnan(row["reeds_toegezegd"]) and np.isnan(row["capaciteit"])
    assert row["grensruimte"] == 42
    assert {"reeds_toegezegd", "capaciteit"} <= set(row[HIDDEN_COLUMNS].split(", "))
    cells = toy.cells
    assert cell(cells, "reeds_toegezegd", WASSENAAR, 2024)["status"] == SMALL
    assert cell(cells, "capaciteit", WASSENAAR, 2024)["status"] == SECONDARY
    # the limit room follows from the published mutaties: never hidden
    assert results["grensruimte"].notna().all()
    assert (cells.loc[cells["reeks"] == "grensruimte", "status"] == SHOWN).all()
    # Den Haag's figures are all large and stay
    assert model_row(results, 2024, DEN_HAAG)[HIDDEN_COLUMNS] == ""
    assert model_row(results, 2024, DEN_HAAG)["capaciteit"] == 350


def test_the_model_results_keep_no_small_count(toy):
    counts = ["vraag_eigen", "geplaatst_eigen", "uitgeplaatst", "niet_geplaatst",
              "ontvangen_overloop", "ontvangen_pool", "taakstelling", "realisatie",
              "reeds_toegezegd"]
    values = toy.model.resultaten[counts]
    assert not ((values >= 1) & (values < 5)).any().any()
    assert toy.model.resultaten.notna().any().all()  # no column emptied entirely


def trace_leaks(protected: ModelRun) -> list[str]:
    """Published trace sentences that name a gemeente with a hidden figure that year (the key
    step names no household)."""
    results = protected.resultaten
    names = {code: REGION.gemeente_naam(code) for code in REGION.gemeenten}
    leaks = []
    for jaar, gemeente in zip(results["jaar"], results["gemeente"], strict=True):
        if not model_row(results, jaar, gemeente)[HIDDEN_COLUMNS]:
            continue
        steps = protected.trace[(protected.trace["jaar"] == jaar)
                                & (protected.trace["fase"] != "sleutel")]
        leaks += [text for text in steps["tekst"]
                  if names[gemeente] in text and not text.endswith(REDACTED_STEP)]
    return leaks


def test_the_trace_names_no_hidden_figure(toy):
    assert not trace_leaks(toy.model)
    assert len(toy.model.trace) == len(model_run().trace)  # redacted, not dropped
    texts = " ".join(toy.model.trace["tekst"])
    assert "min 2 reeds toegezegd" not in texts  # Wassenaar 2024
    assert "min 100 reeds toegezegd geeft capaciteit 350" in texts  # Den Haag, nothing hidden
    assert REDACTED_STEP in texts


# One year in which the limit is too tight. PARTLY: Delft has room for 10 of the 25 households
# to be placed elsewhere, so Den Haag and Wassenaar each see one housed elsewhere (uitgeplaatst
# 1), which the steps 'herkomst' and 'splitsing' spell out. NOWHERE: no gemeente has room, and
# Wassenaar's 3 households that fit nowhere are named in the step 'tekort'.
PARTLY = {2024: [(DELFT, 80, 300, 0, 16000, 300), (DEN_HAAG, 352, 1167, 0, 75000, 1167),
                 (WASSENAAR, 43, 134, 0, 2600, 134)]}
NOWHERE = {2024: [(DELFT, 90, 300, 0, 16000, 300), (DEN_HAAG, 350, 1167, 0, 75000, 1167),
                  (WASSENAAR, 43, 134, 0, 2600, 134)]}
ONE_YEAR = dataclasses.replace(REGION, jaar_tot_en_met=2024)


def protect_one_year(inputs: dict) -> Protected:
    run = model_run(inputs, {2024: 20}, {2024: {DELFT: 85, DEN_HAAG: 350, WASSENAAR: 30}})
    return protect(indicator_table(region=ONE_YEAR), run, ONE_YEAR, MODEL)


@pytest.mark.parametrize(("inputs", "column"), [(PARTLY, "uitgeplaatst"),
                                                (NOWHERE, "niet_geplaatst")])
def test_a_tight_year_trace_names_no_hidden_figure(inputs, column):
    protected = protect_one_year(inputs)
    assert np.isnan(model_row(protected.model.resultaten, 2024, WASSENAAR)[column])
    assert not trace_leaks(protected.model)


def test_the_region_shortfall_gives_no_hidden_unplaced_count_away():
    protected = protect_one_year(NOWHERE)
    results, regio = protected.model.resultaten, protected.model.regio.iloc[0]
    unplaced = results["niet_geplaatst"]
    assert unplaced.isna().sum() == 1  # Wassenaar's 3
    recomputed = (regio["tekort"] - regio["pool"] + regio["pool_geplaatst"]
                  - unplaced.sum(skipna=True))
    assert recomputed != 3


def test_a_small_pool_is_hidden_in_the_region_totals():
    run = model_run(pool={2024: 3, 2025: 25})
    regio = protect(indicator_table(), run, REGION, MODEL).model.regio
    year = regio[regio["jaar"] == 2024].iloc[0]
    assert np.isnan(year["pool_geplaatst"])  # 3, all placed
    assert np.isnan(year["pool"])


def test_rule_text_states_the_thresholds():
    assert "1 tot en met 4 huishoudens" in rule_text(DisclosureSettings())
    assert "minder dan 10 huishoudens" in rule_text(DisclosureSettings())
    text = rule_text(DisclosureSettings(kleinste_aantal=3, kleinste_noemer=25))
    assert "1 tot en met 2 huishoudens" in text and "minder dan 25 huishoudens" in text


# --- settings and catalogue -----------------------------------------------------------------

BASE = "regio: {naam: X, gemeenten: [GM0503]}\nperiode: {van: 2021, tot_en_met: 2025}\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "regio.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_disclosure_block_is_read(tmp_path: Path):
    assert load_config().openbaarheid == DisclosureSettings(kleinste_aantal=5, kleinste_noemer=10)
    assert load_config(write(tmp_path, BASE)).openbaarheid == DisclosureSettings()
    config = load_config(write(tmp_path, f"{BASE}openbaarheid: {{kleinste_aantal: 3, "
                                         "kleinste_noemer: 20}"))
    assert config.openbaarheid == DisclosureSettings(kleinste_aantal=3, kleinste_noemer=20)


@pytest.mark.parametrize(("text", "message"), [
    ("openbaarheid: 5", "instelling 'openbaarheid': verwacht een mapping met drempels"),
    ("openbaarheid: {drempel: 3}", "instelling 'openbaarheid.drempel': onbekende instelling"),
    ("openbaarheid: {kleinste_aantal: 0}",
     "instelling 'openbaarheid.kleinste_aantal': verwacht een positief geheel getal, gevonden 0"),
    ("openbaarheid: {kleinste_noemer: -10}",
     "instelling 'openbaarheid.kleinste_noemer': verwacht een positief geheel getal, "
     "gevonden -10"),
    ("openbaarheid: {kleinste_aantal: 2.5}",
     "instelling 'openbaarheid.kleinste_aantal': verwacht een positief geheel getal"),
    ("openbaarheid: {kleinste_aantal: true}",
     "instelling 'openbaarheid.kleinste_aantal': verwacht een positief geheel getal, "
     "gevonden True"),
    ("openbaarheid: {kleinste_aantal: 10, kleinste_noemer: 5}",
     "instelling 'openbaarheid.kleinste_noemer': mag niet kleiner zijn dan kleinste_aantal (10)"),
])
def test_a_bad_disclosure_block_is_a_clear_error(tmp_path: Path, text, message):
    path = write(tmp_path, f"{BASE}{text}")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value)
    assert message in str(info.value)


@pytest.fixture
def catalogue_text(monkeypatch):
    """Replace the text `catalogue()` reads; the cache is cleared before and after."""
    module = sys.modules[catalogue.__module__]
    original = resources.files(module.__package__).joinpath("catalogus.yml").read_text(
        encoding="utf-8")

    class Files:
        def __init__(self, text: str) -> None:
            self.text = text

        def joinpath(self, _name: str) -> Files:
            return self

        def read_text(self, encoding: str) -> str:
            return self.text

    def use(old: str, new: str) -> None:
        assert old in original
        text = original.replace(old, new, 1)
        monkeypatch.setattr(module, "resources",
                            SimpleNamespace(files=lambda _package: Files(text)))
        catalogue.cache_clear()

    yield use
    monkeypatch.undo()
    catalogue.cache_clear()


@pytest.mark.parametrize(("bescherming", "message"), [
    ("aantal", "bescherming verwacht soort"),
    ("{soort: telling}", "bescherming verwacht soort"),
    ("{reeks: verhuringen_route}", "bescherming verwacht soort"),
    ("{soort: aantal, drempel: 3}", "bescherming verwacht soort"),
    ("{soort: aantal, categorie: herkomst}", "bescherming verwacht soort"),
    ("{soort: volgt}", "bescherming verwacht soort"),
    ("{soort: aantal, volgt: verhuringen_route}", "bescherming verwacht soort"),
    ("{soort: maat}", "reeks (verplicht bij soort maat)"),
    ("{soort: aandeel, reeks: verhuur}", "verwijst naar onbekende indicator 'verhuur'"),
    ("{soort: aantal, som: verhuur/urgentie}", "verwijst naar onbekende indicator 'verhuur'"),
])
def test_a_malformed_protection_fails_loudly(catalogue_text, bescherming, message):
    catalogue_text("  bescherming: {soort: aantal}\n", f"  bescherming: {bescherming}\n")
    with pytest.raises(ValueError, match="indicator 'verhuringen'") as info:
        catalogue()
    assert message in str(info.value)


def test_the_catalogue_reads_the_protection(catalogue_text):
    protection = catalogue()["aandeel_eigen_herkomst"].bescherming
    assert (protection.soort, protection.reeks, protection.categorie) == (
        "aandeel", "herkomst_bestemming", "gebied")
    assert protection.counted and not catalogue()["saldo"].bescherming.counted
    catalogue_text("  bescherming: {soort: aantal}\n", "  bescherming: {soort: geen}\n")
    assert catalogue()["verhuringen"].bescherming.soort == "geen"


# --- the demo build -------------------------------------------------------------------------

WIJK_FILE = (Path(__file__).resolve().parents[2] / "shared" / "data" / "geo"
             / "haaglanden_wijk_2025_rd.geojson")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo data built without map boundaries (fast); lettings get wijk codes when the shared
    wijk boundaries are there, so the wijk indicators are protected too."""
    from analysis.build import build
    from analysis.demo import generate_demo

    root = tmp_path_factory.mktemp("disclosure_demo")
    region = dataclasses.replace(load_config(), geo=GeoSettings(map=root / "geen_grenzen"))
    generate_demo(root / "raw", config=region,
                  wijken=WIJK_FILE if WIJK_FILE.is_file() else None)
    _, analysis = build(root / "raw", root / "processed", region, MODEL)
    cells = pd.read_parquet(root / "processed" / "openbaarheid_cellen.parquet")
    published_ = pd.read_parquet(root / "processed" / "openbaar_indicatoren.parquet")
    return analysis, cells, published_


def test_the_demo_build_leaves_no_relation_exposed(demo):
    analysis, cells, _ = demo
    status = hidden(cells["status"])
    assert status.any() and (cells["status"] == SECONDARY).any()
    found = relations(cells, analysis.region, analysis.model_config, checked=True)
    assert len(found) > 1000 and not len(exposed(status, found))
    assert (cells.loc[cells["primary"], "status"] == SMALL).all()


def test_the_demo_build_publishes_no_hidden_value(demo):
    analysis, _, published_ = demo
    assert (published_["status"] != SHOWN).any()
    withheld = published_.loc[published_["status"] != SHOWN, ["waarde", "teller", "noemer"]]
    assert withheld.isna().all().all()
    counted = [i.id for i in catalogue().values() if i.bescherming.soort == "aantal"]
    counts = published_[published_["indicator"].isin(counted) & (published_["status"] == SHOWN)]
    assert not counts["waarde"].between(1, 4).any()
    results = analysis.published.model.resultaten
    assert not results[["vraag_eigen", "ontvangen_pool", "reeds_toegezegd"]].isin(
        [1, 2, 3, 4]).any().any()


def recomputed_from_shares(published_: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """A reader's view: a published share and its published teller count give the noemer
    (noemer = teller × 100 / share)."""
    key = ["gebiedsniveau", "gebied", "periode", "doelgroep", "categorie"]
    shares = published_[(published_["indicator"] == indicator) & (published_["status"] == SHOWN)
                        & (published_["waarde"] > 0)]
    counts = published_[published_["indicator"] == "herkomst_bestemming"][[*key, "waarde"]]
    shares = shares[[*key, "waarde"]].merge(counts, on=key, suffixes=("", "_teller"))
    return shares.assign(noemer=(shares["waarde_teller"] * 100 / shares["waarde"]).round())


def test_the_origin_shares_give_no_hidden_origin_away(demo):
    _, cells, published_ = demo
    key = ["gebiedsniveau", "gebied", "periode", "doelgroep"]
    origins = cells[(cells["reeks"] == "herkomst_bestemming")
                    & ~cells["categorie"].isin(["onbekend", ALLE])]
    is_hidden = origins["status"] != SHOWN
    summary = origins.assign(shown=origins["value"].where(~is_hidden, 0),
                             hidden_value=origins["value"].where(is_hidden, 0),
                             hidden=is_hidden).groupby(key)[
        ["shown", "hidden_value", "hidden"]].sum().reset_index()
    noemers = recomputed_from_shares(published_, "aandeel_herkomst").drop_duplicates(key)
    found = noemers.merge(summary[summary["hidden"] == 1], on=key)
    given_away = found[found["noemer"] - found["shown"] == found["hidden_value"]]
    assert given_away.empty, given_away.head()


def test_the_destination_shares_give_no_hidden_region_count_away(demo):
    _, cells, published_ = demo
    regio = cells[(cells["reeks"] == "herkomst_bestemming") & (cells["gebiedsniveau"] == "regio")
                  & (cells["status"] != SHOWN)][["periode", "doelgroep", "categorie", "value"]]
    noemers = recomputed_from_shares(published_, "aandeel_bestemming")
    given_away = noemers.merge(regio, on=["periode", "doelgroep", "categorie"])
    given_away = given_away[given_away["noemer"] == given_away["value"]]
    assert given_away.empty, given_away.head()
