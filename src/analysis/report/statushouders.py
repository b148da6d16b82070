"""Statushouders against their task, for the regional report and the appendix: the national
taakstelling (persons per half year), the persons housed through lettings to statushouders,
the realisation and the lettings in households, per gemeente or per half year, with the
sentences that go with them.

The task counts persons, lettings count households; only the household size of each letting
turns one into the other. Both inputs are optional: the task file (its indicator then has no
rows and the ingest manifest lists it as not delivered) and the lettings column
`aantal_personen` (no persons and no realisation). The sentences say which is missing instead
of setting households against persons. Within the year only the task, the persons and the
realisation exist: the lettings in households are counted per year (`verhuringen`)."""

from __future__ import annotations

import pandas as pd

from analysis import periods
from analysis.periods import Period
from analysis.report.data import ReportData
from analysis.report.shared import not_published, shown, with_codes
from analysis.tables import fmt_value, listing, md_text

TASK = "taakstelling_statushouders"
PERSONS = "statushouders_gehuisvest_personen"
REALISATION = "realisatie_taakstelling_statushouders"
INDICATORS = (TASK, PERSONS, REALISATION)  # for the glossary
SOURCE = "taakstelling_statushouders"  # the optional source (contract id in the manifest)
DOELGROEP = "statushouders"
LETTINGS = "verhuringen"  # in households, per year: doelgroep statushouders
COLUMNS = {TASK: "Taakstelling (personen)", PERSONS: "Gehuisvest via verhuringen (personen)",
           REALISATION: "Realisatie (%)", LETTINGS: "Verhuringen (huishoudens)"}
FORMATS = {COLUMNS[TASK]: "personen", COLUMNS[PERSONS]: "personen",
           COLUMNS[REALISATION]: "procent", COLUMNS[LETTINGS]: "verhuringen"}  # see `formats`
HALF = {1: "eerste", 2: "tweede"}

NOT_DELIVERED = ("De taakstelling voor statushouders is niet aangeleverd; de huisvesting van "
                 "statushouders is daarom niet met hun taakstelling te vergelijken.")
NO_SIZES = ("De verhuurgegevens bevatten geen aantal personen per huishouden: alleen het aantal "
            "huishoudens is bekend, daarom is geen realisatiepercentage berekend. De "
            "taakstelling telt personen, geen huishoudens.")
ELSEWHERE = ("Alleen verhuringen van corporaties tellen mee: statushouders die op een andere "
             "manier een woning kregen, of die zich bij een al gehuisvest gezinslid voegden, "
             "ziet deze bron niet.")


def formats(frame: pd.DataFrame) -> dict[str, str]:
    """The unit of each figure column of `table` or `half_year_table`, for `show.table`."""
    return {column: unit for column, unit in FORMATS.items() if column in frame.columns}


def task_delivered(data: ReportData) -> bool:
    """Whether the indicator table has a task, for at least one half year of the period."""
    return not data.rows(TASK).empty


def sizes_delivered(data: ReportData) -> bool:
    """Whether the lettings have the household size (so persons housed and a realisation)."""
    return not data.rows(PERSONS).empty


def _half_year(label: str) -> Period | None:
    """The half year a label such as '2025-H1' names; None for a year, quarter or period."""
    part = periods.part(label)
    return part if part is not None and part.eenheid == "halfjaar" else None


def task_half_years(data: ReportData) -> list[str]:
    """The half years of the period with a task ('2024-H1', …), in order."""
    labels = data.rows(TASK, gebiedsniveau="regio")["periode"]
    return sorted({label for label in labels if _half_year(label)}, key=_half_year)


def default_period(data: ReportData) -> str:
    """What the table and sentences show without a choice: the last year with a task, else the
    last half year with one, and without a task the last year of the period."""
    with_task = set(data.rows(TASK, gebiedsniveau="regio")["periode"])
    years = [str(j) for j in data.region.jaren if str(j) in with_task]
    if years:
        return years[-1]
    halves = task_half_years(data)
    return halves[-1] if halves else data.last_year


def half_year_text(label: str) -> str:
    """'2025-H1' → 'het eerste halfjaar van 2025'."""
    part = _half_year(label)
    if part is None:
        raise ValueError(f"geen halfjaar: {label!r}")
    return f"het {HALF[part.nummer]} halfjaar van {part.jaar}"


def period_name(periode: str) -> str:
    """A period as a caption or table names it: '2025', '2021-2025', 'eerste halfjaar van
    2025'."""
    return half_year_text(periode).removeprefix("het ") if _half_year(periode) else periode


def _when(periode: str) -> str:
    """'in 2025', 'in het eerste halfjaar van 2025', 'in 2021-2025'."""
    return f"in {half_year_text(periode)}" if _half_year(periode) else f"in {periode}"


def _ranges(labels: list[str]) -> list[list[str]]:
    """Consecutive half years grouped: 2023-H2, 2024-H1, 2025-H2 → two ranges."""
    groups: list[list[str]] = []
    previous = None
    for label in labels:
        part = _half_year(label)
        number = None if part is None else part.jaar * 2 + part.nummer
        if previous is not None and number == previous + 1:
            groups[-1].append(label)
        else:
            groups.append([label])
        previous = number
    return groups


def coverage_text(data: ReportData) -> str:
    """For which half years of the period there is a task, when not for all of them ('' when
    every half year has one, or none does)."""
    labels = task_half_years(data)
    every = [Period(j, "halfjaar", n).label for j in data.region.jaren for n in HALF]
    if not labels or labels == every:
        return ""
    spans = [half_year_text(group[0]) if len(group) == 1 else
             f"{half_year_text(group[0])} tot en met {half_year_text(group[-1])}"
             for group in _ranges(labels)]
    listed = listing(spans)
    return (f"De aangeleverde taakstelling geldt voor {listed}; voor de andere halfjaren van "
            f"{data.period} is geen taakstelling aangeleverd, en een jaar heeft alleen een "
            "taakstelling als beide halfjaren er een hebben.")


