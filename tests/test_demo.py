"""The demo generator: deterministic, calibrated, and in the formats real exports come in."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from importlib import resources
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

from analysis import codes
from analysis.config import load_config
from analysis.contracts import verhuringen
from analysis.demo import DEFAULT_SEED, DemoError, generate_demo
from analysis.demo.calibration import CALIBRATION_FILE, Calibration, _convert, calibration
from analysis.demo.generate import MIN_VERHURINGEN_PER_JAAR
from analysis.demo.writers import CBS_FILE, PPM_FILE, TAAKSTELLING_FILE, VOORRAAD_FILE
from analysis.ingest import validate_all
from analysis.layout import DEMO_LABEL, DEMO_MARKER

SHARED_WIJKEN = (Path(__file__).resolve().parents[2] / "shared" / "data" / "geo"
                 / "haaglanden_wijk_2025_rd.geojson")

CONFIG = load_config()
LETTINGS = f"svh_verhuringen_{CONFIG.jaar_van}-{CONFIG.jaar_tot_en_met}.csv"
DATA_FILES = (LETTINGS, VOORRAAD_FILE, PPM_FILE, CBS_FILE, TAAKSTELLING_FILE)
ALL_FILES = (*DATA_FILES, DEMO_MARKER)
DEN_HAAG = "GM0518"
STANDPLAATS_GEMEENTEN = calibration().doelgroepen.standplaats_gemeenten
SMALL = ("GM1842", "GM0629", "GM1926")  # Midden-Delfland, Wassenaar, Pijnacker-Nootdorp


def _generate(folder: Path, **kwargs):
    messages: list[str] = []
    result = generate_demo(folder, progress=messages.append, **kwargs)
    return folder, result, messages


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("plain"))


@pytest.fixture(scope="module")
def plain_again(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("plain_again"))


@pytest.fixture(scope="module")
def wijk(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("wijk"), wijken=SHARED_WIJKEN)


@pytest.fixture(scope="module")
def wijk_again(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("wijk_again"), wijken=SHARED_WIJKEN)


def _read_lettings(folder: Path) -> pd.DataFrame:
    df = pd.read_csv(folder / LETTINGS, sep=";", encoding="utf-8-sig", dtype=str,
                     keep_default_na=False)
    df["jaar"] = df["datum_verhuring"].str[6:].astype(int)
    return df


@pytest.fixture(scope="module")
def lettings(plain) -> pd.DataFrame:
    return _read_lettings(plain[0])


def _read_voorraad(folder: Path) -> pd.DataFrame:
    df = pd.read_excel(folder / VOORRAAD_FILE, sheet_name="Voorraad", header=2)
    name_to_code = {v: k for k, v in codes.labels("gemeenten").items()}
    df["gemeente"] = df["gemeente"].map(name_to_code)
    return df


@pytest.fixture(scope="module")
def voorraad(plain) -> pd.DataFrame:
    return _read_voorraad(plain[0])


@pytest.fixture(scope="module")
def ppm(plain) -> pd.DataFrame:
    return pd.read_csv(plain[0] / PPM_FILE, sep=",", encoding="utf-8", dtype=str)


@pytest.fixture(scope="module")
def cbs(plain) -> pd.DataFrame:
    return pd.read_csv(plain[0] / CBS_FILE, sep=";", encoding="cp1252", dtype=str)


def _read_task(folder: Path) -> pd.DataFrame:
    task = pd.read_csv(folder / TAAKSTELLING_FILE, sep=";", encoding="utf-8-sig")
    name_to_code = {v: k for k, v in codes.labels("gemeenten").items()}
    return task.assign(gemeente=task["gemeente"].map(name_to_code))


@pytest.fixture(scope="module")
def task(plain) -> pd.DataFrame:
    return _read_task(plain[0])


# --- determinism ---------------------------------------------------------------------------


def _assert_identical(first, second):
    (a, result_a, _), (b, result_b, _) = first, second
    assert [p.name for p in result_a.files] == list(ALL_FILES)
    assert [p.name for p in result_b.files] == list(ALL_FILES)
    for name in ALL_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_two_runs_are_byte_identical_without_wijken(plain, plain_again):
    _assert_identical(plain, plain_again)



def test_two_runs_are_byte_identical_with_wijken(wijk, wijk_again):
    _assert_identical(wijk, wijk_again)



def test_wijk_file_changes_only_the_wijk_column(plain, wijk, lettings):
    with_wijk = _read_lettings(wijk[0])
    pd.testing.assert_frame_equal(with_wijk.drop(columns="wijk_code"),
                                  lettings.drop(columns="wijk_code"))
    for name in DATA_FILES[1:]:
        assert (plain[0] / name).read_bytes() == (wijk[0] / name).read_bytes(), name


def test_other_seed_gives_other_data(tmp_path, lettings):
    folder, _, _ = _generate(tmp_path, seed=DEFAULT_SEED + 1)
    assert not _read_lettings(folder).equals(lettings)


# --- formats ---------------------------------------------------------------------------------


def test_lettings_csv_is_written_as_excel_does(plain):
    data = (plain[0] / LETTINGS).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n")
    header, first = data[3:].decode("utf-8").split("\r\n")[:2]
    assert header.split(";") == [c.name for c in verhuringen.CONTRACT.columns]
    cells = dict(zip(header.split(";"), first.split(";"), strict=True))
    assert cells["verhuring_id"] == f"DEMO-{CONFIG.jaar_van}-000001"
    assert cells["datum_verhuring"][2] == "-" and cells["datum_verhuring"][5] == "-"
    assert "," in cells["kale_huur"] and "." not in cells["kale_huur"]


def test_voorraad_xlsx_layout(plain):
    wb = openpyxl.load_workbook(plain[0] / VOORRAAD_FILE)
    assert wb.sheetnames == ["Voorraad"]
    ws = wb["Voorraad"]
    assert ws["A1"].value == f"SVH — Sociale huurvoorraad en mutaties per gemeente — {DEMO_LABEL}"
    assert all(cell.value is None for cell in ws[2])
    assert [c.value for c in ws[3]] == ["gemeente", "jaar", "sociale_huurvoorraad", "mutaties"]
    names = {ws.cell(row, 1).value for row in range(4, ws.max_row + 1)}
    assert names == {CONFIG.gemeente_naam(g) for g in CONFIG.gemeenten}
    assert {"'s-Gravenhage", "Rijswijk (ZH.)"} <= names


def test_ppm_and_cbs_encodings(plain):
    ppm_bytes = (plain[0] / PPM_FILE).read_bytes()
    assert not ppm_bytes.startswith(b"\xef\xbb\xbf") and b"\r" not in ppm_bytes
    assert ppm_bytes.split(b"\n")[0] == b"gemeente,doelgroep,jaar,fase,aantal,eenheid"
    cbs_bytes = (plain[0] / CBS_FILE).read_bytes()
    assert cbs_bytes.decode("cp1252").split("\r\n")[0] == "gemeente;jaar;inwoners;huishoudens"


# --- calibration -----------------------------------------------------------------------------


def _assert_lettings_equal_mutaties(lettings: pd.DataFrame, voorraad: pd.DataFrame) -> None:
    counts = lettings.groupby(["gemeente", "jaar"]).size()
    expected = voorraad.set_index(["gemeente", "jaar"])["mutaties"]
    assert len(expected) == len(CONFIG.gemeenten) * len(CONFIG.jaren)
    pd.testing.assert_series_equal(counts.sort_index(), expected.sort_index(),
                                   check_names=False, check_dtype=False)


def test_lettings_per_gemeente_year_equal_mutaties(lettings, voorraad):
    _assert_lettings_equal_mutaties(lettings, voorraad)
    per_year = lettings.groupby("jaar").size()
    assert list(per_year.index) == list(CONFIG.jaren)
    assert per_year.between(8_000, 10_000).all(), per_year.to_dict()
    assert (voorraad["mutaties"] / voorraad["sociale_huurvoorraad"]).between(0.04, 0.08).all()


def test_den_haag_exceeds_30_percent_and_the_others_do_not_reach_it(lettings):
    share = (lettings["doelgroep"] != "geen").groupby(
        [lettings["gemeente"], lettings["jaar"]]).mean().unstack("jaar")
    assert (share.loc[DEN_HAAG] > 0.30).all()
    others = share.drop(index=DEN_HAAG)
    assert (others < share.loc[DEN_HAAG]).all().all()
    assert others.stack().between(0.12, 0.30).all()


def test_small_gemeenten_have_small_group_counts(lettings):
    small = lettings[lettings["gemeente"].isin(SMALL) & (lettings["doelgroep"] != "geen")]
    counts = small.groupby(["gemeente", "doelgroep", "jaar"]).size()
    assert counts.between(1, 4).sum() >= 20


def test_every_route_category_and_group_occurs(lettings):
    assert set(lettings["toewijzingsroute"]) == set(codes.codes("toewijzingsroutes"))
    assert set(lettings["urgentiecategorie"]) - {""} == set(codes.codes("urgentiecategorieen"))
    assert set(lettings["doelgroep"]) == set(codes.codes("doelgroepen"))
    for column, codelist in (("woningtype", "woningtypen"), ("huurklasse", "huurklassen"),
                             ("huishoudtype", "huishoudtypen"),
                             ("leeftijdsklasse", "leeftijdsklassen")):
        assert set(lettings[column]) <= set(codes.codes(codelist)), column
    assert set(lettings["tenzij_reden"]) - {""} == set(codes.codes("tenzij_redenen"))
    assert set(lettings["gemeente"]) == set(CONFIG.gemeenten)
    origins = set(codes.codes("gemeenten")) | set(codes.codes("herkomst_bijzonder"))
    assert set(lettings["herkomst_gemeente"]) <= origins
    assert lettings["verhuring_id"].is_unique


def test_urgency_and_statushouder_rules(lettings):
    urgent = lettings["toewijzingsroute"] == "urgentie"
    assert ((lettings["urgentiecategorie"] != "") == urgent).all()
    category = {r["code"]: r["urgentiecategorie"] for r in codes.load("doelgroepen")}
    assert (lettings.loc[urgent, "doelgroep"].map(category)
            == lettings.loc[urgent, "urgentiecategorie"]).all()
    status = lettings["toewijzingsroute"] == "statushouder"
    assert (lettings.loc[status, "doelgroep"] == "statushouders").all()


def test_herkomst_and_tenzij(lettings):
    regular = lettings[lettings["doelgroep"] == "geen"]
    own = (regular["herkomst_gemeente"] == regular["gemeente"]).groupby(regular["gemeente"]).mean()
    assert own.between(0.55, 0.80).all(), own.to_dict()
    elsewhere = regular[regular["herkomst_gemeente"] != regular["gemeente"]]
    assert elsewhere["herkomst_gemeente"].value_counts().index[0] == DEN_HAAG
    tenzij = lettings[lettings["tenzij_reden"] != ""]
    assert len(tenzij) > 100
    assert (tenzij["herkomst_gemeente"] != tenzij["gemeente"]).all()
    assert tenzij["herkomst_gemeente"].str.startswith("GM").all()
    victims = lettings[lettings["doelgroep"] == "uitstroom_vrouwenopvang"]
    safe = victims["tenzij_reden"] == "veiligheid"
    assert safe.mean() > 0.3
    statushouders = lettings[lettings["doelgroep"] == "statushouders"]
    assert (statushouders["herkomst_gemeente"] == "buitenland").mean() > 0.7
    priority_from_den_haag = lettings[(lettings["doelgroep"] != "geen")
                                      & (lettings["gemeente"] != DEN_HAAG)
                                      & (lettings["herkomst_gemeente"] == DEN_HAAG)]
    assert len(priority_from_den_haag) > 100


def test_households_ages_rents_and_dates_are_consistent(lettings):
    ouderen = lettings[lettings["doelgroep"] == "ouderen"]
    assert set(ouderen["leeftijdsklasse"]) <= {"65-74", "75+"}
    studenten = lettings[lettings["doelgroep"] == "studenten"]
    assert set(studenten["leeftijdsklasse"]) <= {"18-22", "23-34"}
    gezinnen = lettings[lettings["doelgroep"] == "dakloze_gezinnen"]
    assert set(gezinnen["huishoudtype"]) <= {"eenoudergezin", "paar_met_kinderen"}
    woonwagen = lettings["woningtype"] == "woonwagen"
    assert (lettings.loc[woonwagen, "doelgroep"] == "woonwagenbewoners").all()
    bewoners = lettings[lettings["doelgroep"] == "woonwagenbewoners"]
    assert set(bewoners["gemeente"]) <= STANDPLAATS_GEMEENTEN

    rent = lettings["kale_huur"].str.replace(",", ".").astype(float)
    expected = pd.cut(rent, [0, 477.20, 682.96, 732.00, 900.07],
                      labels=["goedkoop", "betaalbaar_laag", "betaalbaar_hoog", "duur"])
    assert (expected.astype(str) == lettings["huurklasse"]).all()
    assert lettings["kale_huur"].str.fullmatch(r"\d+,\d\d").all()

    dates = pd.to_datetime(lettings["datum_verhuring"], format="%d-%m-%Y")
    assert (dates.dt.year == lettings["jaar"]).all()
    assert dates.dt.month.nunique() == 12
    assert (lettings["verhuring_id"].str[5:9].astype(int) == lettings["jaar"]).all()


# --- waiting times ---------------------------------------------------------------------------

DIRECT = ("statushouder", "uitstroom", "bemiddeling_overig")  # direct mediation: no advert


def _waiting(lettings: pd.DataFrame) -> pd.DataFrame:
    """The three waiting-time columns as numbers (NaN for an empty cell), with the route."""
    numbers = lettings[["inschrijfduur", "zoekduur", "reacties"]].replace("", None).astype(float)
    return numbers.assign(route=lettings["toewijzingsroute"], doelgroep=lettings["doelgroep"])


def test_waiting_time_calibration_is_read():
    wachttijden = calibration().wachttijden
    assert set(wachttijden.inschrijfduur) == set(codes.codes("toewijzingsroutes"))
    regulier, _ = wachttijden.inschrijfduur["regulier"]
    assert 84 <= regulier <= 108  # 7 to 9 years for a regular home in Haaglanden
    assert all(median < 12 for route, (median, _) in wachttijden.inschrijfduur.items()
               if route in (*DIRECT, "urgentie"))
    assert not set(DIRECT) & (set(wachttijden.zoekduur_deel) | set(wachttijden.reacties))
    assert all(0 < share < 1 for share in wachttijden.zoekduur_deel.values())


def test_waiting_times_are_whole_months_within_the_contract(lettings):
    waiting = _waiting(lettings)
    for column in ("inschrijfduur", "zoekduur", "reacties"):
        contract = verhuringen.CONTRACT.column(column)
        filled = lettings.loc[lettings[column] != "", column]
        assert filled.str.fullmatch(r"\d+").all(), column
        assert waiting[column].dropna().between(contract.minimum, contract.maximum).all()
    assert waiting["inschrijfduur"].notna().all()
    searched = waiting[waiting["zoekduur"].notna()]
    assert (searched["zoekduur"] <= searched["inschrijfduur"]).all()  # searching comes after


def test_direct_mediation_has_no_search_and_no_advert(lettings):
    waiting = _waiting(lettings)
    direct = waiting["route"].isin(DIRECT)
    assert waiting.loc[direct, ["zoekduur", "reacties"]].isna().all().all()
    assert waiting.loc[~direct, ["zoekduur", "reacties"]].notna().all().all()


def test_urgent_and_mediated_lettings_are_much_faster(lettings):
    waiting = _waiting(lettings)
    medians = waiting.groupby("route")[["inschrijfduur", "zoekduur", "reacties"]].median()
    regulier = medians.loc["regulier"]
    assert 84 <= regulier["inschrijfduur"] <= 108  # 7 to 9 years
    for route in (*DIRECT, "urgentie"):
        assert medians.at[route, "inschrijfduur"] <= 12, route  # months, not years
    assert medians.at["urgentie", "zoekduur"] < 12
    searched = medians[medians["zoekduur"].notna()]
    assert (searched["zoekduur"] < searched["inschrijfduur"]).all()
    # hundreds of responses to a regular advert, a few dozen when it is first come first served
    assert regulier["reacties"] >= 150 and medians.at["loting", "reacties"] >= 150
    assert medians.at["direct_te_huur", "reacties"] < 50
    by_group = waiting.groupby("doelgroep")["inschrijfduur"].median()
    assert by_group["ouderen"] > by_group["geen"] > 4 * by_group["uitstroom_mo"]
    assert by_group["statushouders"] <= 6


def test_ppm_woonopgave(ppm):
    years = list(range(CONFIG.jaar_van, CONFIG.jaar_tot_en_met + 6))
    assert set(ppm["fase"]) == set(codes.codes("ppm_fasen"))
    assert "geen" not in set(ppm["doelgroep"])
    assert not ppm.duplicated(["gemeente", "doelgroep", "jaar", "fase"]).any()
    for _, group in ppm.groupby(["gemeente", "doelgroep"]):
        assert sorted(group.loc[group["fase"] == "opgave", "jaar"].astype(int)) == years
    delivered = ppm[ppm["fase"] == "opgeleverd"]
    assert delivered["jaar"].astype(int).max() <= CONFIG.jaar_tot_en_met
    unit = ppm.groupby("doelgroep")["eenheid"].agg(set)
    assert unit["woonwagenbewoners"] == {"standplaatsen"}
    woonwagens = set(ppm.loc[ppm["doelgroep"] == "woonwagenbewoners", "gemeente"])
    assert woonwagens == STANDPLAATS_GEMEENTEN
    assert unit["uitstroom_bw"] == {"plaatsen"}
    assert unit["ouderen"] == {"woningen"}
    per_gemeente = ppm.groupby("doelgroep")["gemeente"].nunique()
    assert per_gemeente["ouderen"] == len(CONFIG.gemeenten)
    assert per_gemeente["studenten"] < len(CONFIG.gemeenten)
    # progress behind the task, for the region as a whole
    past = ppm[ppm["jaar"].astype(int) <= CONFIG.jaar_tot_en_met]
    totals = past["aantal"].astype(int).groupby(past["fase"]).sum()
    assert totals["opgeleverd"] < totals["opgave"]


def test_cbs_orders_of_magnitude(cbs):
    inwoners = cbs.assign(inwoners=cbs["inwoners"].astype(int),
                          huishoudens=cbs["huishoudens"].astype(int))
    assert len(inwoners) == len(CONFIG.gemeenten) * len(CONFIG.jaren)
    den_haag = inwoners[inwoners["gemeente"] == DEN_HAAG]
    assert den_haag["inwoners"].between(540_000, 580_000).all()
    assert den_haag["inwoners"].is_monotonic_increasing
    size = inwoners["inwoners"] / inwoners["huishoudens"]
    assert size.between(1.9, 2.6).all()
    wassenaar = inwoners[inwoners["gemeente"] == "GM0629"]["inwoners"]
    assert wassenaar.between(25_000, 29_000).all()


# --- household sizes and the statushouder task -----------------------------------------------


def test_household_sizes_fit_the_household_type(lettings):
    sizes = lettings["aantal_personen"].astype(int)  # every letting has one
    by_type = sizes.groupby(lettings["huishoudtype"]).agg(["min", "max", "mean"])
    assert by_type.loc["eenpersoons"].tolist() == [1, 1, 1]
    assert by_type.loc["paar_zonder_kinderen"].tolist() == [2, 2, 2]
    assert (by_type.loc["paar_met_kinderen", "min"], by_type.loc["paar_met_kinderen", "max"]) \
        == (3, 6)
    assert 3.7 <= by_type.loc["paar_met_kinderen", "mean"] <= 4.3  # CBS: about 3,9
    assert (by_type.loc["eenoudergezin", "min"], by_type.loc["eenoudergezin", "max"]) == (2, 4)
    assert by_type.loc["overig", "min"] >= 2
    families = lettings["huishoudtype"] == "paar_met_kinderen"
    statushouders = lettings["doelgroep"] == "statushouders"
    assert sizes[families & statushouders].mean() > sizes[families & ~statushouders].mean()


def test_household_sizes_come_from_their_own_stream(tmp_path, monkeypatch, lettings):
    """Drawn otherwise (other numbers from their stream), the sizes leave every other column
    as it was: they come from a child of the seed, after everything else."""
    from analysis.demo import generate

    def fewest(rng, columns):
        rng.random(7)
        return np.array([verhuringen.HOUSEHOLD_SIZES[h][0] for h in columns["huishoudtype"]],
                        dtype=float)

    monkeypatch.setattr(generate, "household_sizes", fewest)
    other = _read_lettings(_generate(tmp_path)[0])
    assert not other["aantal_personen"].equals(lettings["aantal_personen"])
    pd.testing.assert_frame_equal(other.drop(columns="aantal_personen"),
                                  lettings.drop(columns="aantal_personen"))


def test_the_task_follows_the_inhabitants(task, cbs):
    assert len(task) == 2 * len(CONFIG.gemeenten) * len(CONFIG.jaren)
    assert set(task["halfjaar"]) == {1, 2} and (task["taakstelling"] >= 0).all()
    inwoners = cbs.astype({"jaar": int, "inwoners": int}).set_index(["gemeente", "jaar"])
    ratio = task["taakstelling"] / inwoners["inwoners"].reindex(
        pd.MultiIndex.from_frame(task[["gemeente", "jaar"]])).to_numpy()
    per_half_year = calibration().taakstelling_statushouders.inwoners_per_persoon
    labels = task["jaar"].astype(str) + "-H" + task["halfjaar"].astype(str)
    expected = 1 / labels.map(per_half_year)
    assert (abs(ratio / expected - 1) < 0.05).all()  # rounding to whole persons
    # Recent half years: about one person per 700 to 1.000 inhabitants.
    recent = task[task["jaar"] >= 2023]
    assert (ratio[recent.index] > 1 / 1000 - 1e-4).all() and (ratio[recent.index] < 1 / 690).all()
    region = task.groupby("jaar")["taakstelling"].sum()
    assert region.between(1_500, 3_500).all(), region.to_dict()


def test_lettings_house_part_of_the_task(task, lettings):
    statushouders = lettings[lettings["doelgroep"] == "statushouders"]
    persons = statushouders["aantal_personen"].astype(int).groupby(statushouders["jaar"]).sum()
    realised = persons / task.groupby("jaar")["taakstelling"].sum()
    assert realised.between(0.4, 1.3).all(), realised.to_dict()


# --- wijken ----------------------------------------------------------------------------------


def test_wijk_calibration_is_read():
    wijken = calibration().wijken
    assert 0.5 <= wijken.voorraad_vorm < 2.0  # social stock concentrated in some wijken
    assert 0.0 < wijken.ruis <= 0.3  # priority lettings follow the stock closely ...
    assert 0.05 <= wijken.ophoping_aandeel < 0.5  # ... except in a few of the upper half
    low, high = wijken.ophoping_factor
    assert 1.0 < low <= high


def test_malformed_wijk_calibration_is_refused():
    text = resources.files("analysis.demo").joinpath(CALIBRATION_FILE).read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    assert _convert(raw, Calibration, CALIBRATION_FILE) == calibration()
    raw["wijken"]["ophoping_factor"] = [2.5]
    with pytest.raises(ValueError, match=r"wijken\.ophoping_factor: \[2\.5\] is geen tuple"):
        _convert(raw, Calibration, CALIBRATION_FILE)
    raw["wijken"]["ophoping_factor"] = [2.5, 3.5]
    raw["wijken"]["ruis"] = "klein"
    with pytest.raises(ValueError, match=r"wijken\.ruis: 'klein' is geen float"):
        _convert(raw, Calibration, CALIBRATION_FILE)
    del raw["wijken"]["ruis"]
    with pytest.raises(ValueError, match=r"wijken: verwacht precies de velden"):
        _convert(raw, Calibration, CALIBRATION_FILE)


def _per_wijk(df: pd.DataFrame) -> pd.DataFrame:
    """Lettings and concentration index per wijk: the share of priority lettings in the wijk
    over that in its gemeente, both over lettings with a wijk code."""
    coded = df[df["wijk_code"] != ""]
    priority = coded["doelgroep"] != "geen"
    per_wijk = priority.groupby([coded["gemeente"], coded["wijk_code"]]).agg(["size", "mean"])
    gemeente_share = priority.groupby(coded["gemeente"]).mean()
    index = per_wijk["mean"] / gemeente_share.loc[per_wijk.index.get_level_values(0)].to_numpy()
    return pd.DataFrame({"verhuringen": per_wijk["size"], "index": index})


def test_wijken_follow_the_calibrated_pattern(wijk):
    per_wijk = _per_wijk(_read_lettings(wijk[0]))
    # Social stock is concentrated: many small wijken, and the largest fifth of the Haagse
    # wijken carry about half of the lettings (gamma shape 0.9 in kalibratie.yml).
    assert (per_wijk["verhuringen"] < 100).sum() >= 10
    den_haag = per_wijk.loc[DEN_HAAG, "verhuringen"].sort_values(ascending=False)
    largest = den_haag.iloc[:round(0.2 * len(den_haag))]
    assert largest.sum() / den_haag.sum() > 0.45
    # Priority lettings pile up in some but few wijken; most lie near their gemeente, a little
    # under 1 as the piled-up wijken are large.
    index = per_wijk.loc[per_wijk["verhuringen"] >= 20, "index"]
    assert 4 <= (index >= 1.5).sum() <= 14
    assert 0.8 <= index.median() <= 1.05
    assert index.between(0.7, 1.3).mean() > 0.6


def test_wijk_codes_belong_to_their_gemeente(wijk):
    df = _read_lettings(wijk[0])
    features = json.loads(SHARED_WIJKEN.read_text(encoding="utf-8"))["features"]
    known = {f["properties"]["statcode"]: f["properties"]["gmCode"] for f in features}
    assert (df["wijk_code"] != "").all()
    assert df["wijk_code"].isin(list(known)).all()
    assert (df["wijk_code"].map(known) == df["gemeente"]).all()
    assert (df["wijk_code"].str[2:6] == df["gemeente"].str[2:6]).all()
    assert df.loc[df["gemeente"] == DEN_HAAG, "wijk_code"].nunique() > 30
    assert any("haaglanden_wijk_2025_rd.geojson" in note for note in wijk[1].notes)


def test_without_wijk_file_the_shipped_wijken_are_used(plain, wijk, lettings):
    assert (lettings["wijk_code"] != "").all()
    assert any("wijk_2025_rd.geojson.gz" in note for note in plain[1].notes)
    # The shipped file holds the same wijken of the region as the shared Haaglanden file.
    assert lettings["wijk_code"].equals(_read_lettings(wijk[0])["wijk_code"])


def test_wijk_file_is_found_in_geo_folder(tmp_path):
    feature = {"type": "Feature", "geometry": None,
               "properties": {"statcode": "WK051801", "gmCode": DEN_HAAG}}
    collection = {"type": "FeatureCollection", "features": [
        feature, {**feature, "properties": {"statcode": "WK051802", "gmCode": DEN_HAAG}}]}
    (tmp_path / "geo").mkdir()
    (tmp_path / "geo" / "cbs_wijk_2025.geojson").write_text(json.dumps(collection))
    result = generate_demo(tmp_path)
    df = _read_lettings(tmp_path)
    in_den_haag = df["gemeente"] == DEN_HAAG
    assert set(df.loc[in_den_haag, "wijk_code"]) == {"WK051801", "WK051802"}
    assert (df.loc[~in_den_haag, "wijk_code"] == "").all()
    assert any("Delft" in note for note in result.notes)
    marker = json.loads((tmp_path / DEMO_MARKER).read_text(encoding="utf-8"))
    assert marker["wijkgrenzen"] == "cbs_wijk_2025.geojson"


def test_unreadable_wijk_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "wijken.geojson"
    bad.write_text("geen json")
    with pytest.raises(DemoError, match=r"wijken\.geojson"):
        generate_demo(tmp_path / "out", wijken=bad)
    assert not (tmp_path / "out").exists()


# --- marker, progress, config ----------------------------------------------------------------


def test_marker_lists_checksums(plain):
    folder = plain[0]
    text = (folder / DEMO_MARKER).read_text(encoding="utf-8")
    assert text.endswith("}\n")
    marker = json.loads(text)
    assert marker["demo"] is True
    assert marker["label"] == DEMO_LABEL
    assert marker["generator"] == "analysis.demo"
    assert marker["seed"] == DEFAULT_SEED
    assert marker["generator_versie"]
    assert set(marker["bestanden"]) == set(DATA_FILES)
    for name, digest in marker["bestanden"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert text == json.dumps(marker, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_progress_is_called_once_per_file(plain):
    messages = plain[2]
    assert len(messages) == len(ALL_FILES)
    for name, message in zip(ALL_FILES, messages, strict=True):
        assert name in message


def test_region_without_calibration_is_refused(tmp_path):
    other = dataclasses.replace(CONFIG, gemeenten=("GM0363",))
    with pytest.raises(DemoError, match="GM0363"):
        generate_demo(tmp_path, config=other)
    assert not any(tmp_path.iterdir())


def test_demo_output_passes_validation(plain):
    results, issues = validate_all(plain[0], CONFIG)
    assert [str(i) for i in issues if i.is_error] == []
    # The demo leaves the optional inputs of the taakstelling out: the defaults apply.
    rows = {result.contract.id: len(result.frame) for result in results
            if result.frame is not None}
    assert rows["verhuringen"] == len(_read_lettings(plain[0]))


# --- volume (national-scale load tests), checked at a small volume ------------------------------

VOLUME = 2_000  # lettings a year for the region as a whole, a quarter of the calibrated volume


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("scaled"), verhuringen_per_jaar=VOLUME)


@pytest.fixture(scope="module")
def scaled_again(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("scaled_again"), verhuringen_per_jaar=VOLUME)


def test_volume_keeps_lettings_equal_to_mutaties(scaled):
    lettings, voorraad = _read_lettings(scaled[0]), _read_voorraad(scaled[0])
    _assert_lettings_equal_mutaties(lettings, voorraad)
    assert (voorraad["mutaties"] / voorraad["sociale_huurvoorraad"]).between(0.04, 0.08).all()


def test_volume_is_close_to_the_request(scaled):
    per_year = _read_lettings(scaled[0]).groupby("jaar").size()
    assert list(per_year.index) == list(CONFIG.jaren)
    # Years differ as in the calibration (turnover fell after 2021), around the requested volume.
    assert per_year.between(0.90 * VOLUME, 1.10 * VOLUME).all(), per_year.to_dict()
    assert abs(per_year.mean() / VOLUME - 1) < 0.03, per_year.to_dict()


def test_volume_scales_denominators_and_task_with_the_region(plain, scaled):
    def totals(folder: Path) -> pd.Series:
        cbs = pd.read_csv(folder / CBS_FILE, sep=";", encoding="cp1252")
        ppm = pd.read_csv(folder / PPM_FILE)
        return pd.Series({"voorraad": _read_voorraad(folder)["sociale_huurvoorraad"].sum(),
                          "inwoners": cbs["inwoners"].sum(),
                          "huishoudens": cbs["huishoudens"].sum(),
                          "opgave": ppm.loc[ppm["fase"] == "opgave", "aantal"].sum(),
                          "taakstelling": _read_task(folder)["taakstelling"].sum()})

    ratio = totals(scaled[0]) / totals(plain[0])
    lettings_ratio = len(_read_lettings(scaled[0])) / len(_read_lettings(plain[0]))
    assert ratio.between(0.9 * lettings_ratio, 1.1 * lettings_ratio).all(), ratio.to_dict()


def test_volume_output_passes_validation(scaled):
    results, issues = validate_all(scaled[0], CONFIG)
    assert [str(i) for i in issues if i.is_error] == []
    # The demo leaves the optional inputs of the taakstelling out: the defaults apply.
    rows = {result.contract.id: len(result.frame) for result in results
            if result.frame is not None}
    assert rows["verhuringen"] == len(_read_lettings(scaled[0]))


def test_volume_runs_are_byte_identical(scaled, scaled_again):
    _assert_identical(scaled, scaled_again)


def test_marker_records_a_chosen_volume_only(plain, scaled):
    marker = json.loads((scaled[0] / DEMO_MARKER).read_text(encoding="utf-8"))
    assert marker["verhuringen_per_jaar"] == VOLUME
    assert "verhuringen_per_jaar" not in json.loads(
        (plain[0] / DEMO_MARKER).read_text(encoding="utf-8"))


def test_volume_below_the_minimum_is_refused(tmp_path):
    with pytest.raises(DemoError, match=str(MIN_VERHURINGEN_PER_JAAR)):
        generate_demo(tmp_path / "out", verhuringen_per_jaar=MIN_VERHURINGEN_PER_JAAR - 1)
    assert not (tmp_path / "out").exists()


def test_volume_on_the_command_line(cli, tmp_path, scaled):
    result = cli("demo", "--out", tmp_path, "--verhuringen-per-jaar", VOLUME)
    assert result.exit_code == 0, result.output
    for name in ALL_FILES:
        assert (tmp_path / name).read_bytes() == (scaled[0] / name).read_bytes(), name
