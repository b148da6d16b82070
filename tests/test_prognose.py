"""The taakstelling for the coming year (model.prognose): hand-worked cases for the defaults
(averages of the last years) and for each optional input, and its protection."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from analysis.config import load_config
from analysis.context import prepare
from analysis.model import ModelInputError, load_verdeelmodel_config
from analysis.model.prognose import FROM_AVERAGE, FROM_FILE, period, prognose
from analysis.model.run import run_model
from analysis.processed import ProcessedData
from analysis.protection import KEY, protect

REGION = load_config()  # Haaglanden, 2021–2025
CONFIG = load_verdeelmodel_config()  # 30%, key 0,5 stock + 0,5 mutaties, averages over 3 years
DELFT, DEN_HAAG, RIJSWIJK, WASSENAAR = "GM0503", "GM0518", "GM0603", "GM0629"
# Delft's mutaties 2023–2025 on a stock of 1.000: rates 6%, 6,6% and 7,5%; elsewhere 5%.
DELFT_MUTATIES = {2021: 50, 2022: 50, 2023: 60, 2024: 66, 2025: 75}


def lettings(counts: dict[tuple[int, str, str, str, str], int]) -> pd.DataFrame:
    """(jaar, gemeente, herkomst, doelgroep, route) → that many lettings on 1 March; the
    gemeente a category of the region's, as ingest writes it."""
    rows = [{"datum_verhuring": pd.Timestamp(jaar, 3, 1), "gemeente": gemeente,
             "herkomst_gemeente": herkomst, "doelgroep": doelgroep, "toewijzingsroute": route}
            for (jaar, gemeente, herkomst, doelgroep, route), n in counts.items()
            for _ in range(n)]
    frame = pd.DataFrame(rows)
    return frame.assign(gemeente=pd.Categorical(frame["gemeente"], categories=REGION.gemeenten))


# Delft: own demand 10, 12, 14 (36 / 3 = 12); Rijswijk 1, 1, 0 (2 / 3, half up 1); the pool
# (vrouwenopvang) 3, 3, 4 (10 / 3 → 3); statushouders in Delft, committed: 5, 6, 8 (19 / 3 → 6).
# 2021 and 2022 fall outside the three years and must not count.
HISTORY = {
    (2021, DELFT, DELFT, "uitstroom_mo", "uitstroom"): 40,
    (2023, DELFT, DELFT, "uitstroom_mo", "uitstroom"): 10,
    (2024, DELFT, DELFT, "uitstroom_mo", "uitstroom"): 12,
    (2025, DELFT, DELFT, "uitstroom_mo", "uitstroom"): 14,
    (2023, RIJSWIJK, RIJSWIJK, "uitstroom_ggz", "uitstroom"): 1,
    (2024, DEN_HAAG, RIJSWIJK, "uitstroom_ggz", "uitstroom"): 1,
    (2023, DEN_HAAG, DELFT, "uitstroom_vrouwenopvang", "uitstroom"): 3,
    (2024, DEN_HAAG, DELFT, "uitstroom_vrouwenopvang", "uitstroom"): 3,
    (2025, RIJSWIJK, DELFT, "uitstroom_vrouwenopvang", "uitstroom"): 4,
    (2023, DELFT, "buitenland", "statushouders", "statushouder"): 5,
    (2024, DELFT, "buitenland", "statushouders", "statushouder"): 6,
    (2025, DELFT, "buitenland", "statushouders", "statushouder"): 8,
    (2025, WASSENAAR, WASSENAAR, "geen", "regulier"): 30,
}


def processed(**optional: pd.DataFrame) -> ProcessedData:
    years = REGION.jaren
    voorraad = pd.DataFrame([
        {"gemeente": g, "jaar": j, "sociale_huurvoorraad": 1000,
         "mutaties": DELFT_MUTATIES[j] if g == DELFT else 50}
        for g in REGION.gemeenten for j in years])
    cbs = pd.DataFrame([{"gemeente": g, "jaar": j, "inwoners": 10_000, "huishoudens": 5_000}
                        for g in REGION.gemeenten for j in years])
    return ProcessedData(
        verhuringen=lettings(HISTORY), voorraad=voorraad, ppm=pd.DataFrame(), cbs=cbs,
        taakstelling_statushouders=None, prognose_mutaties=optional.get("mutaties"),
        prognose_vraag=optional.get("vraag"), reeds_toegezegd=optional.get("toegezegd"),
        manifest={"demo": False})


