"""Statushouders against their task: the optional task file and the optional household size,
present, absent and wrong; the indicators worked out by hand on the lettings of rawdata.py; what
the reports make of them; and the demo."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from analysis.analyse import analyse
from analysis.build import build
from analysis.config import DisclosureSettings, GeoSettings, load_config
from analysis.disclosure import SHOWN
from analysis.ingest import ingest
from analysis.model import load_verdeelmodel_config
from analysis.processed import load_processed
from analysis.report import statushouders
from analysis.report.appendix import sources_table
from analysis.report.data import load_report_data
from analysis.report.leaks.tables import Table, table_findings
from analysis.report.leaks.text import text_findings
from conftest import assert_refused, rewrite
from rawdata import (
    REGION as GEMEENTEN,
)
from rawdata import (
    TASK_FILE,
    TASK_HEADER,
    more_statushouders,
    task_rows,
    with_household_sizes,
    write_csv,
    write_task,
    write_valid_raw,
)

REGION = load_config()
MODEL = load_verdeelmodel_config()
REGIO = REGION.naam
PERIOD = "2021-2025"
TASK, PERSONS, REALISATION = statushouders.TASK, statushouders.PERSONS, statushouders.REALISATION
SOURCE = "taakstelling_statushouders"
# Without the small-count rule, so the report's sentences can be worked out by hand.
OPEN = dataclasses.replace(REGION, openbaarheid=DisclosureSettings(kleinste_aantal=1,
                                                                   kleinste_noemer=1))
VARIANTS = {"both": (True, True), "task": (True, False), "sizes": (False, True),
            "none": (False, False)}
EARLIER = [[g, "2019", half, "7"] for half in ("1", "2") for g in GEMEENTEN]  # before the period


def write_raw(folder: Path, task: bool = True, sizes: bool = True) -> Path:
    """The hand-written raw files, with the task file and the household sizes (and the two
    extra lettings to statushouders) or without."""
    write_valid_raw(folder)
    if sizes:
        rewrite(folder, "verhuringen", more_statushouders)
    if task:
        write_task(folder)
    return folder


def value(table: pd.DataFrame, indicator: str, gebied: str, periode: str,
          doelgroep: str = "statushouders") -> pd.Series:
    rows = table[(table["indicator"] == indicator) & (table["gebied"] == gebied)
                 & (table["periode"] == periode) & (table["doelgroep"] == doelgroep)
                 & (table["categorie"] == "alle")]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def periods_of(table: pd.DataFrame, indicator: str) -> set[str]:
    return set(table.loc[table["indicator"] == indicator, "periode"])


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    """The analysis of the hand-written data with and without each optional input."""
    out = {}
    for name, (task, sizes) in VARIANTS.items():
        root = tmp_path_factory.mktemp(name)
        ingest(write_raw(root / "raw", task, sizes), root / "processed", REGION)
        out[name] = analyse(load_processed(root / "processed"), REGION, MODEL)
    return out


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """What the reports read after a build without the small-count rule, per variant, and
    with it (`protected`, both inputs)."""
    out = {}
    for name, (task, sizes), region in [*((n, v, OPEN) for n, v in VARIANTS.items()),
                                        ("protected", (True, True), REGION),
                                        ("earlier", (True, True), OPEN)]:
        root = tmp_path_factory.mktemp(f"report_{name}")
        region = dataclasses.replace(region, geo=GeoSettings(map=root / "geen_grenzen"))
        raw = write_raw(root / "raw", task, sizes)
        if name == "earlier":  # a task file with no half year of the period
            write_task(raw, EARLIER)
        build(raw, root / "processed", region, MODEL)
        out[name] = load_report_data(root / "processed")
    return out


# --- the optional source ---------------------------------------------------------------------

def test_without_the_task_file_nothing_is_written_and_the_manifest_says_so(tmp_path):
    messages: list[str] = []
    result = ingest(write_raw(tmp_path / "raw", task=False), tmp_path / "processed", REGION,
                    progress=messages.append)
    assert not (tmp_path / "processed" / f"{SOURCE}.parquet").exists()
    assert result.manifest["niet_aangeleverd"][SOURCE] == "Taakstelling huisvesting statushouders"
    assert SOURCE not in result.manifest["bronnen"]
    assert not result.warnings
    assert "[5/8] Taakstelling huisvesting statushouders: niet aangeleverd (optioneel)" in messages
    data = load_processed(tmp_path / "processed")
    assert data.taakstelling_statushouders is None


def test_the_task_file_is_read_like_any_other(tmp_path):
    raw = write_raw(tmp_path / "raw")
    rows = task_rows()
    rows[0][0] = "Delft"  # a name instead of a code, as in the circulaire
    write_csv(raw / TASK_FILE, ("Gemeente", "Jaar", "Half jaar", "Taakstelling personen"), rows)
    result = ingest(raw, tmp_path / "processed", REGION)
    assert SOURCE not in result.manifest["niet_aangeleverd"]
    source = result.manifest["bronnen"][SOURCE]
    assert (source["rijen"], source["periode"]) == (27, {"van": 2023, "tot_en_met": 2024})
    task = load_processed(tmp_path / "processed").taakstelling_statushouders
    assert isinstance(task["gemeente"].dtype, pd.CategoricalDtype)
    assert str(task["taakstelling"].dtype) == "int64"
    first = task[(task["gemeente"] == "GM0503") & (task["jaar"] == 2023)
                 & (task["halfjaar"] == 1)]
    assert first["taakstelling"].tolist() == [10]


def test_a_task_file_no_longer_delivered_leaves_no_old_file(tmp_path):
    raw = write_raw(tmp_path / "raw")
    ingest(raw, tmp_path / "processed", REGION)
    assert (tmp_path / "processed" / f"{SOURCE}.parquet").exists()
    (raw / TASK_FILE).unlink()
    result = ingest(raw, tmp_path / "processed", REGION)
    assert not (tmp_path / "processed" / f"{SOURCE}.parquet").exists()
    assert SOURCE in result.manifest["niet_aangeleverd"]
    assert load_processed(tmp_path / "processed").taakstelling_statushouders is None


def test_the_sources_appendix_names_the_source_not_delivered(reports):
    table = sources_table(reports["none"]).set_index("Bron")
    assert table.loc["Taakstelling huisvesting statushouders", "Bestand"] == \
        "niet aangeleverd (optioneel)"
    delivered = sources_table(reports["both"]).set_index("Bron")
    assert delivered.loc["Taakstelling huisvesting statushouders", "Bestand"] == TASK_FILE


def test_validate_recognises_the_task_file(cli, tmp_path):
    path = write_task(tmp_path)
    result = cli("validate", path)
    assert result.exit_code == 0, result.output
    assert "als Taakstelling huisvesting statushouders" in result.output


def _task_edit(edit):
    """Write the raw files with a task file changed by `edit(rows)` (header on line 1)."""
    def write(raw: Path) -> None:
        rows = task_rows()
        header = list(TASK_HEADER)
        edit(header, rows)
        write_csv(raw / TASK_FILE, header, rows)
    return write


def _set(row: int, column: str, cell: str):
    return _task_edit(lambda header, rows: rows[row].__setitem__(header.index(column), cell))


@pytest.mark.parametrize(("edit", "message"), [
    (_set(0, "halfjaar", "3"), "regel 2, kolom 'halfjaar': waarde is groter dan 2 "
                               "(waarde: '3'); verwacht: maximaal 2"),
    (_set(1, "halfjaar", "0"), "regel 3, kolom 'halfjaar': waarde is kleiner dan 1"),
    (_set(2, "taakstelling", "-1"), "regel 4, kolom 'taakstelling': waarde is kleiner dan 0"),
    (_set(3, "taakstelling", "12,5"), "regel 5, kolom 'taakstelling': waarde kan niet worden "
                                      "gelezen (waarde: '12,5')"),
    (_set(4, "taakstelling", ""), "regel 6, kolom 'taakstelling': verplichte waarde ontbreekt"),
    (_set(5, "jaar", "twintig"), "regel 7, kolom 'jaar': waarde kan niet worden gelezen"),
    (_set(6, "gemeente", "Rotterdam"), "regel 8, kolom 'gemeente': deze gemeente hoort niet bij "
                                       "regio Haaglanden"),
    (_task_edit(lambda header, rows: rows.append(list(rows[0]))),
     "regel 2, kolom 'gemeente': dubbele sleutel (gemeente=GM0503, jaar=2023, halfjaar=1)"),
    (_task_edit(lambda header, rows: rows.pop(26)),  # Zoetermeer, first half of 2024
     "taakstelling_statushouders.csv: rij ontbreekt voor gemeente GM0637 (Zoetermeer), jaar "
     "2024, halfjaar 1; verwacht: elke gemeente van de regio in elke combinatie van jaar en "
     "halfjaar die het bestand bevat"),
    (_task_edit(lambda header, rows: [row.pop() for row in [header, *rows]]),
     "taakstelling_statushouders.csv, regel 1: verplichte kolom 'taakstelling' ontbreekt"),
])
def test_a_bad_task_file_is_refused(cli, raw, processed, edit, message):
    edit(raw)
    output = assert_refused(cli, raw, processed, f"{TASK_FILE}, {message}"
                            if message.startswith("regel") else message)
    assert "FOUT" in output


def test_a_half_year_out_of_bounds_is_not_a_half_year_for_the_others(cli, raw, processed):
    _set(0, "halfjaar", "3")(raw)
    output = assert_refused(cli, raw, processed, "waarde is groter dan 2")
    # Delft's first half of 2023 is gone; the eight others are not missing a half year 3.
    assert "halfjaar 3" not in output
    assert output.count("rij ontbreekt") == 1


def test_half_years_outside_the_period_may_be_delivered(analysed, tmp_path):
    raw = write_raw(tmp_path / "raw")
    write_task(raw, [*task_rows(), *EARLIER])
    ingest(raw, tmp_path / "processed", REGION)
    table = analyse(load_processed(tmp_path / "processed"), REGION, MODEL).indicators
    assert not any(p.startswith("2019") for p in periods_of(table, TASK))
    assert len(load_processed(tmp_path / "processed").taakstelling_statushouders) == 27 + 18
    pd.testing.assert_frame_equal(table[table["indicator"] == TASK].reset_index(drop=True),
                                  analysed["both"].indicators.pipe(
                                      lambda t: t[t["indicator"] == TASK]).reset_index(drop=True))


# --- the household size ----------------------------------------------------------------------

def test_household_sizes_are_optional_and_read(tmp_path):
    ingest(write_raw(tmp_path / "without", task=False, sizes=False), tmp_path / "p1", REGION)
    lettings = pd.read_parquet(tmp_path / "p1" / "verhuringen.parquet")
    assert lettings["aantal_personen"].isna().all()
    ingest(write_raw(tmp_path / "with", task=False), tmp_path / "p2", REGION)
    lettings = pd.read_parquet(tmp_path / "p2" / "verhuringen.parquet").set_index("verhuring_id")
    assert str(lettings["aantal_personen"].dtype) == "Int64"
    assert lettings.loc[["V005", "V013", "V014"], "aantal_personen"].tolist() == [5, 1, 3]


def _size(row: int, cell: str, huishoudtype: str | None = None):
    def edit(header: list[str], rows: list[list[str]]) -> None:
        with_household_sizes(header, rows)
        rows[row][header.index("aantal_personen")] = cell
        if huishoudtype:
            rows[row][header.index("huishoudtype")] = huishoudtype
    return edit


@pytest.mark.parametrize(("edit", "message"), [
    (_size(0, "0"), "regel 2, kolom 'aantal_personen': waarde is kleiner dan 1 (waarde: '0')"),
    (_size(1, "21"), "regel 3, kolom 'aantal_personen': waarde is groter dan 20"),
    (_size(2, "drie"), "regel 4, kolom 'aantal_personen': waarde kan niet worden gelezen "
                       "(waarde: 'drie')"),
    (_size(0, "2"), "regel 2, kolom 'aantal_personen': past niet bij het huishoudtype "
                    "(waarde: '2'); verwacht: 1 bij een eenpersoonshuishouden"),
    (_size(5, "2"), "regel 7, kolom 'aantal_personen': past niet bij het huishoudtype "
                    "(waarde: '2')"),  # V006, paar met kinderen
    (_size(8, "3"), "regel 10, kolom 'aantal_personen': past niet bij het huishoudtype"),
    (_size(3, "1"), "regel 5, kolom 'aantal_personen': past niet bij het huishoudtype"),
    (_size(4, ""), "regel 6, kolom 'aantal_personen': ontbreekt bij een verhuring aan "
                   "statushouders (de kolom is wel aangeleverd); verwacht: het aantal personen "
                   "van het huishouden"),
])
def test_a_bad_household_size_is_refused(cli, raw, processed, edit, message):
    rewrite(raw, "verhuringen", edit)
    assert_refused(cli, raw, processed, f"svh_verhuringen.csv, {message}")


def test_a_size_may_be_empty_outside_the_statushouders(tmp_path):
    write_valid_raw(tmp_path / "raw")
    rewrite(tmp_path / "raw", "verhuringen", _size(0, ""))
    result = ingest(tmp_path / "raw", tmp_path / "processed", REGION)
    assert not [w for w in result.warnings if "aantal_personen" in str(w)]


# --- the indicators, by hand -----------------------------------------------------------------

def test_the_task_per_half_year_year_and_period(analysed):
    t = analysed["both"].indicators
    assert value(t, TASK, "GM0603", "2023-H1")["waarde"] == 20
    assert value(t, TASK, "GM0603", "2023")["waarde"] == 42  # 20 + 22
    assert value(t, TASK, REGIO, "2023-H1")["waarde"] == 100  # 8 × 10 + 20
    assert value(t, TASK, REGIO, "2023")["waarde"] == 218  # 100 + 8 × 12 + 22
    assert value(t, TASK, REGIO, "2024-H1")["waarde"] == 150  # 8 × 15 + 30
    # 2024 has no second half year, so no year; not every year has a task, so no period.
    assert periods_of(t, TASK) == {"2023-H1", "2023-H2", "2023", "2024-H1"}
    assert math.isnan(value(t, TASK, REGIO, "2023")["noemer"])


def test_the_persons_housed(analysed):
    t = analysed["both"].indicators
    assert value(t, PERSONS, "GM0603", "2023-H1")["waarde"] == 5  # V005
    assert value(t, PERSONS, "GM0603", "2023-H2")["waarde"] == 1  # V013
    assert value(t, PERSONS, "GM0603", "2023")["waarde"] == 6
    assert value(t, PERSONS, "GM0518", "2024-H1")["waarde"] == 3  # V014
    assert value(t, PERSONS, REGIO, PERIOD)["waarde"] == 9
    assert value(t, PERSONS, "GM1842", "2021-H2")["waarde"] == 0  # zeros are rows too
    # Every half year, every year and the period, for every gemeente and the region.
    rows = t[t["indicator"] == PERSONS]
    assert len(rows) == (len(GEMEENTEN) + 1) * (10 + 5 + 1)
    # The households are the lettings: the same lettings, two of them in Rijswijk in 2023.
    assert value(t, "verhuringen", "GM0603", "2023")["waarde"] == 2


def test_the_realisation_sets_persons_against_persons(analysed):
    t = analysed["both"].indicators
    row = value(t, REALISATION, "GM0603", "2023-H1")
    assert (row["teller"], row["noemer"], row["waarde"]) == (5, 20, 25)
    assert value(t, REALISATION, "GM0603", "2023")["waarde"] == pytest.approx(600 / 42)
    assert value(t, REALISATION, "GM0518", "2024-H1")["waarde"] == 10  # 3 of 30
    assert value(t, REALISATION, REGIO, "2024-H1")["waarde"] == 2  # 3 of 150
    assert value(t, REALISATION, REGIO, "2023")["waarde"] == pytest.approx(600 / 218)
    assert value(t, REALISATION, "GM0503", "2023-H1")["waarde"] == 0
    assert periods_of(t, REALISATION) == periods_of(t, TASK)


def test_half_years_add_up_to_the_year_and_gemeenten_to_the_region(analysed):
    t = analysed["both"].indicators
    for indicator in (TASK, PERSONS):
        rows = t[t["indicator"] == indicator]
        gemeenten = rows[rows["gebiedsniveau"] == "gemeente"].groupby("periode")["teller"].sum()
        region = rows[rows["gebiedsniveau"] == "regio"].set_index("periode")["teller"]
        pd.testing.assert_series_equal(gemeenten.sort_index(), region.sort_index(),
                                       check_names=False)
        for year in ("2023",) if indicator == TASK else ("2021", "2023", "2024"):
            halves = rows[rows["periode"].isin([f"{year}-H1", f"{year}-H2"])]
            whole = rows[rows["periode"] == year].set_index("gebied")["teller"]
            pd.testing.assert_series_equal(halves.groupby("gebied")["teller"].sum()
                                           .reindex(whole.index), whole, check_names=False)


def test_a_missing_input_gives_no_rows(analysed):
    def present(name: str) -> set[str]:
        table = analysed[name].indicators
        return set(table["indicator"]) & {TASK, PERSONS, REALISATION}

    assert present("both") == {TASK, PERSONS, REALISATION}
    assert present("task") == {TASK}
    assert present("sizes") == {PERSONS}
    assert present("none") == set()


def test_the_small_count_rule_protects_persons_and_realisation(reports):
    t = reports["protected"].indicators
    persons = t[t["indicator"] == PERSONS]
    assert not persons["waarde"].between(1, 4).any()
    hidden = persons[persons["status"] != SHOWN]
    assert {("GM0603", "2023-H2"), ("GM0518", "2024-H1")} <= set(
        zip(hidden["gebied"], hidden["periode"], strict=True))
    realised = t[t["indicator"] == REALISATION].merge(
        persons[["gebied", "periode", "status"]], on=["gebied", "periode"],
        suffixes=("", "_persons"))
    assert (realised.loc[realised["status_persons"] != SHOWN, "status"] != SHOWN).all()
    assert (t.loc[t["indicator"] == TASK, "status"] == SHOWN).all()  # a task is no household


# --- the reports -----------------------------------------------------------------------------

def test_the_absent_sentences(reports):
    assert statushouders.absent_text(reports["none"]) == statushouders.NOT_DELIVERED
    assert statushouders.NOT_DELIVERED.startswith(
        "De taakstelling voor statushouders is niet aangeleverd;")
    assert statushouders.absent_text(reports["sizes"]) == statushouders.NOT_DELIVERED
    assert statushouders.absent_text(reports["task"]) == statushouders.NO_SIZES
    assert ("alleen het aantal huishoudens is bekend, daarom is geen realisatiepercentage "
            "berekend") in statushouders.NO_SIZES
    assert statushouders.absent_text(reports["both"]) == ""
    assert statushouders.absent_text(reports["earlier"]) == (
        "De aangeleverde taakstelling voor statushouders bevat geen halfjaar van 2021-2025; de "
        "huisvesting van statushouders is daarom niet met hun taakstelling te vergelijken.")
    assert not statushouders.task_delivered(reports["earlier"])


def test_the_half_years_with_a_task_are_named(reports):
    data = reports["both"]
    assert statushouders.task_half_years(data) == ["2023-H1", "2023-H2", "2024-H1"]
    assert statushouders.coverage_text(data) == (
        "De aangeleverde taakstelling geldt voor het eerste halfjaar van 2023 tot en met het "
        "eerste halfjaar van 2024; voor de andere halfjaren van 2021-2025 is geen taakstelling "
        "aangeleverd, en een jaar heeft alleen een taakstelling als beide halfjaren er een "
        "hebben.")
    assert statushouders.default_period(data) == "2023"  # the last year with a task
    assert statushouders.default_period(reports["none"]) == "2025"
    assert statushouders.coverage_text(reports["none"]) == ""


def test_the_table_per_gemeente(reports):
    table = statushouders.table(reports["both"]).set_index("Gemeente")
    assert list(table.columns) == ["Taakstelling (personen)",
                                   "Gehuisvest via verhuringen (personen)", "Realisatie (%)",
                                   "Verhuringen (huishoudens)"]
    assert list(table.index)[-1] == REGIO and len(table) == len(GEMEENTEN) + 1
    rijswijk = table.loc["Rijswijk (ZH.)"]
    assert rijswijk.tolist() == pytest.approx([42, 6, 600 / 42, 2])
    assert table.loc[REGIO, "Taakstelling (personen)"] == 218
    assert statushouders.table(reports["both"]).attrs["codes"]["Gemeente"][-1] == REGIO


def test_the_table_leaves_out_what_does_not_exist(reports):
    half = statushouders.table(reports["both"], "2024-H1")
    assert list(half.columns) == ["Gemeente", "Taakstelling (personen)",
                                  "Gehuisvest via verhuringen (personen)", "Realisatie (%)"]
    assert list(statushouders.table(reports["task"]).columns) == [
        "Gemeente", "Taakstelling (personen)", "Verhuringen (huishoudens)"]
    assert list(statushouders.table(reports["sizes"]).columns) == [
        "Gemeente", "Gehuisvest via verhuringen (personen)", "Verhuringen (huishoudens)"]
    assert list(statushouders.table(reports["none"]).columns) == [
        "Gemeente", "Verhuringen (huishoudens)"]
    # 2024 has half a task: the persons and the lettings, no task, no realisation
    assert list(statushouders.table(reports["both"], "2024").columns) == [
        "Gemeente", "Gehuisvest via verhuringen (personen)", "Verhuringen (huishoudens)"]


def test_the_table_per_half_year(reports):
    table = statushouders.half_year_table(reports["both"], "GM0603")
    assert table["Halfjaar"].tolist() == ["eerste halfjaar van 2023", "tweede halfjaar van 2023",
                                          "eerste halfjaar van 2024"]
    assert table["Taakstelling (personen)"].tolist() == [20, 22, 15]
    assert table["Gehuisvest via verhuringen (personen)"].tolist() == [5, 1, 0]
    assert table["Realisatie (%)"].tolist() == pytest.approx([25, 100 / 22, 0])
    assert list(statushouders.half_year_table(reports["task"]).columns) == [
        "Halfjaar", "Taakstelling (personen)"]
    assert statushouders.half_year_table(reports["none"]).empty


def test_the_sentences_for_the_region_and_a_gemeente(reports):
    data = reports["both"]
    assert statushouders.summary(data) == (
        "De gemeenten van Haaglanden hadden in 2023 samen een taakstelling van 218 personen voor "
        "de huisvesting van statushouders. Via verhuringen van corporaties kregen 6 personen in "
        "2 huishoudens een woning: 2,8% van de taakstelling. " + statushouders.ELSEWHERE + " "
        + statushouders.coverage_text(data))
    assert statushouders.summary(data, "GM0603", "2023-H1").startswith(
        "Rijswijk (ZH.) had in het eerste halfjaar van 2023 een taakstelling van 20 personen "
        "voor de huisvesting van statushouders. Via verhuringen van corporaties kregen 5 "
        "personen een woning: 25,0% van de taakstelling.")


def test_the_sentences_never_set_households_against_persons(reports):
    task_only = statushouders.summary(reports["task"], "GM0603")
    assert task_only == (
        "Rijswijk (ZH.) had in 2023 een taakstelling van 42 personen voor de huisvesting van "
        "statushouders. Via verhuringen van corporaties kreeg 1 huishouden van statushouders "
        "een woning. " + statushouders.coverage_text(reports["task"]) + " "
        + statushouders.NO_SIZES)
    assert "%" not in task_only
    sizes_only = statushouders.summary(reports["sizes"])
    assert sizes_only == ("In Haaglanden kregen in 2025 via verhuringen van corporaties geen "
                          "statushouders een woning. " + statushouders.NOT_DELIVERED)
    assert statushouders.summary(reports["sizes"], "GM0603", "2023") == (
        "In Rijswijk (ZH.) kregen in 2023 via verhuringen van corporaties 6 personen in 2 "
        "huishoudens een woning. " + statushouders.NOT_DELIVERED)
    assert statushouders.summary(reports["none"], "GM0603", "2023") == (
        "In Rijswijk (ZH.) kreeg in 2023 via verhuringen van corporaties 1 huishouden van "
        "statushouders een woning. " + statushouders.NOT_DELIVERED)


def test_hidden_figures_are_not_published_in_the_sentences(reports):
    data = reports["protected"]
    text = statushouders.summary(data, "GM0518", "2024-H1")
    assert "Het aantal statushouders dat in het eerste halfjaar van 2024 in ’s-Gravenhage via " \
           "verhuringen een woning kreeg, wordt niet gepubliceerd" in text
    assert "%" not in text.split(".")[1]


def test_half_year_text():
    assert statushouders.half_year_text("2025-H2") == "het tweede halfjaar van 2025"
    assert statushouders.period_name("2025-H1") == "eerste halfjaar van 2025"
    assert statushouders.period_name("2025") == "2025"
    assert statushouders.period_name(PERIOD) == PERIOD
    with pytest.raises(ValueError, match="geen halfjaar"):
        statushouders.half_year_text("2025-K3")


# --- the demo --------------------------------------------------------------------------------

def _as_reader_sees(frame: pd.DataFrame, caption: str) -> Table:
    return Table(caption=caption, header=list(frame.columns),
                 rows=frame.astype(object).where(frame.notna(), "x").to_numpy().tolist(),
                 where=lambda r, c: f"rij {r}, kolom {c}",
                 units=[statushouders.FORMATS.get(c) for c in frame.columns])


def test_the_demo_has_a_task_and_household_sizes(data):
    assert statushouders.absent_text(data) == ""
    assert statushouders.coverage_text(data) == ""  # every half year of the period
    assert statushouders.default_period(data) == data.last_year
    table = statushouders.table(data).set_index("Gemeente")
    region = table.loc[data.region.naam]
    # About one person per 700 to 1.500 inhabitants per half year; less than the task is housed
    # through lettings, and a household of statushouders counts two persons or more on average.
    assert 2000 < region["Taakstelling (personen)"] < 3500
    assert 40 < region["Realisatie (%)"] < 100
    assert region["Gehuisvest via verhuringen (personen)"] > 2 * region[
        "Verhuringen (huishoudens)"]
    shown_rows = table.dropna()
    assert shown_rows["Realisatie (%)"].to_numpy() == pytest.approx(
        100 * shown_rows["Gehuisvest via verhuringen (personen)"]
        / shown_rows["Taakstelling (personen)"])


def test_the_demo_tables_and_sentences_pass_the_disclosure_check(data):
    rule = data.region.openbaarheid
    tables = [(statushouders.table(data), "Taakstelling statushouders en realisatie per "
                                          "gemeente"),
              (statushouders.table(data, f"{data.last_year}-H1"), "Taakstelling per halfjaar"),
              *((statushouders.half_year_table(data, g), f"Taakstelling en realisatie in {g}")
                for g in data.region.gemeenten)]
    for frame, caption in tables:
        assert table_findings(_as_reader_sees(frame, caption), rule) == []
    for gemeente in (None, *data.region.gemeenten):
        assert text_findings(statushouders.summary(data, gemeente), rule) == []


def test_a_small_task_is_no_household_count(data):
    """A task of three persons (a small gemeente elsewhere) is public: the check leaves it."""
    frame = pd.DataFrame({"Gemeente": ["Schiermonnikoog"], "Taakstelling (personen)": [3.0],
                          "Gehuisvest via verhuringen (personen)": [float("nan")]})
    findings = table_findings(_as_reader_sees(frame, "Taakstelling statushouders"),
                              data.region.openbaarheid)
    assert findings == []
    frame["Gehuisvest via verhuringen (personen)"] = 3.0
    assert len(table_findings(_as_reader_sees(frame, "Taakstelling statushouders"),
                              data.region.openbaarheid)) == 1


def test_the_demo_manifest_lists_the_task_file(demo_build):
    root, ingested, _ = demo_build
    assert SOURCE not in ingested.manifest["niet_aangeleverd"]
    manifest = json.loads((root / "processed" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["bronnen"][SOURCE]["rijen"] == 2 * 5 * 9
    assert (root / "processed" / f"{SOURCE}.parquet").exists()
