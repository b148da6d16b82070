"""Data exports (the indicator table and the verdeelmodel's results, as Parquet, CSV or a
workbook's data sheet), row by row: small counts, values beside a hidden status, rates and
medians over a too small noemer, and rates, medians or indices shown while the figure they rest
on is hidden."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.config import DisclosureSettings
from analysis.disclosure import SHOWN, small
from analysis.formulas import unescape_frame
from analysis.indicators.catalogue import Protection, catalogue
from analysis.indicators.table import ALLE
from analysis.model.config import MODEL_SPOOR
from analysis.protection import (
    HIDDEN_COLUMNS,
    KEY,
    MODEL_COUNTS,
    MODEL_DERIVED,
    STATUS_COLUMN,
    measure_cells,
)
from analysis.report.leaks.finding import Finding
from analysis.report.leaks.values import as_codes, as_numbers, as_text

VALUE_COLUMNS = ("waarde", "teller", "noemer")  # emptied where a row is hidden
MODEL_CELLS = (*MODEL_COUNTS, *MODEL_DERIVED, "grensruimte")
Where = Callable[[int, str], str]  # (row position, column) → place in the file


@dataclass(frozen=True)
class DataFile:
    """A table of an export as read, with how to name a row and column in it."""

    name: str
    frame: pd.DataFrame
    where: Where

    @property
    def kind(self) -> str | None:
        """'indicatoren', 'verdeelmodel' or None (not a data export)."""
        columns = set(self.frame.columns)
        if {"indicator", "waarde"} <= columns:
            return "indicatoren"
        if {"jaar", "gemeente"} <= columns and columns & set(MODEL_COUNTS):
            return "verdeelmodel"
        return None

    @cached_property
    def normal(self) -> pd.DataFrame:
        """The export as numbers and codes, whichever format wrote it: `indicator_frame`, all
        that an indicator export's findings follow from, or the model's cells (`model_cells`),
        all that its part in the relations follows from."""
        return (indicator_frame(self.frame) if self.kind == "indicatoren"
                else model_cells(self.frame))

    def reads_as(self, other: DataFile) -> bool:
        """Whether both are the same export in `normal` (value, type and order): then what
        follows from it is the same, but for names and places."""
        return self.kind == other.kind and self.normal.equals(other.normal)


def read_data(name: str, path: Path) -> DataFile:
    if path.suffix == ".parquet":
        return DataFile(name, pd.read_parquet(path), lambda r, c: f"rij {r + 1}, kolom {c}")
    return DataFile(name, _read_csv(path), lambda r, c: f"regel {r + 2}, kolom {c}")


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV as the exports write it (semicolons, decimal comma, BOM, text that looks like a
    formula escaped) or with commas."""
    with path.open(encoding="utf-8-sig") as file:
        first = file.readline()
    sep = ";" if first.count(";") >= first.count(",") else ","
    return unescape_frame(pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False,
                                      na_values=[""], encoding="utf-8-sig"))


def protections_by_id() -> dict[str, Protection]:
    return {i.id: i.bescherming for i in catalogue().values()}


