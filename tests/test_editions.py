"""Editions: keeping what a build published under a label, choosing the previous edition by the
time written in it, and the comparison every report shows ("Wijzigingen ten opzichte van de
vorige editie"): a planted revision beyond the tolerance is listed, one within it is not, new
periods are named, a hidden figure is never listed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

import analysis.editions
from analysis.build import build
from analysis.config import ConfigError, EditionSettings, load_config, parse_config
from analysis.demo import generate_demo
from analysis.editions import (
    CHANGED,
    EDITION_FILES,
    EDITION_MANIFEST,
    HIDDEN,
    NEW_PERIOD,
    SHOWN_NOW,
    EditionError,
    check_label,
    check_settings,
    compare,
    list_editions,
    previous_edition,
    save_edition,
)
from analysis.layout import PUBLISHED_INDICATORS
from analysis.model import load_verdeelmodel_config
from analysis.report import editions as section
from analysis.report.data import load_report_data
from analysis.report.leaks.tables import Table, table_findings
from analysis.report.leaks.text import text_findings
from analysis.storage import sha256

DELFT, RIJSWIJK, REGION = "GM0503", "GM0603", "Randland"
PERIOD = "2024-2025"
SETTINGS = EditionSettings()  # tolerances 0,5 procentpunt and 5


def _small_config(folder: Path) -> Path:
    """Two gemeenten over two years with the tile map: a data step of a few seconds."""
    settings = yaml.safe_load(load_config().tekst)
    settings["regio"] = {"naam": REGION, "gemeenten": [DELFT, RIJSWIJK]}
    settings["periode"] = {"van": 2024, "tot_en_met": 2025}
    settings["geo"] = {"map": str(folder / "geen-grenzen"), "jaar": 2025}
    path = folder / "regio.yml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return path


def _remove_lettings(raw: Path, removals: dict[str, int], year: str = "2024") -> None:
    """SVH's revision: drop the first lettings to households outside the aandachtsgroepen
    of each gemeente in `year` (their count in the value)."""
    path = next(raw.glob("svh_verhuringen*.csv"))
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    header = lines[0].lstrip("\ufeff").rstrip("\n").split(";")
    gemeente, doelgroep, datum = (header.index(c) for c in ("gemeente", "doelgroep",
                                                            "datum_verhuring"))
    left = dict(removals)
    kept = [lines[0]]
    for line in lines[1:]:
        cells = line.split(";")
        code = cells[gemeente]
        if (left.get(code) and cells[doelgroep] == "geen"
                and cells[datum].endswith(year)):
            left[code] -= 1
            continue
        kept.append(line)
    assert not any(left.values())
    path.write_text("\ufeff" + "".join(kept), encoding="utf-8")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Demo exports of the small region: edition A, then a build of revised exports kept as
    edition B (Delft lost 20 lettings of 2024, beyond the tolerance; Rijswijk 3, within it)."""
    root = tmp_path_factory.mktemp("edities")
    region = load_config(_small_config(root))
    model = load_verdeelmodel_config()
    generate_demo(root / "raw", config=region)
    editions = root / "edities"
    build(root / "raw", root / "a", region, model, edition="A", editions_dir=editions)
    shutil.copytree(root / "raw", root / "raw-b")
    _remove_lettings(root / "raw-b", {DELFT: 20, RIJSWIJK: 3})
    build(root / "raw-b", root / "b", region, model, edition="B", editions_dir=editions)
    return root, region


# --- saving and choosing editions ------------------------------------------------------------

def test_an_edition_keeps_the_published_figures_and_a_manifest(small):
    root, _ = small
    folder = root / "edities" / "A"
    assert sorted(p.name for p in folder.iterdir()) == sorted([*EDITION_FILES, EDITION_MANIFEST])
    record = json.loads((folder / EDITION_MANIFEST).read_text(encoding="utf-8"))
    assert record["label"] == "A" and record["regio"] == REGION and record["demo"] is True
    assert record["periode"] == {"van": 2024, "tot_en_met": 2025}
    assert dt.datetime.fromisoformat(record["aangemaakt"]).tzinfo is not None
    assert record["versie"] == analysis.__version__
    sources = json.loads((root / "a" / "manifest.json").read_text(encoding="utf-8"))["bronnen"]
    assert record["bronnen"]["verhuringen"] == [
        f["sha256"] for f in sources["verhuringen"]["bestanden"]]
    assert record["bestanden"] == {name: sha256(folder / name) for name in EDITION_FILES}
    # only published figures: the unprotected tables stay in the processed folder
    assert (folder / PUBLISHED_INDICATORS).read_bytes() == (
        root / "a" / PUBLISHED_INDICATORS).read_bytes()
    assert not list(folder.glob("indicatoren.parquet"))


