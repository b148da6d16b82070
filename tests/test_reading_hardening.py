"""Files the reader must refuse or read whole, never in part: one test per class. Each ends in
`woonzorg validate FILE` (exit 1 with a message naming file, sheet, row and column) where the
file is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from analysis.contracts import by_id
from analysis.readers import MAX_FILE_BYTES, read_table
from rawdata import FILE_NAMES, HEADERS, ROWS, write_csv


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with one sheet per entry, rows as given (header included)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def lettings() -> list[list]:
    return [list(HEADERS["verhuringen"]), *ROWS["verhuringen"]()]


def refused(cli, path: Path, *expected: str) -> str:
    result = cli("validate", path)
    assert result.exit_code == 1, result.output
    for text in expected:
        assert text in result.output, f"{text!r} not in:\n{result.output}"
    return result.output


def test_every_sheet_with_the_header_is_read_or_the_file_is_refused(cli, tmp_path):
    header, *rows = lettings()
    path = write_workbook(tmp_path / "svh_verhuringen.xlsx", {
        "Toelichting": [["Verhuringen per periode; zie de andere bladen"]],
        "2021-2023": [header, *rows[:6]],
        "2024-2025": [["Verhuringen 2024-2025"], header, *rows[6:]],
    })
    table = read_table(path, by_id("verhuringen"))
    assert table.sheets == ("2021-2023", "2024-2025")
    assert list(table.cells[0]) == [row[0] for row in rows]  # all twelve, in order
    assert table.row_numbers[5:7] == (7, 3)  # the second sheet's header is on row 2
    assert table.row_sheets[5:7] == ("2021-2023", "2024-2025")
    assert [(i.sheet, i.severity) for i in table.issues] == [("Toelichting", "waarschuwing")]
    result = cli("validate", path)
    assert result.exit_code == 0, result.output
    assert ("WAARSCHUWING svh_verhuringen.xlsx, blad 'Toelichting': blad zonder kopregel met de "
            "verwachte kolommen; wordt niet gelezen") in result.output

    wrong = [list(row) for row in rows]
    wrong[7][header.index("kale_huur")] = "veel"  # row 3 of the second sheet
    write_workbook(path, {"2021-2023": [header, *wrong[:6]],
                          "2024-2025": [["Verhuringen 2024-2025"], header, *wrong[6:]]})
    refused(cli, path, "FOUT svh_verhuringen.xlsx, blad '2024-2025', rij 4, kolom 'kale_huur'")

    later = [list(row) for row in [header, *rows[6:]]]
    for row in later:
        del row[header.index("doelgroep")]
    write_workbook(path, {"2021-2023": [header, *rows[:6]], "2024-2025": later})
    refused(cli, path, "FOUT svh_verhuringen.xlsx, blad '2024-2025', rij 1: andere kolommen dan "
                       "blad '2021-2023' (mist doelgroep)")


def test_formula_without_result_and_merged_cells_are_refused(cli, tmp_path):
    header, *rows = lettings()
    rows[2][7] = "=600+50.1"  # kale_huur on row 4, never calculated: openpyxl stores no result
    path = write_workbook(tmp_path / "svh_verhuringen.xlsx", {"Verhuringen": [header, *rows]})
    refused(cli, path, "FOUT svh_verhuringen.xlsx, blad 'Verhuringen', rij 4, kolom 'kale_huur': "
                       "formule zonder berekende waarde in cel H4; open en sla het bestand op "
                       "in Excel")

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Verhuringen"
    sheet.append(["Verhuringen 2021-2025"])
    for row in [header, *ROWS["verhuringen"]()]:
        sheet.append(row)
    sheet.merge_cells("A1:O1")  # a title above the header is fine
    sheet.merge_cells("E5:E7")  # one corporatie for three lettings is not
    workbook.save(path)
    output = refused(cli, path, "FOUT svh_verhuringen.xlsx, blad 'Verhuringen', rij 5, kolom "
                                "'corporatie': samengevoegde cellen E5:E7")
    assert "A1:O1" not in output and "dubbele sleutel" not in output


@pytest.mark.parametrize("kind", ["fifo", "device", "too_large"])
def test_only_regular_files_of_sane_size_are_read(cli, tmp_path, kind):
    path = tmp_path / "cbs_kerncijfers.csv"
    if kind == "fifo":
        os.mkfifo(path)  # opening it would wait for a writer forever
        message = "dit is geen gewoon bestand maar een named pipe (FIFO)"
    elif kind == "device":
        os.symlink("/dev/zero", path)  # reading it would never end
        message = "dit is geen gewoon bestand maar een apparaat"
    else:
        with path.open("wb") as handle:
            handle.truncate(MAX_FILE_BYTES + 1)  # sparse: takes no room or time
        message = "het bestand is groter dan de grens van 1 GB voor één export"
    output = refused(cli, path, f"FOUT cbs_kerncijfers.csv: {message}")
    assert "/dev/zero" not in output


def test_huge_line_or_field_is_named_with_its_length(cli, tmp_path):
    path = tmp_path / "cbs_kerncijfers.csv"
    write_csv(path, HEADERS["cbs"], ROWS["cbs"](), title_lines=["x" * 10 * 1024 * 1024])
    refused(cli, path, "FOUT cbs_kerncijfers.csv, regel 1: geen kopregel met de verwachte "
                       "kolommen gevonden in de eerste 30 regels: regel 1 is 10.485.760 tekens "
                       "lang")

    rows = ROWS["cbs"]()
    rows[2][2] = '"' + "1" * 200_000  # an unclosed quote swallows the rest of the file
    path.write_text("\r\n".join(";".join(row) for row in [HEADERS["cbs"], *rows]) + "\r\n",
                    encoding="utf-8")
    refused(cli, path, "FOUT cbs_kerncijfers.csv, regel 4: een veld is langer dan 131.072 tekens")


def test_nul_byte_in_csv_is_refused_with_line_and_column(cli, tmp_path):
    path = write_csv(tmp_path / FILE_NAMES["cbs"], HEADERS["cbs"], ROWS["cbs"]())
    lines = path.read_bytes().split(b"\r\n")
    lines[6] = lines[6].replace(b"23.000", b"23.\x0000")  # line 7, huishoudens
    path.write_bytes(b"\r\n".join(lines))
    refused(cli, path, "FOUT cbs_kerncijfers.csv, regel 7, kolom 'huishoudens': NUL-teken "
                       "(byte 0) in de tekst")


# --- Plain CSV through Arrow -------------------------------------------------------------------

def _both_readers(path: Path) -> tuple[object, object]:
    """What `read_table` returns, and what the csv module's reader returns for the same file."""
    from analysis import readers

    contract = by_id("verhuringen")
    fast = read_table(path, contract)
    data = path.read_bytes()
    text, encoding = readers._decode(path, data)
    slow = readers._collect_csv_rows(
        path, data, text, fast.delimiter, max(fast.header_row - 1, 0), encoding,
        {"size": fast.size, "sha256": fast.sha256})
    return fast, slow


