"""`woonzorg openbaarheid` finds a small count of households wherever a published file gives one
away: planted in a data export, a tabellenboek, a PDF, a Word document and an HTML figure, each
is named with its file and place; clean files and the sentences that only look like a count
(years, percentages, table numbers, the rule itself) pass."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pandas as pd
import plotly.graph_objects as go
import pytest
import typst
from openpyxl import Workbook

from analysis.config import load_config
from analysis.figures.html import to_div
from analysis.model.config import MODEL_SPOOR, load_verdeelmodel_config
from analysis.protection import rule_text
from analysis.report import leaks
from analysis.report.leaks.tables import label_kind

REGION = load_config()
RULE = REGION.openbaarheid
MODEL = load_verdeelmodel_config()
DELFT, DEN_HAAG = REGION.gemeenten[:2]
PERIOD = f"{min(REGION.jaren)}-{max(REGION.jaren)}"
COLUMNS = ["indicator", "gebiedsniveau", "gebied", "gebied_naam", "periode", "doelgroep",
           "doelgroep_naam", "categorie", "categorie_naam", "waarde", "status"]


def row(gebied: str, periode: str, waarde: float | None, indicator: str = "verhuringen",
        doelgroep: str = "statushouders", categorie: str = "alle") -> dict:
    level = "regio" if gebied == REGION.naam else "gemeente"
    return {"indicator": indicator, "gebiedsniveau": level, "gebied": gebied,
            "gebied_naam": gebied, "periode": periode, "doelgroep": doelgroep,
            "doelgroep_naam": doelgroep, "categorie": categorie, "categorie_naam": categorie,
            "waarde": waarde, "status": "afgeschermd" if waarde is None else "getoond"}


def export(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS).astype({"waarde": "float64"})


CLEAN_ROWS = [row(REGION.naam, "2024", 30), row(DELFT, "2024", None), row(DEN_HAAG, "2024", None),
              row(REGION.naam, "2023", 0), row(DELFT, "2023", 0), row(DEN_HAAG, "2023", 0)]


def write_typst(path: Path, body: str) -> Path:
    path.write_bytes(typst.compile(f'#set text(lang: "nl")\n{body}\n'.encode(), format="pdf"))
    return path


def write_docx(path: Path, paragraphs: list[str], caption: str = "",
               table: list[list[str]] | None = None) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        document.add_paragraph(caption)
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, values in enumerate(table):
            for c, value in enumerate(values):
                grid.cell(r, c).text = value
    document.save(path)
    return path


def write_html(path: Path, body: str, figures: list[go.Figure] = ()) -> Path:
    divs = "".join(to_div(figure) for figure in figures)
    path.write_text(f"<!DOCTYPE html><html><head><title>Rapport</title></head><body>{body}"
                    f"{divs}</body></html>", encoding="utf-8")
    return path


def write_tabellenboek(path: Path, rows: list[list[object]], *, write_only: bool = False
                       ) -> Path:
    """A workbook laid out as `report.workbook.write_tabellenboek` lays it out."""
    book = Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    sheets = {
        "Inhoud": [["Bijlage Delft"], [], ["Tabel 1", "Verhuringen aan doelgroepen in Delft"]],
        "Tabel 1": [["Doelgroep (code)", "Doelgroep", "Verhuringen", "Per 1.000 huishoudens",
                     "Aandeel"], *rows],
        "codeboek": [["blad", "kolom", "eenheid", "betekenis"],
                     ["Tabel 1", "Doelgroep (code)", "code", ""],
                     ["Tabel 1", "Doelgroep", "tekst", ""],
                     ["Tabel 1", "Verhuringen", "verhuringen", ""],
                     ["Tabel 1", "Per 1.000 huishoudens", "per 1.000 huishoudens", ""],
                     ["Tabel 1", "Aandeel", "procent", ""]],
    }
    for name, values in sheets.items():
        sheet = book.create_sheet(name)
        for line in values:
            sheet.append(line)
    book.save(path)
    return path


def clean_set(folder: Path) -> Path:
    """One clean file of every kind, with sentences that only look like counts."""
    data = folder / "data"
    data.mkdir(parents=True)
    export(CLEAN_ROWS).to_parquet(data / "indicatoren.parquet", index=False)
    export(CLEAN_ROWS).to_csv(data / "indicatoren.csv", sep=";", decimal=",", index=False,
                              encoding="utf-8-sig")
    write_tabellenboek(folder / "bijlage-delft.xlsx",
                       [["ouderen", "Ouderen", 213, 0.8, 3.0], ["studenten", "Studenten", "x",
                                                                 2.0, 1.0]])
    write_typst(folder / "regio.pdf", LOOKALIKES)
    write_docx(folder / "bijlage-delft.docx", [LOOKALIKES], "Tabel 3 — Verhuringen per jaar",
               [["Jaar", "Verhuringen", "Aandeel"], ["2024", "213", "3,5%"],
                ["2025", "x", "2,0%"]])
    figure = go.Figure(go.Bar(x=["Delft", "Westland"], y=[213, None],
                              hovertemplate="%{x}: %{y} verhuringen<extra></extra>"))
    share = go.Figure(go.Bar(x=["Delft", "Westland"], y=[3.5, 2],
                             hovertemplate="%{x}: %{y:.1f}% van de huishoudens<extra></extra>"))
    write_html(folder / "regio.html", f"<p>{LOOKALIKES}</p>", [figure, share])
    return folder


# Sentences of the kind the reports write, none of which publishes a small count.
LOOKALIKES = (f"{rule_text(RULE)} In 2024 kregen 1.234 huishoudens een woning; 3,5% van de "
              "huishoudens kwam van buiten de regio. Tabel 3 Verhuringen per jaar. Eén op de 4 "
              "huishoudens is een gezin van 2 personen. Delft huisvestte 3 huishoudens meer dan "
              "haar deel. Instroom per 1.000 huishoudens: 2,4. Wijken met minstens 3 "
              "verhuringen.")


def test_clean_files_pass(cli, tmp_path):
    result = cli("openbaarheid", clean_set(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 6 bestanden")


def fails(cli, folder: Path, *expected: str) -> str:
    result = cli("openbaarheid", folder)
    assert result.exit_code == 1, result.output
    for text in expected:
        assert text in result.output, result.output
    return result.output


def test_small_count_in_parquet(cli, tmp_path):
    export([*CLEAN_ROWS, row(DELFT, "2022", 3)]).to_parquet(tmp_path / "indicatoren.parquet")
    fails(cli, tmp_path, "indicatoren.parquet, rij 7, kolom waarde: aantal 3 bij 'verhuringen'")


def test_hidden_value_beside_status(cli, tmp_path):
    leaked = {**row(DELFT, "2022", None), "waarde": 12.0}
    export([*CLEAN_ROWS, leaked]).to_parquet(tmp_path / "indicatoren.parquet")
    fails(cli, tmp_path, "rij 7, kolom waarde: status afgeschermd, maar waarde 12 staat er")


def test_hidden_cell_from_the_region_total(cli, tmp_path):
    rows = [*CLEAN_ROWS, row(REGION.naam, "2022", 20), row(DELFT, "2022", None),
            row(DEN_HAAG, "2022", 17)]
    export(rows).to_csv(tmp_path / "indicatoren.csv", sep=";", decimal=",", index=False,
                        encoding="utf-8-sig")
    fails(cli, tmp_path, f"indicatoren.csv, regel 9, kolom waarde: afgeschermde cel verhuringen "
                         f"(gemeente {DELFT}, 2022", "te herleiden uit het totaal",
          f"verhuringen (regio {REGION.naam}, 2022")


def test_hidden_cell_from_two_totals(cli, tmp_path):
    """Delft 2024 follows from the region's 2024 total; then Delft 2023 from Delft's period
    total, although that total has two hidden years."""
    years = [str(y) for y in REGION.jaren if y not in (2023, 2024)]
    rows = [row(REGION.naam, "2024", 30), row(DELFT, "2024", None), row(DEN_HAAG, "2024", 27),
            row(DELFT, "2023", None), row(DEN_HAAG, "2023", None),
            *(row(DELFT, y, 10) for y in years), row(DELFT, PERIOD, 40)]
    export(rows).to_parquet(tmp_path / "indicatoren.parquet")
    output = fails(cli, tmp_path, f"(gemeente {DELFT}, 2023, doelgroep statushouders, "
                                  "categorie alle) is te herleiden uit het totaal en de delen "
                                  "ernaast (met eerder herleide cellen)")
    assert f"(gemeente {DEN_HAAG}, 2023" not in output


def test_hidden_origin_from_the_noemer_of_a_share(cli, tmp_path):
    """A shown share of origin and its count give the households of known origin (the
    noemer: 20 × 100 / 62,5 = 32); with it the hidden 'buitenland' follows from the known
    origins and 'onbekend' from all lettings, although all origins together have two hidden
    cells."""
    origin = "herkomst_bestemming"
    rows = [row(DELFT, "2024", 40), row(DELFT, "2024", 20, origin, categorie=DELFT),
            row(DELFT, "2024", None, origin, categorie="buitenland"),
            row(DELFT, "2024", None, origin, categorie="onbekend"),
            row(DELFT, "2024", 62.5, "aandeel_herkomst", categorie=DELFT)]
    export(rows).to_parquet(tmp_path / "indicatoren.parquet")
    known = f"bekende_herkomst (gemeente {DELFT}, 2024, doelgroep statushouders, categorie alle)"
    fails(cli, tmp_path, f"rij 3, kolom waarde: afgeschermde cel {origin} (gemeente {DELFT}, "
                         "2024, doelgroep statushouders, categorie buitenland) is te herleiden",
          f"rij 4, kolom waarde: afgeschermde cel {origin} (gemeente {DELFT}, 2024, doelgroep "
          "statushouders, categorie onbekend) is te herleiden uit het totaal en de delen "
          f"ernaast: verhuringen (gemeente {DELFT}, 2024, doelgroep statushouders, categorie "
          f"alle), {known}")
    export(rows[:-1]).to_parquet(tmp_path / "indicatoren.parquet")  # without the share
    assert cli("openbaarheid", tmp_path).exit_code == 0


def test_a_total_that_does_not_add_up_gives_nothing_away(cli, tmp_path):
    """Where the published cells of a total visibly do not add up (a gemeente is missing),
    a reader cannot rely on it for the year with a hidden cell either."""
    rows = [row(REGION.naam, "2022", 40), row(DELFT, "2022", 12), row(DEN_HAAG, "2022", 13),
            row(REGION.naam, "2024", 30), row(DELFT, "2024", None), row(DEN_HAAG, "2024", 17)]
    export(rows).to_parquet(tmp_path / "indicatoren.parquet")
    assert cli("openbaarheid", tmp_path).exit_code == 0


def test_rate_gives_its_hidden_count_away(cli, tmp_path):
    rate = row(DELFT, "2024", 2.5, indicator="aandeel_mutaties_doelgroep")
    export([*CLEAN_ROWS, rate]).to_parquet(tmp_path / "indicatoren.parquet")
    fails(cli, tmp_path, "rij 7, kolom waarde: 'aandeel_mutaties_doelgroep' getoond, terwijl "
                         f"het aantal verhuringen (gemeente {DELFT}, 2024")


def test_a_median_gives_its_hidden_count_away(cli, tmp_path):
    # over all routes a median rests on the lettings of its doelgroep, hidden for Delft in 2024
    median = row(DELFT, "2024", 7.0, indicator="inschrijfduur_mediaan")
    export([*CLEAN_ROWS, median]).to_parquet(tmp_path / "indicatoren.parquet")
    fails(cli, tmp_path, "rij 7, kolom waarde: 'inschrijfduur_mediaan' getoond, terwijl het "
                         f"aantal waarop het rust, verhuringen (gemeente {DELFT}, 2024, "
                         "doelgroep statushouders, categorie alle), is afgeschermd")


def test_a_median_over_too_few_lettings(cli, tmp_path):
    median = row(REGION.naam, "2024", 7.0, indicator="zoekduur_mediaan")
    frame = export([*CLEAN_ROWS, median]).assign(noemer=[*[None] * len(CLEAN_ROWS), 6.0])
    frame.to_parquet(tmp_path / "indicatoren.parquet")
    fails(cli, tmp_path, "rij 7, kolom waarde: 'zoekduur_mediaan' getoond bij een noemer van 6 "
                         "(minder dan 10)")


def test_small_count_in_the_model_results(cli, tmp_path):
    results = pd.DataFrame({"jaar": [2024, 2024], "gemeente": [DELFT, DEN_HAAG],
                            "vraag_eigen": [120, 2], "geplaatst_eigen": [120, None],
                            "afgeschermd": ["", "geplaatst_eigen"]})
    results.to_parquet(tmp_path / "verdeelmodel.parquet")
    fails(cli, tmp_path, "verdeelmodel.parquet, rij 2, kolom vraag_eigen: vraag_eigen 2 is een "
                         "klein aantal huishoudens")


def test_cell_hidden_in_one_export_and_shown_in_another(cli, tmp_path):
    hidden = row(DELFT, "2024", None, indicator="taakstelling", doelgroep=MODEL_SPOOR)
    export([*CLEAN_ROWS, hidden]).to_parquet(tmp_path / "indicatoren.parquet")
    pd.DataFrame({"jaar": [2024], "gemeente": [DELFT], "taakstelling": [12],
                  "realisatie": [15], "afgeschermd": ["realisatie"]}
                 ).to_parquet(tmp_path / "verdeelmodel.parquet")
    fails(cli, tmp_path, f"indicatoren.parquet, rij 7, kolom waarde: afgeschermde cel "
                         f"taakstelling (gemeente {DELFT}, 2024, doelgroep {MODEL_SPOOR}, "
                         "categorie alle) staat getoond in verdeelmodel.parquet, rij 1, kolom "
                         "taakstelling",
          "verdeelmodel.parquet, rij 1, kolom realisatie: realisatie staat in 'afgeschermd', "
          "maar de waarde 15 staat er")


@pytest.mark.parametrize("write_only", [False, True])
def test_small_count_in_a_tabellenboek(cli, tmp_path, write_only):
    write_tabellenboek(tmp_path / "bijlage-delft.xlsx",
                       [["ouderen", "Ouderen", 213, 0.8, 3.0],
                        ["sekswerkers", "Stoppende sekswerkers", 3, 0.0, 1.0]],
                       write_only=write_only)
    output = fails(cli, tmp_path, "bijlage-delft.xlsx, blad 'Tabel 1', cel C3: 3 in kolom "
                                  "'Verhuringen'")
    assert output.count("bijlage-delft.xlsx") == 1  # not the percentages, nor the rates


def test_small_count_in_a_data_sheet(cli, tmp_path):
    """A workbook export is read as data: its rows, cells named by sheet and cell."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(COLUMNS)
    for values in export([*CLEAN_ROWS, row(DELFT, "2022", 4)]).itertuples(index=False):
        sheet.append([None if pd.isna(v) else v for v in values])
    book.save(tmp_path / "indicatoren.xlsx")
    fails(cli, tmp_path, "indicatoren.xlsx, blad 'data', cel J8: aantal 4 bij 'verhuringen'")


