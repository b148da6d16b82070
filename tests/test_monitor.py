"""The periodic monitor: periods within the year and their settings, the projection of the limit
share worked out by hand, the figures within the year on the twelve hand-written lettings, their
protection, the monitor's content halfway a year, and the built document in the demo set."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis import periods
from analysis.analyse import analyse
from analysis.build import build
from analysis.config import ConfigError, MonitorSettings, load_config
from analysis.disclosure import SHOWN, exposed, small, suppress
from analysis.indicators.table import AANDACHTSGROEPEN, ALLE
from analysis.model import load_verdeelmodel_config
from analysis.periods import Period
from analysis.protection import relations
from analysis.report import monitor
from analysis.report.data import load_report_data
from analysis.report.signals import Signal, evaluate, grouped, lights, thema_name
from analysis.tables import fmt_percent
from conftest import pdf_pages

MODEL = load_verdeelmodel_config()
BASE = "regio: {naam: X, gemeenten: [GM0503]}\nperiode: {van: 2021, tot_en_met: 2025}\n"
K3 = Period(2025, "kwartaal", 3)


# --- periods ----------------------------------------------------------------------------------


def test_a_period_has_a_label_months_and_a_year_to_date():
    assert K3.label == "2025-K3" and K3.slug == "2025-k3"
    assert K3.months == (7, 9)
    assert (K3.first_day, K3.last_day) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    assert K3.year_to_date == "2025 t/m K3"
    assert K3.text == "januari t/m september 2025"
    assert K3.in_year(2024).year_to_date == "2024 t/m K3"
    # through the last part the year to date is the year itself
    assert Period(2025, "kwartaal", 4).year_to_date == "2025"
    assert Period(2025, "halfjaar", 2).year_to_date == "2025"
    assert Period(2024, "halfjaar", 1).text == "januari t/m juni 2024"
    assert [p.label for p in K3.parts()] == ["2025-K1", "2025-K2", "2025-K3", "2025-K4"]
    assert periods.date_text(dt.date(2025, 12, 31)) == "31 december 2025"


def test_a_period_comes_from_a_date_or_a_label():
    assert periods.containing(dt.date(2025, 8, 3), "kwartaal") == K3
    assert periods.containing(dt.date(2025, 8, 3), "halfjaar") == Period(2025, "halfjaar", 2)
    assert periods.containing(dt.date(2025, 3, 31), "kwartaal").label == "2025-K1"
    assert periods.part("2025-K3") == K3 and periods.part("2025-H1").eenheid == "halfjaar"
    assert periods.through("2025 t/m K3") == K3
    for label in ("2025", "2021-2025", "2025-K5", "2025 t/m K3", "2025-k3"):
        assert periods.part(label) is None, label
    assert periods.through("2025-K3") is None


def test_the_monitor_runs_through_the_part_of_the_latest_letting_or_the_setting():
    config = load_config()
    assert config.monitor == MonitorSettings(eenheid="kwartaal", tot_en_met=None)
    assert config.monitor_period(dt.date(2025, 12, 31)) == Period(2025, "kwartaal", 4)
    assert config.monitor_period(dt.date(2025, 8, 3)) == K3
    halves = dataclasses.replace(config, monitor=MonitorSettings(eenheid="halfjaar"))
    assert halves.monitor_period(dt.date(2025, 8, 3)).label == "2025-H2"
    chosen = dataclasses.replace(config, monitor=MonitorSettings(tot_en_met=K3))
    assert chosen.monitor_period(dt.date(2025, 12, 31)) == K3
    with pytest.raises(ConfigError, match=r"'monitor.tot_en_met': 2025-K3 begint na de laatste "
                                          r"verhuring \(30-06-2025\)"):
        chosen.monitor_period(dt.date(2025, 6, 30))


def test_the_monitor_block_is_read(tmp_path: Path):
    path = tmp_path / "regio.yml"
    path.write_text(f"{BASE}monitor: {{eenheid: halfjaar, tot_en_met: 2024-H1}}\n",
                    encoding="utf-8")
    assert load_config(path).monitor == MonitorSettings("halfjaar", Period(2024, "halfjaar", 1))


@pytest.mark.parametrize(("block", "message"), [
    ("[kwartaal]", "instelling 'monitor': verwacht een mapping met eenheid en tot_en_met"),
    ("{stap: kwartaal}", "instelling 'monitor.stap': onbekende instelling"),
    ("{eenheid: maand}",
     "instelling 'monitor.eenheid': verwacht kwartaal of halfjaar, gevonden 'maand'"),
    ("{tot_en_met: 2025-H1}",
     "instelling 'monitor.tot_en_met': verwacht een kwartaal zoals 2025-K1, of leeg voor het "
     "kwartaal van de laatste verhuring; gevonden '2025-H1'"),
    ("{tot_en_met: 2025}", "instelling 'monitor.tot_en_met': verwacht een kwartaal"),
    ("{eenheid: halfjaar, tot_en_met: 2025-H3}",
     "instelling 'monitor.tot_en_met': verwacht een halfjaar zoals 2025-H1"),
    ("{tot_en_met: 2019-K4}",
     "instelling 'monitor.tot_en_met': 2019-K4 valt buiten de periode 2021–2025"),
])
def test_a_bad_monitor_block_is_a_clear_error(tmp_path: Path, block, message):
    path = tmp_path / "regio.yml"
    path.write_text(f"{BASE}monitor: {block}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value) and message in str(info.value)


# --- the projection, worked out by hand --------------------------------------------------------


def test_the_projection_worked_out_by_hand():
    # 30 of 100 lettings count so far, 50 expected in the rest of the year:
    # Var = 0,3 × 0,7 × 50 / (100 × 150) = 0,0007, √ = 0,026458; × 1,6449 = 0,043520
    found = monitor.project_share(30, 100, 50)
    assert found.share == pytest.approx(0.3)
    assert found.low == pytest.approx(0.3 - 0.043520, abs=1e-6)
    assert found.high == pytest.approx(0.3 + 0.043520, abs=1e-6)
    # more lettings still to come: a wider interval; the share stays what it is so far
    wider = monitor.project_share(30, 100, 300)
    assert wider.share == pytest.approx(0.3) and wider.high - wider.low > found.high - found.low
    # the year complete: the share itself
    assert monitor.project_share(30, 100, 0) == monitor.Projection(0.3, 0.3, 0.3)
    # within 0–1: 1 of 2, a thousand to come (√(0,25 × 1000 / 2004) × 1,6449 = 0,581)
    assert monitor.project_share(1, 2, 1000) == monitor.Projection(0.5, 0.0, 1.0)
    assert monitor.project_share(0, 40, 20) == monitor.Projection(0.0, 0.0, 0.0)


def test_no_projection_without_the_figures():
    assert monitor.project_share(math.nan, 100, 50) is None  # a hidden count
    assert monitor.project_share(3, 10, math.nan) is None  # no figures of last year
    assert monitor.project_share(0, 0, 50) is None  # no lettings yet


# --- the figures within the year, on the twelve hand-written lettings --------------------------


def _analysed(processed, tot_en_met: Period | None):
    region = dataclasses.replace(load_config(), monitor=MonitorSettings(tot_en_met=tot_en_met))
    return analyse(processed, region, MODEL).indicators


@pytest.fixture(scope="module")
def through_k4(small_processed):
    return _analysed(small_processed, None)  # the latest letting: V012 on 31-12-2025


@pytest.fixture(scope="module")
def through_k3(small_processed):
    return _analysed(small_processed, K3)


def value(table: pd.DataFrame, indicator: str, gebied: str, periode: str,
          doelgroep: str = ALLE, column: str = "waarde") -> float:
    rows = table[(table["indicator"] == indicator) & (table["gebied"] == gebied)
                 & (table["periode"] == periode) & (table["doelgroep"] == doelgroep)
                 & (table["categorie"] == ALLE)]
    assert len(rows) == 1, (indicator, gebied, periode, doelgroep)
    return rows.iloc[0][column]


def test_lettings_per_quarter_add_up_to_the_year(through_k4):
    t = through_k4
    # 2024: V007 (15-01, detentie), V008 (20-05, geen), V009 (08-08, ouderen);
    # 2025: V010 (03-03, GM0518), V011 (22-07, GM0503), V012 (31-12, GM0518)
    quarters = {"2024": [1, 1, 1, 0], "2025": [1, 0, 1, 1]}
    for year, counts in quarters.items():
        found = [value(t, "verhuringen", "Haaglanden", f"{year}-K{n}") for n in range(1, 5)]
        assert found == counts
        assert sum(found) == value(t, "verhuringen", "Haaglanden", year)
    assert value(t, "verhuringen", "Haaglanden", "2024-K2", AANDACHTSGROEPEN) == 0  # V008
    assert value(t, "verhuringen", "Haaglanden", "2024-K2", "geen") == 1
    assert value(t, "verhuringen", "GM0518", "2025-K4", AANDACHTSGROEPEN) == 1  # V012
    # every gemeente, doelgroep and year: the quarters are the year; only two years
    sub = t[t["periode"].str.contains("-K")]
    assert set(sub["periode"].str[:4]) == {"2024", "2025"}
    assert set(sub.loc[sub["indicator"] == "verhuringen", "doelgroep"]) == {
        ALLE, "geen", AANDACHTSGROEPEN}
    keys = ["indicator", "gebied", "doelgroep", "categorie"]
    summed = (sub[sub["indicator"] != "aandeel_verhuringen_mutatiegrens"]
              .assign(jaar=sub["periode"].str[:4]).groupby([*keys, "jaar"])["teller"].sum())
    years = t[t["periode"].isin(["2024", "2025"])].rename(columns={"periode": "jaar"})
    assert (summed - years.set_index([*keys, "jaar"])["teller"].reindex(summed.index)
            ).abs().max() == 0
    # through the last quarter there is no year to date apart from the year
    assert not t["periode"].str.contains("t/m").any()


def test_year_to_date_and_the_limit_share_within_the_year(through_k3):
    t = through_k3
    assert value(t, "verhuringen", "Haaglanden", "2025 t/m K3") == 2  # V010, V011
    assert value(t, "verhuringen", "Haaglanden", "2024 t/m K3") == 3
    assert value(t, "verhuringen", "GM0518", "2025 t/m K3") == 1  # not V012 (31-12)
    # V010 (uitstroom) counts for the limit, V011 (studenten, regulier) does not
    share = "aandeel_verhuringen_mutatiegrens"
    assert value(t, share, "Haaglanden", "2025 t/m K3", column="teller") == 1
    assert value(t, share, "Haaglanden", "2025 t/m K3", column="noemer") == 2
    assert value(t, share, "Haaglanden", "2025 t/m K3") == 50
    assert value(t, share, "GM0518", "2025 t/m K3") == 100
    assert value(t, "verhuringen_mutatiegrens", "Haaglanden", "2024 t/m K3") == 1  # V007
    assert math.isnan(value(t, share, "GM0637", "2025-K2"))  # no lettings: no share
    # the share is only a figure within the year
    assert set(t.loc[t["indicator"] == share, "periode"]) == {
        *(f"{y}-K{n}" for y in (2024, 2025) for n in range(1, 5)), "2024 t/m K3", "2025 t/m K3"}


# --- protection -------------------------------------------------------------------------------


def _cells(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"reeks": "verhuringen", "gebiedsniveau": "gemeente", "gebied": "GM0503",
                         "periode": list(values), "doelgroep": AANDACHTSGROEPEN,
                         "categorie": ALLE, "value": list(values.values())})


def test_quarters_add_up_to_the_year_and_the_year_to_date():
    region = load_config()
    cells = _cells({"2021-2025": 99, "2024": 40, "2025": 59, "2025-K1": 20, "2025-K2": 16,
                    "2025-K3": 20, "2025-K4": 3, "2025 t/m K3": 56})
    names = cells["periode"].tolist()
    for checked in (True, False):
        found = {tuple(sorted(names[i] for i in members))
                 for members in relations(cells, region, MODEL, checked)}
        assert found == {
            ("2021-2025", "2024", "2025"),  # years to the period, never its quarters
            ("2025", "2025-K1", "2025-K2", "2025-K3", "2025-K4"),
            ("2025 t/m K3", "2025-K1", "2025-K2", "2025-K3"),
            ("2025", "2025 t/m K3", "2025-K4")}
    # a small last quarter: the year and the year to date must not both stay published
    status = suppress(cells["value"].to_numpy(), small(cells["value"], 5),
                      np.ones(len(cells), dtype=bool), relations(cells, region, MODEL))
    shown = dict(zip(names, status == SHOWN, strict=True))
    assert not shown["2025-K4"] and not (shown["2025"] and shown["2025 t/m K3"])
    assert not len(exposed(status != SHOWN, relations(cells, region, MODEL, checked=False)))


def test_without_all_quarters_no_sum_is_assumed():
    cells = _cells({"2025": 59, "2025-K1": 20, "2025-K2": 16, "2025-K3": 20})
    assert relations(cells, load_config(), MODEL, checked=False) == []


# --- the monitor's content halfway a year (demo data through the third quarter) ---------------


@pytest.fixture(scope="module")
def halfway(demo_build, tmp_path_factory):
    """The demo data built with the monitor set to run through 2025-K3."""
    from conftest import shared_geo_config

    root = tmp_path_factory.mktemp("monitor_k3")
    settings = yaml.safe_load(shared_geo_config(root).tekst)
    settings["monitor"] = {"eenheid": "kwartaal", "tot_en_met": "2025-K3"}
    path = root / "regio.yml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    build(demo_build[0] / "raw", root / "processed", load_config(path), MODEL)
    return load_report_data(root / "processed")


def test_halfway_the_table_compares_the_same_months(halfway):
    data = halfway
    assert monitor.spans(data) == (K3, K3.in_year(2024))
    table = monitor.year_to_date_table(data).set_index("Gemeente")
    region = table.loc["Haaglanden"]
    assert region["Aandachtsgroepen 2025"] == data.values(
        "verhuringen", periode="2025 t/m K3", doelgroep=AANDACHTSGROEPEN)["Haaglanden"]
    quarters = sum(data.values("verhuringen", periode=f"2025-K{n}",
                               doelgroep=AANDACHTSGROEPEN)["Haaglanden"] for n in (1, 2, 3))
    assert region["Aandachtsgroepen 2025"] == quarters
    change = 100 * (region["Aandachtsgroepen 2025"] / region["Aandachtsgroepen 2024"] - 1)
    assert region["Verandering"] == ("+" if change > 0 else "") + fmt_percent(change)
    assert region["Aandeel grens 2025"] == pytest.approx(data.values(
        monitor.WITHIN_YEAR, periode="2025 t/m K3")["Haaglanden"])
    # a hidden figure is 'x', never a guess
    hidden = table["Aandachtsgroepen 2025"].isna()
    assert (table.loc[hidden, "Verandering"] == "x").all()


def test_halfway_the_limit_share_is_projected_with_its_interval(halfway):
    data = halfway
    projection = monitor.limit_projection(data)
    row = projection.loc["Haaglanden"]
    rest = (data.values("verhuringen", periode="2024")["Haaglanden"]
            - data.values("verhuringen", periode="2024 t/m K3")["Haaglanden"])
    assert row["nog_te_verwachten"] == rest > 0
    k = data.values(monitor.WITHIN_YEAR, periode="2025 t/m K3", column="teller")["Haaglanden"]
    n = data.values(monitor.WITHIN_YEAR, periode="2025 t/m K3", column="noemer")["Haaglanden"]
    expected = monitor.project_share(k, n, rest)
    assert row["share"] == pytest.approx(100 * expected.share) == pytest.approx(row["aandeel"])
    assert row["low"] < row["share"] < row["high"]
    text = monitor.limit_text(data)
    assert "90%-interval" in text and "2024" in text
    above = [data.gemeente_name(g) for g, r in projection.drop("Haaglanden").iterrows()
             if r["low"] > 30]
    assert all(name in text for name in above)
    chart = monitor.limit_chart(data)
    assert "90%-interval" in chart.alt and "heel 2025" in chart.caption


# --- the built monitor in the demo set ---------------------------------------------------------


@pytest.fixture(scope="module")
def built(reports, data):
    pdf = reports / f"monitor-{data.monitor_period.slug}.pdf"
    return pdf, pdf_pages(pdf)


def test_the_monitor_is_two_to_four_pages_with_its_sections(built, data, reports):
    pdf, pages = built
    assert pdf.name == "monitor-2025-k4.pdf"  # the demo's latest letting: 31 December 2025
    assert 2 <= len(pages) <= 4
    text = " ".join(" ".join(pages).split())
    for part in ("Monitor huisvesting aandachtsgroepen", "januari t/m december 2025",
                 "Stand van zaken volgens de signalen", "Instroom en verdeling per gemeente",
                 "De grens van 30% van de mutaties", "Woonopgave per doelgroep", "Signalen",
                 "dezelfde maanden van 2024", "Het jaar 2025 is compleet",
                 "DEMO — synthetische gegevens"):
        assert part in text, part
    assert all("DEMO — synthetische gegevens" in page for page in pages)
    html = (reports / pdf.with_suffix(".html").name).read_text(encoding="utf-8")
    assert 'class="kader"' in html and 'class="stoplicht"' in html
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert f'href="{pdf.name}"' in index
    assert "Monitor huisvesting aandachtsgroepen, januari t/m december 2025" in index


def test_the_monitor_shows_a_light_per_thema_of_the_rules(built, data):
    _, pages = built
    text = " ".join(" ".join(pages).split())
    found = evaluate(data)
    for thema, colour in lights(data, found).items():
        count = sum(s.thema == thema for s in found)
        said = "geen signalen" if not count else f"{count} signa"
        assert f"{colour} {thema_name(thema)}: {said}" in text, thema


def test_nothing_of_the_tool_in_the_monitor(built):
    _, pages = built
    text = "\n".join(pages)
    for pattern in (r"[a-z]_[a-z]", r"\.ya?ml\b", r"\]\{|\{\.|:::", r"data/|/tmp/",
                    r"t/m K\d|\d{4}-K\d"):
        assert not re.search(pattern, text), pattern


def test_the_signals_list_stays_short_and_says_how_many_more():
    def signal(rule_id: str, gebied: str, size: float) -> Signal:
        return Signal("midden", f"{gebied} wijkt af.", "verschil boven 25", size, "verdeling",
                      gebied, rule_id)

    found = [signal("verdeling", f"Gemeente {n}", 10 - n) for n in range(5)]
    found.append(signal("andere", "Regio", 1))
    text = grouped(found, per_rule=3)
    assert [line for line in text.splitlines() if line.startswith("- ")] == [
        "- Gemeente 0 wijkt af.", "- Gemeente 1 wijkt af.", "- Gemeente 2 wijkt af.",
        "- en nog 2 signalen volgens deze regel (zie de regionale analyse)",
        "- Regio wijkt af."]
    assert "en nog 1 signaal volgens" in grouped(found[:4], per_rule=3)
    assert "en nog" not in grouped(found)  # the regional report lists them all
