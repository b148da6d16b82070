"""`woonzorg scenario`: the taakstelling for the coming year under several settings files, the
sensitivity grid of the first, and the comparison document with its exports."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import docx
import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from analysis.cli import main
from analysis.config import ConfigError
from analysis.layout import MODEL_SETTINGS, REGION_SETTINGS
from analysis.model.config import load_verdeelmodel_config
from analysis.scenarios import (
    DIFFERENCE,
    DIFFERENCE_PERCENT,
    LIMIT,
    WEIGHTS,
    compare,
    export_table,
    load_scenarios,
    sensitivity,
    settings_differences,
    variants,
)
from conftest import ROOT, pdf_pages

DEFAULT = yaml.safe_load(load_verdeelmodel_config().tekst)


def settings_file(folder: Path, name: str, **changes: object) -> Path:
    """The packaged verdeelmodel settings with `changes` (None removes a key)."""
    settings = {**DEFAULT, **changes}
    settings = {k: v for k, v in settings.items() if v is not None}
    path = folder / name
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_settings(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("instellingen")
    return [settings_file(folder, "huidig.yml"),
            settings_file(folder, "lager.yml", naam="Grens 25%", mutatiegrens=0.25)]


@pytest.fixture(scope="module")
def processed(demo_build) -> Path:
    return demo_build[0] / "processed"


# --- Settings files with an error ------------------------------------------------------------


@pytest.mark.parametrize("changes, setting, problem", [
    ({"mutatiegrens": 1.5}, "mutatiegrens", "groter dan 0 en hoogstens 1"),
    ({"grens": 0.3}, "(bovenste niveau)", "onbekende instelling(en) grens"),
])
def test_a_wrong_settings_file_names_file_and_setting(tmp_path, cli, processed, changes,
                                                      setting, problem):
    good = settings_file(tmp_path, "goed.yml")
    bad = settings_file(tmp_path, "fout.yml", **changes)
    out = tmp_path / "uit"
    result = cli("scenario", good, bad, "--out", out, "--processed", processed)
    assert result.exit_code != 0
    assert str(bad) in result.output and f"instelling '{setting}'" in result.output
    assert problem in result.output
    assert not out.exists()


def test_two_scenarios_with_one_name_are_refused(tmp_path, cli, processed):
    first = settings_file(tmp_path, "a.yml", naam="Variant")
    second = settings_file(tmp_path, "b.yml", naam="variant", mutatiegrens=0.25)
    missing = tmp_path / "bestaat-niet.yml"
    out = tmp_path / "uit"
    out.mkdir()
    result = cli("scenario", first, second, missing, "--out", out, "--processed", processed)
    assert result.exit_code != 0
    # every problem at once, each with its file and setting
    assert f"{second}: instelling 'naam'" in result.output and str(first) in result.output
    assert str(missing) in result.output
    assert list(out.iterdir()) == []


def test_a_scenario_without_a_name_is_named_by_its_file(tmp_path):
    [scenario] = load_scenarios([settings_file(tmp_path, "Hoge grens.yml", naam=None,
                                               mutatiegrens=0.35)])
    assert scenario.naam == "Hoge grens" and scenario.config.mutatiegrens == 0.35
    with pytest.raises(ConfigError, match="instelling 'naam'"):
        load_scenarios([tmp_path / "Hoge grens.yml", tmp_path / "Hoge grens.yml"])


# --- The comparison ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def comparison(processed, two_settings):
    return compare(processed, two_settings)


def test_the_long_table(comparison, data):
    table = export_table(comparison)
    assert {"scenario", "periode", "jaar", "gemeente", "capaciteit", "taakstelling",
            "afgeschermd", DIFFERENCE, DIFFERENCE_PERCENT} <= set(table.columns)
    assert list(table["scenario"].unique()) == ["Huidige afspraken", "Grens 25%"]
    assert (table.groupby("scenario")["gemeente"].apply(list)
            == [list(data.region.gemeenten)] * 2).all()
    assert set(table["periode"]) == {f"prognose {data.prognose.jaar}"}
    shown = table.dropna(subset=["capaciteit", "taakstelling"])
    assert (shown["taakstelling"] <= shown["capaciteit"]).all()
    wide = table.pivot(index="gemeente", columns="scenario", values="capaciteit")
    both = wide.dropna()
    assert (both["Grens 25%"] <= both["Huidige afspraken"]).all() and len(both)
    tasks = table.pivot(index="gemeente", columns="scenario", values="taakstelling")
    expected = (tasks["Grens 25%"] - tasks["Huidige afspraken"]).astype("Float64")
    found = table[table["scenario"] == "Grens 25%"].set_index("gemeente")[DIFFERENCE]
    pd.testing.assert_series_equal(found.astype("Float64"), expected.reindex(found.index),
                                   check_names=False)
    first = table[table["scenario"] == "Huidige afspraken"]
    assert (first[DIFFERENCE].dropna() == 0).all()


def test_the_build_settings_keep_what_the_build_published(comparison, data):
    """The first scenario has the build's settings: the same figures, hidden where the build
    hid them (the comparison may hide more in the other scenario, never less here)."""
    mine = comparison.resultaten[comparison.resultaten["scenario"] == "Huidige afspraken"]
    built = data.prognose.run.resultaten.astype({"gemeente": str})
    for column in ("capaciteit", "taakstelling", "vraag_eigen", "ontvangen_pool"):
        assert np.array_equal(mine[column].to_numpy(), built[column].to_numpy(),
                              equal_nan=True), column


def test_a_figure_equal_in_two_scenarios_is_hidden_in_both_or_neither(comparison):
    raw = [p.run.resultaten.astype({"gemeente": str}).set_index("gemeente")
           for p in comparison.prognoses]
    published = [comparison.resultaten[comparison.resultaten["scenario"] == s.naam]
                 .set_index("gemeente") for s in comparison.scenarios]
    for column in ("vraag_eigen", "geplaatst_eigen", "reeds_toegezegd", "capaciteit"):
        same = raw[0][column] == raw[1][column]
        hidden = [p[column].isna() for p in published]
        assert (hidden[0][same] == hidden[1][same]).all(), column


def test_settings_that_differ(comparison, tmp_path):
    table = settings_differences(comparison.scenarios)
    assert table.to_dict("records") == [
        {"Instelling": "Mutatiegrens", "Huidige afspraken": "30%", "Grens 25%": "25%"}]
    [other] = load_scenarios([settings_file(
        tmp_path, "c.yml", naam="Andere pool", pool_doelgroepen=["uitstroom_mo"],
        sleutel={"gewichten": {"inwoners": 1}, "normaliseren": False})])
    rows = settings_differences([comparison.scenarios[0], other]).set_index("Instelling")
    assert rows.loc["Regionale pool", "Andere pool"] == "Uitstroom maatschappelijke opvang"
    assert rows.loc["Gewicht inwoners in de verdeelsleutel"].tolist() == ["0%", "100%"]
    assert "Mutatiegrens" not in rows.index


# --- Sensitivity -----------------------------------------------------------------------------


def test_the_grid_variants():
    config = load_verdeelmodel_config()
    found = variants(config)
    limits = [v.mutatiegrens for v in found if v.soort == LIMIT]
    assert limits == [0.25, 0.275, 0.3, 0.325, 0.35]
    assert [v.huidig for v in found if v.soort == LIMIT] == [False, False, True, False, False]
    shifted = [dict(v.gewichten) for v in found if v.soort == WEIGHTS]
    # two bases: one up is the other down, so each key once
    assert shifted == [pytest.approx({"sociale_huurvoorraad": 0.6, "mutaties": 0.4}),
                       pytest.approx({"sociale_huurvoorraad": 0.4, "mutaties": 0.6})]
    three = dataclasses.replace(config, mutatiegrens=0.28, gewichten={
        "sociale_huurvoorraad": 0.5, "mutaties": 0.45, "inwoners": 0.05})
    found = variants(three)
    assert 0.28 in [v.mutatiegrens for v in found if v.soort == LIMIT]
    for variant in (v for v in found if v.soort == WEIGHTS):
        assert sum(variant.gewichten.values()) == pytest.approx(1)
        assert all(0 <= w <= 1 for w in variant.gewichten.values())
    # inwoners −10 would be negative: no such variant
    assert not [v for v in found if v.basis == "inwoners" and v.stap < 0]
    single = dataclasses.replace(config, gewichten={"inwoners": 1.0})
    assert not [v for v in variants(single) if v.soort == WEIGHTS]


def test_the_grid_moves_with_the_limit(processed):
    from analysis.config import load_config
    from analysis.processed import load_processed

    region = load_config(processed / REGION_SETTINGS)
    config = load_verdeelmodel_config(processed / MODEL_SETTINGS)
    grid = sensitivity(load_processed(processed), region, config)
    limits = [n for n, v in enumerate(grid.variants) if v.soort == LIMIT]
    rows = grid.gemeenten[grid.gemeenten["variant"].isin(limits)]
    capacity = rows.pivot(index="gemeente", columns="variant", values="capaciteit")
    assert (capacity.diff(axis=1).iloc[:, 1:] >= 0).all().all()
    totals = grid.regio.set_index("variant").loc[limits]
    assert totals["taakstelling"].is_monotonic_increasing
    assert totals["tekort"].is_monotonic_decreasing
    # every household of demand and pool is placed or in the shortfall
    assert ((totals["taakstelling"] + totals["tekort"])
            == totals["vraag_eigen"] + totals["pool"]).all()


def test_the_published_grid_hides_what_the_rule_hides(comparison):
    smallest = comparison.kleinste_aantal
    tasks = comparison.grid.gemeenten["taakstelling"].dropna()
    assert not ((tasks >= 1) & (tasks < smallest)).any()
    first = comparison.resultaten[comparison.resultaten["scenario"] == "Huidige afspraken"]
    hidden = set(first.loc[first["taakstelling"].isna(), "gemeente"])
    grid = comparison.grid.gemeenten
    assert grid.loc[grid["gemeente"].isin(hidden), "taakstelling"].isna().all()


# --- The command, end to end -----------------------------------------------------------------


@pytest.fixture(scope="module")
def command(processed, two_settings, tmp_path_factory):
    out = tmp_path_factory.mktemp("scenario") / "uit"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)  # the notebook and _quarto.yml, as for woonzorg build
        result = CliRunner().invoke(main, ["scenario", *map(str, two_settings), "--out",
                                           str(out), "--processed", str(processed)],
                                    catch_exceptions=False)
    return result, out


def test_the_command_writes_the_comparison(command, two_settings):
    result, out = command
    assert result.exit_code == 0, result.output
    assert "OK:" in result.output  # the small-count check ran over the folder
    assert sorted(p.name for p in out.iterdir()) == [
        "scenariovergelijking.docx", "scenariovergelijking.parquet",
        "scenariovergelijking.pdf", "scenariovergelijking.xlsx"]
    text = "\n".join(pdf_pages(out / "scenariovergelijking.pdf"))
    plain = " ".join(text.split())
    assert "Scenariovergelijking verdeelmodel" in plain
    assert "Huidige afspraken" in plain and "Grens 25%" in plain
    assert "DEMO — synthetische gegevens" in plain
    for leaked in ("mutatiegrens:", ".yml", "verschil_huishoudens", str(two_settings[0].parent),
                   "/tmp", "GM0"):
        assert leaked not in text, leaked
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.search(r"\b[a-z]+_[a-z_]+\b", text)
    document = docx.Document(str(out / "scenariovergelijking.docx"))
    assert any("Grens 25%" in p.text for p in document.paragraphs)
    book = load_workbook(out / "scenariovergelijking.xlsx")
    assert book.sheetnames[0] == "Inhoud" and len(book.sheetnames) > 3
    parquet = pd.read_parquet(out / "scenariovergelijking.parquet")
    assert list(parquet["scenario"].unique()) == ["Huidige afspraken", "Grens 25%"]


def test_the_check_reads_each_scenario_as_its_own_cells(tmp_path):
    """A taakstelling hidden in one scenario and shown (another number) in the next is no
    leak; within a scenario the model's columns still add up."""
    from analysis.config import load_config
    from analysis.report.leaks import check_reports

    region = load_config()
    delft, den_haag = region.gemeenten[:2]
    rows = pd.DataFrame({
        "scenario": ["A", "A", "B", "B"], "periode": "prognose 2026", "jaar": 2026,
        "gemeente": [delft, den_haag, delft, den_haag],
        "capaciteit": [30.0, 200, 30, 200], "taakstelling": [None, 150, 12, 150],
        "ruimte_over": [None, 50, 18, 50],
        "afgeschermd": ["taakstelling, ruimte_over", "", "", ""]})
    rows.to_parquet(tmp_path / "scenariovergelijking.parquet")
    assert check_reports(tmp_path, region, load_verdeelmodel_config()).findings == []
    # one scenario alone: its hidden taakstelling follows from capacity and room left
    rows.loc[0, ["ruimte_over", "afgeschermd"]] = [27.0, "taakstelling"]
    rows.to_parquet(tmp_path / "scenariovergelijking.parquet")
    [finding] = check_reports(tmp_path, region, load_verdeelmodel_config()).findings
    assert "te herleiden" in str(finding) and "rij 1" in str(finding)