def test_small_count_in_another_data_file(cli, tmp_path):
    pd.DataFrame({"wijk": ["WK050301", "WK050302"], "jaar": [2024, 2024],
                  "verhuringen": [25, 2]}).to_parquet(tmp_path / "wijken.parquet")
    fails(cli, tmp_path, "wijken.parquet, rij 2, kolom verhuringen: 2 in kolom 'verhuringen'")


def test_small_count_in_pdf_text(cli, tmp_path):
    write_typst(tmp_path / "regio.pdf", f"{LOOKALIKES}\n#pagebreak()\nIn 2024 kregen 3 "
                                        "huishoudens uit Delft een woning in Westland.")
    fails(cli, tmp_path, "regio.pdf, pagina 2: 3 huishoudens: 'In 2024 kregen 3 huishoudens")


def test_small_count_in_a_pdf_table(cli, tmp_path):
    table = ("#figure(table(columns: 3, [Doelgroep], [Verhuringen], [Aandeel], [Ouderen], "
             "[213], [3,5%], [Studenten], [2], [1,0%]), caption: [Verhuringen per doelgroep], "
             "supplement: [Tabel], kind: table)")
    write_typst(tmp_path / "bijlage.pdf", f"#set figure.caption(position: top, separator: "
                                          f"[ — ])\n{table}")
    output = fails(cli, tmp_path, "bijlage.pdf, pagina 1, tabel 'Verhuringen per doelgroep'",
                   "2 in kolom 'Verhuringen'")
    assert output.count("bijlage.pdf") == 1


