"""One test per class of bad input: exit code, a message naming file, row and column, and no
processed output written."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import assert_refused, rewrite
from rawdata import HEADERS, ROWS


def test_missing_column(cli, raw, processed):
    def drop_doelgroep(header, rows):
        position = header.index("doelgroep")
        del header[position]
        for row in rows:
            del row[position]

    rewrite(raw, "verhuringen", drop_doelgroep)
    assert_refused(cli, raw, processed,
                   "FOUT svh_verhuringen.csv, regel 1: verplichte kolom 'doelgroep' ontbreekt")


def test_unknown_column_is_a_warning_and_not_carried(cli, raw, tmp_path):
    def add_column(header, rows):
        header.append("Opmerking corporatie")
        for row in rows:
            row.append("vrije tekst")

    rewrite(raw, "verhuringen", add_column)
    out = tmp_path / "out"
    result = cli("ingest", "--raw", raw, "--processed", out)
    assert result.exit_code == 0, result.output
    assert ("WAARSCHUWING svh_verhuringen.csv, regel 1, kolom 'Opmerking corporatie': "
            "onbekende kolom; wordt genegeerd") in result.output
    import pandas as pd

    assert "opmerking_corporatie" not in pd.read_parquet(out / "verhuringen.parquet").columns


def test_wrong_type(cli, raw, processed):
    def text_in_count(header, rows):
        rows[3][3] = "veel"  # gemeente GM0518, jaar 2021 → line 5

    rewrite(raw, "voorraad", text_in_count)
    assert_refused(cli, raw, processed,
                   "svh_voorraad.csv, regel 5, kolom 'mutaties': waarde kan niet worden gelezen "
                   "(waarde: 'veel'); verwacht: een geheel getal")


@pytest.mark.parametrize(("value", "message"), [
    ("GM9999", "onbekende gemeente (waarde: 'GM9999')"),
    ("Haarlemmerliede", "onbekende gemeente (waarde: 'Haarlemmerliede')"),
    ("Leiden", "deze gemeente hoort niet bij regio Haaglanden (waarde: 'Leiden')"),
])
def test_unknown_gemeente_code_or_name(cli, raw, processed, value, message):
    def set_gemeente(header, rows):
        rows[1][2] = value  # line 3

    rewrite(raw, "verhuringen", set_gemeente)
    assert_refused(cli, raw, processed,
                   f"svh_verhuringen.csv, regel 3, kolom 'gemeente': {message}")


def test_negative_count(cli, raw, processed):
    def negative(header, rows):
        rows[0][4] = "-12"  # aantal, line 2

    rewrite(raw, "ppm", negative)
    assert_refused(cli, raw, processed,
                   "ppm_woonopgave.csv, regel 2, kolom 'aantal': waarde is kleiner dan 0 "
                   "(waarde: '-12')")


def test_duplicate_keys(cli, raw, processed):
    def duplicate(header, rows):
        rows.append(list(rows[0]))  # same gemeente and jaar as line 2, now also on line 47

    rewrite(raw, "cbs", duplicate)
    output = assert_refused(cli, raw, processed,
                            "cbs_kerncijfers.csv, regel 2, kolom 'gemeente': dubbele sleutel "
                            "(gemeente=GM0503, jaar=2021); ook op cbs_kerncijfers.csv 47",
                            "cbs_kerncijfers.csv, regel 47, kolom 'gemeente': dubbele sleutel")
    assert output.count("dubbele sleutel") == 2


def test_duplicate_keys_across_files(cli, raw, processed):
    shutil.copy(raw / "svh_verhuringen.csv", raw / "svh_verhuringen_kopie.csv")
    assert_refused(cli, raw, processed,
                   "svh_verhuringen.csv, regel 2, kolom 'verhuring_id': dubbele sleutel "
                   "(verhuring_id=V001); ook op svh_verhuringen_kopie.csv 2")


def test_date_outside_the_period(cli, raw, processed):
    def too_early(header, rows):
        rows[5][1] = "31-12-2020"  # line 7

    rewrite(raw, "verhuringen", too_early)
    assert_refused(cli, raw, processed,
                   "svh_verhuringen.csv, regel 7, kolom 'datum_verhuring': valt buiten de "
                   "monitorperiode (waarde: '31-12-2020'); verwacht: een datum van 1-1-2021 "
                   "tot en met 31-12-2025")


def test_year_outside_the_period_and_missing_year(cli, raw, processed):
    def shift(header, rows):
        rows[0][1] = "2019"  # GM0503 2021 becomes 2019: out of period and 2021 now missing

    rewrite(raw, "voorraad", shift)
    assert_refused(cli, raw, processed,
                   "svh_voorraad.csv, regel 2, kolom 'jaar': valt buiten de monitorperiode "
                   "(waarde: '2019')",
                   "rij ontbreekt voor gemeente GM0503 (Delft), jaar 2021")


def test_empty_file(cli, raw, processed):
    (raw / "svh_voorraad.csv").write_bytes(b"")
    assert_refused(cli, raw, processed, "FOUT svh_voorraad.csv: het bestand is leeg")


def test_header_without_rows(cli, raw, processed):
    rewrite(raw, "cbs", lambda header, rows: rows.clear())
    assert_refused(cli, raw, processed,
                   "cbs_kerncijfers.csv: het bestand bevat geen gegevensrijen onder de kopregel")


def test_wrong_delimiter(cli, raw, processed):
    rewrite(raw, "voorraad", lambda header, rows: None, delimiter="|")
    assert_refused(cli, raw, processed,
                   "FOUT svh_voorraad.csv, regel 1: het scheidingsteken is een verticale streep "
                   "('|'); verwacht: puntkomma (;), komma (,) of tab")


def test_windows_1252_text_with_accents(cli, raw, tmp_path):
    import pandas as pd

    def accents(header, rows):
        rows[0][4] = "Woonstichting Ons Belang Ré"
        rows[0][11] = "Súdwest-Fryslân"  # herkomst by official name

    path = rewrite(raw, "verhuringen", accents, encoding="cp1252")
    assert "Súdwest".encode("cp1252") in path.read_bytes()
    out = tmp_path / "out"
    result = cli("ingest", "--raw", raw, "--processed", out)
    assert result.exit_code == 0, result.output
    lettings = pd.read_parquet(out / "verhuringen.parquet").set_index("verhuring_id")
    assert lettings.at["V001", "corporatie"] == "Woonstichting Ons Belang Ré"
    assert lettings.at["V001", "herkomst_gemeente"] == "GM1900"
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert '"codering": "cp1252"' in manifest


def test_decimal_comma_and_thousands(cli, raw, tmp_path):
    import pandas as pd

    out = tmp_path / "out"
    assert cli("ingest", "--raw", raw, "--processed", out).exit_code == 0
    lettings = pd.read_parquet(out / "verhuringen.parquet").set_index("verhuring_id")
    assert lettings.at["V001", "kale_huur"] == pytest.approx(612.45)
    stock = pd.read_parquet(out / "voorraad.parquet")
    assert set(stock["sociale_huurvoorraad"]) == {1200}  # written as '1.200'


def test_decimal_point_in_comma_file(cli, raw, processed):
    def bad_decimal(header, rows):
        rows[2][7] = "6,50,1"  # line 4

    rewrite(raw, "verhuringen", bad_decimal)
    assert_refused(cli, raw, processed,
                   "svh_verhuringen.csv, regel 4, kolom 'kale_huur': waarde kan niet worden "
                   "gelezen (waarde: '6,50,1')")


def stock_cells() -> list[list]:
    """The valid stock rows as Excel writes cells: numbers as numbers, not text."""
    return [[g, int(y), 1200, 75] for g, y, _, _ in ROWS["voorraad"]()]


def write_xlsx(path: Path, header, rows, title_rows=(), sheet="Voorraad") -> Path:
    workbook = Workbook()
    sheet_ = workbook.active
    sheet_.title = sheet
    for title in title_rows:
        sheet_.append([title])
    sheet_.append(list(header))
    for row in rows:
        sheet_.append(row)
    workbook.save(path)
    return path


def test_xlsx_with_title_rows(cli, raw, tmp_path):
    import pandas as pd

    (raw / "svh_voorraad.csv").unlink()
    rows = [[g, y, float(stock), n] for g, y, stock, n in stock_cells()]
    rows[0][0] = "Delft"  # a name instead of a code
    write_xlsx(raw / "svh_voorraad.xlsx", ["Gemeente", "Jaar", "Sociale huurvoorraad",
                                           "Mutaties"], rows,
               title_rows=["SVH voorraad en mutaties 2021-2025", None])
    out = tmp_path / "out"
    result = cli("ingest", "--raw", raw, "--processed", out)
    assert result.exit_code == 0, result.output
    stock = pd.read_parquet(out / "voorraad.parquet")
    assert len(stock) == 45 and stock["sociale_huurvoorraad"].dtype == "int64"
    assert '"kopregel": 3' in (out / "manifest.json").read_text(encoding="utf-8")


def test_xlsx_errors_name_sheet_and_excel_row(cli, raw, processed):
    (raw / "svh_voorraad.csv").unlink()
    rows = stock_cells()
    rows[4][3] = 5000  # more vacancies than stock, Excel row 2 + 1 + 4 = 7
    write_xlsx(raw / "svh_voorraad.xlsx", HEADERS["voorraad"], rows, title_rows=["Titel"])
    assert_refused(cli, raw, processed,
                   "svh_voorraad.xlsx, blad 'Voorraad', rij 7, kolom 'mutaties': is groter dan "
                   "de sociale huurvoorraad (waarde: '5000')")


@pytest.mark.parametrize(("content", "message"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
     "dit is een PDF-document, geen tabel"),
    (bytes(range(256)) * 8, "dit is een binair bestand, geen tekst of tabel"),
])
def test_not_a_table(cli, raw, processed, content, message):
    (raw / "cbs_kerncijfers.csv").write_bytes(content)
    assert_refused(cli, raw, processed, f"FOUT cbs_kerncijfers.csv: {message}")


def test_truncated_csv(cli, raw, processed):
    path = raw / "svh_verhuringen.csv"
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b"GM0518;")])  # cut inside the last line (line 13)
    assert_refused(cli, raw, processed,
                   "svh_verhuringen.csv, regel 13: de laatste regel is afgebroken")


def test_truncated_xlsx(cli, raw, processed, tmp_path):
    (raw / "svh_voorraad.csv").unlink()
    full = write_xlsx(tmp_path / "full.xlsx", HEADERS["voorraad"],
                      stock_cells())
    data = full.read_bytes()
    (raw / "svh_voorraad.xlsx").write_bytes(data[: len(data) // 2])
    assert zipfile.is_zipfile(raw / "svh_voorraad.xlsx") is False
    assert_refused(cli, raw, processed,
                   "FOUT svh_voorraad.xlsx: geen leesbaar XLSX-bestand, beschadigd of afgebroken")


@pytest.mark.parametrize("column", ["BSN", "Naam huurder", "Adres", "Geboortedatum", "Postcode"])
def test_personal_data_column_is_refused(cli, raw, processed, column):
    def add_personal(header, rows):
        header.insert(2, column)
        for row in rows:
            row.insert(2, "x")

    rewrite(raw, "verhuringen", add_personal)
    assert_refused(cli, raw, processed,
                   f"FOUT svh_verhuringen.csv, regel 1, kolom '{column}': deze kolom lijkt "
                   "persoonsgegevens te bevatten")


def test_all_errors_of_a_file_are_listed(cli, raw, processed):
    def break_many(header, rows):
        rows[0][5] = "villa"  # line 2, woningtype
        rows[4][2] = "Amsterdam"  # line 6, gemeente outside the region
        rows[7][1] = "32-01-2024"  # line 9, impossible date
        rows[10][8] = "urgentie"  # line 12, urgency route without category

    rewrite(raw, "verhuringen", break_many)
    output = assert_refused(
        cli, raw, processed,
        "regel 2, kolom 'woningtype': onbekende code (waarde: 'villa')",
        "regel 6, kolom 'gemeente': deze gemeente hoort niet bij regio Haaglanden",
        "regel 9, kolom 'datum_verhuring': waarde kan niet worden gelezen (waarde: '32-01-2024')",
        "regel 12, kolom 'urgentiecategorie': ontbreekt terwijl de toewijzingsroute 'urgentie' is",
    )
    assert "4 fout(en)" in output


def test_missing_source(cli, raw, processed):
    (raw / "ppm_woonopgave.csv").unlink()
    assert_refused(cli, raw, processed, "geen bestand gevonden voor bron 'PPM woonopgave'")


def test_rows_with_wrong_field_count(cli, raw, processed):
    path = raw / "svh_voorraad.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + ";extra"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    assert_refused(cli, raw, processed,
                   "svh_voorraad.csv, regel 4: de regel heeft 5 velden, de kopregel heeft er 4")


def test_invalid_bytes_after_a_utf8_bom(cli, raw, processed):
    path = raw / "cbs_kerncijfers.csv"
    data = path.read_bytes().splitlines(keepends=True)
    data[3] = data[3].replace(b"50.000", b"50.\xff\xfe00")  # line 4
    path.write_bytes(b"\xef\xbb\xbf" + b"".join(data))
    assert_refused(cli, raw, processed,
                   "FOUT cbs_kerncijfers.csv, regel 4: ongeldige tekens voor tekencodering utf-8")


def test_truncated_utf16_file(cli, raw, processed):
    path = raw / "cbs_kerncijfers.csv"
    encoded = path.read_text(encoding="utf-8").encode("utf-16")
    path.write_bytes(encoded[:-1])  # half a character at the end
    assert_refused(cli, raw, processed, "ongeldige tekens voor tekencodering utf-16")