def absent_text(data: ReportData) -> str:
    """What the section says of a missing input ('' when the task and the sizes are there)."""
    if SOURCE in data.manifest.get("niet_aangeleverd", {}):
        return NOT_DELIVERED
    if not task_delivered(data):
        return (f"De aangeleverde taakstelling voor statushouders bevat geen halfjaar van "
                f"{data.period}; de huisvesting van statushouders is daarom niet met hun "
                "taakstelling te vergelijken.")
    return "" if sizes_delivered(data) else NO_SIZES


def _figures(data: ReportData, indicator: str, periode: str) -> pd.Series | None:
    """One indicator per gebied (gemeenten, then the region) for a period; None without rows
    (no input for it, or no task in that period). Hidden figures are NaN."""
    series = data.values(indicator, periode=periode, doelgroep=DOELGROEP)
    return series if len(series) else None


def table(data: ReportData, periode: str | None = None) -> pd.DataFrame:
    """Per gemeente and the region for one year, half year or the period (default
    `default_period`): the task, the persons housed through lettings, the realisation and the
    lettings in households. A column is left out where its figures do not exist: without a
    task in that period, without household sizes, and the households within the year."""
    periode = periode or default_period(data)
    gebieden = [*data.region.gemeenten, data.region.naam]
    frame = pd.DataFrame({"Gemeente": [data.gemeente_name(g) for g in gebieden]})
    for indicator, column in COLUMNS.items():
        figures = _figures(data, indicator, periode)
        if figures is not None:
            frame[column] = figures.reindex(gebieden).to_numpy(dtype="float64")
    return with_codes(frame, "Gemeente", gebieden)


def half_year_table(data: ReportData, gemeente: str | None = None) -> pd.DataFrame:
    """Per half year with a task, for the region or one gemeente: the task, the persons housed
    through lettings and the realisation (the last two only with household sizes). No rows
    without a task."""
    gebied = gemeente or data.region.naam
    labels = task_half_years(data)
    frame = pd.DataFrame({"Halfjaar": [period_name(label) for label in labels]})
    for indicator in (TASK, PERSONS, REALISATION):
        rows = data.rows(indicator, gebied=gebied, doelgroep=DOELGROEP).set_index("periode")
        if len(rows):
            frame[COLUMNS[indicator]] = rows["waarde"].reindex(labels).to_numpy(dtype="float64")
    return frame


def _value(data: ReportData, indicator: str, gebied: str, periode: str) -> float | None:
    """One figure: its value, NaN where hidden, None where there is none (no row)."""
    rows = data.rows(indicator, gebied=gebied, periode=periode, doelgroep=DOELGROEP)
    return None if rows.empty else float(rows["waarde"].iloc[0])


def _count(value: float, singular: str, plural: str) -> str:
    """'1 persoon', '1.728 personen', 'geen personen'."""
    if value == 0:
        return f"geen {plural}"
    return f"{fmt_value(value, 'personen')} {singular if value == 1 else plural}"


def summary(data: ReportData, gemeente: str | None = None, periode: str | None = None) -> str:
    """The section's sentences for the region or one gemeente in one period (default
    `default_period`): the task, the persons and households housed through lettings and the
    realisation; which half years the task covers; what is missing."""
    periode = periode or default_period(data)
    gebied = gemeente or data.region.naam
    name, when = md_text(data.gemeente_name(gebied)), _when(periode)
    task = _value(data, TASK, gebied, periode)
    persons = _value(data, PERSONS, gebied, periode)
    realised = _value(data, REALISATION, gebied, periode)
    households = _value(data, LETTINGS, gebied, periode)
    sentences = []
    if task is not None:
        subject = (f"De gemeenten van {name} hadden {when} samen" if gemeente is None
                   else f"{name} had {when}")
        sentences.append(f"{subject} een taakstelling van {_count(task, 'persoon', 'personen')} "
                         "voor de huisvesting van statushouders.")

    def housed(count: float, what: str) -> str:
        # After the task's sentence the place and time are known; without it they are said.
        verb = "kreeg" if count == 1 else "kregen"
        if task is not None:
            return f"Via verhuringen van corporaties {verb} {what} een woning"
        return f"In {name} {verb} {when} via verhuringen van corporaties {what} een woning"

    if persons is not None and not shown(persons):
        sentences.append(not_published(f"Het aantal statushouders dat {when} in {name} via "
                                       "verhuringen een woning kreeg,"))
    elif persons is not None:
        what = (_count(persons, "persoon", "personen") if persons else "geen statushouders")
        if persons and households is not None and shown(households):
            what += f" in {_count(households, 'huishouden', 'huishoudens')}"
        share = (f": {fmt_value(realised, 'procent')} van de taakstelling"
                 if realised is not None and shown(realised) else "")
        sentences.append(f"{housed(persons, what)}{share}.")
        if realised is not None and not shown(realised):
            sentences.append(not_published("Het realisatiepercentage"))
    elif households is not None:
        sentences.append(
            housed(households, _count(households, "huishouden", "huishoudens")
                   + " van statushouders") + "."
            if shown(households) else
            not_published(f"Het aantal verhuringen aan statushouders {when} in {name}"))
    if realised is not None:
        sentences.append(ELSEWHERE)
    return " ".join(s for s in [*sentences, coverage_text(data), absent_text(data)] if s)
