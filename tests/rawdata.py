"""Small, valid raw inputs written by hand, so each test can break exactly one thing."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

REGION = ("GM0503", "GM0518", "GM1916", "GM1842", "GM1926", "GM0603", "GM0629", "GM1783",
          "GM0637")
YEARS = range(2021, 2026)

VERHURINGEN_HEADER = (
    "verhuring_id", "datum_verhuring", "gemeente", "wijk_code", "corporatie", "woningtype",
    "huurklasse", "kale_huur", "toewijzingsroute", "urgentiecategorie", "doelgroep",
    "herkomst_gemeente", "tenzij_reden", "huishoudtype", "leeftijdsklasse",
)


def verhuringen_rows() -> list[list[str]]:
    """Twelve lettings; line N of the written CSV (header on line 1) is row N-2 here."""
    return [
        ["V001", "05-03-2021", "GM0518", "WK051801", "Staedion", "meergezins_lift", "betaalbaar_laag", "612,45", "regulier", "", "geen", "GM0518", "", "eenpersoons", "23-34"],
        ["V002", "17-06-2021", "GM0503", "", "Woonbron", "eengezinswoning", "betaalbaar_hoog", "720,00", "urgentie", "medisch", "beperking", "GM0503", "", "paar_met_kinderen", "35-54"],
        ["V003", "01-02-2022", "GM0637", "", "Vidomes", "seniorenwoning", "betaalbaar_laag", "650,10", "lokaal_maatwerk", "", "ouderen", "GM0637", "", "eenpersoons", "75+"],
        ["V004", "12-12-2022", "GM1916", "", "Vidomes", "meergezins_lift", "goedkoop", "455,30", "uitstroom", "", "uitstroom_vrouwenopvang", "GM0518", "veiligheid", "eenoudergezin", "23-34"],
        ["V005", "2023-04-03", "GM0603", "", "Rijswijk Wonen", "benedenwoning", "betaalbaar_laag", "600,00", "statushouder", "", "statushouders", "buitenland", "", "paar_met_kinderen", "35-54"],
        ["V006", "30-09-2023", "GM1783", "", "Arcade", "eengezinswoning", "duur", "880,00", "loting", "", "geen", "GM1783", "", "paar_met_kinderen", "35-54"],
        ["V007", "15-01-2024", "GM1842", "", "Vestia", "meergezins_zonder_lift", "goedkoop", "470,00", "urgentie", "uitstroom_detentie", "uitstroom_detentie", "GM1842", "", "eenpersoons", "23-34"],
        ["V008", "20-05-2024", "GM1926", "", "Vestia", "eengezinswoning", "betaalbaar_hoog", "731,00", "direct_te_huur", "", "geen", "GM0599", "", "overig", "55-64"],
        ["V009", "08-08-2024", "GM0629", "", "Wassenaarsche Bouwstichting", "seniorenwoning", "betaalbaar_laag", "640,00", "regulier", "", "ouderen", "GM0629", "", "paar_zonder_kinderen", "65-74"],
        ["V010", "03-03-2025", "GM0518", "WK051802", "Haag Wonen", "onzelfstandig", "goedkoop", "390,00", "uitstroom", "", "uitstroom_mo", "GM0518", "", "eenpersoons", "23-34"],
        ["V011", "22-07-2025", "GM0503", "", "DUWO", "onzelfstandig", "goedkoop", "420,00", "regulier", "", "studenten", "onbekend", "", "eenpersoons", "18-22"],
        ["V012", "31-12-2025", "GM0518", "", "Haag Wonen", "woonwagen", "goedkoop", "310,00", "bemiddeling_overig", "", "woonwagenbewoners", "GM0518", "", "paar_met_kinderen", "35-54"],
    ]


WAITING_HEADER = ("inschrijfduur", "zoekduur", "reacties")


def waiting_times() -> list[list[str]]:
    """Inschrijfduur and zoekduur (months) and reacties for the twelve lettings, in order; the
    direct mediations (V004, V005, V010, V012) have no zoekduur and no advert."""
    return [
        ["96", "40", "250"],  # V001 regulier, geen, GM0518 2021
        ["5", "3", "120"],  # V002 urgentie, beperking, GM0503 2021
        ["60", "20", "80"],  # V003 lokaal_maatwerk, ouderen, GM0637 2022
        ["4", "", ""],  # V004 uitstroom, vrouwenopvang, GM1916 2022
        ["2", "", ""],  # V005 statushouder, GM0603 2023
        ["30", "12", "400"],  # V006 loting, geen, GM1783 2023
        ["7", "4", "150"],  # V007 urgentie, detentie, GM1842 2024
        ["18", "1", "25"],  # V008 direct_te_huur, geen, GM1926 2024
        ["110", "50", "300"],  # V009 regulier, ouderen, GM0629 2024
        ["3", "", ""],  # V010 uitstroom, mo, GM0518 2025
        ["24,5", "6", "200"],  # V011 regulier, studenten, GM0503 2025
        ["9", "", ""],  # V012 bemiddeling_overig, woonwagenbewoners, GM0518 2025
    ]


def with_waiting_times(header: list[str], rows: list[list[str]]) -> None:
    """Add the optional waiting-time columns to the lettings (an edit for `rewrite`)."""
    header.extend(WAITING_HEADER)
    for row, extra in zip(rows, waiting_times(), strict=True):
        row.extend(extra)


def household_sizes() -> list[str]:
    """Persons per household for the twelve lettings, in order, fitting their huishoudtype."""
    return ["1", "4", "1", "3", "5", "3", "1", "2", "2", "1", "1", "4"]  # V005: statushouders


def with_household_sizes(header: list[str], rows: list[list[str]]) -> None:
    """Add the optional column aantal_personen to the lettings (an edit for `rewrite`)."""
    header.append("aantal_personen")
    for row, size in zip(rows, household_sizes(), strict=True):
        row.append(size)


def more_statushouders(header: list[str], rows: list[list[str]]) -> None:
    """Household sizes and two more lettings to statushouders: V013 in Rijswijk in the second
    half of 2023 (1 person), V014 in 's-Gravenhage in the first half of 2024 (3 persons)."""
    with_household_sizes(header, rows)
    rows.append(["V013", "02-10-2023", "GM0603", "", "Rijswijk Wonen", "meergezins_lift",
                 "goedkoop", "450,00", "statushouder", "", "statushouders", "buitenland", "",
                 "eenpersoons", "23-34", "1"])
    rows.append(["V014", "15-03-2024", "GM0518", "", "Staedion", "meergezins_zonder_lift",
                 "betaalbaar_laag", "610,00", "statushouder", "", "statushouders", "buitenland",
                 "", "eenoudergezin", "35-54", "3"])