def test_small_count_in_docx(cli, tmp_path):
    write_docx(tmp_path / "bijlage.docx", [LOOKALIKES, "Uit Delft kregen twee huishoudens een "
                                                       "woning in Wassenaar."],
               "Tabel 1 — Verhuringen per jaar", [["Jaar", "Delft"], ["2024", "1"]])
    output = fails(cli, tmp_path, "bijlage.docx, alinea 2: 2 huishoudens: 'Uit Delft kregen twee",
                   "bijlage.docx, tabel 1 ('Tabel 1 — Verhuringen per jaar'), rij 2, kolom "
                   "'Delft': 1 in kolom 'Delft'")
    assert "alinea 1" not in output


def test_small_count_in_a_plotly_hover(cli, tmp_path):
    flows = go.Figure([go.Scatter(x=[1.2, 2.6], y=[-3.1, -1.5], mode="lines",
                                  hovertemplate="Delft → Westland: 2 verhuringen<extra></extra>"),
                       go.Bar(x=["Delft", "Westland"], y=[120, 3], name="Verhuringen",
                              hovertemplate="%{x}: %{y:,.0f} verhuringen<extra></extra>")])
    flows.update_layout(title="Verhuringen tussen gemeenten")
    write_html(tmp_path / "regio.html", "<h1>Herkomst</h1><p>Zie de figuur.</p>", [flows])
    output = fails(cli, tmp_path,
                   "regio.html, figuur 1 ('Verhuringen tussen gemeenten'), reeks 1: 2 "
                   "verhuringen: 'Delft → Westland: 2 verhuringen'",
                   "reeks 2 ('Verhuringen'): y = 3 (punt 2) is een klein aantal huishoudens")
    assert "1.2" not in output  # the coordinates of a line are not counts