def _cells(table) -> list[list]:
    return table.cells.astype(object).to_numpy().tolist()


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("last", ["", "end"])
def test_a_plain_csv_reads_as_the_csv_module_reads_it(tmp_path, ending, last):
    """Arrow reads a plain file (a title line above the header, no quotes): the same header,
    cells and line numbers as the csv module, with or without a line break at the end."""
    rows = lettings()
    lines = ["Export SVH;;", *(";".join(str(c) for c in row) for row in rows)]
    path = tmp_path / "svh_verhuringen.csv"
    path.write_bytes((ending.join(lines) + (ending if last else "")).encode())
    fast, slow = _both_readers(path)
    assert isinstance(fast.cells[0].dtype, pd.CategoricalDtype)
    assert (fast.headers, fast.header_row, fast.row_numbers) == (
        slow.headers, slow.header_row, slow.row_numbers)
    assert fast.row_numbers[0] == 3
    assert _cells(fast) == _cells(slow)


@pytest.mark.parametrize("change", ["quote", "blank line", "empty fields", "short line",
                                    "long line", "cp1252", "lone cr"])
def test_a_csv_that_is_not_plain_is_read_by_the_csv_module(tmp_path, change):
    """Quotes, a blank line, a line of empty fields, a line with too few or too many fields,
    another encoding or old Mac line ends: the csv module reads the file, as before, with its
    messages; Arrow does not read it in part."""
    from analysis import readers

    rows = [";".join(str(c) for c in row) for row in lettings()]
    middle = len(rows) // 2
    if change == "quote":  # the first field quoted, as Excel writes a field with a ';'
        rows[middle] = '"' + rows[middle].replace(";", '";', 1)
    elif change == "blank line":
        rows.insert(middle, "")
    elif change == "empty fields":
        rows.insert(middle, ";" * (rows[0].count(";")))
    elif change == "short line":
        rows[middle] = rows[middle].rsplit(";", 1)[0]
    elif change == "long line":
        rows[middle] += ";extra"
    separator = "\r" if change == "lone cr" else "\n"
    text = separator.join(rows) + separator
    path = tmp_path / "svh_verhuringen.csv"
    path.write_bytes(text.encode("cp1252" if change == "cp1252" else "utf-8")
                     + ("é".encode("cp1252") if change == "cp1252" else b""))
    data = path.read_bytes()
    decoded, encoding = readers._decode(path, data)
    assert readers._plain_csv_rows(path, data, decoded, ";", 0, encoding, {}) is None
    fast, slow = _both_readers(path)
    assert fast.row_numbers == slow.row_numbers
    assert _cells(fast) == _cells(slow)
    assert fast.issues == slow.issues