def result(data: ProcessedData, config=CONFIG):
    ahead = prognose(prepare(data, REGION, config))
    return ahead, ahead.run.resultaten.set_index("gemeente")


def test_defaults_are_averages_of_the_last_three_years():
    ahead, rows = result(processed())
    assert (ahead.jaar, ahead.jaren) == (2026, (2023, 2024, 2025))
    assert set(ahead.bronnen.values()) == {FROM_AVERAGE}
    # Delft: 1.000 × (6% + 6,6% + 7,5%) / 3 = 67 homes; 30% is 20,1 → 20; minus 6 committed.
    assert rows.loc[DELFT, "verwachte_mutaties"] == 67
    assert rows.loc[DELFT, "mutatiegraad"] == pytest.approx(6.7)
    assert rows.loc[DELFT, ["grensruimte", "reeds_toegezegd", "capaciteit"]].tolist() == \
        [20, 6, 14]
    assert rows.loc[DELFT, "vraag_eigen"] == 12
    assert rows.loc[RIJSWIJK, "vraag_eigen"] == 1  # 2 / 3 rounded half up
    # Elsewhere 1.000 × 5% = 50 homes, 15 under the limit, nothing committed.
    assert rows.loc[DEN_HAAG, ["verwachte_mutaties", "grensruimte", "capaciteit"]].tolist() == \
        [50, 15, 15]
    region = ahead.run.regio.iloc[0]
    assert (region["vraag_eigen"], region["pool"], region["tekort"]) == (13, 3, 0)
    # The pool of 3 by key share: Delft's key is largest (its 2025 mutaties are highest), then
    # the equal shares' tie goes to the lower codes: 's-Gravenhage and Rijswijk.
    assert rows["ontvangen_pool"][rows["ontvangen_pool"] > 0].to_dict() == \
        {DELFT: 1, DEN_HAAG: 1, RIJSWIJK: 1}
    assert rows.loc[DELFT, "taakstelling"] == 13
    assert rows["taakstelling"].sum() == 16


def test_the_trace_starts_with_how_each_input_came_about():
    ahead, _ = result(processed())
    trace = ahead.run.trace
    assert trace["nummer"].tolist() == list(range(1, len(trace) + 1))
    first = trace.iloc[0]
    assert (first["fase"], first["gemeente"]) == ("prognose", DELFT)
    assert "verwachte mutaties 67 = sociale huurvoorraad 2025 1.000 × gemiddelde mutatiegraad " \
           "2023–2025 6,7%" in first["tekst"]
    assert "verwachte eigen vraag 12" in first["tekst"] and "(36 / 3)" in first["tekst"]
    assert "reeds toegezegd 6" in first["tekst"] and "(19 / 3)" in first["tekst"]
    pool = trace[trace["fase"] == "prognose_pool"]["tekst"].item()
    assert "(10 / 3) = 3" in pool
    assert trace["fase"].iloc[len(REGION.gemeenten) + 1] == "uitgangspunten"


def test_input_files_replace_the_averages():
    future = 2026
    mutaties = pd.DataFrame({"gemeente": list(REGION.gemeenten), "jaar": future,
                             "verwachte_mutaties": [100 if g == DELFT else 40
                                                    for g in REGION.gemeenten]})
    vraag = pd.DataFrame([
        {"gemeente": DELFT, "doelgroep": "uitstroom_mo", "jaar": future, "aantal": 20},
        {"gemeente": DELFT, "doelgroep": "uitstroom_bw", "jaar": future, "aantal": 5},
        {"gemeente": DELFT, "doelgroep": "ouderen", "jaar": future, "aantal": 50},  # woonagenda
        {"gemeente": WASSENAAR, "doelgroep": "uitstroom_vrouwenopvang", "jaar": future,
         "aantal": 4},
        {"gemeente": DELFT, "doelgroep": "uitstroom_mo", "jaar": 2027, "aantal": 99},
    ])
    toegezegd = pd.DataFrame({"gemeente": list(REGION.gemeenten), "jaar": future,
                              "aantal": [12 if g == DELFT else 0 for g in REGION.gemeenten]})
    ahead, rows = result(processed(mutaties=mutaties, vraag=vraag, toegezegd=toegezegd))
    assert set(ahead.bronnen.values()) == {FROM_FILE}
    # Delft: 30% of 100 = 30, minus 12 committed = 18; demand 20 + 5 (ouderen are not on the
    # verdeelafspraak track): 18 at home, 7 overflow to the others.
    assert rows.loc[DELFT, ["grensruimte", "capaciteit", "vraag_eigen", "geplaatst_eigen",
                            "uitgeplaatst", "taakstelling"]].tolist() == [30, 18, 25, 18, 7, 18]
    assert rows.loc[DEN_HAAG, ["verwachte_mutaties", "grensruimte", "capaciteit"]].tolist() == \
        [40, 12, 12]
    region = ahead.run.regio.iloc[0]
    assert (region["vraag_eigen"], region["pool"], region["geplaatst"]) == (25, 4, 29)
    assert rows["ontvangen_overloop"].sum() == 7 and rows["ontvangen_pool"].sum() == 4
    assert "volgens de registratie van de regio" in ahead.run.trace["tekst"].iloc[0]


