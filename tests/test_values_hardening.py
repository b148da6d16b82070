"""One test per class of value that was read wrongly or reported too expensively: numbers whose
decimal mark was guessed per cell, control characters in cells, bare numbers as gemeente, the
cost of reporting duplicate keys, and herkomst in a gemeente dissolved since 2015."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from analysis import codes
from analysis.indicators.herkomst import OUTSIDE_REGION, origin_category
from conftest import assert_refused, rewrite
from rawdata import FILE_NAMES, HEADERS, REGION, ROWS, write_csv

# --- 1. decimal mark and thousands separator, per file and column -----------------------------

def test_thousands_in_a_comma_separated_file_are_thousands(cli, raw, tmp_path):
    rewrite(raw, "cbs", lambda header, rows: None, delimiter=",")  # '50.000' and '23.000'
    out = tmp_path / "out"
    result = cli("ingest", "--raw", raw, "--processed", out)
    assert result.exit_code == 0, result.output
    cbs = pd.read_parquet(out / "cbs.parquet")
    assert set(cbs["inwoners"]) == {50_000} and set(cbs["huishoudens"]) == {23_000}


@pytest.mark.parametrize(("source", "cells", "message"), [
    # kale_huur: '612,45' on line 2 can only have a decimal comma, '600.00' only a decimal point
    ("verhuringen", {(4, 7): "600.00"},
     "svh_verhuringen.csv, regel 2, kolom 'kale_huur': de kolom gebruikt zowel de komma als de "
     "punt als decimaalteken (ook '600.00' op regel 6) (waarde: '612,45')"),
    # mutaties: '1.000' is a thousand unless the comma is the thousands mark, as in '2,500'
    ("voorraad", {(3, 3): "1.000", (7, 3): "2,500"},
     "svh_voorraad.csv, regel 5, kolom 'mutaties': de waarde kan een duizendtal of een decimaal "
     "getal zijn, en de kolom maakt niet duidelijk welk (zie ook '2,500' op regel 9) "
     "(waarde: '1.000')"),
])
def test_a_column_in_doubt_about_its_decimal_mark_is_refused(cli, raw, processed, source, cells,
                                                             message):
    def set_cells(header, rows):
        for (row, column), value in cells.items():
            rows[row][column] = value

    rewrite(raw, source, set_cells)
    output = assert_refused(cli, raw, processed, message, "verwacht: in de hele kolom één "
                                                          "schrijfwijze")
    assert output.count("FOUT ") == 1  # one issue for the column, not one per row


# --- 2. control characters in a cell, CSV and XLSX --------------------------------------------

def write_lettings_xlsx(path: Path, rows: list[list[str]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Verhuringen"
    sheet.append(list(HEADERS["verhuringen"]))
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize(("kind", "text", "where", "shown"), [
    ("csv", "Vido\nmes", "svh_verhuringen.csv, regel 4", "Vido<U+000A>mes"),
    ("xlsx", "Vido\tmes", "svh_verhuringen.xlsx, blad 'Verhuringen', rij 4", "Vido<U+0009>mes"),
    ("csv", "Vido\x00mes", "svh_verhuringen.csv, regel 4", None),  # NUL: refused as a file too
])
def test_a_control_character_in_a_cell_is_refused(cli, raw, processed, kind, text, where, shown):
    rows = ROWS["verhuringen"]()
    rows[2][4] = text  # corporatie of V003, line 4 / Excel row 4
    if kind == "csv":
        write_csv(raw / FILE_NAMES["verhuringen"], HEADERS["verhuringen"], rows)
    else:
        (raw / FILE_NAMES["verhuringen"]).unlink()
        write_lettings_xlsx(raw / "svh_verhuringen.xlsx", rows)
    output = assert_refused(cli, raw, processed, f"FOUT {where}, kolom 'corporatie': ")
    if shown is not None:
        control = f"U+{ord(text[4]):04X}"
        assert f"de waarde bevat een onzichtbaar stuurteken ({control})" in output
        assert f"(waarde: '{shown}')" in output


# --- 3. a bare number is no gemeente ----------------------------------------------------------

def test_a_bare_number_is_no_gemeente(cli, raw, processed):
    def bare_numbers(header, rows):
        rows[0][2] = "518"  # gemeente of V001, line 2 ('s-Gravenhage is GM0518)
        rows[1][11] = "14"  # herkomst of V002, line 3 (Groningen is GM0014)

    rewrite(raw, "verhuringen", bare_numbers)
    assert_refused(cli, raw, processed,
                   "svh_verhuringen.csv, regel 2, kolom 'gemeente': onbekende gemeente "
                   "(waarde: '518'); verwacht: een CBS-gemeentecode als GM0518",
                   "svh_verhuringen.csv, regel 3, kolom 'herkomst_gemeente': onbekende gemeente "
                   "(waarde: '14'); verwacht: een CBS-gemeentecode als GM0518")


# --- 4. duplicate keys: reported in linear size -----------------------------------------------

COPIES = 10_000


@pytest.mark.parametrize(("ids", "expected", "count"), [
    # one key 10.000 times: its first three rows, each naming the other two and counting the rest
    (["V001"] * COPIES,
     "svh_verhuringen.csv, regel 2, kolom 'verhuring_id': dubbele sleutel (verhuring_id=V001); "
     "ook op svh_verhuringen.csv 3, svh_verhuringen.csv 4 en nog 9997 andere rijen (samen "
     "10000 keer)", 3),
    # 5.000 keys twice: the first 100 keys by name, then one count
    ([f"V{i // 2:05d}" for i in range(COPIES)],
     "dubbele sleutel: nog 4900 andere sleutels komen meer dan eens voor (9800 rijen)", 201),
    # an empty id is missing (10.000 times, shown 50 times), not 10.000 times a duplicate
    ([""] * COPIES, "… en nog 9950 keer 'verplichte waarde ontbreekt'", 0),
])
def test_duplicate_keys_are_reported_in_linear_size(cli, raw, ids, expected, count):
    template = ROWS["verhuringen"]()[0]
    write_csv(raw / FILE_NAMES["verhuringen"], HEADERS["verhuringen"],
              ([key, *template[1:]] for key in ids))
    result = cli("validate", raw)
    assert result.exit_code == 1
    assert expected in result.output, result.output[:2000]
    assert result.output.count("dubbele sleutel") == count
    assert len(result.output) < 100_000  # was: 10.000 lines naming 10.000 places each


# --- 5. herkomst in a gemeente dissolved since 2015 -------------------------------------------

def test_the_merger_list_points_from_dissolved_to_current_gemeenten():
    current = set(codes.codes("gemeenten"))
    dissolved = codes.successors()
    assert not current & set(dissolved)
    assert set(dissolved.values()) <= current
    assert {"GM0530", "GM0501", "GM0614", "GM0585", "GM0545", "GM0457"} <= set(dissolved)


def test_a_dissolved_herkomst_gemeente_counts_as_its_successor(cli, raw, tmp_path):
    def dissolved_origins(header, rows):
        rows[1][11] = "Weesp"  # V002, 2021: Amsterdam since 24-3-2022
        rows[2][11] = "GM0530"  # V003, 2022: Hellevoetsluis, Voorne aan Zee since 2023

    rewrite(raw, "verhuringen", dissolved_origins)
    out = tmp_path / "out"
    result = cli("ingest", "--raw", raw, "--processed", out)
    assert result.exit_code == 0, result.output
    lettings = pd.read_parquet(out / "verhuringen.parquet").set_index("verhuring_id")
    herkomst = lettings["herkomst_gemeente"].astype(str)
    delivered = lettings["herkomst_gemeente_oorspronkelijk"].astype(str)
    assert herkomst[["V002", "V003"]].tolist() == ["GM0363", "GM1992"]
    assert delivered[["V002", "V003"]].tolist() == ["GM0457", "GM0530"]
    assert (delivered.drop(["V002", "V003"]) == herkomst.drop(["V002", "V003"])).all()
    # Both lie outside Haaglanden; a region with Voorne aan Zee counts Hellevoetsluis inside.
    haaglanden = pd.Series(origin_category(lettings, REGION), index=lettings.index)
    assert (haaglanden[["V002", "V003"]] == OUTSIDE_REGION).all()
    voorne = pd.Series(origin_category(lettings, (*REGION, "GM1992")), index=lettings.index)
    assert voorne["V003"] == "GM1992"