TASK_HEADER = ("gemeente", "jaar", "halfjaar", "taakstelling")
TASK_FILE = "taakstelling_statushouders.csv"


def task_rows() -> list[list[str]]:
    """The statushouder task for both half years of 2023 and the first of 2024: 10, 12 and 15
    persons per gemeente, Rijswijk 20 and 22 in 2023 and 's-Gravenhage 30 in 2024."""
    special = {("GM0603", "2023", "1"): "20", ("GM0603", "2023", "2"): "22",
               ("GM0518", "2024", "1"): "30"}
    usual = {("2023", "1"): "10", ("2023", "2"): "12", ("2024", "1"): "15"}
    return [[g, jaar, half, special.get((g, jaar, half), task)]
            for (jaar, half), task in usual.items() for g in REGION]


def write_task(folder: Path, rows: list[list[str]] | None = None) -> Path:
    """The optional task file in `folder` (the hand-written rows unless `rows` is given)."""
    return write_csv(folder / TASK_FILE, TASK_HEADER, task_rows() if rows is None else rows)


# The optional inputs of next year's verdeelmodel: 2026, the year after the lettings.
FORECAST_YEAR = "2026"
FORECAST_HEADERS = {
    "prognose_mutaties": ("gemeente", "jaar", "verwachte_mutaties"),
    "prognose_vraag": ("gemeente", "doelgroep", "jaar", "aantal"),
    "reeds_toegezegd": ("gemeente", "jaar", "aantal"),
}
FORECAST_FILES = {"prognose_mutaties": "prognose_mutaties.csv",
                  "prognose_vraag": "prognose_vraag.csv",
                  "reeds_toegezegd": "reeds_toegezegd.csv"}


