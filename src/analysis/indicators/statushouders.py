"""Statushouders against their task: the national taakstelling (persons per gemeente and half
year), the persons housed through lettings to statushouders (the household size of each
letting) and the realisation, the persons housed as a percentage of the task.

A task counts persons, lettings count households; only the household size turns one into the
other. So without the lettings column `aantal_personen` there are no persons and no realisation
(the lettings to statushouders in households are the indicator `verhuringen`, doelgroep
statushouders), and without the task file no task and no realisation.

Rows per half year ('2025-H1', `analysis.periods`), per year and over the period. A task file
may hold only some half years: a year has a task only when both its half years have one, the
period only when every year has one, since half a year's task beside a whole year's lettings
would read as a shortfall."""

from __future__ import annotations

import pandas as pd

from analysis.config import RegionConfig
from analysis.context import Context
from analysis.indicators.table import period_label, roll_up, roll_up_within
from analysis.periods import Period

PERSONS = "statushouders_gehuisvest_personen"
TASK = "taakstelling_statushouders"
REALISATION = "realisatie_taakstelling_statushouders"
DOELGROEP = "statushouders"
HALF_YEARS = (1, 2)
PART = ["gemeente", "jaar", "halfjaar"]  # the grain of the task, and of every part below


def compute(ctx: Context) -> list[pd.DataFrame]:
    region = ctx.region
    persons = housed(ctx.lettings)
    task = None if ctx.taakstelling_statushouders is None else \
        task_parts(ctx.taakstelling_statushouders, region)
    if task is not None and task.empty:  # delivered, but for no half year of the period
        task = None
    rows = []
    if persons is not None:
        rows.append(_rows(persons, PERSONS, region))
    if task is not None:
        rows.append(_rows(task, TASK, region))
    if persons is not None and task is not None:
        realised = persons.merge(task.rename(columns={"teller": "noemer"}), on=PART)
        rows.append(_rows(realised, REALISATION, region))
    return rows


def housed(lettings: pd.DataFrame) -> pd.DataFrame | None:
    """Persons in lettings to statushouders per gemeente and half year of the period, zeros
    included; None when the lettings have no household size at all (column not delivered)."""
    sizes = lettings["aantal_personen"]
    if sizes.isna().all():
        return None
    rows = lettings[lettings["doelgroep"] == DOELGROEP]
    halfjaar = pd.Categorical((rows["datum_verhuring"].dt.month - 1) // 6 + 1,
                              categories=list(HALF_YEARS))
    summed = (rows["aantal_personen"].astype("float64")
              .groupby([rows["gemeente"], rows["jaar"], halfjaar], observed=False).sum()
              .rename("teller").reset_index())
    summed.columns = [*PART, "teller"]
    return summed.astype({"gemeente": str, "jaar": int, "halfjaar": int})


def task_parts(task: pd.DataFrame, region: RegionConfig) -> pd.DataFrame:
    """The delivered task per gemeente and half year of the period, as a 'teller'."""
    rows = task[task["jaar"].isin(region.jaren)]
    return (rows[[*PART, "taakstelling"]].rename(columns={"taakstelling": "teller"})
            .astype({"gemeente": str, "jaar": int, "halfjaar": int, "teller": "float64"})
            .reset_index(drop=True))


def _rows(parts: pd.DataFrame, indicator: str, region: RegionConfig) -> pd.DataFrame:
    """Gemeente × half-year parts (PART, teller [, noemer]) → rows for gemeente and region per
    half year, per year with both half years and over the period when every year has them."""
    parts = parts.assign(doelgroep=DOELGROEP, categorie="alle")
    labels = [Period(jaar, "halfjaar", nummer).label
              for jaar, nummer in zip(parts["jaar"], parts["halfjaar"], strict=True)]
    half_years = roll_up_within(parts.assign(periode=labels).drop(columns=["jaar", "halfjaar"]),
                                indicator, region)
    # A year (and the period) only from complete years: every gemeente has both half years
    # (the contract makes a delivered half year hold every gemeente).
    per_year = parts.groupby("jaar")["halfjaar"].nunique()
    whole = [int(j) for j in per_year.index[per_year == len(HALF_YEARS)]]
    value_columns = [c for c in ("teller", "noemer") if c in parts]
    years = (parts[parts["jaar"].isin(whole)]
             .groupby(["gemeente", "jaar", "doelgroep", "categorie"], as_index=False)
             [value_columns].sum())
    if years.empty:
        return half_years
    yearly = roll_up(years, indicator, region)
    if sorted(whole) != list(region.jaren):
        yearly = yearly[yearly["periode"] != period_label(region.jaren)]
    return pd.concat([half_years, yearly], ignore_index=True)