def test_nan_and_text_in_html(cli, tmp_path):
    figure = go.Figure(go.Bar(x=["Delft"], y=[12], text=["NaN"], name="Aandeel"))
    write_html(tmp_path / "regio.html", "<h2>Instroom</h2><p>In Delft kregen 4 huurders uit "
                                        "de regio een woning.</p><table><caption>Tabel 2 — "
                                        "Verhuringen</caption><thead><tr><th>Gemeente</th>"
                                        "<th>2024</th></tr></thead><tbody><tr><td>Delft</td>"
                                        "<td>3</td></tr></tbody></table>", [figure])
    fails(cli, tmp_path, "regio.html, tekst onder 'Instroom': 4 huurders",
          "regio.html, tabel 1 ('Tabel 2 — Verhuringen'), rij 2, kolom '2024': 3",
          "regio.html, figuur 1 (''), reeks 1 ('Aandeel'): NaN in de tekst")


@pytest.mark.parametrize("sentence", [
    rule_text(RULE), "In 2024 kregen 1.234 huishoudens een woning.", "3,5% van de huishoudens",
    "Tabel 3 Verhuringen per jaar", "Figuur 2 huishoudens", "1 op de 4 huishoudens",
    "huishoudens van 2 personen", "Delft huisvestte 3 huishoudens meer dan haar deel.",
    "wijken met minstens 3 verhuringen", "per 1.000 huishoudens", "2 keer zoveel huishoudens",
    "4 Verhuringen en herkomst", "kregen er 675 een woning", "2021–2025 753 huishoudens",
])
def test_sentences_that_are_no_count(sentence):
    assert leaks.text_findings(sentence, RULE) == []


