"""Waiting times and chances: the optional SVH columns present and absent, their indicators
worked out by hand on the twelve lettings of rawdata.py, and what the reports make of them."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd
import pytest

from analysis.build import analyse, build
from analysis.config import GeoSettings, load_config
from analysis.disclosure import SHOWN
from analysis.ingest import ingest
from analysis.model import load_verdeelmodel_config
from analysis.processed import load_processed
from analysis.report import wachttijden
from analysis.report.data import load_report_data
from analysis.tables import MISSING, SUPPRESSED
from conftest import assert_refused, rewrite
from rawdata import WAITING_HEADER, with_waiting_times, write_valid_raw

REGION = load_config()
MODEL = load_verdeelmodel_config()
PERIOD = "2021-2025"
REGIO = REGION.naam
INDICATORS = ("inschrijfduur_mediaan", "zoekduur_mediaan", "reacties_per_advertentie")


def write_raw(folder: Path, edit=with_waiting_times) -> Path:
    """The hand-written raw files, the lettings changed by `edit` (None: as they are)."""
    write_valid_raw(folder)
    if edit is not None:
        rewrite(folder, "verhuringen", edit)
    return folder


def only(*keep: str):
    """An edit that adds the waiting-time columns `keep` only."""
    def edit(header: list[str], rows: list[list[str]]) -> None:
        with_waiting_times(header, rows)
        dropped = [header.index(c) for c in WAITING_HEADER if c not in keep]
        for line in [header, *rows]:
            for position in sorted(dropped, reverse=True):
                del line[position]
    return edit


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    """The analysis with the waiting-time columns, and without them."""
    out = {}
    for name, edit in (("with", with_waiting_times), ("without", None)):
        root = tmp_path_factory.mktemp(name)
        ingest(write_raw(root / "raw", edit), root / "processed", REGION)
        out[name] = analyse(load_processed(root / "processed"), REGION, MODEL)
    return out


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """What the reports read after a build with all, some and none of the columns."""
    out = {}
    for name, edit in (("with", with_waiting_times), ("some", only("inschrijfduur")),
                       ("without", None)):
        root = tmp_path_factory.mktemp(f"report_{name}")
        region = dataclasses.replace(REGION, geo=GeoSettings(map=root / "geen_grenzen"))
        build(write_raw(root / "raw", edit), root / "processed", region, MODEL)
        out[name] = load_report_data(root / "processed")
    return out


def value(table: pd.DataFrame, indicator: str, gebied: str, periode: str = PERIOD,
          doelgroep: str = "alle", categorie: str = "alle") -> pd.Series:
    rows = table[(table["indicator"] == indicator) & (table["gebied"] == gebied)
                 & (table["periode"] == periode) & (table["doelgroep"] == doelgroep)
                 & (table["categorie"] == categorie)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# --- the contract ----------------------------------------------------------------------------

def test_the_columns_are_optional(tmp_path):
    result = ingest(write_raw(tmp_path / "raw", None), tmp_path / "processed", REGION)
    assert not result.warnings
    lettings = pd.read_parquet(tmp_path / "processed" / "verhuringen.parquet")
    assert lettings[list(WAITING_HEADER)].isna().all().all()


def test_the_columns_are_read(tmp_path):
    ingest(write_raw(tmp_path / "raw"), tmp_path / "processed", REGION)
    lettings = pd.read_parquet(tmp_path / "processed" / "verhuringen.parquet")
    lettings = lettings.set_index("verhuring_id")
    assert lettings.at["V011", "inschrijfduur"] == pytest.approx(24.5)  # decimal comma
    assert lettings.at["V001", "zoekduur"] == 40 and lettings.at["V001", "reacties"] == 250
    assert str(lettings["reacties"].dtype) == "Int64"
    direct = ["V004", "V005", "V010", "V012"]
    assert lettings.loc[direct, ["zoekduur", "reacties"]].isna().all().all()


@pytest.mark.parametrize(("column", "cell", "message"), [
    ("inschrijfduur", "-3", "kolom 'inschrijfduur': waarde is kleiner dan 0 (waarde: '-3')"),
    ("inschrijfduur", "2024", "kolom 'inschrijfduur': waarde is groter dan 600 "
                              "(waarde: '2024')"),
    ("zoekduur", "veel", "kolom 'zoekduur': waarde kan niet worden gelezen (waarde: 'veel')"),
    ("reacties", "12,5", "kolom 'reacties': waarde kan niet worden gelezen (waarde: '12,5'); "
                         "verwacht: een geheel getal"),
    ("reacties", "-1", "kolom 'reacties': waarde is kleiner dan 0 (waarde: '-1')"),
    ("zoekduur", "120", "kolom 'zoekduur': is langer dan de inschrijfduur (zoeken begint na de "
                        "inschrijving) (waarde: '120')"),
])
def test_a_bad_waiting_time_is_refused(cli, raw, processed, column, cell, message):
    def bad(header, rows):
        with_waiting_times(header, rows)
        rows[2][header.index(column)] = cell  # V003, line 4

    rewrite(raw, "verhuringen", bad)
    assert_refused(cli, raw, processed, f"svh_verhuringen.csv, regel 4, {message}")


# --- the indicators, by hand -----------------------------------------------------------------

def test_the_median_inschrijfduur(analysed):
    t = analysed["with"].indicators
    # all twelve: 2 3 4 5 7 9 | 18 24,5 30 60 96 110
    row = value(t, "inschrijfduur_mediaan", REGIO)
    assert (row["waarde"], row["noemer"]) == (13.5, 12) and math.isnan(row["teller"])
    assert value(t, "inschrijfduur_mediaan", "GM0518")["waarde"] == 9  # V001 96, V010 3, V012 9
    assert value(t, "inschrijfduur_mediaan", "GM0503")["waarde"] == 14.75  # 5 and 24,5
    assert value(t, "inschrijfduur_mediaan", REGIO, "2025")["waarde"] == 9  # 3, 9, 24,5
    assert value(t, "inschrijfduur_mediaan", REGIO, categorie="regulier")["waarde"] == 96
    assert value(t, "inschrijfduur_mediaan", REGIO, categorie="urgentie")["waarde"] == 6
    assert value(t, "inschrijfduur_mediaan", REGIO, doelgroep="ouderen")["waarde"] == 85
    # nine households of aandachtsgroepen: 2 3 4 5 7 9 24,5 60 110
    row = value(t, "inschrijfduur_mediaan", REGIO, doelgroep="aandachtsgroepen")
    assert (row["waarde"], row["noemer"]) == (7, 9)


def test_the_region_median_comes_from_the_lettings_not_from_the_gemeenten(analysed):
    t = analysed["with"].indicators
    gemeenten = t[(t["indicator"] == "inschrijfduur_mediaan") & (t["gebiedsniveau"] == "gemeente")
                  & (t["periode"] == PERIOD) & (t["doelgroep"] == "alle")
                  & (t["categorie"] == "alle") & (t["noemer"] > 0)]
    assert len(gemeenten) == 9 and gemeenten["waarde"].median() == 14.75
    assert value(t, "inschrijfduur_mediaan", REGIO)["waarde"] == 13.5


def test_the_median_zoekduur_leaves_direct_mediation_out(analysed):
    t = analysed["with"].indicators
    row = value(t, "zoekduur_mediaan", REGIO)  # 1 3 4 6 | 12 20 40 50
    assert (row["waarde"], row["noemer"]) == (9, 8)
    status = value(t, "zoekduur_mediaan", REGIO, categorie="statushouder")
    assert status["noemer"] == 0 and math.isnan(status["waarde"])  # a row, without a figure


def test_the_reacties_per_advert_are_a_ratio_of_sums(analysed):
    t = analysed["with"].indicators
    row = value(t, "reacties_per_advertentie", REGIO)
    assert (row["teller"], row["noemer"]) == (1525, 8)
    assert row["waarde"] == pytest.approx(1525 / 8)
    row = value(t, "reacties_per_advertentie", "GM0503")  # V002 120, V011 200
    assert (row["teller"], row["noemer"], row["waarde"]) == (320, 2, 160)
    assert value(t, "reacties_per_advertentie", REGIO,
                 categorie="regulier")["waarde"] == 250  # (250 + 300 + 200) / 3


def test_every_cell_of_the_counts_is_a_row(analysed):
    t = analysed["with"].indicators
    counts = t[t["indicator"] == "verhuringen_route"]
    for indicator in INDICATORS:
        rows = t[(t["indicator"] == indicator) & (t["categorie"] != "alle")]
        assert len(rows) == len(counts), indicator


def test_without_the_columns_there_are_no_rows(analysed):
    t = analysed["without"].indicators
    assert not t["indicator"].isin(INDICATORS).any()
    assert (t["indicator"] == "verhuringen").any()


# --- the protection on the hand-written lettings ----------------------------------------------

def test_a_maat_over_few_lettings_is_not_published(analysed):
    published = analysed["with"].published.indicators
    # the region over the period rests on 12 lettings: shown, but without teller and noemer
    row = value(published, "inschrijfduur_mediaan", REGIO)
    assert row["status"] == SHOWN and row["waarde"] == 13.5
    assert math.isnan(row["noemer"]) and math.isnan(row["teller"])
    # 8 lettings with a zoekduur: fewer than the smallest noemer (10)
    assert value(published, "zoekduur_mediaan", REGIO)["status"] == "klein"
    # one gemeente's three lettings are a small count: the maat follows it
    row = value(published, "inschrijfduur_mediaan", "GM0518")
    assert row["status"] != SHOWN and math.isnan(row["waarde"])


# --- the reports -----------------------------------------------------------------------------

def test_the_report_says_when_the_columns_are_absent(reports):
    data = reports["without"]
    assert wachttijden.missing(data) == list(wachttijden.COLUMNS)
    sentence = ("De aangeleverde verhuurgegevens bevatten geen inschrijfduur, zoekduur of "
                "aantal reacties; deze paragraaf blijft daarom leeg.")
    assert wachttijden.absent_text(data) == sentence
    assert wachttijden.summary(data) == sentence
    assert wachttijden.summary(data, "GM0503") == sentence
    assert wachttijden.doelgroep_summary(data, "ouderen") == sentence
    table = wachttijden.route_table(data)
    assert (table[list(wachttijden.COLUMNS.values())] == MISSING).all().all()


def test_the_report_names_the_columns_that_are_absent(reports):
    data = reports["some"]
    assert wachttijden.missing(data) == ["zoekduur_mediaan", "reacties_per_advertentie"]
    assert wachttijden.absent_text(data) == ("De aangeleverde verhuurgegevens bevatten geen "
                                             "zoekduur of aantal reacties; in de tabellen "
                                             "blijven die kolommen leeg.")
    summary = wachttijden.summary(data)
    assert summary.startswith("Wie in 2021-2025 in Haaglanden een sociale huurwoning kreeg, "
                              "stond mediaan 14 maanden ingeschreven.")
    assert summary.endswith(wachttijden.absent_text(data))


def test_hidden_and_missing_figures_in_the_route_table(reports):
    table = wachttijden.route_table(reports["with"]).set_index("Toewijzingsroute")
    assert list(table.index)[-1] == wachttijden.EVERY_ROUTE
    assert table.loc[wachttijden.EVERY_ROUTE, "Verhuringen"] == 12
    assert table.loc[wachttijden.EVERY_ROUTE, "Mediane inschrijfduur (maanden)"] == "14"
    assert table.loc[wachttijden.EVERY_ROUTE, "Mediane zoekduur (maanden)"] == SUPPRESSED
    assert table.loc["Statushouder", "Mediane inschrijfduur (maanden)"] == SUPPRESSED
    assert "Loting" in table.index  # one letting: hidden, still listed
    assert table.attrs["codes"]["Toewijzingsroute"][-1] == "alle"


def test_the_demo_tables(data):
    table = wachttijden.route_table(data).set_index("Toewijzingsroute")
    regulier = table.loc["Regulier (inschrijfduur)"]
    assert 84 <= int(regulier["Mediane inschrijfduur (maanden)"]) <= 108
    assert int(regulier["Reacties per advertentie (gemiddeld)"].replace(".", "")) > 150
    for route in ("Statushouder", "Bemiddeling uitstroom"):
        assert int(table.loc[route, "Mediane inschrijfduur (maanden)"]) <= 12
        assert table.loc[route, "Mediane zoekduur (maanden)"] == MISSING
        assert table.loc[route, "Reacties per advertentie (gemiddeld)"] == MISSING
    groups = wachttijden.doelgroep_table(data)
    assert list(groups["Doelgroep"][:3]) == ["Alle huishoudens", "Geen aandachtsgroep",
                                             "Aandachtsgroepen samen"]
    assert groups.attrs["codes"]["Doelgroep"][:3] == ["alle", "geen", "aandachtsgroepen"]
    gemeenten = wachttijden.gemeente_table(data)
    assert len(gemeenten) == len(data.region.gemeenten) + 1
    assert gemeenten["Gemeente"].iloc[-1] == data.region.naam
    assert (gemeenten[list(wachttijden.COLUMNS.values())] != SUPPRESSED).all().all()
    assert wachttijden.absent_text(data) == ""


def test_the_demo_sentences(data):
    summary = wachttijden.summary(data)
    assert f"Wie in {data.period} in {data.region.naam} een sociale huurwoning kreeg" in summary
    assert "jaar ingeschreven (via de reguliere route" in summary
    assert "met urgentie" in summary and "maanden)" in summary
    assert "Op een advertentie kwamen gemiddeld" in summary
    ouderen = wachttijden.doelgroep_summary(data, "ouderen")
    assert ouderen.startswith("Huishoudens uit deze doelgroep die in")
    assert "(alle nieuwe huurders: " in ouderen and "De mediane zoekduur was" in ouderen
    statushouders = wachttijden.doelgroep_summary(data, "statushouders")
    assert "maanden ingeschreven" in statushouders
    assert "geen zoekduur bekend" in statushouders


def test_durations_read_as_months_or_years():
    assert wachttijden.duration(1) == "1 maand"
    assert wachttijden.duration(6.4) == "6 maanden"
    assert wachttijden.duration(23.4) == "23 maanden"
    assert wachttijden.duration(23.5) == "2,0 jaar"
    assert wachttijden.duration(97) == "8,1 jaar"
