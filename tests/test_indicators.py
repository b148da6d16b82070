"""Indicators on the twelve hand-written lettings of rawdata.py, with answers worked out by hand,
and consistency checks on the demo build."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from analysis.analyse import analyse
from analysis.config import load_config
from analysis.indicators import catalogue
from analysis.model import load_verdeelmodel_config


@pytest.fixture(scope="module")
def small(small_processed):
    return analyse(small_processed, load_config(), load_verdeelmodel_config())


def value(table: pd.DataFrame, indicator: str, gebied: str, periode: str, doelgroep: str = "alle",
          categorie: str = "alle") -> pd.Series:
    rows = table[(table["indicator"] == indicator) & (table["gebied"] == gebied)
                 & (table["periode"] == periode) & (table["doelgroep"] == doelgroep)
                 & (table["categorie"] == categorie)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_lettings_counts(small):
    t = small.indicators
    assert value(t, "verhuringen", "GM0518", "2025")["waarde"] == 2  # V010, V012
    assert value(t, "verhuringen", "GM0518", "2021-2025")["waarde"] == 3  # + V001
    assert value(t, "verhuringen", "Haaglanden", "2021-2025")["waarde"] == 12
    assert value(t, "verhuringen", "Haaglanden", "2021-2025", "aandachtsgroepen")["waarde"] == 9
    assert value(t, "verhuringen", "GM1842", "2023")["waarde"] == 0  # zeros are rows too
    assert value(t, "verhuringen_route", "Haaglanden", "2021-2025", "alle",
                 "urgentie")["waarde"] == 2  # V002, V007
    assert value(t, "verhuringen_urgentie", "GM1842", "2024", "alle",
                 "uitstroom_detentie")["waarde"] == 1  # V007


def test_share_of_mutaties_under_the_limit(small):
    t = small.indicators
    # GM0518 2025: V010 (route uitstroom) counts; V012 woonwagenbewoners (bemiddeling) does not.
    row = value(t, "aandeel_mutaties_aandachtsgroepen", "GM0518", "2025")
    assert (row["teller"], row["noemer"]) == (1, 75)
    assert row["waarde"] == pytest.approx(100 / 75)
    # GM0603 2023: V005 statushouder counts, but not in the variant without statushouders.
    assert value(t, "aandeel_mutaties_aandachtsgroepen", "GM0603", "2023")["teller"] == 1
    assert value(t, "aandeel_mutaties_aandachtsgroepen_zonder_statushouders", "GM0603",
                 "2023")["teller"] == 0
    # Region, whole period: V002 V004 V005 V007 V010 count (5) over 9 gemeenten × 5 years × 75.
    region = value(t, "aandeel_mutaties_aandachtsgroepen", "Haaglanden", "2021-2025")
    assert (region["teller"], region["noemer"]) == (5, 3375)
    assert region["waarde"] == pytest.approx(500 / 3375)


def test_inflow_rates(small):
    t = small.indicators
    # GM0503 2021: V002 (beperking) per 23.000 households and per 1.200 social homes.
    row = value(t, "instroom_per_1000_huishoudens", "GM0503", "2021", "aandachtsgroepen")
    assert row["waarde"] == pytest.approx(1000 / 23000)
    row = value(t, "instroom_per_100_sociale_huurwoningen", "GM0503", "2021", "beperking")
    assert row["waarde"] == pytest.approx(100 / 1200)
    # Period figure: the mean per year, Σ inflow / Σ households (5 years × 23.000).
    row = value(t, "instroom_per_1000_huishoudens", "GM0503", "2021-2025", "aandachtsgroepen")
    assert (row["teller"], row["noemer"]) == (2, 115000)  # V002, V011 (studenten)


def test_origin(small):
    t = small.indicators
    assert value(t, "aandeel_eigen_herkomst", "GM1916", "2022")["waarde"] == 0  # V004 from GM0518
    assert value(t, "aandeel_eigen_herkomst", "GM0518", "2021")["waarde"] == 100  # V001
    unknown_only = value(t, "aandeel_eigen_herkomst", "GM0503", "2025")  # V011 'onbekend'
    assert unknown_only["noemer"] == 0 and math.isnan(unknown_only["waarde"])
    assert value(t, "herkomst_bestemming", "GM1926", "2024", "alle",
                 "buiten_regio")["waarde"] == 1  # V008 from Rotterdam
    assert value(t, "herkomst_bestemming", "GM1916", "2022", "uitstroom_vrouwenopvang",
                 "GM0518")["waarde"] == 1
    assert value(t, "herkomst_bestemming", "Haaglanden", "2021-2025", "alle",
                 "buitenland")["waarde"] == 1  # V005


def test_housing_task_progress(small):
    t = small.indicators
    row = value(t, "voortgang_opgeleverd", "GM0518", "2024", "ouderen", "woningen")
    assert (row["teller"], row["noemer"], row["waarde"]) == (120, 300, 40)
    row = value(t, "voortgang_met_harde_plannen", "Haaglanden", "2024-2026", "woonwagenbewoners",
                "standplaatsen")
    assert (row["teller"], row["noemer"], row["waarde"]) == (0, 3, 0)
    # Hard plans without an agreed task give no progress figure at all.
    assert t[(t["indicator"] == "voortgang_met_harde_plannen")
             & (t["doelgroep"] == "uitstroom_bw")].empty


def test_model_on_small_data(small):
    # 2022: the only modelled letting is V004 (vrouwenopvang → the regional pool, 1 household).
    # Equal stock and mutaties give every gemeente key 1/9; the tie goes to the lowest code.
    year = small.model.resultaten.query("jaar == 2022").set_index("gemeente")
    assert year["taakstelling"].sum() == 1 and year.at["GM0503", "taakstelling"] == 1
    assert year.at["GM1916", "realisatie"] == 1
    assert year.at["GM1916", "saldo"] == 1 and year.at["GM0503", "saldo"] == -1
    region = small.model.regio.set_index("jaar")
    assert region.at[2022, "pool"] == 1 and region.at[2022, "tekort"] == 0
    t = small.indicators
    assert value(t, "saldo", "GM0503", "2022", "verdeelafspraak")["waarde"] == -1
    assert value(t, "sleutelaandeel", "Haaglanden", "2022", "verdeelafspraak")["waarde"] == 100
    assert value(t, "sleutelaandeel", "GM0503", "2022",
                 "verdeelafspraak")["waarde"] == pytest.approx(100 / 9)


def test_wijk_concentration(small):
    # Only V001 (WK051801, regular) and V010 (WK051802, uitstroom_mo) carry a wijk code, so the
    # gemeente share over 2021-2025 is 1 of 2 lettings: the index is 0 and 2.
    t = small.indicators
    share = value(t, "aandeel_aandachtsgroepen_wijk", "WK051802", "2021-2025",
                  "aandachtsgroepen", "GM0518")
    assert (share["teller"], share["noemer"], share["waarde"]) == (1, 1, 100)
    for wijk, index in (("WK051801", 0), ("WK051802", 2)):
        row = value(t, "concentratie_index_wijk", wijk, "2021-2025", "aandachtsgroepen", "GM0518")
        assert row["waarde"] == pytest.approx(index)
    assert set(t.loc[t["gebiedsniveau"] == "wijk", "gebied"]) == {"WK051801", "WK051802"}


def test_lettings_per_wijk_add_up_to_the_gemeente(small):
    # GM0518 let 3 homes over 2021-2025; V001 and V010 carry a wijk code, the third does not
    t = small.indicators
    for wijk, everyone, priority in (("WK051801", 1, 0), ("WK051802", 1, 1)):
        for doelgroep, count in (("alle", everyone), ("aandachtsgroepen", priority)):
            row = value(t, "verhuringen_wijk", wijk, "2021-2025", doelgroep, "GM0518")
            assert row["waarde"] == count, (wijk, doelgroep)
    for gebied in ("GM0518", "Haaglanden"):
        assert value(t, "verhuringen_wijk", gebied, "2021-2025")["waarde"] == 2
        assert value(t, "verhuringen_wijk", gebied, "2021-2025",
                     "aandachtsgroepen")["waarde"] == 1
    assert value(t, "verhuringen", "GM0518", "2021-2025")["waarde"] == 3


def test_wijken_above_the_threshold_follow_the_settings(small, small_processed):
    # With 20 lettings needed neither wijk counts; with 1, WK051802 (index 2) does, WK051801
    # (index 0) does not, and a threshold of 2,5 leaves none
    def counts(table):
        rows = table[(table["indicator"] == "wijken_boven_drempel")
                     & (table["periode"] == "2021-2025")]
        return rows.set_index("gebied")["waarde"].to_dict()

    assert counts(small.indicators) == {"GM0518": 0, "Haaglanden": 0}
    config = load_config()
    for threshold, expected in ((1.5, 1), (2.5, 0)):
        signalen = dataclasses.replace(config.signalen, wijk_minimaal_verhuringen=1,
                                       wijk_concentratie=threshold)
        result = analyse(small_processed, dataclasses.replace(config, signalen=signalen),
                         load_verdeelmodel_config())
        assert counts(result.indicators) == {"GM0518": expected, "Haaglanden": expected}


# Consistency on the demo build (built once per test run) --------------------------------------

def _additive(table: pd.DataFrame) -> pd.DataFrame:
    non_additive = {"sleutelaandeel", "concentratie_index_wijk", "aandeel_aandachtsgroepen_wijk",
                    "inschrijfduur_mediaan", "zoekduur_mediaan"}
    return table[~table["indicator"].isin(non_additive)]


def test_every_catalogue_indicator_is_computed(demo_build):
    _, _, analysis = demo_build
    assert set(analysis.indicators["indicator"]) == set(catalogue())


def test_region_is_the_sum_of_the_gemeenten(demo_build):
    _, _, analysis = demo_build
    table = _additive(analysis.indicators)
    keys = ["indicator", "periode", "doelgroep", "categorie"]
    gemeenten = table[table["gebiedsniveau"] == "gemeente"].groupby(keys)[["teller", "noemer"]]
    region = table[table["gebiedsniveau"] == "regio"].set_index(keys)[["teller", "noemer"]]
    summed = gemeenten.sum(min_count=1).reindex(region.index)
    pd.testing.assert_frame_equal(summed, region, check_names=False)


def test_period_is_the_sum_of_the_years(demo_build):
    _, _, analysis = demo_build
    table = _additive(analysis.indicators)
    # Progress is cumulative; a wijk counts above the threshold per period, by its own lettings.
    table = table[~table["indicator"].isin(["voortgang_met_harde_plannen",
                                            "wijken_boven_drempel"])]
    keys = ["indicator", "gebied", "doelgroep", "categorie"]
    years = table[table["periode"].str.len() == 4].groupby(keys)["teller"].sum()
    period = table[table["periode"] == "2021-2025"].set_index(keys)["teller"]
    pd.testing.assert_series_equal(years.reindex(period.index), period, check_names=False)


def test_lettings_equal_mutaties_in_demo(demo_build):
    _, _, analysis = demo_build
    t = analysis.indicators
    everyone = t[(t["indicator"] == "aandeel_mutaties_doelgroep") & (t["doelgroep"] == "alle")]
    assert (everyone["waarde"].round(9) == 100).all()


def test_den_haag_above_the_limit_in_demo(demo_build):
    _, _, analysis = demo_build
    t = analysis.indicators
    shares = t[(t["indicator"] == "aandeel_mutaties_aandachtsgroepen")
               & (t["periode"] == "2021-2025")].set_index("gebied")["waarde"]
    assert shares["GM0518"] > 30
    assert shares.drop(["GM0518", "Haaglanden"]).max() < 30


def test_wijk_concentration_adds_up_to_the_gemeente(demo_build):
    _, _, analysis = demo_build
    t = analysis.indicators
    share = t[(t["indicator"] == "aandeel_aandachtsgroepen_wijk") & (t["periode"] == "2024")]
    per_gemeente = share.groupby("categorie")[["teller", "noemer"]].sum()
    index = t[(t["indicator"] == "concentratie_index_wijk") & (t["periode"] == "2024")]
    assert len(share) == len(index) > 100
    weighted = (index.set_index("gebied")["waarde"] * share.set_index("gebied")["noemer"])
    by_gemeente = weighted.groupby(share.set_index("gebied")["categorie"]).sum()
    pd.testing.assert_series_equal(by_gemeente, per_gemeente["noemer"], check_names=False)


def test_model_run_balances(demo_build):
    _, _, analysis = demo_build
    results, region = analysis.model.resultaten, analysis.model.regio
    per_year = results.groupby("jaar")[["taakstelling", "realisatie", "vraag_eigen"]].sum()
    assert (per_year["taakstelling"] + region.set_index("jaar")["tekort"]
            == per_year["vraag_eigen"] + region.set_index("jaar")["pool"]).all()
    assert (results["taakstelling"] <= results["capaciteit"]).all()
    assert (results["saldo"] == results["realisatie"] - results["taakstelling"]).all()