@pytest.mark.parametrize(("sentence", "value"), [
    ("Delft: 2 verhuringen", 2), ("drie nieuwe huurders", 3), ("Eén huishouden uit Delft", 1),
    ("Van de 986 huishoudens kregen er 3 een woning in Delft zelf.", 3),
    ("aan 4 huis-\nhoudens", 4),
])
def test_sentences_with_a_count(sentence, value):
    assert [m.split(" ")[0] for m in leaks.text_findings(sentence, RULE)] in (
        [str(value)], ["er"])


def test_read_workbook_matches_openpyxl(tmp_path):
    path = write_tabellenboek(tmp_path / "boek.xlsx", [["a&b", "<x>", 1, 0.5, None]])
    sheets = leaks.read_workbook(path)
    assert sheets["Tabel 1"][1] == ["a&b", "<x>", 1.0, 0.5, None]
    assert sheets["Inhoud"][2] == ["Tabel 1", "Verhuringen aan doelgroepen in Delft"]


def test_default_folder_is_the_output_dir(cli, tmp_path, monkeypatch):
    (tmp_path / "_quarto.yml").write_text("project:\n  title: T\n  output-dir: uit\nlang: nl\n"
                                          "format:\n  typst:\n    papersize: a4\n",
                                          encoding="utf-8")
    clean_set(tmp_path / "uit")
    monkeypatch.chdir(tmp_path)
    result = cli("openbaarheid")
    assert result.exit_code == 0, result.output
    assert "uit" in result.output


