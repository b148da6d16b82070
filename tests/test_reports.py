"""The report set read as a person would: PDF text per page, DOCX structure, HTML references,
and the same figure in every place it appears."""

from __future__ import annotations

import re

import docx
import pandas as pd
import pytest

from analysis import codes
from analysis.indicators.catalogue import catalogue
from analysis.report.gemeente import COMPARISON
from analysis.tables import SUPPRESSED, fmt_int, fmt_value
from conftest import addresses, pdf_pages

DEMO = "DEMO — synthetische gegevens"
GEMEENTEN = ("delft", "s-gravenhage", "leidschendam-voorburg", "midden-delfland",
             "pijnacker-nootdorp", "rijswijk-zh", "wassenaar", "westland", "zoetermeer")


def test_report_set_is_complete(demo_reports):
    reports, published = demo_reports
    assert published.errors == []
    expected = ["regionale-analyse.pdf", "regionale-analyse.html", "index.html",
                *(f"gemeenten/bijlage-{g}.{ext}" for g in GEMEENTEN for ext in ("pdf", "docx")),
                *(f"doelgroepen/doelgroep-{c.replace('_', '-')}.pdf"
                  for c in codes.codes("doelgroepen")[1:]),
                *(f"data/{name}.{ext}" for name in ("indicatoren", "verdeelmodel")
                  for ext in ("parquet", "csv", "xlsx"))]
    missing = [name for name in expected if not (reports / name).is_file()]
    assert missing == []


def test_regional_pdf_reads_like_the_analysis(reports, data):
    pdf = reports / "regionale-analyse.pdf"
    pages = pdf_pages(pdf)
    text = "\n".join(pages)
    for heading in ("Inhoudsopgave", "Samenvatting", "De opgave in één oogopslag",
                    "Instroom en verdeling per gemeente", "De grens van 30% van de mutaties",
                    "Woonopgave per doelgroep", "Verdeelmodel en verdeelafspraken",
                    "Signalen voor monitoring en bijsturing", "Bijlage A. Begrippen",
                    "Bijlage B. Bronnen en herkomst", "Bijlage C. Methode van het verdeelmodel"):
        assert heading in text, heading
    total = data.values("verhuringen", periode=data.period)[data.region.naam]
    assert f"verhuurden de corporaties in Haaglanden {fmt_int(total)} sociale" in text
    assert re.search(r"\d{1,3}\.\d{3}", text) and re.search(r"\d+,\d%", text)
    assert 10 <= len(pages) <= 40
    sha = data.manifest["bronnen"]["verhuringen"]["bestanden"][0]["sha256"][:16]
    assert sha in text  # provenance appendix


def test_demo_banner_on_every_pdf_page(reports):
    for pdf in [reports / "regionale-analyse.pdf", reports / "gemeenten/bijlage-delft.pdf",
                reports / "doelgroepen/doelgroep-ouderen.pdf"]:
        assert all(DEMO in page for page in pdf_pages(pdf)), pdf.name


def test_appendix_docx_has_word_structure(reports):
    document = docx.Document(reports / "gemeenten/bijlage-delft.docx")
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Title"} <= styles
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert any("De gemeente naast de regio" in h for h in headings)
    assert len(document.tables) >= 5
    header_text = " ".join(p.text for s in document.sections for p in s.header.paragraphs)
    assert DEMO in header_text


def test_html_is_self_contained(reports):
    for page in [reports / "regionale-analyse.html", reports / "index.html"]:
        html = page.read_text(encoding="utf-8")
        assert 'lang="nl"' in html
        local = [a for a in addresses(html) if not re.match(r"(https?:)?//", a)]
        assert local == addresses(html), page.name
    regional = (reports / "regionale-analyse.html").read_text(encoding="utf-8")
    assert "plotly-graph-div" in regional and "Plotly" in regional