def indicator_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns this check uses, normalised; `hidden` where a reader sees no value."""
    out = pd.DataFrame({c: as_codes(frame[c]) for c in ["indicator", *KEY] if c in frame})
    for column in VALUE_COLUMNS:
        if column in frame:
            out[column] = as_numbers(frame[column])
    status = (as_codes(frame[STATUS_COLUMN]) if STATUS_COLUMN in frame
              else pd.Series(SHOWN, index=frame.index))
    out["status_hidden"] = (status != SHOWN).to_numpy()
    out["hidden"] = out["status_hidden"] | out["waarde"].isna()
    return out.reset_index(drop=True)


def model_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """The cells of the model's results, keyed as `protection` keys them; NaN where hidden."""
    parts = []
    listed = (as_codes(frame[HIDDEN_COLUMNS]) if HIDDEN_COLUMNS in frame
              else pd.Series("", index=frame.index))
    # A prognosis names its period apart from the monitor years, as protection keys it.
    periode = as_codes(frame["periode"] if "periode" in frame else frame["jaar"])
    if "scenario" in frame:  # a scenario comparison: each scenario's figures are its own cells
        periode = periode + " · " + as_codes(frame["scenario"])
    periode = periode.to_numpy()
    for column in MODEL_CELLS:
        if column not in frame:
            continue
        value = as_numbers(frame[column]).reset_index(drop=True)
        named = listed.map(lambda text, c=column: c in (s.strip() for s in text.split(",")))
        parts.append(pd.DataFrame({
            "reeks": column, "gebiedsniveau": "gemeente",
            "gebied": as_codes(frame["gemeente"]).to_numpy(),
            "periode": periode, "doelgroep": MODEL_SPOOR,
            "categorie": ALLE, "value": value.where(~named.to_numpy()).to_numpy(),
            "row": np.arange(len(frame)), "column": column}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def count_rows(frame: pd.DataFrame, protections: dict[str, Protection]) -> pd.DataFrame:
    """The rows that are cells of a count series (counts and differences), keyed as
    `protection` keys them: the series `reeks`, and categorie = gebied where the catalogue
    says so."""
    soort = frame["indicator"].map(lambda i: protections[i].soort if i in protections else "")
    rows = frame[soort.isin(["aantal", "verschil"])]
    reeks = rows["indicator"].map(lambda i: protections[i].reeks or i)
    by_area = rows["indicator"].map(lambda i: protections[i].categorie == "gebied")
    return rows.assign(reeks=reeks, categorie=rows["categorie"].where(~by_area, rows["gebied"]))


def describe(row: pd.Series | dict) -> str:
    return (f"{row['reeks']} ({row['gebiedsniveau']} {row['gebied']}, {row['periode']}, "
            f"doelgroep {row['doelgroep']}, categorie {row['categorie']})")


def indicator_findings(rows: pd.DataFrame, rule: DisclosureSettings
                       ) -> list[tuple[int, str, str]]:
    """(row, column, message) for every row of an indicator export (`indicator_frame`) that
    shows a small count, a value beside a hidden status, a rate or maat with a too small
    noemer, or a rate, maat or index whose count is hidden."""
    protections = protections_by_id()
    soort = rows["indicator"].map(lambda i: protections[i].soort if i in protections else "")
    counted = soort.isin(["aantal", "aandeel"])
    hits: list[tuple[int, str, str]] = []

    def add(mask: pd.Series, column: str, message: Callable[[pd.Series], str]) -> None:
        hits.extend((int(i), column, message(row)) for i, row in rows[mask].iterrows())

    add((soort == "aantal") & pd.Series(small(rows["waarde"], rule.kleinste_aantal)), "waarde",
        lambda r: f"aantal {as_text(r['waarde'])} bij '{r['indicator']}' is een klein aantal "
                  f"huishoudens (1 tot {rule.kleinste_aantal})")
    if "teller" in rows:
        add(counted & pd.Series(small(rows["teller"], rule.kleinste_aantal)), "teller",
            lambda r: f"teller {as_text(r['teller'])} bij '{r['indicator']}' is een klein aantal "
                      f"huishoudens (1 tot {rule.kleinste_aantal})")
    if "noemer" in rows:
        add(soort.isin(["aandeel", "maat"]) & ~rows["hidden"]
            & (rows["noemer"] < rule.kleinste_noemer),
            "waarde", lambda r: f"'{r['indicator']}' getoond bij een noemer van "
                                f"{as_text(r['noemer'])} (minder dan {rule.kleinste_noemer})")
    for column in VALUE_COLUMNS:
        if column in rows:
            add(rows["status_hidden"] & rows[column].notna(), column,
                lambda r, c=column: f"status afgeschermd, maar {c} {as_text(r[c])} staat er")
    hits += _rates_of_hidden(rows, soort, protections)
    return hits


def _rates_of_hidden(rows: pd.DataFrame, soort: pd.Series,
                     protections: dict[str, Protection]) -> list[tuple[int, str, str]]:
    """Rates shown while the count they divide is hidden, and indices shown while the
    indicator they follow is hidden: each gives the hidden figure away."""
    counts = count_rows(rows, protections)[["reeks", *KEY, "hidden"]]
    rates = rows[(soort == "aandeel") & ~rows["hidden"]]
    reeks = rates["indicator"].map(lambda i: protections[i].reeks)
    by_area = rates["indicator"].map(lambda i: protections[i].categorie == "gebied")
    wanted = rates[KEY].assign(reeks=reeks, row=rates.index, indicator=rates["indicator"],
                               categorie=rates["categorie"].where(~by_area, rates["gebied"]))
    given = wanted[reeks.notna()].merge(counts[counts["hidden"]], on=["reeks", *KEY])
    hits = [(int(r["row"]), "waarde", f"'{r['indicator']}' getoond, terwijl het aantal "
                                      f"{describe(r)} is afgeschermd: het geeft dat aantal "
                                      "prijs")
            for _, r in given.iterrows()]
    measures = rows[(soort == "maat") & ~rows["hidden"]]
    if len(measures):
        rested = pd.concat([measure_cells(protections[i], group[KEY]).assign(
            row=group.index, indicator=i) for i, group in measures.groupby("indicator")])
        given = rested.merge(counts[counts["hidden"]], on=["reeks", *KEY])
        hits += [(int(r["row"]), "waarde", f"'{r['indicator']}' getoond, terwijl het aantal "
                                           f"waarop het rust, {describe(r)}, is afgeschermd")
                 for _, r in given.iterrows()]
    followers = rows[(soort == "volgt") & ~rows["hidden"]]
    followed = followers[KEY].assign(
        indicator=followers["indicator"].map(lambda i: protections[i].volgt),
        follower=followers["indicator"], row=followers.index)
    given = followed.merge(rows.loc[rows["hidden"], ["indicator", *KEY]],
                           on=["indicator", *KEY])
    hits += [(int(r["row"]), "waarde", f"'{r['follower']}' getoond, terwijl '{r['indicator']}' "
                                       "voor dezelfde cel is afgeschermd")
             for _, r in given.iterrows()]
    return hits


def model_findings(frame: pd.DataFrame, rule: DisclosureSettings
                   ) -> list[tuple[int, str, str]]:
    """(row, column, message) for small household counts in the verdeelmodel's results and
    values in columns the row lists as hidden."""
    hits = []
    for column in MODEL_COUNTS:
        if column not in frame:
            continue
        values = as_numbers(frame[column])
        for i in np.flatnonzero(small(values, rule.kleinste_aantal)):
            hits.append((int(i), column, f"{column} {as_text(values.iloc[i])} is een klein aantal "
                                         f"huishoudens (1 tot {rule.kleinste_aantal})"))
    if HIDDEN_COLUMNS in frame:
        for i, listed in enumerate(as_codes(frame[HIDDEN_COLUMNS])):
            for column in (c.strip() for c in listed.split(",") if c.strip()):
                value = as_numbers(frame[column].iloc[[i]]).iloc[0] if column in frame else np.nan
                if not np.isnan(value):
                    hits.append((i, column, f"{column} staat in '{HIDDEN_COLUMNS}', maar de "
                                            f"waarde {as_text(value)} staat er"))
    return hits


def data_findings(data: DataFile, rule: DisclosureSettings) -> list[Finding]:
    hits = (indicator_findings(data.normal, rule) if data.kind == "indicatoren"
            else model_findings(data.frame, rule))
    return [Finding(data.name, data.where(row, column), message)
            for row, column, message in hits]