def test_the_demo_reports_give_nothing_away(cli, reports):
    result = cli("openbaarheid", reports)
    assert result.exit_code == 0, result.output


def test_a_rate_header_cut_by_the_page_text_is_not_a_count():
    # pdftotext may keep only part of a wrapped header: 'aantal per' is still a rate
    for header in ("aantal per", "Reacties per advertentie (gemiddeld)", "Aantal reacties"):
        assert label_kind(header) is False, header
    assert label_kind("Aantal") is True


def scans_of(monkeypatch) -> list[str]:
    """The names of the files that the check scans itself from now on."""
    names: list[str] = []
    scan = leaks._scan

    def counted(path: Path, name: str, rule) -> leaks.Scan:
        names.append(name)
        return scan(path, name, rule)

    monkeypatch.setattr(leaks, "_scan", counted)
    return names


def test_the_check_uses_what_the_scanner_read(tmp_path, monkeypatch):
    clean_set(tmp_path)
    pd.DataFrame({"wijk": ["WK050301"], "verhuringen": [2]}).to_parquet(tmp_path / "wijk.parquet")
    paths = leaks.checked_files(tmp_path)
    with leaks.Scanner(tmp_path, RULE) as scanner:
        scanner.add(paths)
        for path in paths:  # every file read in the background
            scanner.scanned(path, path.relative_to(tmp_path).as_posix(), RULE).result()
        names = scans_of(monkeypatch)
        checked = leaks.check_reports(tmp_path, REGION, MODEL, scanner)
    assert names == []
    assert [(f.file, f.place) for f in checked.findings] == [
        ("wijk.parquet", "rij 1, kolom verhuringen")]
    assert checked == leaks.check_reports(tmp_path, REGION, MODEL)
    assert scanner.scanned(paths[0], paths[0].name, RULE) is None  # closed: nothing kept


def test_a_file_changed_after_it_was_announced_is_read_again(tmp_path):
    path = tmp_path / "indicatoren.parquet"
    export(CLEAN_ROWS).to_parquet(path)
    with leaks.Scanner(tmp_path, RULE) as scanner:
        scanner.add([path])
        assert scanner.scanned(path, path.name, RULE).result()[0] == []
        export([*CLEAN_ROWS, row(DELFT, "2022", 3)]).to_parquet(path)
        assert scanner.scanned(path, path.name, RULE) is None
        findings = leaks.check_reports(tmp_path, REGION, MODEL, scanner).findings
    assert [(f.file, f.place) for f in findings] == [("indicatoren.parquet", "rij 7, kolom waarde")]


def test_an_error_of_a_background_scan_names_the_file(tmp_path, monkeypatch):
    damaged = tmp_path / "kapot.xlsx"
    damaged.write_bytes(b"geen werkboek")
    with leaks.Scanner(tmp_path, RULE) as scanner:
        scanner.add([damaged])
        assert isinstance(scanner.scanned(damaged, damaged.name, RULE).exception(),
                          leaks.LeakCheckError)
        names = scans_of(monkeypatch)
        with pytest.raises(leaks.LeakCheckError, match=r"^kapot\.xlsx: niet te lezen"):
            leaks.check_reports(tmp_path, REGION, MODEL, scanner)
    assert names == []


def demo_exports(reports: Path, folder: Path) -> Path:
    """A copy of the demo set's data exports: one table, each as Parquet, CSV and XLSX."""
    shutil.copytree(reports / "data", folder / "data")
    return folder


