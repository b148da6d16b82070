"""The documents as their readers get them: every figure right and defined once, the model said
honestly, nothing of the tool in the text, the regional report for the Tafel and the appendix
ready for chapter 6. Reads the demo report set built once per test run."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import docx
import numpy as np
import pandas as pd
import pytest

from analysis import codes
from analysis.editions import Edition
from analysis.figures import maps
from analysis.indicators.catalogue import catalogue
from analysis.report import gemeente as g
from analysis.report import regio, shared, trends
from analysis.tables import fmt_percent, fmt_value
from conftest import pdf_pages

NUMBER = re.compile(r"(?<![\w.,])[−-]?\d{1,3}(?:\.\d{3})*(?:,\d+)?(?!\d)%?")
APPENDICES = {"GM0503": "delft", "GM1842": "midden-delfland", "GM0518": "s-gravenhage"}


@pytest.fixture(scope="module")
def texts(reports):
    """The text of every PDF of the set, by file name."""
    return {pdf.relative_to(reports).as_posix(): "\n".join(pdf_pages(pdf))
            for pdf in sorted(reports.rglob("*.pdf"))
            if pdf.parent.name != "doelgroepen" or pdf.stem in ("doelgroep-ouderen",
                                                                 "doelgroep-uitstroom-ggz")}


def _published(data, gebieden: set[str]) -> set[str]:
    """Every value of the indicator table for these areas as the documents write it, and the
    limit from the settings."""
    units = {i.id: i.eenheid for i in catalogue().values()}
    rows = data.indicators[data.indicators["gebied"].isin(gebieden)]
    return ({fmt_value(row.waarde, units[row.indicator]) for row in rows.itertuples()}
            | {fmt_percent(shared.limit_percent(data), 0)})


def _quoted_blocks(path) -> list[str]:
    """The paragraphs of the ready-to-paste text blocks (Pandoc writes them as Block Text)."""
    document = docx.Document(path)
    return [p.text for p in document.paragraphs if p.style.name == "Block Text"]


@pytest.mark.parametrize("gemeente", list(APPENDICES))
def test_every_number_in_the_text_blocks_is_an_exported_value(reports, data, gemeente):
    blocks = _quoted_blocks(reports / f"gemeenten/bijlage-{APPENDICES[gemeente]}.docx")
    assert len(blocks) == 2
    allowed = _published(data, {gemeente, data.region.naam})
    allowed |= {str(j) for j in data.region.jaren} | {data.period}
    # The taakstelling for the coming year: the gemeente's row of the taakstelling export.
    ahead = data.prognose.run.resultaten.set_index("gemeente").loc[gemeente]
    allowed |= {fmt_value(v, "huishoudens") for v in ahead.drop("afgeschermd")
                if isinstance(v, int | float)} | {str(data.prognose.jaar)}
    allowed |= {fmt_value(ahead["ontvangen_overloop"] + ahead["ontvangen_pool"], "huishoudens")}
    for block in blocks:
        for number in NUMBER.findall(block):
            assert number in allowed, f"{number} in: {block}"
    key = data.values("sleutelaandeel", periode=data.last_year,
                      doelgroep="verdeelafspraak")[gemeente]
    assert f"verdeelsleutel was in {data.last_year} {fmt_value(key, 'procent')}" in blocks[0]
    assert 0 < key < 100


@pytest.mark.parametrize("gemeente", list(APPENDICES))
def test_every_number_in_the_key_messages_is_an_exported_value(data, gemeente):
    allowed = _published(data, {gemeente, data.region.naam})
    allowed |= {str(j) for j in data.region.jaren} | {data.period}
    allowed |= {fmt_percent(v, 0) for v in
                data.rows("aandeel_bestemming", categorie=gemeente)["waarde"]}
    allowed |= {fmt_value(v, "verhuringen") for v in
                data.rows("herkomst_bestemming", categorie=gemeente)["waarde"]}
    for message in g.key_messages(data, gemeente):
        for number in NUMBER.findall(message):
            assert number in allowed, f"{number} in: {message}"


def test_own_origin_is_one_indicator_everywhere(data):
    t = data.indicators
    own = t[t["indicator"] == "aandeel_eigen_herkomst"].set_index(
        ["gebied", "periode", "doelgroep"])["waarde"]
    by_origin = t[(t["indicator"] == "aandeel_herkomst") & (t["categorie"] == t["gebied"])]
    pairs = by_origin.set_index(["gebied", "periode", "doelgroep"])["waarde"]
    assert len(pairs) and (pairs - own.reindex(pairs.index)).abs().max() < 1e-9
    for gemeente in data.region.gemeenten:
        origins = g.origins(data, gemeente).set_index("Herkomst")
        expected = data.values("aandeel_eigen_herkomst", periode=data.period,
                               doelgroep="aandachtsgroepen")[gemeente]
        shown = origins.loc[data.gemeente_name(gemeente), "Aandeel"]
        assert shown == pytest.approx(expected, nan_ok=True)


def test_destination_shares_add_up_per_origin(data):
    rows = data.rows("aandeel_bestemming", periode=data.period, doelgroep="aandachtsgroepen")
    complete = rows.groupby("categorie")["waarde"].agg(lambda v: v.notna().all())
    sums = rows.groupby("categorie")["waarde"].sum().round(6)
    assert complete.any() and sums[complete].eq(100).all()
    assert (sums[~complete] < 100).all()  # a hidden share is not counted, nor guessed


def test_progress_chart_phases_add_up_to_the_indicator(data):
    phases = shared.housing_task_phases(data)
    table = shared.housing_task_table(data).set_index("Doelgroep (eenheid)")
    together = phases[list(shared.PHASES.values())].sum(axis=1)
    assert (together - table.loc[together.index, "Met harde plannen (%)"]).abs().max() < 1e-9


def test_overview_table_is_one_indicator_row_per_gemeente(data):
    frame = regio.overview_table(data).set_index("Gemeente")
    ratio = 100 * frame["Verhuringen die meetellen voor de grens"] / frame["Mutaties"]
    assert (ratio - frame["Aandeel mutaties (grens)"]).abs().max() < 1e-9
    for column, indicator in (("Mutaties", "mutaties"), ("Huishoudens", "huishoudens"),
                              ("Sociale huurvoorraad", "sociale_huurvoorraad")):
        values = data.named(data.values(indicator, periode=data.last_year))
        assert frame[column].equals(values.rename(column)), column


def test_model_shares_have_one_unit(data):
    results = data.model.resultaten
    shares = data.rows("sleutelaandeel", gebiedsniveau="gemeente")
    yearly = shares[shares["periode"] != data.period].set_index(["gebied", "periode"])["waarde"]
    exported = results.assign(periode=results["jaar"].astype(str),
                              gebied=results["gemeente"].astype(str)
                              ).set_index(["gebied", "periode"])["sleutelaandeel"]
    assert (yearly - exported.reindex(yearly.index)).abs().max() < 1e-9
    assert results.groupby("jaar")["sleutelaandeel"].sum().round(6).eq(100).all()


def test_the_model_is_said_to_be_applied_after_the_fact(texts):
    sentence = "Het verdeelmodel is hier achteraf toegepast"
    for name, text in texts.items():
        if name.startswith(("regionale", "gemeenten/")):
            flat = " ".join(text.split())
            assert sentence in flat, name
            for old in ("Taakstelling volgens het verdeelmodel", "Saldo realisatie"):
                assert old not in flat, name


FORBIDDEN = {
    "a code identifier": re.compile(r"[a-z]_[a-z]"),
    "a settings file": re.compile(r"\.ya?ml\b"),
    "a command": re.compile(r"\bwoonzorg (build|geo|demo|ingest)\b"),
    "a path": re.compile(r"(data/processed|data/raw|/work/|/tmp/|docs/)"),
    "an internal remark": re.compile(r"onze lezing", re.I),
}


def test_nothing_of_the_tool_reaches_a_reader(texts, reports):
    documents = dict(texts)
    for path in sorted((reports / "gemeenten").glob("*.docx"))[:2]:
        documents[path.name] = "\n".join(p.text for p in docx.Document(path).paragraphs)
    for name, text in documents.items():
        text = re.sub(r"\S+\.(csv|xlsx)\b", "", text)  # the input files of the sources table
        for what, pattern in FORBIDDEN.items():
            found = pattern.search(text)
            context = text[max(0, found.start() - 40):found.end() + 40] if found else ""
            assert found is None, f"{what} in {name}: …{context}…"


def test_one_minus_sign_one_spelling(texts):
    for name, text in texts.items():
        assert not re.search(r"(?<![\d\w])-\d", text), name
        assert "ggz" not in text, name


def test_key_messages_ask_something_of_the_tafel(data):
    messages = regio.key_messages(data)
    assert 3 <= len(messages) <= 5
    assert all("Vraag aan de Tafel" in m for m in messages)
    over = regio.gemeenten_over_limit(data, data.last_year)
    assert bool(over) == ("boven de grens" in messages[0])


def test_summary_agrees_with_the_tables(texts, data):
    text = " ".join(texts["regionale-analyse.pdf"].split())
    shares = regio.limit_table(data).set_index("Gemeente")
    over = shares[[str(j) for j in data.region.jaren]].gt(shared.limit_percent(data)).any(
        axis=1)
    if over.drop(data.region.naam).any():
        assert "elke gemeente binnen de grens" not in text.lower()
        assert "in elk jaar genoeg ruimte" not in text


def test_signals_are_ranked_with_their_rules_from_the_settings(data):
    signals = regio.signals(data)
    assert signals == sorted(signals, key=lambda s: s.rank)
    assert all(s.rule for s in signals)
    rules = tuple(dataclasses.replace(r, drempel=100, referentie_procent=40)
                  if r.indicator == "saldo" else r for r in data.region.signalen.regels)
    stricter = dataclasses.replace(data.region, signalen=dataclasses.replace(
        data.region.signalen, regels=rules))
    strict = dataclasses.replace(data, region=stricter)
    kept = [s for s in regio.signals(strict) if "verdeelmodel" in s.text]
    assert kept and all("40%" in s.rule and "100 huishoudens" in s.rule for s in kept)
    differences = regio.model_differences(data)
    model = data.values("taakstelling", periode=data.period, doelgroep="verdeelafspraak")
    flagged = {s.text.split(" huisvestte")[0] for s in kept}
    expected = {data.gemeente_name(c) for c, d in differences.items()
                if abs(d) >= 0.4 * model[c] and abs(d) >= 100}
    assert flagged == expected


def test_method_appendix_follows_the_settings(data):
    config = dataclasses.replace(data.model_config, capaciteit_afronding="omhoog",
                                 capaciteit_basis="mutaties")
    text = regio_method(dataclasses.replace(data, model_config=config))
    assert "30% van de mutaties, naar boven afgerond" in text
    assert "naar beneden" not in text


def regio_method(data) -> str:
    from analysis.report import appendix

    return appendix.method_text(data)


def test_regional_report_has_the_sections_for_the_tafel(texts):
    text = " ".join(texts["regionale-analyse.pdf"].split())
    for part in ("Urgentie en toewijzingsroutes", "Bijlage D. Herkomst en bestemming",
                 "Verhuringen aan aandachtsgroepen per jaar",
                 "Aandeel mutaties naar aandachtsgroepen per gemeente en jaar",
                 "op volgorde van ernst", "geen wettelijke grens"):
        assert part in text, part


def test_groups_left_out_are_named(data, texts):
    sentence = shared.groups_without_task(data)
    labels = codes.labels("doelgroepen")
    tasks = set(data.rows("voortgang_met_harde_plannen", gebied=data.region.naam)["doelgroep"])
    missing = [d for d in codes.aandachtsgroepen() if d not in tasks]
    assert bool(sentence) == bool(missing)
    for doelgroep in missing:
        assert codes.in_sentence(labels[doelgroep]) in sentence
    if sentence:  # Typst hyphenates at line ends, so look for a phrase that is not split
        assert "opgave vastgelegd" in " ".join(texts["regionale-analyse.pdf"].split())


def test_housing_task_counts_are_whole(texts):
    text = texts["regionale-analyse.pdf"]
    row = next(line for line in text.splitlines()
               if line.strip().startswith("Ouderen (wo") and len(NUMBER.findall(line)) >= 4)
    counts = NUMBER.findall(row)[:2]
    assert counts and not any(c.endswith(",0") for c in counts)


def test_full_origin_matrix_adds_up(data):
    matrix = regio.origin_matrix_table(data).set_index("Herkomst")
    region = matrix.pop(data.region.naam)
    # Where every cell of a row or column is published, it adds up to its published total.
    rows = matrix.notna().all(axis=1) & region.notna()
    assert rows.any() and (matrix[rows].sum(axis=1) == region[rows]).all()
    lettings = data.values("verhuringen", periode=data.period, doelgroep="aandachtsgroepen")
    columns = pd.Series(matrix.sum(min_count=len(matrix)).to_numpy(),
                        index=list(data.region.gemeenten))
    complete = columns.notna()
    assert complete.any()
    assert (columns[complete] == lettings[list(data.region.gemeenten)][complete]).all()


def test_s_gravenhage_with_an_apostrophe_everywhere(texts, reports):
    for name, text in texts.items():
        assert "\u2018s-Gravenhage" not in text and "'s-Gravenhage" not in text, name
    assert "\u2019s-Gravenhage" in texts["regionale-analyse.pdf"]
    html = (reports / "regionale-analyse.html").read_text(encoding="utf-8")
    assert "\u2018s-Gravenhage" not in html


def test_published_files_are_readable_by_colleagues(reports):
    modes = {p.relative_to(reports).as_posix(): p.stat().st_mode & 0o777
             for p in reports.rglob("*") if p.is_file()}
    assert modes and all(mode == 0o644 for mode in modes.values()), modes


def test_appendix_wijken_are_the_gemeentes_own_wijk_rows(data):
    table = g.wijken(data, "GM0503")
    wijk_codes = table.attrs["codes"]["Wijk"]
    assert wijk_codes and all(code.startswith("WK0503") for code in wijk_codes)
    rows = data.rows("concentratie_index_wijk", periode=data.period).set_index("gebied")
    assert np.allclose(table["Concentratie-index"], rows["waarde"].reindex(wijk_codes),
                       equal_nan=True)
    names = dict(zip(data.wijken_map()["code"], data.wijken_map()["naam"], strict=True))
    assert list(table["Wijk"]) == [names[code] for code in wijk_codes]
    shown = table["Concentratie-index"].dropna()
    assert shown.is_monotonic_decreasing  # highest concentration first


def test_the_wijken_above_the_threshold_are_one_figure_everywhere(data, texts):
    counts = shared.wijken_above_threshold(data)
    total = counts[data.region.naam]
    assert total == counts.drop(data.region.naam).sum() > 0  # the demo has a few
    summary = shared.wijk_summary(data)
    assert summary.startswith(f"In {total} wijken met minstens "
                              f"{shared.min_wijk_lettings(data)} verhuringen")
    for gemeente, count in counts.drop(data.region.naam).items():
        assert (f"{data.gemeente_name(gemeente)} {count}" in summary) == (count > 0)
    signal = [s for s in regio.signals(data) if s.text.startswith("Kansrijke woonstart")]
    assert len(signal) == 1 and f"in {total} van de wijken" in signal[0].text
    # the regional table lists every published wijk above the threshold, and more
    top = regio.top_wijken(data)
    threshold = data.region.signalen.wijk_concentratie
    assert len(top) >= max(regio.TOP_WIJKEN, (top["Concentratie-index"] >= threshold).sum())
    assert top["Concentratie-index"].is_monotonic_decreasing
    assert (top["Verhuringen"] >= shared.min_wijk_lettings(data)).all()
    assert (top["Concentratie-index"] >= threshold).sum() == len(shared.concentrated_wijken(data))
    text = " ".join(texts["regionale-analyse.pdf"].split())
    assert "Wijken met de hoogste concentratie aandachtsgroepen" in text
    assert f"In {total} wijken met minstens" in text


def test_appendix_wijken_carry_the_map_number_and_their_count(data):
    table = g.wijken(data, "GM0518", number=True)
    wijk_codes = table.attrs["codes"]["Wijk"]
    assert list(table["Nr."]) == [maps.wijk_number(code) for code in wijk_codes]
    assert "Nr." not in g.wijken(data, "GM0518").columns
    lettings = data.rows("verhuringen_wijk", periode=data.period, doelgroep="alle",
                         gebiedsniveau="wijk").set_index("gebied")["waarde"]
    assert np.allclose(table["Verhuringen"], lettings.reindex(wijk_codes), equal_nan=True)
    count = shared.wijken_above_threshold(data)["GM0518"]
    wijken = "geen enkele wijk" if not count else f"{count} wijk"
    assert shared.wijk_summary(data, "GM0518").startswith(f"In {wijken}")
    assert shared.wijk_summary(data, "GM0518").endswith("in heel ’s-Gravenhage.")


def test_trends_are_the_yearly_rows_of_one_indicator(data):
    gemeente, region = "GM0503", data.region.naam
    frame = trends.by_year(data, "aandeel_eigen_herkomst", [gemeente, region],
                           doelgroep="aandachtsgroepen")
    assert list(frame.index) == [str(j) for j in data.region.jaren]
    assert list(frame.columns) == ["Delft", region]
    for jaar in frame.index:
        values = data.values("aandeel_eigen_herkomst", periode=jaar, doelgroep="aandachtsgroepen")
        assert frame.at[jaar, "Delft"] == values[gemeente]
    inflow = trends.inflow_by_year(data, gemeente)
    assert len(inflow.columns) == trends.LARGEST_GROUPS + 1
    priority = trends.by_year(data, "verhuringen", [gemeente], "aandachtsgroepen").iloc[:, 0]
    complete = inflow.notna().all(axis=1)
    assert np.allclose(inflow[complete].sum(axis=1), priority[complete])


def test_the_previous_edition_in_a_trend_is_its_value_where_it_moved(data):
    assert trends.previous_by_year(data, shared.LIMIT_INDICATOR, ["GM0503"]) is None
    changes = pd.DataFrame({
        "indicator": [shared.LIMIT_INDICATOR, shared.LIMIT_INDICATOR, "verhuringen"],
        "gebiedsniveau": ["gemeente", "gemeente", "gemeente"],
        "gebied": ["GM0503", "GM0503", "GM0503"], "doelgroep": ["alle", "alle", "ouderen"],
        "categorie": ["alle"] * 3, "periode": ["2023", "2024", "2023"],
        "vorige": [15.0, np.nan, 40.0], "nieuw": [17.0, np.nan, 44.0],
        "verschil": [2.0, np.nan, 4.0], "soort": ["gewijzigd", "afgeschermd", "gewijzigd"]})
    earlier = dataclasses.replace(data, changes=changes, previous_edition=Edition(
        "2025-voorjaar", dt.datetime(2026, 5, 1, tzinfo=dt.UTC)))
    frame = trends.previous_by_year(earlier, shared.LIMIT_INDICATOR,
                                    ["GM0503", data.region.naam])
    assert list(frame.columns) == ["Delft", data.region.naam]
    # 2024 is hidden now: its old value is not kept
    assert frame.stack().dropna().to_dict() == {("2023", "Delft"): 15.0}
    limit = regio.previous_limit_by_year(earlier)
    assert limit.stack().dropna().to_dict() == {("Delft", "2023"): 15.0}
    inflow = trends.previous_inflow_by_year(earlier, "GM0503")
    assert list(inflow.columns) == list(trends.inflow_by_year(data, "GM0503").columns)[:-1]
    assert inflow.stack().dropna().to_dict() == ({("2023", "Ouderen"): 40.0}
                                                 if "Ouderen" in inflow.columns else {})


def test_an_inflow_trend_never_draws_a_group_hidden_in_every_year(data):
    for gemeente in data.region.gemeenten:
        inflow = trends.inflow_by_year(data, gemeente)
        groups = inflow.drop(columns=[trends.OTHERS, trends.TOGETHER], errors="ignore")
        assert groups.notna().any().all(), gemeente
        if trends.TOGETHER in inflow:  # no group with a published year: the groups together
            assert list(inflow.columns) == [trends.TOGETHER]
