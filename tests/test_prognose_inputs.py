"""The optional inputs of next year's verdeelmodel (prognose_mutaties, prognose_vraag,
reeds_toegezegd): delivered as office tools write them, absent, and wrong. They hold years after
the monitor period (2026 next to lettings of 2021-2025)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from analysis.build import build
from analysis.config import GeoSettings, load_config
from analysis.contracts import by_id
from analysis.ingest import ingest
from analysis.model import load_verdeelmodel_config
from analysis.processed import load_processed
from conftest import assert_refused, snapshot
from rawdata import (
    FORECAST_FILES,
    FORECAST_HEADERS,
    REGION,
    forecast_rows,
    write_csv,
    write_forecast,
    write_valid_raw,
)

CONFIG = load_config()
SOURCES = tuple(FORECAST_FILES)
TITLES = {"prognose_mutaties": "Prognose mutaties (corporaties)",
          "prognose_vraag": "Verwachte vraag aandachtsgroepen",
          "reeds_toegezegd": "Reeds toegezegde woningen"}


def write_xlsx(path: Path, header, rows, title_rows=(), sheet="Blad1") -> Path:
    """A workbook of one sheet: title rows, the header and the rows, cells as given."""
    workbook = Workbook()
    workbook.active.title = sheet
    for row in [*([title] for title in title_rows), list(header), *rows]:
        workbook.active.append(row)
    workbook.save(path)
    return path


def write_raw(folder: Path, *sources: str) -> Path:
    """The hand-written raw files plus the given forecast files."""
    write_valid_raw(folder)
    for source in sources:
        write_forecast(folder, source)
    return folder


# --- delivered --------------------------------------------------------------------------------

def test_the_three_files_are_read_into_processed_data(tmp_path):
    raw = write_raw(tmp_path / "raw", *SOURCES)
    result = ingest(raw, tmp_path / "processed", CONFIG)
    assert not set(SOURCES) & set(result.manifest["niet_aangeleverd"])
    assert not result.warnings
    for source in SOURCES:
        entry = result.manifest["bronnen"][source]
        assert entry["titel"] == TITLES[source]
        assert entry["periode"] == {"van": 2026, "tot_en_met": 2026}  # after the monitor period
        assert entry["bestanden"][0]["naam"] == FORECAST_FILES[source]
    data = load_processed(tmp_path / "processed")

    vacated = data.prognose_mutaties
    assert list(vacated.columns) == ["gemeente", "jaar", "verwachte_mutaties"]
    assert isinstance(vacated["gemeente"].dtype, pd.CategoricalDtype)
    assert list(vacated["gemeente"].cat.categories) == list(CONFIG.gemeenten)
    assert (str(vacated["jaar"].dtype), str(vacated["verwachte_mutaties"].dtype)) == \
        ("int64", "int64")
    per_gemeente = vacated.set_index("gemeente")["verwachte_mutaties"]
    assert per_gemeente["GM0518"] == 3400  # '3.400': a thousands separator, not a decimal
    assert per_gemeente["GM0637"] == 180
    assert len(vacated) == 9 and set(vacated["jaar"]) == {2026}

    demand = data.prognose_vraag
    assert list(demand.columns) == ["gemeente", "doelgroep", "jaar", "aantal"]
    assert isinstance(demand["doelgroep"].dtype, pd.CategoricalDtype)
    assert str(demand["aantal"].dtype) == "int64"
    assert len(demand) == 11
    # Doelgroepen off the spoor verdeelafspraak are kept; the model ignores them.
    delft = demand[demand["gemeente"] == "GM0503"].set_index("doelgroep")["aantal"]
    assert (delft["uitstroom_mo"], delft["ouderen"]) == (2, 5)

    committed = data.reeds_toegezegd
    assert list(committed.columns) == ["gemeente", "jaar", "aantal"]
    assert str(committed["aantal"].dtype) == "int64"
    assert committed.set_index("gemeente")["aantal"].to_dict() == {
        g: i for i, g in enumerate(REGION)}


def test_headers_names_and_several_years_as_an_export_has_them(tmp_path):
    raw = write_raw(tmp_path / "raw")
    rows = forecast_rows("prognose_mutaties")
    rows[0][0] = "Delft"  # a name instead of a code
    later = [[g, "2030", "1.234"] for g in REGION]  # far ahead
    earlier = [[g, "2025", "90"] for g in REGION]  # inside the monitor period: also allowed
    write_csv(raw / "Mutatieprognose 2026-2030.csv", ("Gemeente", "Prognosejaar", "Mutaties"),
              [*rows, *later, *earlier], title_lines=["Prognose corporaties;;"])
    demand = [["Herkomstgemeente", "Aandachtsgroep", "Jaar", "Aantal huishoudens"],
              *[[g, "Uitstroom maatschappelijke opvang", "2026", "1"] for g in REGION]]
    write_csv(raw / "verwachte_vraag_2026.csv", demand[0], demand[1:])
    write_csv(raw / "toezeggingen.csv", ("gemeente", "jaar", "Reeds toegezegd"),
              forecast_rows("reeds_toegezegd"))
    result = ingest(raw, tmp_path / "processed", CONFIG)
    assert result.manifest["bronnen"]["prognose_mutaties"]["periode"] == {
        "van": 2025, "tot_en_met": 2030}
    data = load_processed(tmp_path / "processed")
    vacated = data.prognose_mutaties.set_index(["gemeente", "jaar"])["verwachte_mutaties"]
    assert (vacated[("GM0503", 2026)], vacated[("GM0518", 2030)]) == (100, 1234)
    assert len(vacated) == 27
    assert set(data.prognose_vraag["doelgroep"]) == {"uitstroom_mo"}
    assert data.reeds_toegezegd["aantal"].sum() == sum(range(9))


def test_a_workbook_with_a_title_row_is_read(tmp_path):
    raw = write_raw(tmp_path / "raw")
    cells = [[g, 2026, i] for i, g in enumerate(REGION)]  # numbers as Excel stores them
    write_xlsx(raw / "reeds_toegezegd_2026.xlsx", ["Gemeente", "Jaar", "Aantal woningen"], cells,
               title_rows=["Reeds toegezegde woningen 2026"], sheet="Toezeggingen")
    result = ingest(raw, tmp_path / "processed", CONFIG)
    assert result.manifest["bronnen"]["reeds_toegezegd"]["bestanden"][0]["kopregel"] == 2
    committed = load_processed(tmp_path / "processed").reeds_toegezegd
    assert str(committed["aantal"].dtype) == "int64"
    assert committed.set_index("gemeente").loc["GM0637", "aantal"] == 8


@pytest.mark.parametrize("source", SOURCES)
def test_validate_recognises_the_file(cli, tmp_path, source):
    result = cli("validate", write_forecast(tmp_path, source))
    assert result.exit_code == 0, result.output
    assert f"als {TITLES[source]}" in result.output


def test_a_lettings_or_stock_file_is_not_taken_for_a_forecast():
    from analysis.validate import contract_for_file

    assert contract_for_file(Path("svh_voorraad_mutaties.xlsx")).id == "voorraad"
    assert contract_for_file(Path("prognose_mutaties_2026.xlsx")).id == "prognose_mutaties"
    assert contract_for_file(Path("statushouders_toezeggingen.csv")).id == \
        "taakstelling_statushouders"
    for source in SOURCES:  # no monitor-period check on the year of a forecast
        assert not any(column.in_period for column in by_id(source).columns)


# --- absent -----------------------------------------------------------------------------------

def test_without_the_files_they_are_none_and_the_build_works(tmp_path):
    region = dataclasses.replace(CONFIG, geo=GeoSettings(map=tmp_path / "geen_grenzen"))
    ingested, analysis = build(write_raw(tmp_path / "raw"), tmp_path / "processed", region,
                               load_verdeelmodel_config())
    assert ingested.manifest["niet_aangeleverd"] == {
        "taakstelling_statushouders": "Taakstelling huisvesting statushouders", **TITLES}
    data = load_processed(tmp_path / "processed")
    assert (data.prognose_mutaties, data.prognose_vraag, data.reeds_toegezegd) == \
        (None, None, None)
    for source in SOURCES:
        assert not (tmp_path / "processed" / f"{source}.parquet").exists()
    assert not analysis.indicators.empty


def test_the_build_works_with_the_files(tmp_path):
    region = dataclasses.replace(CONFIG, geo=GeoSettings(map=tmp_path / "geen_grenzen"))
    ingested, _ = build(write_raw(tmp_path / "raw", *SOURCES), tmp_path / "processed", region,
                        load_verdeelmodel_config())
    assert set(SOURCES) <= set(ingested.manifest["bronnen"])


def test_a_file_no_longer_delivered_leaves_no_old_file(tmp_path):
    raw = write_raw(tmp_path / "raw", *SOURCES)
    ingest(raw, tmp_path / "processed", CONFIG)
    (raw / FORECAST_FILES["prognose_vraag"]).unlink()
    result = ingest(raw, tmp_path / "processed", CONFIG)
    assert result.manifest["niet_aangeleverd"] == {"taakstelling_statushouders":
                                                   "Taakstelling huisvesting statushouders",
                                                   "prognose_vraag": TITLES["prognose_vraag"]}
    assert not (tmp_path / "processed" / "prognose_vraag.parquet").exists()
    data = load_processed(tmp_path / "processed")
    assert data.prognose_vraag is None and data.prognose_mutaties is not None


# --- wrong ------------------------------------------------------------------------------------

def _edit(source: str, edit):
    """Write `source` with its rows changed by `edit(header, rows)` (header on line 1)."""
    def write(raw: Path) -> None:
        header, rows = list(FORECAST_HEADERS[source]), forecast_rows(source)
        edit(header, rows)
        write_csv(raw / FORECAST_FILES[source], header, rows)
    return write


def _set(source: str, row: int, column: str, cell: str):
    return _edit(source, lambda header, rows: rows[row].__setitem__(header.index(column), cell))


COMPLETE = "verwacht: elke gemeente van de regio in elke combinatie van jaar die het bestand bevat"
BAD = {
    # prognose_mutaties: row 0 is Delft (line 2), row 8 Zoetermeer (line 10)
    "mutaties-gemeente-unknown": (
        _set("prognose_mutaties", 1, "gemeente", "GM9999"),
        "prognose_mutaties.csv, regel 3, kolom 'gemeente': onbekende gemeente (waarde: 'GM9999')"),
    "mutaties-gemeente-outside": (
        _set("prognose_mutaties", 1, "gemeente", "Leiden"),
        "prognose_mutaties.csv, regel 3, kolom 'gemeente': deze gemeente hoort niet bij regio "
        "Haaglanden (waarde: 'Leiden')"),
    "mutaties-negative": (
        _set("prognose_mutaties", 2, "verwachte_mutaties", "-5"),
        "prognose_mutaties.csv, regel 4, kolom 'verwachte_mutaties': waarde is kleiner dan 0 "
        "(waarde: '-5'); verwacht: minimaal 0"),
    "mutaties-not-whole": (
        _set("prognose_mutaties", 3, "verwachte_mutaties", "12,5"),
        "prognose_mutaties.csv, regel 5, kolom 'verwachte_mutaties': waarde kan niet worden "
        "gelezen (waarde: '12,5'); verwacht: een geheel getal"),
    "mutaties-year": (
        _set("prognose_mutaties", 4, "jaar", "2051"),
        "prognose_mutaties.csv, regel 6, kolom 'jaar': waarde is groter dan 2050"),
    "mutaties-duplicate": (
        _edit("prognose_mutaties", lambda header, rows: rows.append(list(rows[0]))),
        "prognose_mutaties.csv, regel 2, kolom 'gemeente': dubbele sleutel (gemeente=GM0503, "
        "jaar=2026); ook op prognose_mutaties.csv 11"),
    "mutaties-missing-gemeente": (
        _edit("prognose_mutaties", lambda header, rows: rows.pop(8)),
        f"FOUT prognose_mutaties.csv: rij ontbreekt voor gemeente GM0637 (Zoetermeer), jaar "
        f"2026; {COMPLETE}"),
    # prognose_vraag: Delft uitstroom_mo (line 2), Delft ouderen (3), 's-Gravenhage (4, 5),
    # Leidschendam-Voorburg uitstroom_mo (6), ..., Zoetermeer (12)
    "vraag-gemeente-unknown": (
        _set("prognose_vraag", 4, "gemeente", "Amsterdam"),
        "prognose_vraag.csv, regel 6, kolom 'gemeente': deze gemeente hoort niet bij regio "
        "Haaglanden (waarde: 'Amsterdam')"),
    "vraag-negative": (
        _set("prognose_vraag", 0, "aantal", "-1"),
        "prognose_vraag.csv, regel 2, kolom 'aantal': waarde is kleiner dan 0 (waarde: '-1')"),
    "vraag-not-whole": (
        _set("prognose_vraag", 1, "aantal", "2,5"),
        "prognose_vraag.csv, regel 3, kolom 'aantal': waarde kan niet worden gelezen "
        "(waarde: '2,5')"),
    "vraag-unknown-doelgroep": (
        _set("prognose_vraag", 2, "doelgroep", "jongeren"),
        "prognose_vraag.csv, regel 4, kolom 'doelgroep': onbekende code (waarde: 'jongeren'); "
        "verwacht: een van geen, ouderen, uitstroom_mo"),
    "vraag-geen": (
        _set("prognose_vraag", 2, "doelgroep", "geen"),
        "prognose_vraag.csv, regel 4, kolom 'doelgroep': is 'geen'; dat is geen aandachtsgroep "
        "(waarde: 'geen')"),
    "vraag-duplicate": (
        _edit("prognose_vraag", lambda header, rows: rows.append(list(rows[1]))),
        "prognose_vraag.csv, regel 3, kolom 'gemeente': dubbele sleutel (gemeente=GM0503, "
        "doelgroep=ouderen, jaar=2026)"),
    "vraag-missing-gemeente": (
        _edit("prognose_vraag", lambda header, rows: rows.pop(4)),
        "FOUT prognose_vraag.csv: rij ontbreekt voor gemeente GM1916 (Leidschendam-Voorburg), "
        f"jaar 2026; {COMPLETE}"),
    # reeds_toegezegd: row i is REGION[i] (line i + 2)
    "toegezegd-gemeente-unknown": (
        _set("reeds_toegezegd", 0, "gemeente", "Haarlemmerliede"),
        "reeds_toegezegd.csv, regel 2, kolom 'gemeente': onbekende gemeente "
        "(waarde: 'Haarlemmerliede')"),
    "toegezegd-negative": (
        _set("reeds_toegezegd", 5, "aantal", "-3"),
        "reeds_toegezegd.csv, regel 7, kolom 'aantal': waarde is kleiner dan 0 (waarde: '-3')"),
    "toegezegd-not-whole": (
        _set("reeds_toegezegd", 6, "aantal", "drie"),
        "reeds_toegezegd.csv, regel 8, kolom 'aantal': waarde kan niet worden gelezen "
        "(waarde: 'drie')"),
    "toegezegd-empty": (
        _set("reeds_toegezegd", 7, "aantal", ""),
        "reeds_toegezegd.csv, regel 9, kolom 'aantal': verplichte waarde ontbreekt"),
    "toegezegd-duplicate": (
        _edit("reeds_toegezegd", lambda header, rows: rows.append(list(rows[8]))),
        "reeds_toegezegd.csv, regel 10, kolom 'gemeente': dubbele sleutel (gemeente=GM0637, "
        "jaar=2026)"),
    "toegezegd-missing-gemeente": (
        _edit("reeds_toegezegd",
              lambda header, rows: rows.extend([g, "2027", "1"] for g in REGION[1:])),
        f"FOUT reeds_toegezegd.csv: rij ontbreekt voor gemeente GM0503 (Delft), jaar 2027; "
        f"{COMPLETE}"),
    "toegezegd-missing-column": (
        _edit("reeds_toegezegd", lambda header, rows: [row.pop() for row in [header, *rows]]),
        "reeds_toegezegd.csv, regel 1: verplichte kolom 'aantal' ontbreekt"),
}


@pytest.mark.parametrize(("edit", "message"), list(BAD.values()), ids=list(BAD))
def test_a_bad_file_is_refused(cli, raw, processed, edit, message):
    for source in SOURCES:  # the others valid, so only the broken file is named
        write_forecast(raw, source)
    edit(raw)
    output = assert_refused(cli, raw, processed, message)
    named = {source for source, name in FORECAST_FILES.items() if f"FOUT {name}" in output}
    assert len(named) == 1, output


def test_a_year_out_of_bounds_is_not_a_year_for_the_others(cli, raw, processed):
    _set("prognose_mutaties", 0, "jaar", "2051")(raw)
    output = assert_refused(cli, raw, processed, "waarde is groter dan 2050")
    assert "jaar 2051" not in output
    assert output.count("rij ontbreekt") == 1  # Delft for 2026, not eight gemeenten for 2051


def test_workbook_errors_name_sheet_and_excel_row(cli, raw, processed):
    cells = [[g, 2026, i] for i, g in enumerate(REGION)]
    cells[3][2] = -1  # Excel row 1 (title) + 1 (header) + 4 = 6
    write_xlsx(raw / "toezeggingen_2026.xlsx", FORECAST_HEADERS["reeds_toegezegd"], cells,
               title_rows=["Toezeggingen"], sheet="2026")
    assert_refused(cli, raw, processed,
                   "toezeggingen_2026.xlsx, blad '2026', rij 6, kolom 'aantal': waarde is kleiner "
                   "dan 0 (waarde: '-1')")


def test_a_file_without_the_year_of_the_taakstelling_is_refused_before_writing(
        cli, tmp_path):
    """The files hold 2026; settings asking for 2027 refuse each file, by name and column,
    with the way out, and nothing in the processed folder changes."""
    import yaml

    raw = write_raw(tmp_path / "raw", "prognose_mutaties", "reeds_toegezegd")
    settings = yaml.safe_load(load_verdeelmodel_config().tekst)
    settings["taakstelling"] = {"jaar": 2027, "jaren_gemiddelde": 3}
    model = tmp_path / "verdeelmodel.yml"
    model.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    processed = tmp_path / "processed"
    assert cli("ingest", "--raw", raw, "--processed", processed).exit_code == 0
    before = snapshot(processed)
    result = cli("build", "--raw", raw, "--processed", processed, "--verdeelmodel", model,
                 "--alleen-data")
    assert result.exit_code == 1, result.output
    for source in ("prognose_mutaties", "reeds_toegezegd"):
        assert (f"{FORECAST_FILES[source]}, kolom 'jaar': geen rijen voor 2027, het jaar van de "
                "taakstelling") in result.output
    assert "of het bestand weglaten" in result.output
    assert FORECAST_FILES["prognose_vraag"] not in result.output
    assert snapshot(processed) == before