def test_an_export_read_as_a_clean_one_is_not_checked_again(reports, tmp_path, monkeypatch):
    folder = demo_exports(reports, tmp_path)
    checked: list[str] = []
    data_findings, relation_findings = leaks.data_findings, leaks.relation_findings

    def counted(data, rule):
        checked.append(data.name)
        return data_findings(data, rule)

    def counted_groups(files, related, region):
        checked.append("relaties " + files[0].name)
        return relation_findings(files, related, region)

    monkeypatch.setattr(leaks, "data_findings", counted)
    monkeypatch.setattr(leaks, "relation_findings", counted_groups)
    assert leaks.check_reports(folder, REGION, MODEL).findings == []
    assert "data/indicatoren.csv" in checked  # the first format, then the same table as Parquet
    assert "data/indicatoren.parquet" not in checked
    assert "relaties data/indicatoren.parquet" not in checked


@pytest.mark.parametrize(("suffix", "place"), [(".csv", "regel {}"), (".parquet", "rij {}")])
def test_a_small_count_in_one_format_only_is_found(reports, tmp_path, suffix, place):
    folder = demo_exports(reports, tmp_path)
    frame = pd.read_parquet(folder / "data" / "indicatoren.parquet")
    at = int(frame.index[(frame["indicator"] == "verhuringen") & (frame["waarde"] >= 10)][0])
    path = folder / "data" / f"indicatoren{suffix}"
    if suffix == ".parquet":
        frame.loc[at, "waarde"] = 3.0
        frame.to_parquet(path, index=False)
        line = at + 1
    else:
        lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        header, values = lines[0].rstrip("\n").split(";"), lines[at + 1].split(";")
        values[header.index("waarde")] = "3,0"
        lines[at + 1] = ";".join(values)
        path.write_text("".join(lines), encoding="utf-8-sig")
        line = at + 2
    findings = leaks.check_reports(folder, REGION, MODEL).findings
    assert [str(f) for f in findings] == [
        f"data/indicatoren{suffix}, {place.format(line)}, kolom waarde: aantal 3 bij "
        f"'verhuringen' is een klein aantal huishoudens (1 tot {RULE.kleinste_aantal})"]


def test_exports_announced_together_are_checked_together_in_the_background(reports, tmp_path,
                                                                        monkeypatch):
    folder = demo_exports(reports, tmp_path)
    paths = leaks.checked_files(folder)
    names = [p.relative_to(folder).as_posix() for p in paths]
    with leaks.Scanner(folder, RULE, region=REGION, model=MODEL) as scanner:
        scanner.add(paths)
        assert scanner.checked_together(names, REGION, MODEL) == []  # waits for it
        assert scanner.checked_together(names[1:], REGION, MODEL) is None  # other files
        foreground: list[int] = []
        monkeypatch.setattr(leaks, "_table_findings", lambda *args: foreground.append(1))
        assert leaks.check_reports(folder, REGION, MODEL, scanner).findings == []
    assert foreground == []


def test_a_data_file_the_background_did_not_check_with_the_rest_is_checked(reports,
                                                                         tmp_path):
    folder = demo_exports(reports, tmp_path)
    exports = leaks.checked_files(folder)
    extra = folder / "data" / "wijk.parquet"
    pd.DataFrame({"wijk": ["WK050301"], "verhuringen": [2]}).to_parquet(extra)
    export = folder / "data" / "indicatoren.parquet"
    with leaks.Scanner(folder, RULE, region=REGION, model=MODEL) as scanner:
        scanner.add(exports)
        scanner.add([extra])  # announced apart: the exports alone were checked together
        changed = leaks.check_reports(folder, REGION, MODEL, scanner)
        frame = pd.read_parquet(export)
        at = int(frame.index[(frame["indicator"] == "verhuringen") & (frame["waarde"] >= 10)][0])
        frame.loc[at, "waarde"] = 3.0
        frame.to_parquet(export, index=False)  # changed after it was announced
        edited = leaks.check_reports(folder, REGION, MODEL, scanner)
    assert [(f.file, f.place) for f in changed.findings] == [
        ("data/wijk.parquet", "rij 1, kolom verhuringen")]
    assert ("data/indicatoren.parquet", f"rij {at + 1}, kolom waarde") in [
        (f.file, f.place) for f in edited.findings]