def test_index_links_every_document(reports):
    html = (reports / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"#]+)"', html)
    assert len(links) >= 1 + 18 + 16 + 6
    assert all((reports / link).is_file() for link in links)


def test_exports_with_codebook(reports, data):
    exported = pd.read_csv(reports / "data/indicatoren.csv", sep=";", decimal=",",
                           encoding="utf-8-sig", dtype={"periode": str})
    pd.testing.assert_frame_equal(exported, pd.read_parquet(reports / "data/indicatoren.parquet")
                                  .astype({"periode": str}), check_dtype=False)
    sheets = pd.read_excel(reports / "data/indicatoren.xlsx", sheet_name=None)
    assert {"data", "codeboek", "indicatoren", "doelgroepen"} <= set(sheets)
    assert set(sheets["indicatoren"]["indicator"]) == set(catalogue())


@pytest.mark.parametrize("gemeente", ["GM0503", "GM1842"])
def test_appendix_figures_equal_export_and_regional_report(reports, data, gemeente):
    name = data.gemeente_name(gemeente)
    slug = {"GM0503": "delft", "GM1842": "midden-delfland"}[gemeente]
    document = docx.Document(reports / f"gemeenten/bijlage-{slug}.docx")
    table = next(t for t in document.tables if t.rows[0].cells[1].text == name)
    shown = {row.cells[0].text: row.cells[1].text for row in table.rows[1:]}
    exported = pd.read_csv(reports / "data/indicatoren.csv", sep=";", decimal=",",
                           encoding="utf-8-sig", dtype={"periode": str})
    for (indicator, doelgroep), title in zip(COMPARISON, shown, strict=True):
        row = exported[(exported["indicator"] == indicator) & (exported["gebied"] == gemeente)
                       & (exported["periode"] == data.period)
                       & (exported["doelgroep"] == doelgroep)
                       & (exported["categorie"] == "alle")]
        value = row["waarde"].item()
        assert shown[title] == (SUPPRESSED if pd.isna(value) else
                                fmt_value(value, catalogue()[indicator].eenheid))
    regional = "\n".join(pdf_pages(reports / "regionale-analyse.pdf"))
    # The model table row: name, sleutelaandeel %, taakstelling, realisatie, saldo.
    model_row = re.search(rf"^\s*{re.escape(name)}\s+\d+,\d%\s+([\d.]+|x)\s+([\d.]+|x)\s+\S+\s*$",
                          regional, re.M)
    assert model_row, f"model row for {name} not found in the regional report"
    assert model_row.group(1) == shown["Verdeling volgens het verdeelmodel"]
    assert model_row.group(2) == shown["Werkelijke verdeling doelgroepen met verdeelafspraak"]


def test_real_data_has_no_demo_label_and_one_appendix_builds_alone(tmp_path, monkeypatch, cli):
    import yaml

    from analysis.config import load_config
    from conftest import ROOT
    from rawdata import write_valid_raw

    write_valid_raw(tmp_path / "raw")  # no DEMO.json: as real exports arrive
    settings = yaml.safe_load(load_config().tekst)
    settings["geo"] = {"map": str(tmp_path / "geen-grenzen"), "jaar": 2025}
    (tmp_path / "regio.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    monkeypatch.chdir(ROOT)
    result = cli("build", "--raw", tmp_path / "raw", "--processed", tmp_path / "processed",
                 "--config", tmp_path / "regio.yml", "--gemeente", "Delft",
                 "--rapporten", tmp_path / "reports", "--werkmap", tmp_path / "build")
    assert result.exit_code == 0, result.output
    built = sorted(p.relative_to(tmp_path / "reports").as_posix()
                   for p in (tmp_path / "reports").rglob("*.*") if p.parent.name != "data")
    assert built == ["gemeenten/bijlage-delft.docx", "gemeenten/bijlage-delft.pdf",
                     "gemeenten/bijlage-delft.xlsx", "index.html", "manifest.json"]
    pages = pdf_pages(tmp_path / "reports/gemeenten/bijlage-delft.pdf")
    assert not any("DEMO" in page for page in pages)
    document = docx.Document(tmp_path / "reports/gemeenten/bijlage-delft.docx")
    assert not any("DEMO" in p.text for p in document.paragraphs)
    assert "DEMO" not in (tmp_path / "reports/index.html").read_text(encoding="utf-8")
    # Without boundaries the locator map falls back to the tile grid and says so.
    assert "Gemeenten als vierkanten" in "\n".join(pages)


def test_failing_notebook_is_named_and_the_rest_is_built(tmp_path, monkeypatch, cli,
                                                         demo_build):
    import shutil

    import nbformat

    from conftest import ROOT

    project = tmp_path / "project"
    shutil.copytree(ROOT / "analyses", project / "analyses")
    shutil.copy(ROOT / "_quarto.yml", project / "_quarto.yml")
    notebook = nbformat.read(project / "analyses/doelgroep.ipynb", as_version=4)
    notebook.cells[3].source = "raise ValueError('kapot voor de test')"
    nbformat.write(notebook, project / "analyses/doelgroep.ipynb")
    monkeypatch.chdir(project)
    result = cli("build", "--raw", demo_build[0] / "raw", "--processed",
                 tmp_path / "processed", "--gemeente", "Wassenaar", "--doelgroep", "studenten",
                 "--rapporten", tmp_path / "reports", "--werkmap", tmp_path / "build")
    assert result.exit_code == 1
    assert ("FOUT doelgroep.ipynb (doelgroep=studenten), cel 4 ('raise ValueError('kapot voor "
            "de test')'): ValueError: kapot voor de test") in result.output
    assert (tmp_path / "reports/gemeenten/bijlage-wassenaar.pdf").is_file()
    assert not (tmp_path / "reports/doelgroepen").exists()


def test_maps_use_real_boundaries_with_attribution(reports):
    text = "\n".join(pdf_pages(reports / "regionale-analyse.pdf"))
    assert "Kaart: Kadaster / Centraal Bureau voor de Statistiek, 2025" in text
    assert "Gemeenten als vierkanten" not in text
    for caption in ("Verhuizingen van aandachtsgroepen tussen gemeenten",
                    "Concentratie van aandachtsgroepen per wijk"):
        assert caption in text
    appendix = "\n".join(pdf_pages(reports / "gemeenten/bijlage-delft.pdf"))
    assert "Delft in de regio Haaglanden" in appendix
    sheet = "\n".join(pdf_pages(reports / "doelgroepen/doelgroep-ouderen.pdf"))
    assert "Ouderen: instroom per 1.000 huishoudens" in sheet


def test_build_outside_the_project_folder_is_a_clear_error(tmp_path, monkeypatch, cli):
    from rawdata import write_valid_raw

    write_valid_raw(tmp_path / "raw")
    monkeypatch.chdir(tmp_path)
    result = cli("build", "--raw", "raw", "--processed", "processed")
    assert result.exit_code == 1
    assert "_quarto.yml: kan documentinstellingen niet lezen" in result.output