@pytest.mark.parametrize("label", ["", "..", ".verborgen", "a/b", "../a", "a b", "x" * 65])
def test_a_label_must_be_a_safe_folder_name(label):
    with pytest.raises(EditionError, match="letters, cijfers, punt, koppelteken"):
        check_label(label)


def test_an_existing_label_is_refused_unless_overwritten(small, tmp_path):
    root, region = small
    editions = tmp_path / "edities"
    shutil.copytree(root / "edities" / "A", editions / "A")
    before = (editions / "A" / EDITION_MANIFEST).read_bytes()
    with pytest.raises(EditionError, match=r"bestaat al.*--overschrijf-editie"):
        save_edition(editions, "A", root / "b", region)
    assert (editions / "A" / EDITION_MANIFEST).read_bytes() == before
    save_edition(editions, "A", root / "b", region, overwrite=True)
    assert (editions / "A" / PUBLISHED_INDICATORS).read_bytes() == (
        root / "b" / PUBLISHED_INDICATORS).read_bytes()
    assert sorted(p.name for p in editions.iterdir()) == ["A"]  # nothing left beside it


def test_a_failed_save_leaves_no_half_edition(small, tmp_path, monkeypatch):
    root, region = small
    editions = tmp_path / "edities"
    shutil.copytree(root / "edities" / "A", editions / "A")
    before = {p.name: p.read_bytes() for p in (editions / "A").iterdir()}
    copied = []

    def copy_then_fail(source, target):
        if len(copied) == 2:
            raise OSError(28, "No space left on device")
        copied.append(Path(target).write_bytes(Path(source).read_bytes()))

    monkeypatch.setattr(analysis.editions.shutil, "copyfile", copy_then_fail)
    for label, overwrite in (("C", False), ("A", True)):
        copied.clear()
        with pytest.raises(OSError):
            save_edition(editions, label, root / "b", region, overwrite=overwrite)
    assert sorted(p.name for p in editions.iterdir()) == ["A"]
    assert {p.name: p.read_bytes() for p in (editions / "A").iterdir()} == before


def _edition(folder: Path, label: str, created: dt.datetime, regio: str = REGION,
             demo: bool = True) -> None:
    (folder / label).mkdir(parents=True)
    record = {"label": label, "aangemaakt": created.isoformat(), "regio": regio, "demo": demo}
    (folder / label / EDITION_MANIFEST).write_text(json.dumps(record), encoding="utf-8")


def test_the_previous_edition_is_the_latest_created_before_this_build(small, tmp_path):
    _, region = small
    utc = dt.UTC
    now = dt.datetime(2026, 3, 1, 12, tzinfo=utc)
    _edition(tmp_path, "z-oudste", dt.datetime(2025, 1, 1, tzinfo=utc))
    _edition(tmp_path, "a-vorige", dt.datetime(2025, 9, 1, tzinfo=utc))
    _edition(tmp_path, "b-deze", dt.datetime(2025, 10, 1, tzinfo=utc))  # the label written now
    _edition(tmp_path, "c-later", dt.datetime(2026, 3, 2, tzinfo=utc))  # after this build began
    _edition(tmp_path, "d-andere-regio", dt.datetime(2026, 2, 1, tzinfo=utc), regio="Elders")
    _edition(tmp_path, "e-echte-data", dt.datetime(2026, 2, 1, tzinfo=utc), demo=False)
    (tmp_path / "f-onvolledig").mkdir()  # no editie.json: not an edition
    (tmp_path / ".staging-g-123").mkdir()
    # file times say the oldest is the newest: they do not count
    os.utime(tmp_path / "z-oudste" / EDITION_MANIFEST, (now.timestamp(), now.timestamp()))
    assert [e.label for e in list_editions(tmp_path)] == [
        "z-oudste", "a-vorige", "b-deze", "d-andere-regio", "e-echte-data", "c-later"]
    assert previous_edition(tmp_path, region, True, now, exclude="b-deze").label == "a-vorige"
    assert previous_edition(tmp_path, region, True, now).label == "b-deze"
    assert previous_edition(tmp_path, region, False, now).label == "e-echte-data"
    assert previous_edition(tmp_path / "geen", region, True, now) is None


# --- the comparison --------------------------------------------------------------------------

