"""The XLSX writer: what it writes reads back the same in openpyxl (as Excel reads it) and in the
small-count check's own reader, cell by cell, style by style."""

import math
import zipfile

import pytest
from openpyxl import load_workbook

from analysis.report.leaks.xlsx import read_workbook
from analysis.report.xlsx import Style, Workbook, column_letter


def _book(tmp_path, fill, title="Titel"):
    book = Workbook(title)
    fill(book)
    path = tmp_path / "boek.xlsx"
    book.save(path)
    return path


def test_values_keep_their_type(tmp_path):
    values = ["tekst", "=SOM(A1:A2)", "#N/A", 3, -2.5, 0.1 + 0.2, 1e-300, True, None, "",
              math.nan, math.inf, "  spaties  ", "regel\nregel", "a & <b> \"c\"", "’s-Gravenhage"]
    path = _book(tmp_path, lambda book: book.create_sheet("blad").append(values))
    cells = load_workbook(path)["blad"][1]
    assert [c.value for c in cells] == [
        "tekst", "=SOM(A1:A2)", "#N/A", 3, -2.5, 0.1 + 0.2, 1e-300, True, None, None, None,
        None, "  spaties  ", "regel\nregel", "a & <b> \"c\"", "’s-Gravenhage"][:len(cells)]
    assert cells[1].data_type == cells[2].data_type == "s"  # never a formula or an error
    assert read_workbook(path)["blad"][0][:8] == ["tekst", "=SOM(A1:A2)", "#N/A", 3.0, -2.5,
                                                  0.1 + 0.2, 1e-300, True]


def test_characters_xml_cannot_hold_are_escaped_as_excel_does(tmp_path):
    path = _book(tmp_path, lambda book: book.create_sheet("blad").append(
        ["a\x01b", "_x0041_", "a\r\nb"]))
    with zipfile.ZipFile(path) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "a_x0001_b" in strings and "_x005F_x0041_" in strings and "a&#13;\nb" in strings
    assert load_workbook(path)["blad"]["C1"].value == "a\r\nb"


def test_styles(tmp_path):
    def fill(book):
        sheet = book.create_sheet("blad")
        looks = [Style(number_format="#,##0"), Style(number_format='#,##0.0"%"'),
                 Style(bold=True, size=14), Style(bold=True, color="C00000", wrap=True),
                 Style(horizontal="right"), Style(number_format="@"), Style(link=True),
                 Style(top=True)]
        sheet.append([(1234, sheet.style(s)) for s in looks])

    cells = load_workbook(_book(tmp_path, fill))["blad"][1]
    assert [c.number_format for c in cells[:2]] == ["#,##0", '#,##0.0"%"']
    assert cells[2].font.b and cells[2].font.sz == 14
    assert cells[3].font.b and cells[3].font.color.rgb == "FFC00000"
    assert cells[3].alignment.wrap_text and cells[3].alignment.vertical == "top"
    assert cells[4].alignment.horizontal == "right" and not cells[4].font.b
    assert cells[5].number_format == "@"
    assert cells[6].font.u == "single"
    assert cells[7].alignment.vertical == "top" and not cells[7].alignment.wrap_text


def test_one_style_table_for_all_sheets(tmp_path):
    def fill(book):
        for name in ("een", "twee"):
            sheet = book.create_sheet(name)
            sheet.append([(1.5, sheet.style(Style(number_format="0.000"))),
                          (2, sheet.style(Style(bold=True)))])

    book = load_workbook(_book(tmp_path, fill))
    for name in ("een", "twee"):
        assert book[name]["A1"].number_format == "0.000" and book[name]["B1"].font.b


def test_sheet_settings(tmp_path):
    def fill(book):
        book.create_sheet("Inhoud").link(1, 1, "Tabel 1")
        sheet = book.create_sheet("Tabel 1")
        sheet.widths.update({1: 12, 3: 40.5})
        sheet.frozen_header = sheet.filtered = sheet.print_header = True
        sheet.page_header = ("DEMO", "Tabel && meer")
        sheet.page_footer = "pagina &P van &N"
        sheet.landscape = sheet.fit_width = True
        sheet.append(["a", "b", "c"])
        sheet.append_rows([[1, 2, 3], [4, 5, 6]])

    book = load_workbook(_book(tmp_path, fill))
    sheet = book["Tabel 1"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C3" == sheet.dimensions
    assert sheet.print_title_rows == "$1:$1"
    assert (sheet.oddHeader.left.text, sheet.oddHeader.center.text) == ("DEMO", "Tabel && meer")
    assert sheet.oddFooter.right.text == "pagina &P van &N"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0
    assert sheet.column_dimensions["A"].width == 12 and sheet.column_dimensions["C"].width == 40.5
    link = book["Inhoud"]["A1"].hyperlink
    assert (link.location, link.display) == ("'Tabel 1'!A1", "Tabel 1")
    assert book.active.title == "Inhoud"


def test_same_content_same_bytes(tmp_path):
    def fill(book):
        book.create_sheet("blad").append_rows([["x", 1.25, 7]] * 50)

    first = _book(tmp_path, fill).read_bytes()
    assert _book(tmp_path, fill).read_bytes() == first


def test_large_sheet_reads_back_in_order(tmp_path):
    rows = [[f"gebied {i % 97}", i, i / 7] for i in range(20_000)]
    path = _book(tmp_path, lambda book: book.create_sheet("data").append_rows(rows))
    grid = read_workbook(path)["data"]
    assert len(grid) == 20_000 and grid[12_345] == ["gebied 26", 12_345.0, 12_345 / 7]


@pytest.mark.parametrize("name", ["", "a" * 32, "a/b", "a[1]", "wat?"])
def test_sheet_names_excel_refuses(name):
    with pytest.raises(ValueError, match="bladnaam"):
        Workbook().create_sheet(name)


def test_a_sheet_name_twice_is_refused():
    book = Workbook()
    book.create_sheet("Data")
    with pytest.raises(ValueError, match="twee keer"):
        book.create_sheet("data")


def test_a_value_of_another_type_names_sheet_and_cell(tmp_path):
    sheet = Workbook().create_sheet("blad")
    sheet.append(["kop", "kop"])
    with pytest.raises(TypeError, match=r"blad 'blad', cel B2: .*type dict"):
        sheet.append([1, {"a": 1}])


def test_column_letters():
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]


def test_a_row_says_how_high_it_is(tmp_path):
    def fill(book):
        sheet = book.create_sheet("blad")
        sheet.append(["een regel"])
        sheet.append(["drie\nregels\nhoog"], height=45)
        sheet.append_rows([["a"], ["b"]], [None, 30])

    sheet = load_workbook(_book(tmp_path, fill))["blad"]
    assert [sheet.row_dimensions[r].height for r in (1, 2, 3, 4)] == [None, 45, None, 30]