def forecast_rows(source: str) -> list[list[str]]:
    """2026 for every gemeente, in REGION order (line N of the CSV is row N-2 here).
    prognose_mutaties: 's-Gravenhage 3.400, the others 100 + 10 × position; prognose_vraag:
    uitstroom_mo 2 + position and ouderen 5 (not on the spoor verdeelafspraak) for Delft and
    's-Gravenhage, only uitstroom_mo (0) for the others; reeds_toegezegd: position."""
    if source == "prognose_mutaties":
        return [[g, FORECAST_YEAR, "3.400" if g == "GM0518" else str(100 + 10 * i)]
                for i, g in enumerate(REGION)]
    if source == "prognose_vraag":
        rows = []
        for i, g in enumerate(REGION):
            rows.append([g, "uitstroom_mo", FORECAST_YEAR, str(2 + i) if i < 2 else "0"])
            if i < 2:
                rows.append([g, "ouderen", FORECAST_YEAR, "5"])
        return rows
    return [[g, FORECAST_YEAR, str(i)] for i, g in enumerate(REGION)]


def write_forecast(folder: Path, source: str, rows: list[list[str]] | None = None) -> Path:
    """One optional forecast file in `folder` (the hand-written rows unless `rows` is given)."""
    return write_csv(folder / FORECAST_FILES[source], FORECAST_HEADERS[source],
                     forecast_rows(source) if rows is None else rows)


def voorraad_rows() -> list[list[str]]:
    return [[g, str(y), "1.200", "75"] for g in REGION for y in YEARS]


def ppm_rows() -> list[list[str]]:
    return [
        ["GM0518", "ouderen", "2024", "opgave", "300", "woningen"],
        ["GM0518", "ouderen", "2024", "opgeleverd", "120", "woningen"],
        ["GM0503", "uitstroom_bw", "2026", "harde_plancapaciteit", "24", "plaatsen"],
        ["GM0629", "woonwagenbewoners", "2025", "opgave", "3", "standplaatsen"],
    ]


def cbs_rows() -> list[list[str]]:
    return [[g, str(y), "50.000", "23.000"] for g in REGION for y in YEARS]


HEADERS = {
    "verhuringen": VERHURINGEN_HEADER,
    "voorraad": ("gemeente", "jaar", "sociale_huurvoorraad", "mutaties"),
    "ppm": ("gemeente", "doelgroep", "jaar", "fase", "aantal", "eenheid"),
    "cbs": ("gemeente", "jaar", "inwoners", "huishoudens"),
}
ROWS = {"verhuringen": verhuringen_rows, "voorraad": voorraad_rows, "ppm": ppm_rows,
        "cbs": cbs_rows}
FILE_NAMES = {"verhuringen": "svh_verhuringen.csv", "voorraad": "svh_voorraad.csv",
              "ppm": "ppm_woonopgave.csv", "cbs": "cbs_kerncijfers.csv"}


def write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable[str]], *,
              delimiter: str = ";", encoding: str = "utf-8", title_lines: Iterable[str] = ()
              ) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        for line in title_lines:
            handle.write(line + "\r\n")
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_valid_raw(folder: Path) -> dict[str, Path]:
    """All four sources as valid CSV files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return {source: write_csv(folder / FILE_NAMES[source], HEADERS[source], ROWS[source]())
            for source in HEADERS}