def test_settings_choose_the_year_and_the_number_of_years():
    config = dataclasses.replace(CONFIG, taakstelling_jaar=2028, jaren_gemiddelde=1)
    ahead, rows = result(processed(), config)
    assert (ahead.jaar, ahead.jaren) == (2028, (2025,))
    assert rows.loc[DELFT, "vraag_eigen"] == 14
    assert rows.loc[DELFT, "verwachte_mutaties"] == 75


@pytest.mark.parametrize("name", ["mutaties", "vraag", "toegezegd"])
def test_an_input_file_without_the_year_is_refused(name):
    frames = {
        "mutaties": pd.DataFrame({"gemeente": [DELFT], "jaar": [2027],
                                  "verwachte_mutaties": [10]}),
        "vraag": pd.DataFrame({"gemeente": [DELFT], "doelgroep": ["uitstroom_mo"],
                               "jaar": [2027], "aantal": [3]}),
        "toegezegd": pd.DataFrame({"gemeente": [DELFT], "jaar": [2027], "aantal": [3]}),
    }
    with pytest.raises(ModelInputError, match="geen rijen voor 2026"):
        result(processed(**{name: frames[name]}))


def test_a_forecast_missing_a_gemeente_is_refused():
    mutaties = pd.DataFrame({"gemeente": [DELFT], "jaar": [2026], "verwachte_mutaties": [10]})
    with pytest.raises(ModelInputError, match=r"geen rij voor 2026 voor .*Wassenaar"):
        result(processed(mutaties=mutaties))


def test_a_hidden_year_cannot_be_recovered_from_the_average():
    """Rijswijk's own demand was 1, 1 and 0: the average of the years (1) joins them in a
    relation of its own, so no relation is left with one hidden cell."""
    data = processed()
    ctx = prepare(data, REGION, CONFIG)
    run, ahead = run_model(ctx), prognose(ctx)
    no_indicators = pd.DataFrame(columns=["indicator", *KEY, "waarde", "teller", "noemer"])
    published = protect(no_indicators, run, REGION, CONFIG, ahead)
    cells = published.cells
    own = cells[(cells["reeks"] == "vraag_eigen") & (cells["gebied"] == RIJSWIJK)
                & cells["periode"].isin([period(2026), "2023", "2024", "2025"])]
    hidden = (own["status"] != "getoond").set_axis(own["periode"])
    assert hidden.sum() != 1
    # 1, 1 and the average 1 are small; the 0 of 2025 may be shown.
    assert hidden.to_dict() == {"2023": True, "2024": True, "2025": False, period(2026): True}
    rows = published.prognose.resultaten.set_index("gemeente")
    assert np.isnan(rows.loc[RIJSWIJK, "vraag_eigen"])
    assert "vraag_eigen" in rows.loc[RIJSWIJK, "afgeschermd"]
    # Delft's taakstelling is published, and its trace step names its inputs.
    assert rows.loc[DELFT, "taakstelling"] == 13
    steps = published.prognose.trace
    rijswijk = steps[(steps["fase"] == "prognose") & (steps["gemeente"] == RIJSWIJK)]
    assert "niet gepubliceerd" in rijswijk["tekst"].item()