def _row(indicator: str, gebied: str, periode: str, waarde: float | None, *,
         doelgroep: str = "alle", status: str = "getoond", categorie: str = "alle") -> dict:
    return {"indicator": indicator, "gebiedsniveau": "regio" if gebied == REGION else "gemeente",
            "gebied": gebied, "periode": periode, "doelgroep": doelgroep,
            "categorie": categorie, "waarde": waarde, "teller": None, "noemer": None,
            "status": status}


SHARE = "aandeel_mutaties_aandachtsgroepen"


def _pair() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A previous and a current published table with one planted change of every kind."""
    previous = [
        _row("verhuringen", DELFT, "2024", 400),  # revised by 10: beyond the tolerance of 5
        _row("verhuringen", RIJSWIJK, "2024", 300),  # revised by 5: not beyond it
        _row("verhuringen", REGION, "2024", 700),  # revised by 15
        _row(SHARE, DELFT, "2024", 29.94),  # shown 29,9% → 30,5%: 0,6 procentpunt
        _row(SHARE, RIJSWIJK, "2024", 29.96),  # shown 30,0% → 30,4%: 0,4, though 0,48 unrounded
        _row(SHARE, REGION, "2024", 30.0),  # → 30,5%: exactly the tolerance
        _row("verhuringen", DELFT, "2024", 40, doelgroep="aandachtsgroepen"),  # becomes hidden
        _row("verhuringen", RIJSWIJK, "2024", None, doelgroep="aandachtsgroepen",
             status="klein"),  # becomes shown
        _row("verhuringen", DELFT, "2024", 3, doelgroep="ouderen", status="klein"),  # stays
        _row("verhuringen", DELFT, "2024", 90, categorie="regulier"),  # a breakdown
        _row("mutaties", DELFT, "2024", 1000),  # not a key figure in the settings
    ]
    current = [
        _row("verhuringen", DELFT, "2024", 390),
        _row("verhuringen", RIJSWIJK, "2024", 305),
        _row("verhuringen", REGION, "2024", 715),
        _row(SHARE, DELFT, "2024", 30.46),
        _row(SHARE, RIJSWIJK, "2024", 30.44),
        _row(SHARE, REGION, "2024", 30.5),
        _row("verhuringen", DELFT, "2024", None, doelgroep="aandachtsgroepen",
             status="secundair"),
        _row("verhuringen", RIJSWIJK, "2024", 12, doelgroep="aandachtsgroepen"),
        _row("verhuringen", DELFT, "2024", None, doelgroep="ouderen", status="klein"),
        _row("verhuringen", DELFT, "2024", 60, categorie="regulier"),
        _row("mutaties", DELFT, "2024", 1200),
        _row("verhuringen", DELFT, "2025", 410),  # a new period
        _row("verhuringen", DELFT, PERIOD, 800),
    ]
    return pd.DataFrame(previous), pd.DataFrame(current)


def _kind(changes: pd.DataFrame, kind: str) -> set[tuple]:
    rows = changes[changes["soort"] == kind]
    return set(zip(rows["indicator"], rows["gebied"], rows["doelgroep"], rows["periode"],
                   strict=True))


def test_only_changes_of_shown_figures_beyond_the_tolerance_are_listed():
    changes = compare(*_pair(), SETTINGS)
    changed = changes[changes["soort"] == CHANGED].set_index(["indicator", "gebied"])
    assert set(changed.index) == {("verhuringen", DELFT), ("verhuringen", REGION),
                                  (SHARE, DELFT)}
    assert changed.loc[("verhuringen", DELFT), ["vorige", "nieuw", "verschil"]].tolist() == [
        400, 390, -10]
    assert changed.loc[(SHARE, DELFT), "verschil"] == pytest.approx(0.6)  # of the shown values
    assert _kind(changes, HIDDEN) == {("verhuringen", DELFT, "aandachtsgroepen", "2024")}
    assert _kind(changes, SHOWN_NOW) == {("verhuringen", RIJSWIJK, "aandachtsgroepen", "2024")}
    assert _kind(changes, NEW_PERIOD) == {("verhuringen", DELFT, "alle", "2025"),
                                          ("verhuringen", DELFT, "alle", PERIOD)}
    # a figure hidden in either edition is never written down
    assert changes.loc[changes["soort"].isin([HIDDEN, SHOWN_NOW]),
                       ["vorige", "nieuw", "verschil"]].isna().all().all()
    assert not changes["vorige"].isin([40, 3]).any()


def test_tolerances_come_from_the_settings():
    strict = compare(*_pair(), EditionSettings(tolerantie_procentpunt=0,
                                               tolerantie_aantal=0))
    assert {(i, g) for i, g, _, _ in _kind(strict, CHANGED)} == {
        ("verhuringen", DELFT), ("verhuringen", RIJSWIJK), ("verhuringen", REGION),
        (SHARE, DELFT), (SHARE, RIJSWIJK), (SHARE, REGION)}
    only_shares = compare(*_pair(), EditionSettings(indicatoren=(SHARE,)))
    assert {i for i, _, _, _ in _kind(only_shares, CHANGED)} == {SHARE}


def test_edition_settings_are_checked_with_file_and_setting():
    base = yaml.safe_load(load_config().tekst)
    for block, message in (
            ({"tolerantie": 1}, "'edities.tolerantie': onbekende instelling"),
            ({"tolerantie_aantal": -1}, "'edities.tolerantie_aantal': verwacht een getal"),
            ({"tolerantie_procentpunt": True}, "'edities.tolerantie_procentpunt'"),
            ({"indicatoren": []}, "'edities.indicatoren': verwacht een lijst"),
            ({"indicatoren": ["saldo", "saldo"]}, "'edities.indicatoren': .* meer dan eens")):
        with pytest.raises(ConfigError, match=f"regio.yml: instelling {message}"):
            parse_config({**base, "edities": block}, "regio.yml")
    region = parse_config({**base, "edities": {"indicatoren": ["saldo", "wachttijd_x"]}},
                          "regio.yml")
    with pytest.raises(ConfigError, match=r"'edities.indicatoren': onbekende indicator.*"
                                          r"wachttijd_x"):
        check_settings(region)
    assert load_config().edities == SETTINGS  # the shipped block is the default


# --- what the reports show -------------------------------------------------------------------

def test_without_an_earlier_edition_the_section_is_one_sentence(small):
    data = load_report_data(small[0] / "a")
    assert data.previous_edition is None and data.changes.empty
    for where in ({}, {"gemeente": DELFT}, {"doelgroep": "ouderen"}):
        assert section.summary(data, **where) == section.NO_EDITION
        assert section.changes_table(data, **where).empty
    assert section.NO_EDITION.count(".") == 1


def test_a_planted_revision_is_listed_and_one_within_the_tolerance_is_not(small):
    data = load_report_data(small[0] / "b")
    assert data.previous_edition.label == "A"
    changes = data.changes
    changed = changes[changes["soort"] == CHANGED].set_index(
        ["indicator", "gebied", "doelgroep", "periode"])
    for gebied, removed in ((DELFT, 20), (REGION, 23)):
        for periode in ("2024", PERIOD):
            assert changed.loc[("verhuringen", gebied, "alle", periode), "verschil"] == -removed
    assert RIJSWIJK not in set(changed.index.get_level_values("gebied"))  # 3 lettings: within
    assert "2025" not in set(changed.index.get_level_values("periode"))
    assert ("verhuringen", DELFT, "aandachtsgroepen", "2024") not in changed.index
    assert changes[changes["soort"] == NEW_PERIOD].empty  # the same periods

    table = section.changes_table(data)
    assert list(table.columns) == ["Gemeente", "Indicator", "Periode", "Vorige editie",
                                   "Deze editie", "Verschil"]
    delft = table[(table["Gemeente"] == "Delft") & (table["Indicator"] == "Verhuringen")]
    assert delft["Periode"].tolist() == ["2024", "2024–2025"]
    assert delft["Verschil"].tolist() == ["−20", "−20"]
    assert table["Gemeente"].tolist()[-1] == REGION  # the region after its gemeenten
    text = section.summary(data)
    assert "vorige editie, A van" in text and "Er zijn geen perioden bijgekomen." in text
    listed = changed.index.get_level_values("doelgroep").isin(section.KEY_GROUPS).sum()
    assert f"{listed} kerncijfers over een eerdere periode zijn meer veranderd dan " \
           "0,5 procentpunt (aandelen) of 5 (verhuringen en huishoudens)" in text
    assert section.caption(data).endswith("sinds de editie A meer dan de tolerantie zijn "
                                          "veranderd")


def test_the_appendix_shows_only_its_own_gemeente(small):
    data = load_report_data(small[0] / "b")
    delft = section.changes_table(data, DELFT)
    assert "Gemeente" not in delft.columns and len(delft)
    codes = delft.attrs["codes"]["Indicator"]
    rows = data.changes[(data.changes["soort"] == CHANGED) & (data.changes["gebied"] == DELFT)
                        & data.changes["doelgroep"].isin(section.KEY_GROUPS)]
    assert sorted(codes) == sorted(rows["indicator"])
    assert section.changes_table(data, RIJSWIJK).empty
    assert "Geen kerncijfer van Rijswijk (ZH.) over een eerdere periode is meer veranderd" in (
        section.summary(data, RIJSWIJK))


def test_a_long_list_keeps_its_largest_changes_and_counts_the_rest(small):
    data = load_report_data(small[0] / "b")
    current = data.indicators
    revision = {"saldo": 1000, "verhuringen": 10, "aandeel_eigen_herkomst": 1}
    previous = current.assign(waarde=current["waarde"] + current["indicator"].map(revision))
    planted = compare(previous, current, data.region.edities)
    data = dataclasses.replace(data, changes=planted)
    moved = planted[(planted["soort"] == CHANGED)
                    & planted["doelgroep"].isin(section.KEY_GROUPS)]
    assert len(moved) > section.MAX_ROWS
    table = section.changes_table(data)
    assert len(table) == section.MAX_ROWS
    saldo = "Verschil werkelijke verdeling en verdeling volgens het model"
    assert (table["Indicator"] == saldo).sum() == (moved["indicator"] == "saldo").sum() > 0
    assert f"er zijn er nog {len(moved) - section.MAX_ROWS}." in section.summary(data)


def test_hidden_figures_are_counted_never_shown(small):
    data = load_report_data(small[0] / "b")
    previous, current = _pair()
    data = dataclasses.replace(data, changes=compare(previous, current, SETTINGS))
    table = section.changes_table(data)
    assert not table.isin(["40", "3", "x"]).any().any()
    text = section.summary(data)
    assert "Eén cijfer uit de vorige editie wordt nu afgeschermd" in text
    assert "Eén cijfer dat toen was afgeschermd, wordt nu getoond." in text
    assert "Nieuw in deze editie zijn de cijfers over 2025 en 2024–2025." in text
    ouderen = section.summary(data, doelgroep="ouderen")
    assert "Geen kerncijfer" in ouderen and "afgeschermd" not in ouderen


def test_the_section_passes_the_small_count_check(small):
    """What `woonzorg openbaarheid` reads in a document: no sentence or table cell of the
    section looks like a small count of households, even with small differences."""
    data = load_report_data(small[0] / "b")
    previous, current = _pair()
    previous.loc[0, "waarde"] = 393  # Delft: 393 → 390, listed with every change
    data = dataclasses.replace(data, changes=compare(previous, current,
                                                     EditionSettings(tolerantie_aantal=0)))
    rule = data.region.openbaarheid
    for where in ({}, {"gemeente": DELFT}):
        frame = section.changes_table(data, **where)
        assert "−3" in frame["Verschil"].tolist()
        table = Table(section.caption(data, **where), list(frame.columns),
                      frame.to_numpy().tolist(), where=lambda r, c: f"{r},{c}")
        assert table_findings(table, rule) == []
        assert text_findings(section.summary(data, **where), rule) == []


# --- the command -----------------------------------------------------------------------------

def test_build_keeps_an_edition_and_refuses_a_taken_label(cli, small, tmp_path):
    root, _ = small
    config = root / "regio.yml"
    args = ("build", "--alleen-data", "--config", config, "--raw", root / "raw",
            "--processed", tmp_path / "processed")
    result = cli(*args, "--editie", "2025-H1")
    assert result.exit_code == 0, result.output
    manifest = tmp_path / "edities" / "2025-H1" / EDITION_MANIFEST  # beside --processed
    first = manifest.read_bytes()

    refused = cli(*args, "--editie", "2025-H1")
    assert refused.exit_code == 1
    assert "editie '2025-H1' bestaat al" in refused.output
    assert "--overschrijf-editie" in refused.output
    assert manifest.read_bytes() == first

    again = cli(*args, "--editie", "2025-H1", "--overschrijf-editie")
    assert again.exit_code == 0, again.output
    assert "vergeleken met editie" not in again.output  # only with an earlier one: none
    assert manifest.read_bytes() != first

    elsewhere = cli(*args, "--editie", "2025-H2", "--edities", tmp_path / "elders")
    assert elsewhere.exit_code == 0, elsewhere.output
    assert (tmp_path / "elders" / "2025-H2" / EDITION_MANIFEST).exists()

    compared = cli(*args)
    assert compared.exit_code == 0
    assert "vergeleken met editie 2025-H1" in compared.output

    bad = cli(*args, "--editie", "../2025")
    assert bad.exit_code == 2
    assert "letters, cijfers, punt, koppelteken en liggend streepje" in bad.output
