"""The Excel files opened as an analyst would: the tabellenboek beside every municipal appendix
and the data exports, with their header on row 1, frozen, filtered, real number formats, names
beside codes, the DEMO label where it belongs and a codebook that stands on its own. Hidden
values are empty (x in Excel) and never say why they are hidden."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis import codes
from analysis.disclosure import SECONDARY, SMALL
from analysis.indicators.catalogue import catalogue
from analysis.layout import DEMO_LABEL
from analysis.protection import rule_text
from analysis.report import show
from analysis.report.show import ShownTable
from analysis.report.workbook import UNITS, write_tabellenboek
from analysis.tables import DECIMALS, SUPPRESSED, SUPPRESSED_NOTE
from conftest import pdf_pages

APPENDICES = {"GM0503": "delft", "GM0518": "s-gravenhage"}
EXPORTS = ("indicatoren", "verdeelmodel")
PUBLISHED_STATUS = {"getoond", "afgeschermd"}


@pytest.fixture(scope="module")
def indicators(reports):
    return pd.read_parquet(reports / "data/indicatoren.parquet")


@pytest.fixture(scope="module")
def exports(reports):
    """The export workbooks, each opened once (the indicator table is large)."""
    return {name: load_workbook(reports / f"data/{name}.xlsx") for name in EXPORTS}


def _cells(sheet) -> list:
    return [c for row in sheet.iter_rows() for c in row if c.value is not None]


def _texts(book) -> list[str]:
    """Every text a reader sees: cells and page headers."""
    found = [str(c.value) for sheet in book for c in _cells(sheet)]
    for sheet in book:
        found += [sheet.oddHeader.left.text or "", sheet.oddHeader.center.text or ""]
    return found


def _header(sheet) -> list:
    return [c.value for c in next(sheet.iter_rows(max_row=1))]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _frame(sheet) -> pd.DataFrame:
    rows = list(sheet.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def _csv(reports: Path, name: str) -> pd.DataFrame:
    """The CSV as text, as it is written: an empty cell stays ''."""
    return pd.read_csv(reports / f"data/{name}.csv", sep=";", encoding="utf-8-sig", dtype=str,
                       keep_default_na=False)


def _notes(book) -> list[str]:
    return [str(v) for row in book["toelichting"].iter_rows(values_only=True)
            for v in row if v is not None]


def _contents(book) -> dict[str, str]:
    """Sheet name → caption, as the sheet 'Inhoud' lists them."""
    rows = book["Inhoud"].iter_rows(values_only=True)
    return {name: caption for name, caption, *_ in rows if name and name.startswith("Tabel ")}


def _by_caption(book, start: str):
    (name,) = [n for n, caption in _contents(book).items() if caption.startswith(start)]
    return _frame(book[name])


def _plain(text: str) -> str:
    # The documents typeset ' as a typographic quote and a range of years with an en dash.
    return " ".join(re.sub("[‘’]", "'", text).replace("\u2013", "-").split())


@pytest.mark.parametrize("gemeente", APPENDICES)
def test_tabellenboek_has_every_table_of_the_appendix(reports, gemeente):
    target = reports / f"gemeenten/bijlage-{APPENDICES[gemeente]}"
    book = load_workbook(target.with_suffix(".xlsx"))
    shown = re.findall(r"^\s*Tabel (\d+) — (.+?)\s*$", "\n".join(pdf_pages(
        target.with_suffix(".pdf"))), re.M)
    contents = _contents(book)
    assert len(shown) == len(contents) >= 5
    assert book.sheetnames == ["Inhoud", *(f"Tabel {n}" for n, _ in shown), "codeboek"]
    for number, start in shown:  # a long caption wraps onto the next line of the PDF
        assert _plain(contents[f"Tabel {number}"]).startswith(_plain(start)), number


@pytest.mark.parametrize("gemeente", APPENDICES)
def test_tabellenboek_sheets_read_like_tables(reports, gemeente):
    book = load_workbook(reports / f"gemeenten/bijlage-{APPENDICES[gemeente]}.xlsx")
    inhoud = [c.value for c in _cells(book["Inhoud"])]
    assert DEMO_LABEL in inhoud
    for row in book["Inhoud"].iter_rows():  # wrapped text has room for its lines
        text = row[1].value if len(row) > 1 else None
        if isinstance(text, str) and len(text) > 2 * book["Inhoud"].column_dimensions["B"].width:
            assert book["Inhoud"].row_dimensions[row[1].row].height >= 45, text
    codebook = _frame(book["codeboek"])
    hidden = []
    for name, caption in _contents(book).items():
        sheet = book[name]
        header = _header(sheet)
        notes = codebook[codebook["blad"] == name].set_index("kolom")["betekenis"]
        for row in sheet.iter_rows(min_row=2):
            for c in row:
                if c.value == SUPPRESSED:  # a hidden value, explained in the codebook
                    hidden.append(c)
                    assert notes[header[c.column - 1]].endswith(SUPPRESSED_NOTE), name
        assert all(isinstance(h, str) and h for h in header), name
        assert all(c.font.bold for c in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
        assert all(sheet.column_dimensions[c.column_letter].width > len(str(c.value))
                   for c in sheet[1])
        assert sheet.oddHeader.center.text == caption
        assert sheet.oddHeader.left.text == DEMO_LABEL
        assert DEMO_LABEL not in [c.value for c in _cells(sheet)]
        numbers = [c for c in _cells(sheet) if _is_number(c.value)]
        assert all(c.number_format != "General" for c in numbers), name
        assert list(codebook.loc[codebook["blad"] == name, "kolom"]) == header
    assert set(codebook["betekenis"]) and codebook["betekenis"].notna().all()
    assert (SUPPRESSED_NOTE in inhoud) == bool(hidden)


def test_tabellenboek_values_equal_the_export(reports, data, indicators):
    book = load_workbook(reports / "gemeenten/bijlage-delft.xlsx")
    period, region = data.period, data.region.naam

    def exported(indicator: str, gebied: str, **where: str) -> object:
        """The published value, or the x the tabellenboek shows for a hidden one."""
        rows = indicators[(indicators["indicator"] == indicator)
                          & (indicators["gebied"] == gebied)]
        for column, value in {"categorie": "alle", "doelgroep": "alle", **where}.items():
            rows = rows[rows[column] == value]
        value = rows["waarde"].item()
        return SUPPRESSED if pd.isna(value) else pytest.approx(value, rel=1e-14)

    inflow = _by_caption(book, "Verhuringen aan doelgroepen in Delft")
    code = {name: c for c, name in codes.labels("doelgroepen").items()}
    assert len(inflow) == len(codes.codes("doelgroepen")) - 1
    for row in inflow.to_dict("records"):
        doelgroep = code[row["Doelgroep"]]
        assert row["Doelgroep (code)"] == doelgroep
        assert row["Verhuringen"] == exported("verhuringen", "GM0503", periode=period,
                                              doelgroep=doelgroep)
        assert row["Per 1.000 huishoudens"] == exported(
            "instroom_per_1000_huishoudens", "GM0503", periode=period, doelgroep=doelgroep)
        assert row[f"Per 1.000 huishoudens {region}"] == exported(
            "instroom_per_1000_huishoudens", region, periode=period, doelgroep=doelgroep)
    limit = _by_caption(book, "Aandeel mutaties naar aandachtsgroepen per jaar")
    assert list(limit["Jaar"]) == [str(j) for j in data.region.jaren]
    for row in limit.itertuples(index=False):
        for column, gebied in ((1, "GM0503"), (2, region)):
            assert row[column] == exported(
                "aandeel_mutaties_aandachtsgroepen", gebied, periode=row.Jaar)


def test_tabellenboek_number_formats(reports):
    book = load_workbook(reports / "gemeenten/bijlage-delft.xlsx")
    formats = {}
    for name in _contents(book):
        sheet = book[name]
        for header, cell in zip(_header(sheet), sheet[2], strict=True):
            formats.setdefault(header, cell.number_format)
    assert formats["Verhuringen"] == "#,##0"
    assert formats["Aandeel"] == '#,##0.0"%"'  # values on the 0–100 scale, as in the export
    assert formats["Per 1.000 huishoudens"] == "#,##0.0"


@pytest.mark.parametrize("name", EXPORTS)
def test_export_workbooks_read_like_tables(reports, exports, name):
    book = exports[name]
    frame = pd.read_parquet(reports / f"data/{name}.parquet")
    assert book.sheetnames[:3] == ["toelichting", "data", "codeboek"]
    assert DEMO_LABEL in [c.value for c in _cells(book["toelichting"])]
    sheet = book["data"]
    assert _header(sheet) == list(frame.columns)  # no label pushed the header down
    assert list(_frame(book["codeboek"])["kolom"]) == list(frame.columns)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, frame.shape[1]).column_letter}" \
                                    f"{len(frame) + 1}"
    for current in book:
        assert current.oddHeader.left.text == DEMO_LABEL, current.title
        assert all(current.column_dimensions[c.column_letter].width for c in current[1])
    first = list(sheet.iter_rows(min_row=2, max_row=200))
    assert DEMO_LABEL not in [c.value for row in first for c in row]
    numbers = [c for row in first for c in row if _is_number(c.value)]
    assert numbers and all(c.number_format != "General" for c in numbers)


def test_indicator_export_formats_by_unit(exports):
    sheet = exports["indicatoren"]["data"]
    header = _header(sheet)
    waarde, periode = header.index("waarde"), header.index("periode")
    seen = {}
    for row in sheet.iter_rows(min_row=2):
        unit = catalogue()[row[0].value].eenheid
        if row[waarde].value is not None:
            seen.setdefault(unit, row[waarde].number_format)
        assert isinstance(row[periode].value, str)
    assert seen["verhuringen"] == "#,##0"
    assert seen["procent"] == '#,##0.0"%"'
    assert seen["per 1.000 huishoudens"] == "#,##0.0"
    assert seen["index"] == "#,##0.00"


def test_indicator_export_values_equal_the_other_formats(reports, exports, indicators):
    xlsx = _frame(exports["indicatoren"]["data"])
    xlsx["waarde"] = xlsx["waarde"].replace(SUPPRESSED, None).astype(float)
    csv = pd.read_csv(reports / "data/indicatoren.csv", sep=";", decimal=",",
                      encoding="utf-8-sig", dtype={"periode": str})
    assert list(xlsx.columns) == list(csv.columns) == list(indicators.columns)
    assert set(indicators["periode"]) >= {"2021", "2021-2025"}
    pd.testing.assert_frame_equal(xlsx, indicators, check_dtype=False, rtol=1e-14)


def test_indicator_export_publishes_only_whether_a_value_is_hidden(reports, exports, indicators):
    csv = _csv(reports, "indicatoren")
    xlsx = _frame(exports["indicatoren"]["data"])
    for frame in (indicators, csv, xlsx):
        assert {"teller", "noemer"}.isdisjoint(frame.columns)
        assert list(frame.columns[-2:]) == ["waarde", "status"]
        assert set(frame["status"]) == PUBLISHED_STATUS  # the demo has hidden values
    hidden = (indicators["status"] == "afgeschermd").to_numpy()
    assert np.array_equal(csv["status"] == "afgeschermd", hidden)
    assert np.array_equal(indicators["waarde"].isna(), hidden)
    assert np.array_equal(csv["waarde"] == "", hidden)
    assert np.array_equal(xlsx["waarde"] == SUPPRESSED, hidden)
    column = _header(exports["indicatoren"]["data"]).index("waarde")
    for row in exports["indicatoren"]["data"].iter_rows(min_row=2):
        if row[column].value == SUPPRESSED:
            assert row[column].alignment.horizontal == "right"


def test_model_export_hides_the_listed_cells(reports, exports):
    parquet = pd.read_parquet(reports / "data/verdeelmodel.parquet")
    csv = _csv(reports, "verdeelmodel")
    xlsx = _frame(exports["verdeelmodel"]["data"])
    listed = [set(filter(None, names.split(", "))) for names in parquet["afgeschermd"]]
    assert any(listed) and list(csv["afgeschermd"]) == list(parquet["afgeschermd"])
    numbers = parquet.columns[parquet.columns.get_indexer(["sleutelaandeel"])[0]:-1]
    assert set().union(*listed) <= set(numbers)
    for i, names in enumerate(listed):
        for column in numbers:
            hidden = column in names
            assert pd.isna(parquet.at[i, column]) == hidden, (i, column)
            assert (csv.at[i, column] == "") == hidden, (i, column)
            assert (xlsx.at[i, column] == SUPPRESSED) == hidden, (i, column)
    assert pd.api.types.is_integer_dtype(pd.read_parquet(
        reports / "data/verdeelmodel.parquet", dtype_backend="numpy_nullable")["taakstelling"])
    hidden_cells = [c for row in exports["verdeelmodel"]["data"].iter_rows(min_row=2)
                    for c in row if c.value == SUPPRESSED]
    assert hidden_cells and {c.alignment.horizontal for c in hidden_cells} == {"right"}


def test_exports_never_say_why_a_value_is_hidden(reports, exports):
    reasons = {SMALL, SECONDARY}
    for name, book in exports.items():
        assert reasons.isdisjoint(c.value for sheet in book for c in _cells(sheet)), name
        for frame in (pd.read_parquet(reports / f"data/{name}.parquet"), _csv(reports, name)):
            assert not frame.select_dtypes(exclude="number").isin(reasons).any().any(), name


def test_exports_state_the_rule(exports, data):
    rule = rule_text(data.region.openbaarheid)
    for name, book in exports.items():
        assert any(rule in text for text in _notes(book)), name
    assert any("Teller en noemer publiceren we niet" in text
               for text in _notes(exports["indicatoren"]))
    described = _frame(exports["verdeelmodel"]["codeboek"]).set_index("kolom")["betekenis"]
    assert "afgeschermd" in described["afgeschermd"]


def test_names_beside_codes(reports, exports, indicators, data):
    columns = list(indicators.columns)
    for code in ("gebied", "doelgroep", "categorie"):
        assert columns[columns.index(code) + 1] == f"{code}_naam"
    named = indicators.drop_duplicates(["gebied", "doelgroep", "categorie"])
    pairs = dict(zip(named["gebied"], named["gebied_naam"], strict=True))
    assert pairs["GM0503"] == "Delft" and pairs["GM0518"] == "’s-Gravenhage"
    assert pairs[data.region.naam] == data.region.naam
    wijken = indicators[indicators["gebiedsniveau"] == "wijk"]
    assert len(wijken) and wijken["gebied_naam"].notna().all()
    doelgroepen = dict(zip(named["doelgroep"], named["doelgroep_naam"], strict=True))
    assert doelgroepen["ouderen"] == "Ouderen"
    assert doelgroepen["aandachtsgroepen"] == "Alle aandachtsgroepen"
    categories = dict(zip(named["categorie"], named["categorie_naam"], strict=True))
    assert categories["GM0518"] == "’s-Gravenhage" and categories["loting"] == "Loting"
    assert named[["doelgroep_naam", "categorie_naam"]].notna().all().all()
    model = pd.read_csv(reports / "data/verdeelmodel.csv", sep=";", decimal=",",
                        encoding="utf-8-sig")
    assert list(model.columns[1:3]) == ["gemeente", "gemeente_naam"]
    assert set(model["gemeente_naam"]) == {data.gemeente_name(g) for g in data.region.gemeenten}
    sheet = exports["verdeelmodel"]["data"]
    formats = {h: c.number_format for h, c in zip(_header(sheet), sheet[2], strict=True)}
    assert (formats["jaar"], formats["sleutelaandeel"], formats["taakstelling"]) == (
        "0", '#,##0.0"%"', "#,##0")  # the share in percent, as in the indicator table


def test_codebook_stands_on_its_own(exports, indicators):
    sheets = {sheet.title: _frame(sheet) for sheet in exports["indicatoren"]
              if sheet.title not in ("toelichting", "data")}
    assert list(sheets["codeboek"]["kolom"]) == list(indicators.columns)
    described = sheets["indicatoren"].set_index("indicator")
    for indicator in catalogue().values():
        row = described.loc[indicator.id]
        assert (row["titel"], row["definitie"], row["eenheid"], row["teller"], row["bron"]) == (
            indicator.titel, indicator.definitie, indicator.eenheid, indicator.teller,
            indicator.bron)
        assert row["betekenis_eenheid"] == UNITS[indicator.eenheid]
        for field in ("noemer", "kanttekeningen"):
            cell = None if pd.isna(row[field]) else row[field]  # empty, not the text "None"
            assert getattr(indicator, field) == cell
    assert set(indicators["doelgroep"]) <= set(sheets["doelgroepen"]["code"])
    assert set(indicators["categorie"]) <= set(sheets["categorieen"]["code"])
    assert set(indicators["gebied"]) == set(sheets["gebieden"]["gebied"])
    for name, book in exports.items():
        texts = [str(c.value) for sheet in book if sheet.title != "data"
                 for c in _cells(sheet)]
        assert any("factor × teller / noemer" in t for t in texts) == (name == "indicatoren")
        pointers = [t for t in texts
                    if re.search(r"docs/|\.(md|csv|parquet|xlsx|yml|json|ipynb)\b", t)]
        assert pointers == [], name


def test_published_files_are_readable_by_colleagues(reports, data):
    exported = list((reports / "data").iterdir())
    workbooks = list((reports / "gemeenten").glob("*.xlsx"))
    assert len(exported) == 3 * 3 and len(workbooks) == len(data.region.gemeenten)
    for path in [*exported, *workbooks]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path.name
    hidden = [p for p in (reports / "gemeenten").iterdir() if p.name.startswith(".")]
    assert hidden == []  # no temporary file left behind


def _capture(monkeypatch) -> list[dict]:
    shown: list[dict] = []
    monkeypatch.setattr(show, "display", lambda data, metadata=None, raw=False:
                        shown.append(json.loads(json.dumps(metadata))))
    return shown


def test_show_table_keeps_the_real_values(monkeypatch):
    shown = _capture(monkeypatch)
    frame = pd.DataFrame({"Gemeente": ["Delft", "Westland"],
                          "Verhuringen": np.array([1234, 5], dtype="int64"),
                          "Aandeel": [12.345678901234567, np.nan]})
    show.table(frame, {"Aandeel": "procent"}, caption="Een tabel",
               codes={"Gemeente": ["GM0503", "GM1783"]})
    table = ShownTable.from_metadata(shown[0][show.META_KEY]["table"])
    assert table.caption == "Een tabel"
    assert table.rows == [["Delft", 1234, 12.345678901234567], ["Westland", 5, None]]
    assert isinstance(table.rows[0][1], int)
    assert table.units == {"Aandeel": "procent"}
    assert table.codes == {"Gemeente": ["GM0503", "GM1783"]}
    with pytest.raises(ValueError, match="Gemeente"):
        show.table(frame, caption="x", codes={"Gemeente": ["GM0503"]})


def _table(**changes) -> ShownTable:
    base = {"caption": "=1+1 tabel", "columns": ["Herkomst", "Verhuringen", "Aandeel", "Noot"],
            "rows": [["Delft", 1234, 56.78, "=SUM(A1:A2)"], ["Buitenland", 5, 1.5, "#N/A"]],
            "units": {"Aandeel": "procent"}, "codes": {"Herkomst": ["GM0503", "buitenland"]}}
    return ShownTable(**{**base, **changes})


def test_workbook_text_is_never_a_formula(tmp_path):
    target = write_tabellenboek([_table()], tmp_path / "boek.xlsx", title="=Titel",
                                subtitle="Gemeente Delft", demo=False)
    book = load_workbook(target)
    sheet = book["Tabel 1"]
    assert _header(sheet) == ["Herkomst (code)", "Herkomst", "Verhuringen", "Aandeel", "Noot"]
    assert [c.value for c in sheet["A"]][1:] == ["GM0503", "buitenland"]
    assert [c.value for c in sheet["E"]][1:] == ["=SUM(A1:A2)", "#N/A"]
    assert all(c.data_type == "s" for c in sheet["E"])
    assert book["Inhoud"]["A1"].value == "=Titel" and book["Inhoud"]["A1"].data_type == "s"
    assert [c.number_format for c in sheet[2]][2:4] == ["#,##0", '#,##0.0"%"']
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_tabellenboek_marks_hidden_values(tmp_path):
    hidden = ShownTable(
        caption="Verhuringen", columns=["Gemeente", "Verhuringen", "Aandeel", "Opmerking"],
        rows=[["Delft", 12, 40.0, None], ["Westland", None, None, "x"],
              ["Wassenaar", 7, SUPPRESSED, "geen"]],
        units={"Aandeel": "procent"})
    book = load_workbook(write_tabellenboek(
        [hidden, _table()], tmp_path / "boek.xlsx", title="Titel", subtitle="Gemeente Delft",
        demo=False))
    sheet = book["Tabel 1"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["Delft", 12, 40.0, None], ["Westland", SUPPRESSED, SUPPRESSED, "x"],
        ["Wassenaar", 7, SUPPRESSED, "geen"]]
    assert [c.alignment.horizontal for c in sheet[3]] == [None, "right", "right", None]
    assert [c.number_format for c in sheet[3]][1:3] == ["#,##0", '#,##0.0"%"']
    codebook = _frame(book["codeboek"])
    notes = codebook.set_index(["blad", "kolom"])["betekenis"]
    assert notes["Tabel 1", "Verhuringen"] == f"Aantal. {SUPPRESSED_NOTE}"
    assert notes["Tabel 1", "Aandeel"].endswith(SUPPRESSED_NOTE)
    assert notes["Tabel 1", "Opmerking"].endswith(SUPPRESSED_NOTE)  # an x the document wrote
    assert not notes["Tabel 2"].str.contains(SUPPRESSED_NOTE, regex=False).any()
    assert SUPPRESSED_NOTE in [c.value for c in _cells(book["Inhoud"])]
    plain = load_workbook(write_tabellenboek([_table()], tmp_path / "plain.xlsx", title="T",
                                             subtitle="S", demo=False))
    assert SUPPRESSED_NOTE not in _texts(plain)


def test_real_data_has_no_demo_label(tmp_path):
    book = load_workbook(write_tabellenboek([_table()], tmp_path / "boek.xlsx", title="Titel",
                                            subtitle="Gemeente Delft", demo=False))
    assert not [t for t in _texts(book) if "DEMO" in t]


def test_every_unit_is_explained():
    assert set(UNITS) == set(DECIMALS) >= {i.eenheid for i in catalogue().values()}


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    from analysis.report.xlsx import Workbook

    def broken(self, path):
        Path(path).write_bytes(b"half")
        raise OSError("schijf vol")

    monkeypatch.setattr(Workbook, "save", broken)
    with pytest.raises(OSError):
        write_tabellenboek([_table()], tmp_path / "boek.xlsx", title="T", subtitle="S",
                           demo=True)
    assert list(tmp_path.iterdir()) == []
