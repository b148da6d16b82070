"""`woonzorg openbaarheid`: does any published file give a small count of households away?

`protection` decides what is hidden; this check reads what was actually written, as a reader
would, so that a document, chart or export that shows a hidden cell, or lets one be worked out,
is caught before publication. It reads:

- data exports (a column `indicator`, and the verdeelmodel's results): small counts, values
  beside a hidden status, rates that give their hidden count away, and hidden cells that the
  published totals give away (`disclosure.exposed`, repeated: a cell worked out from one total
  is known for the next);
- tables (tabellenboeken and other workbooks, DOCX, HTML, PDF): a small whole number in a
  column, row or table of household counts;
- text (PDF per page, DOCX, HTML): a small number followed by a household noun;
- the Plotly figures of the HTML documents: small numbers of households in the data, and NaN.

The rules for tables, text and figures follow how the documents write; they aim to be precise
(every finding deserves a look) rather than complete.
"""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.utils import column_index_from_string, get_column_letter

from analysis.config import DisclosureSettings, RegionConfig
from analysis.disclosure import SHOWN, exposed, small
from analysis.indicators.catalogue import Protection, catalogue
from analysis.indicators.table import ALLE
from analysis.model.config import MODEL_SPOOR, VerdeelmodelConfig
from analysis.protection import (
    HIDDEN_COLUMNS,
    KEY,
    MODEL_COUNTS,
    MODEL_DERIVED,
    STATUS_COLUMN,
    relations,
    rule_text,
)
from analysis.tables import SUPPRESSED_NOTE

MODEL_CELLS = (*MODEL_COUNTS, *MODEL_DERIVED, "grensruimte")
VALUE_COLUMNS = ("waarde", "teller", "noemer")  # emptied where a row is hidden
COUNTED_UNITS = ("verhuringen", "huishoudens")  # catalogue units that are household counts
SHOWN_IN_MESSAGE = 3  # cells named per relation; the rest are counted


class LeakCheckError(Exception):
    """A file could not be read (message in Dutch)."""


@dataclass(frozen=True)
class Finding:
    file: str  # relative to the reports folder
    place: str  # page, sheet and cell, row and column, figure and trace
    message: str

    def __str__(self) -> str:
        return f"{self.file}, {self.place}: {self.message}"


@dataclass(frozen=True)
class Checked:
    findings: list[Finding]
    files: int


# --- Data exports ------------------------------------------------------------------------------

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


def _text(value: object) -> str:
    """A code as text; a whole number read from a workbook (2024.0) as 2024; a gap as ''."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _codes(values: pd.Series) -> pd.Series:
    """Codes as text, gaps as ''; whole numbers read from a workbook (2024.0) as 2024."""
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return values.astype(object).where(values.notna(), "").astype(str)
    return values.map(_text)


def _numbers(values: pd.Series) -> pd.Series:
    """Numbers from a column as any export writes them: floats, 'x' or empty for hidden,
    decimal commas in CSV."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    text = values.astype(str).str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _protections() -> dict[str, Protection]:
    return {i.id: i.bescherming for i in catalogue().values()}


def _indicator_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns this check uses, normalised; `hidden` where a reader sees no value."""
    out = pd.DataFrame({c: _codes(frame[c]) for c in ["indicator", *KEY] if c in frame})
    for column in VALUE_COLUMNS:
        if column in frame:
            out[column] = _numbers(frame[column])
    status = (_codes(frame[STATUS_COLUMN]) if STATUS_COLUMN in frame
              else pd.Series(SHOWN, index=frame.index))
    out["status_hidden"] = (status != SHOWN).to_numpy()
    out["hidden"] = out["status_hidden"] | out["waarde"].isna()
    return out.reset_index(drop=True)


def _count_rows(frame: pd.DataFrame, protections: dict[str, Protection]) -> pd.DataFrame:
    """The rows that are cells of a count series (counts and differences), keyed as
    `protection` keys them: the series `reeks`, and categorie = gebied where the catalogue
    says so."""
    soort = frame["indicator"].map(lambda i: protections[i].soort if i in protections else "")
    rows = frame[soort.isin(["aantal", "verschil"])]
    reeks = rows["indicator"].map(lambda i: protections[i].reeks or i)
    by_area = rows["indicator"].map(lambda i: protections[i].categorie == "gebied")
    return rows.assign(reeks=reeks, categorie=rows["categorie"].where(~by_area, rows["gebied"]))


def _describe(row: pd.Series | dict) -> str:
    return (f"{row['reeks']} ({row['gebiedsniveau']} {row['gebied']}, {row['periode']}, "
            f"doelgroep {row['doelgroep']}, categorie {row['categorie']})")


def indicator_findings(frame: pd.DataFrame, rule: DisclosureSettings
                       ) -> list[tuple[int, str, str]]:
    """(row, column, message) for every row of an indicator export that shows a small count, a
    value beside a hidden status, a rate with a too small noemer, or a rate or index whose
    count is hidden."""
    protections = _protections()
    rows = _indicator_frame(frame)
    soort = rows["indicator"].map(lambda i: protections[i].soort if i in protections else "")
    counted = soort.isin(["aantal", "aandeel"])
    hits: list[tuple[int, str, str]] = []

    def add(mask: pd.Series, column: str, message: Callable[[pd.Series], str]) -> None:
        hits.extend((int(i), column, message(row)) for i, row in rows[mask].iterrows())

    add((soort == "aantal") & pd.Series(small(rows["waarde"], rule.kleinste_aantal)), "waarde",
        lambda r: f"aantal {_text(r['waarde'])} bij '{r['indicator']}' is een klein aantal "
                  f"huishoudens (1 tot {rule.kleinste_aantal})")
    if "teller" in rows:
        add(counted & pd.Series(small(rows["teller"], rule.kleinste_aantal)), "teller",
            lambda r: f"teller {_text(r['teller'])} bij '{r['indicator']}' is een klein aantal "
                      f"huishoudens (1 tot {rule.kleinste_aantal})")
    if "noemer" in rows:
        add((soort == "aandeel") & ~rows["hidden"] & (rows["noemer"] < rule.kleinste_noemer),
            "waarde", lambda r: f"'{r['indicator']}' getoond bij een noemer van "
                                f"{_text(r['noemer'])} (minder dan {rule.kleinste_noemer})")
    for column in VALUE_COLUMNS:
        if column in rows:
            add(rows["status_hidden"] & rows[column].notna(), column,
                lambda r, c=column: f"status afgeschermd, maar {c} {_text(r[c])} staat er")
    hits += _rates_of_hidden(rows, soort, protections)
    return hits


def _rates_of_hidden(rows: pd.DataFrame, soort: pd.Series,
                     protections: dict[str, Protection]) -> list[tuple[int, str, str]]:
    """Rates shown while the count they divide is hidden, and indices shown while the
    indicator they follow is hidden: each gives the hidden figure away."""
    counts = _count_rows(rows, protections)[["reeks", *KEY, "hidden"]]
    rates = rows[(soort == "aandeel") & ~rows["hidden"]]
    reeks = rates["indicator"].map(lambda i: protections[i].reeks)
    by_area = rates["indicator"].map(lambda i: protections[i].categorie == "gebied")
    wanted = rates[KEY].assign(reeks=reeks, row=rates.index, indicator=rates["indicator"],
                               categorie=rates["categorie"].where(~by_area, rates["gebied"]))
    given = wanted[reeks.notna()].merge(counts[counts["hidden"]], on=["reeks", *KEY])
    hits = [(int(r["row"]), "waarde", f"'{r['indicator']}' getoond, terwijl het aantal "
                                      f"{_describe(r)} is afgeschermd: het geeft dat aantal "
                                      "prijs")
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
        values = _numbers(frame[column])
        for i in np.flatnonzero(small(values, rule.kleinste_aantal)):
            hits.append((int(i), column, f"{column} {_text(values.iloc[i])} is een klein aantal "
                                         f"huishoudens (1 tot {rule.kleinste_aantal})"))
    if HIDDEN_COLUMNS in frame:
        for i, listed in enumerate(_codes(frame[HIDDEN_COLUMNS])):
            for column in (c.strip() for c in listed.split(",") if c.strip()):
                value = _numbers(frame[column].iloc[[i]]).iloc[0] if column in frame else np.nan
                if not np.isnan(value):
                    hits.append((i, column, f"{column} staat in '{HIDDEN_COLUMNS}', maar de "
                                            f"waarde {_text(value)} staat er"))
    return hits


def _model_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """The cells of the model's results, keyed as `protection` keys them."""
    parts = []
    listed = (_codes(frame[HIDDEN_COLUMNS]) if HIDDEN_COLUMNS in frame
              else pd.Series("", index=frame.index))
    for column in MODEL_CELLS:
        if column not in frame:
            continue
        value = _numbers(frame[column]).reset_index(drop=True)
        named = listed.map(lambda text, c=column: c in (s.strip() for s in text.split(",")))
        parts.append(pd.DataFrame({
            "reeks": column, "gebiedsniveau": "gemeente",
            "gebied": _codes(frame["gemeente"]).to_numpy(),
            "periode": _codes(frame["jaar"]).to_numpy(), "doelgroep": MODEL_SPOOR,
            "categorie": ALLE, "value": value.where(~named.to_numpy()).to_numpy(),
            "row": np.arange(len(frame)), "column": column}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _noemer_cells(rows: pd.DataFrame, counts: pd.DataFrame, region: RegionConfig
                  ) -> pd.DataFrame:
    """The noemers that are counts of households (catalogue: bescherming noemer), wherever
    their teller's series has cells: known where a reader gets one as teller × factor / waarde
    from a shown rate and its shown count, else unknown (NaN)."""
    known = (counts.assign(waarde=counts["waarde"].where(~counts["hidden"]))
             .drop_duplicates(["reeks", *KEY])[["reeks", *KEY, "waarde"]]
             .rename(columns={"waarde": "count"}))
    parts = []
    for indicator in catalogue().values():
        protection = indicator.bescherming
        if not protection.noemer:
            continue
        teller_reeks = protection.reeks or indicator.id
        rates = rows[rows["indicator"] == indicator.id]
        teller = rates[KEY].assign(reeks=teller_reeks)
        if protection.categorie == "gebied":
            teller["categorie"] = rates["gebied"]
        count = teller.merge(known, on=["reeks", *KEY], how="left")["count"].to_numpy()
        rate = rates["waarde"].where(~rates["hidden"]).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.round(count * indicator.factor / rate)
        cells = counts.loc[counts["reeks"] == teller_reeks, KEY]
        reeks, _, level = protection.noemer.partition("/")
        noemer = pd.concat([
            rates[KEY].assign(value=np.where(np.isfinite(value), value, np.nan),
                              row=rates.index),
            cells.assign(value=np.nan, row=cells.index)]).assign(
            reeks=reeks, column="waarde", derived=True)
        # as `protection` keys it: the region's cell for the categorie, or the gebied's total
        parts.append(noemer.assign(gebiedsniveau="regio", gebied=region.naam)
                     if level == "regio" else noemer.assign(categorie=ALLE))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _cells(files: Sequence[DataFile], region: RegionConfig) -> pd.DataFrame:
    """Every cell of counts in `files`, one row per place it is published (or, `derived`, can
    be worked out from a rate); value NaN where hidden; `file` is the position in `files`."""
    protections = _protections()
    parts = []
    for number, data in enumerate(files):
        if data.kind == "indicatoren":
            rows = _indicator_frame(data.frame)
            counts = _count_rows(rows, protections)
            found = [counts[["reeks", *KEY]].assign(
                value=counts["waarde"].where(~counts["hidden"]), row=counts.index,
                column="waarde", derived=False), _noemer_cells(rows, counts, region)]
        else:
            found = [_model_cells(data.frame).assign(derived=False)]
        parts += [part.assign(file=number) for part in found if len(part)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


Related = Callable[[pd.DataFrame], list[np.ndarray]]  # cells → their relations


def reader_relations(region: RegionConfig, model: VerdeelmodelConfig) -> Related:
    """`protection.relations` as a reader must assume them (unchecked), computed once per set
    of cells: the Parquet, CSV and XLSX exports hold the same cells, and it takes seconds."""
    known: dict[bytes, list[np.ndarray]] = {}

    def related(cells: pd.DataFrame) -> list[np.ndarray]:
        key = pd.util.hash_pandas_object(cells[["reeks", *KEY]].astype(str),
                                         index=False).to_numpy().tobytes()
        if key not in known:
            known[key] = relations(cells, region, model, checked=False)
        return known[key]

    return related


def relation_findings(files: Sequence[DataFile], related: Related, region: RegionConfig
                      ) -> list[Finding]:
    """Hidden cells that the published cells of `files` (read together, as a reader can) give
    away: known elsewhere, or the only unknown cell of a relation once the cells worked out
    before are known."""
    places = _cells(files, region)
    if not len(places):
        return []
    places["cell"] = places.groupby(["reeks", *KEY], sort=False).ngroup().to_numpy()
    cells = places.groupby("cell").agg(
        {**{c: "first" for c in ["reeks", *KEY]}, "value": "max"}).reset_index(drop=True)

    def place(at: pd.Series) -> tuple[str, str]:
        data = files[int(at["file"])]
        return data.name, data.where(int(at["row"]), str(at["column"]))

    findings = []
    hidden_at = places[places["value"].isna() & ~places["derived"]]
    for _, at in hidden_at[cells["value"].notna().to_numpy()[hidden_at["cell"]]].iterrows():
        other = places[(places["cell"] == at["cell"]) & places["value"].notna()].iloc[0]
        file, where = place(at)
        other_file, other_where = place(other)
        how = "volgt uit de rij" if other["derived"] else "staat getoond"
        findings.append(Finding(file, where, f"afgeschermde cel {_describe(at)} {how} in "
                                             f"{other_file}, {other_where}"))
    # Only cells hidden in a file count as given away; a noemer is never published itself.
    hidden_place = hidden_at.drop_duplicates("cell").set_index("cell")
    for cell, members, step in worked_out(cells, reliable(cells, related(cells))):
        if cell not in hidden_place.index:
            continue
        file, where = place(hidden_place.loc[cell])
        others = [_describe(cells.iloc[m]) for m in members if m != cell]
        listed = ", ".join(others[:SHOWN_IN_MESSAGE])
        if len(others) > SHOWN_IN_MESSAGE:
            listed += f" en nog {len(others) - SHOWN_IN_MESSAGE} cel(len)"
        later = " (met eerder herleide cellen)" if step > 1 else ""
        findings.append(Finding(file, where, f"afgeschermde cel {_describe(cells.iloc[cell])} "
                                             f"is te herleiden uit het totaal en de delen "
                                             f"ernaast{later}: {listed}"))
    return findings


def reliable(cells: pd.DataFrame, related: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The relations a reader can rely on. A relation between published cells can miss a
    member that is not published at all (a noemer); a reader sees that where every cell of
    the relation is shown and it does not add up. So a kind of relation (the series of its
    cells) counts when it adds up in at least half of the cases where it can be checked, or
    cannot be checked anywhere."""
    values, series = cells["value"].to_numpy(), cells["reeks"].to_numpy()
    kinds = [tuple(sorted(series[members])) for members in related]
    checked: dict[tuple, list[bool]] = {}
    for kind, members in zip(kinds, related, strict=True):
        shown = values[members]
        if not np.isnan(shown).any():  # some cell is the sum of the others
            checked.setdefault(kind, []).append(bool(np.isclose(2 * shown, shown.sum()).any()))
    trusted = {kind: 2 * sum(holds) >= len(holds) for kind, holds in checked.items()}
    return [members for kind, members in zip(kinds, related, strict=True)
            if trusted.get(kind, True)]


def worked_out(cells: pd.DataFrame, related: Sequence[np.ndarray]
               ) -> list[tuple[int, np.ndarray, int]]:
    """(cell, relation, step) for every hidden cell (value NaN) that a reader can work out:
    the only hidden cell of a relation, where cells worked out in an earlier step count as
    known."""
    unknown = cells["value"].isna().to_numpy(copy=True)
    found: list[tuple[int, np.ndarray, int]] = []
    step = 1
    while True:
        new: dict[int, np.ndarray] = {}
        for number in exposed(unknown, related):
            members = related[number]
            new.setdefault(int(members[unknown[members]][0]), members)
        if not new:
            return found
        for cell, members in new.items():
            found.append((cell, members, step))
            unknown[cell] = False
        step += 1


def data_findings(data: DataFile, rule: DisclosureSettings) -> list[Finding]:
    check = indicator_findings if data.kind == "indicatoren" else model_findings
    return [Finding(data.name, data.where(row, column), message)
            for row, column, message in check(data.frame, rule)]


# --- Tables ------------------------------------------------------------------------------------

_COUNT_LABEL = re.compile(
    r"verhuring|huishoud|huurder|plaatsing|geplaatst|gehuisvest|eigen vraag|werkelijk|"
    r"volgens het (?:verdeel)?model|taakstelling|realisatie|ontvangen|"
    r"\baantal\b(?!\s+(?:wijken|gemeenten|jaren|woningen|plaatsen))", re.IGNORECASE)
_OTHER_LABEL = re.compile(
    r"\bper\s+[\d.]+|aandeel|%|procent|index|sleutel|gemiddeld|verschil|saldo|capaciteit|"
    r"mutaties|voorraad|\bwoningen\b|\(code\)", re.IGNORECASE)
_WHOLE = re.compile(r"\s*(\d+)\s*")
_NUMBER_TEXT = re.compile(r"[−+-]?\d[\d.]*(?:,\d+)?%?|[x–]")


def label_kind(label: str) -> bool | None:
    """True where a label names household counts, False where it names something else
    (a rate, a difference, homes), None where it says neither (a gemeente, a year)."""
    if _OTHER_LABEL.search(label):
        return False
    return True if _COUNT_LABEL.search(label) else None


def _unit_kind(unit: str | None, header: str) -> bool | None:
    """Whether a column is a household count, by its unit in a codebook and its header."""
    if unit in COUNTED_UNITS:
        return label_kind(header) is not False
    if unit in (None, "aantal", "tekst", "getal"):
        return label_kind(header)
    return False


def _small_whole(value: object, rule: DisclosureSettings) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.integer) and float(value).is_integer():
        number = int(value)
    elif isinstance(value, str) and (match := _WHOLE.fullmatch(value)):
        number = int(match.group(1))
    else:
        return None
    return number if 1 <= number < rule.kleinste_aantal else None


@dataclass(frozen=True)
class Table:
    """A table as a reader sees it: cells are text or numbers; `units` the unit per column
    where a codebook gives one; `where` names a cell by (row, column) position."""

    caption: str
    header: list[str]
    rows: list[list[object]]
    where: Callable[[int, int], str]
    units: list[str | None] = field(default_factory=list)


def table_findings(table: Table, rule: DisclosureSettings) -> list[tuple[str, str]]:
    """(place, message) for every small whole number in a column of household counts; in a
    document's table (one with a caption) also in a neutral column (a gemeente, a year) of a
    row, or of a table, of household counts. A row is named by its first text cell."""
    kinds = [_unit_kind(table.units[c] if c < len(table.units) else None, header)
             for c, header in enumerate(table.header)]
    code_columns = {c for c, header in enumerate(table.header) if "(code)" in header}
    caption = label_kind(table.caption) if table.caption else False
    hits = []
    for r, row in enumerate(table.rows):
        first = next((v for c, v in enumerate(row) if c not in code_columns
                      and isinstance(v, str) and v.strip() and not _NUMBER_TEXT.fullmatch(v)),
                     None)
        label = label_kind(first) if first and table.caption else None
        for c, value in enumerate(row):
            number = _small_whole(value, rule)
            column = kinds[c] if c < len(kinds) else None
            if number is None or not (
                    (column is True and label is not False)
                    or (column is None and (label is True or (label is None and caption)))):
                continue
            header = table.header[c] if c < len(table.header) else ""
            hits.append((table.where(r, c), f"{number} in kolom '{header}' van een tabel met "
                                            "aantallen huishoudens"))
    return hits


# --- Text --------------------------------------------------------------------------------------

NUMBER_WORDS = {"één": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6,
                "zeven": 7, "acht": 8, "negen": 9, "tien": 10}
_NOUNS = r"huishoudens?|verhuringen?|huurders?|personen|persoon|plaatsingen?|gezinnen|gezin"
_NUMBER = rf"(?P<number>\d+|(?i:{'|'.join(NUMBER_WORDS)}))(?![.,]\d|\w)"
_COUNT_IN_TEXT = re.compile(
    rf"(?<![\w.,/+\-−–]){_NUMBER}(?P<between>(?:\s+[a-zà-ÿ][\w-]*){{0,2}}?)\s+"
    rf"(?P<noun>{_NOUNS})\b")
# "… kregen er 3 een woning": a count of the households the sentence is about.
_COUNT_AFTER_ER = re.compile(
    rf"\ber\s+{_NUMBER}(?=\s+(?:een|in|uit|naar|zelf|bij)\b|\s*[.;:])")
# Before a number: a range, a threshold, a ratio or a label, not a count.
_NOT_A_COUNT_BEFORE = re.compile(
    r"\b(?:tot en met|t/m|tot|minstens|minimaal|ten minste|meer dan|minder dan|hoogstens|"
    r"maximaal|vanaf|op de|op|per|tabel|figuur|kaart|bijlage|hoofdstuk|paragraaf|pagina|"
    r"stap|ronde|fase|nr\.?|nummer)\s*$", re.IGNORECASE)
_SIZE_BEFORE = re.compile(r"\b(?:van|met)\s*$", re.IGNORECASE)  # huishoudens van 2 personen
_DIFFERENCE_AFTER = re.compile(r"[^.,;:!?]{0,50}?\b(?:meer|minder) dan\b")
_NOT_BETWEEN = {"keer", "maal", "procent", "procentpunt", "van", "op", "per", "jaar", "jaren",
                "dan", "meer", "minder", "zoveel", "tot", "en", "of"}
_HOUSEHOLD_NOUN = re.compile(rf"\b(?:{_NOUNS})\b", re.IGNORECASE)
SNIPPET = 40  # characters of context either side in a message


def plain_text(text: str) -> str:
    """Text with one space for any run of white space and words hyphenated at a line end
    joined again, as a reader reads it."""
    text = text.replace("\u00ad", "")
    text = re.sub(r"(?<=[a-zà-ÿ])-\s*\n\s*(?=[a-zà-ÿ])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _value(number: str) -> int:
    return int(number) if number.isdigit() else NUMBER_WORDS[number.lower()]


def _snippet(text: str, start: int, end: int) -> str:
    left, right = max(0, start - SNIPPET), min(len(text), end + SNIPPET)
    return (("…" if left else "") + text[left:right].strip()
            + ("…" if right < len(text) else ""))


def text_findings(text: str, rule: DisclosureSettings) -> list[str]:
    """A message for every small count of households the text writes as a number (or a Dutch
    number word) before a household noun, or as 'er 3' in a sentence about households. The
    rule itself (`protection.rule_text`), ranges, thresholds, ratios, differences, decimals,
    percentages and labels such as 'Tabel 3' are not counts."""
    text = plain_text(text)
    for statement in (rule_text(rule), SUPPRESSED_NOTE):
        text = text.replace(plain_text(statement), " ")
    hits = []
    for match in _COUNT_IN_TEXT.finditer(text):
        value = _value(match["number"])
        before = text[max(0, match.start() - 30):match.start()]
        between = match["between"].split()
        if (not 1 <= value < rule.kleinste_aantal or _NOT_A_COUNT_BEFORE.search(before)
                or any(word.lower() in _NOT_BETWEEN for word in between)
                or _DIFFERENCE_AFTER.match(text, match.end())
                or (match["noun"].startswith("perso") and _SIZE_BEFORE.search(before))):
            continue
        hits.append(f"{value} {match['noun']}: '{_snippet(text, match.start(), match.end())}'")
    for match in _COUNT_AFTER_ER.finditer(text):
        value = _value(match["number"])
        if 1 <= value < rule.kleinste_aantal and _HOUSEHOLD_NOUN.search(
                text, max(0, match.start() - 200), match.start()):
            hits.append(f"er {value} (huishoudens): "
                        f"'{_snippet(text, match.start(), match.end())}'")
    return hits


# --- Plotly figures ----------------------------------------------------------------------------

_TEMPLATE_FIELD = re.compile(r"%\{(?P<field>\w+)(?:\[(?P<index>\d+)\])?(?::[^}]*)?\}")
_NOUN_NEXT = re.compile(rf"\s*(?:[a-zà-ÿ][\w-]*\s+)?(?:{_NOUNS})\b")
_DIFFERENCE = re.compile(r"meer dan|minder dan|verschil|saldo", re.IGNORECASE)
_NAN = re.compile(r"\bnan\b", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
TEMPLATE_DATA = {"value": "values", "label": "labels"}  # template field → trace key


def _number(value: object) -> float:
    if isinstance(value, str):
        return float(value) if value.isdigit() else np.nan
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return np.nan


def _values(data: object, index: int | None) -> np.ndarray:
    """A trace's data (or column `index` of it) as a flat float array: Plotly's typed arrays
    (dtype, bdata, shape) decoded; text other than a whole number, and gaps, as NaN."""
    if isinstance(data, dict) and "bdata" in data:
        array = np.frombuffer(base64.b64decode(data["bdata"]),
                              dtype=np.dtype(data["dtype"])).astype("float64")
        if "shape" in data:
            array = array.reshape([int(n) for n in str(data["shape"]).split(",")])
        return (array[:, index] if index is not None and array.ndim == 2 else array).ravel()
    items = data if isinstance(data, list) else [data]
    if index is not None:
        items = [row[index] if isinstance(row, list) and index < len(row) else None
                 for row in items]
    flat = [value for item in items
            for value in (item if isinstance(item, list) else [item])]
    return np.array([_number(value) for value in flat], dtype="float64")


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _counted_fields(trace: dict, layout: dict) -> set[tuple[str, int | None]]:
    """The data a trace shows as a number of households: a template field followed by a
    household noun, or, without a hover template, an axis titled as household counts."""
    found = set()
    templates = [*_strings(trace.get("hovertemplate")), *_strings(trace.get("texttemplate"))]
    for template in templates:
        for match in _TEMPLATE_FIELD.finditer(template):
            if _NOUN_NEXT.match(_TAG.sub(" ", template[match.end():])):
                index = match["index"]
                found.add((TEMPLATE_DATA.get(match["field"], match["field"]),
                           int(index) if index is not None else None))
    if not trace.get("hovertemplate"):
        for axis in ("x", "y"):
            name = trace.get(f"{axis}axis", axis).replace(axis, f"{axis}axis", 1)
            title = layout.get(name, {}).get("title", {})
            text = title.get("text", "") if isinstance(title, dict) else str(title)
            if label_kind(text):
                found.add((axis, None))
    return found


def figure_findings(traces: list[dict], layout: dict, rule: DisclosureSettings
                    ) -> list[tuple[int, str]]:
    """(trace, message) for small numbers of households a figure shows (in its data or its
    text) and for NaN in its text."""
    hits: list[tuple[int, str]] = []
    for number, trace in enumerate(traces):
        texts = [_TAG.sub(" ", s) for key in ("name", "text", "hovertext", "hovertemplate",
                                              "texttemplate", "customdata", "labels")
                 for s in _strings(trace.get(key))]
        hits += [(number, f"NaN in de tekst: '{t.strip()}'") for t in texts if _NAN.search(t)]
        hits += [(number, message) for t in texts
                 for message in text_findings(_TEMPLATE_FIELD.sub(" ", t), rule)]
        if _DIFFERENCE.search(" ".join([str(trace.get("name", "")),
                                        *_strings(trace.get("hovertemplate"))])):
            continue  # a difference of counts, not a count
        for key, index in sorted(_counted_fields(trace, layout), key=str):
            if trace.get(key) is None:
                continue
            values = _values(trace[key], index)
            for i in np.flatnonzero(small(values, rule.kleinste_aantal)):
                field_name = key if index is None else f"{key}[{index}]"
                hits.append((number, f"{field_name} = {_text(float(values[i]))} (punt {i + 1}) "
                                     "is een klein aantal huishoudens"))
    return hits


_SEPARATOR = re.compile(r"\s*,?\s*")


def plotly_figures(script: str) -> Iterator[tuple[list[dict], dict]]:
    """(traces, layout) of every `Plotly.newPlot(id, data, layout, …)` call in a script."""
    decoder = json.JSONDecoder()
    for match in re.finditer(r"Plotly\.newPlot\(\s*", script):
        arguments, position = [], match.end()
        try:
            for _ in range(3):
                value, position = decoder.raw_decode(script, position)
                arguments.append(value)
                position = _SEPARATOR.match(script, position).end()
        except json.JSONDecodeError:
            continue
        _, traces, layout = arguments
        if isinstance(traces, list) and isinstance(layout, dict):
            yield traces, layout


def _title(layout: dict) -> str:
    title = layout.get("title", "")
    return plain_text(_TAG.sub(" ", title.get("text", "") if isinstance(title, dict)
                               else str(title)))


# --- Reading files -----------------------------------------------------------------------------

_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATION_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# One cell as openpyxl and Excel write it; a sheet with any other cell is read by ElementTree.
_XLSX_CELL = re.compile(
    r'<c r="([A-Z]+)(\d+)"(?: s="\d+")?(?: t="(\w+)")?(?:/>|>(?:<f>[^<]*</f>)?'
    r'(?:<v>([^<]*)</v>)?(?:<is><t(?: [^>]*)?>([^<]*)</t></is>)?</c>)')

Grid = list[list[object]]


def _cell_value(kind: str, value: str, inline: str, strings: list[str]) -> object:
    if kind == "s":
        return strings[int(value)]
    if kind == "inlineStr":
        return html.unescape(inline)
    if kind in ("str", "e"):
        return html.unescape(value)
    if kind == "b":
        return value == "1"
    return float(value) if value else None


def _grid(cells: Iterable[tuple[str, str, str, str, str]], strings: list[str]) -> Grid:
    rows: dict[int, dict[int, object]] = {}
    columns: dict[str, int] = {}
    for letters, row, kind, value, inline in cells:
        if letters not in columns:
            columns[letters] = column_index_from_string(letters) - 1
        rows.setdefault(int(row) - 1, {})[columns[letters]] = _cell_value(
            kind, value, inline, strings)
    width = max(columns.values(), default=-1) + 1
    return [[rows.get(r, {}).get(c) for c in range(width)]
            for r in range(max(rows, default=-1) + 1)]


def _element_cells(sheet: bytes) -> Iterator[tuple[str, str, str, str, str]]:
    for cell in ET.fromstring(sheet).iter(f"{_SHEET_NS}c"):
        letters, row = re.fullmatch(r"([A-Z]+)(\d+)", cell.get("r", "")).groups()
        value = cell.find(f"{_SHEET_NS}v")
        inline = "".join(t.text or "" for t in cell.iter(f"{_SHEET_NS}t"))
        yield (letters, row, cell.get("t", ""), value.text or "" if value is not None else "",
               html.escape(inline, quote=False))


def read_workbook(path: Path) -> dict[str, Grid]:
    """Sheet name → rows of values (text, float, bool or None), read straight from the XML:
    openpyxl needs half a minute for the indicator export, this a second."""
    with zipfile.ZipFile(path) as book:
        names = set(book.namelist())
        strings = []
        if "xl/sharedStrings.xml" in names:
            shared = ET.fromstring(book.read("xl/sharedStrings.xml"))
            strings = ["".join(t.text or "" for t in item.iter(f"{_SHEET_NS}t"))
                       for item in shared.iter(f"{_SHEET_NS}si")]
        targets = {r.get("Id"): r.get("Target")
                   for r in ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))}
        sheets = {}
        for sheet in ET.fromstring(book.read("xl/workbook.xml")).iter(f"{_SHEET_NS}sheet"):
            target = targets[sheet.get(f"{_RELATION_NS}id")].lstrip("/")
            raw = book.read(target if target.startswith("xl/") else f"xl/{target}")
            xml = raw.decode("utf-8")
            cells = _XLSX_CELL.findall(xml)
            if len(cells) != xml.count("<c "):
                cells = list(_element_cells(raw))
            sheets[sheet.get("name")] = _grid(cells, strings)
        return sheets


def _frame(grid: Grid) -> pd.DataFrame:
    """A sheet with its header on row 1 as a frame."""
    header = [_text(v) for v in grid[0]]
    return pd.DataFrame([row + [None] * (len(header) - len(row)) for row in grid[1:]],
                        columns=header)


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV as the exports write it (semicolons, decimal comma, BOM) or with commas."""
    with path.open(encoding="utf-8-sig") as file:
        first = file.readline()
    sep = ";" if first.count(";") >= first.count(",") else ","
    return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, na_values=[""],
                       encoding="utf-8-sig")


def _codebook(grid: Grid) -> dict[tuple[str, str], str]:
    """(sheet, column) → unit, from a tabellenboek's sheet 'codeboek'."""
    header = [_text(v) for v in grid[0]] if grid else []
    if not {"blad", "kolom", "eenheid"} <= set(header):
        return {}
    sheet, column, unit = (header.index(n) for n in ("blad", "kolom", "eenheid"))
    return {(_text(row[sheet]), _text(row[column])): _text(row[unit]) for row in grid[1:]
            if len(row) > max(sheet, column, unit)}


def _captions(grid: Grid) -> dict[str, str]:
    """Sheet name → caption, from a tabellenboek's sheet 'Inhoud' (name, caption)."""
    return {row[0]: _text(row[1]) for row in grid
            if len(row) > 1 and isinstance(row[0], str) and isinstance(row[1], str)}


def workbook_findings(name: str, sheets: dict[str, Grid], rule: DisclosureSettings
                      ) -> tuple[list[Finding], list[DataFile]]:
    """Table findings for every sheet of a workbook, and its data sheets for the data
    checks."""
    codebook = _codebook(sheets.get("codeboek", []))
    captions = _captions(sheets.get("Inhoud", []))
    findings, data = [], []
    for sheet, grid in sheets.items():
        if not grid or not grid[0]:
            continue
        header = [_text(v) for v in grid[0]]

        def cell(r: int, c: int, sheet: str = sheet) -> str:
            return f"blad '{sheet}', cel {get_column_letter(c + 1)}{r + 2}"

        candidate = DataFile(name, _frame(grid),
                             lambda r, column, cell=cell, header=header:
                             cell(r, header.index(column)))
        if candidate.kind:
            data.append(candidate)
            continue
        table = Table(caption=captions.get(sheet, ""), header=header, rows=grid[1:],
                      units=[codebook.get((sheet, h)) for h in header], where=cell)
        findings += [Finding(name, place, message)
                     for place, message in table_findings(table, rule)]
    return findings, data


def _pdftotext(path: Path, *options: str) -> list[str]:
    """The text of every page."""
    if shutil.which("pdftotext") is None:
        raise LeakCheckError("pdftotext ontbreekt: installeer poppler-utils om PDF's te "
                             "controleren")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", *options, str(path), "-"],
                          capture_output=True, check=False)
    if done.returncode:
        raise LeakCheckError(f"{path}: PDF niet te lezen: "
                             f"{done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout.decode("utf-8").split("\f")


_CAPTION_LINE = re.compile(r"\s*Tabel\s+\d+\s*[—–:.-]\s*(?P<caption>.+)")
_FIGURE_LINE = re.compile(r"\s*Figuur\s+\d+\s*[—–:.-]")
_RUN = re.compile(r"\S+(?: \S+)*")  # cells in a layout line are two or more spaces apart
_WORD = re.compile(r"\S+")

Span = tuple[int, int]


def _spans(runs: Iterable[Span]) -> list[list[int]]:
    """Columns as [start, end]: runs that overlap across lines are one column."""
    columns: list[list[int]] = []
    for start, end in runs:
        column = next((c for c in columns if max(c[0], start) < min(c[1], end)), None)
        if column is None:
            columns.append([start, end])
        else:
            column[0], column[1] = min(column[0], start), max(column[1], end)
    return sorted(columns)


def _column_of(columns: list[list[int]], start: int, end: int) -> int:
    """The column a piece of text stands in: the most overlap, else the nearest."""
    return min(range(len(columns)), key=lambda c: (
        -(min(columns[c][1], end) - max(columns[c][0], start)),
        min(abs(columns[c][0] - end), abs(start - columns[c][1]))))


def layout_tables(page: str) -> list[tuple[str, list[str], list[list[object]], list[int]]]:
    """(caption, header, rows, line number of each row) of every table on a page of
    `pdftotext -layout` output: the lines after a caption 'Tabel n — …'. The rows (lines with
    a number after their first cell) set the columns; header words join the column they stand
    in."""
    lines = page.split("\n")
    tables = []
    for start, line in enumerate(lines):
        caption = _CAPTION_LINE.fullmatch(line)
        if not caption:
            continue
        body: list[tuple[int, str]] = []
        blank = 0
        for number in range(start + 1, len(lines)):
            text = lines[number]
            if _CAPTION_LINE.fullmatch(text) or _FIGURE_LINE.match(text):
                break
            blank = blank + 1 if not text.strip() else 0
            if blank >= 2:
                break
            if text.strip():
                body.append((number, text))
        runs = [list(_RUN.finditer(text)) for _, text in body]
        data = [i for i, found in enumerate(runs)
                if len(found) > 1 and any(_NUMBER_TEXT.fullmatch(r.group()) for r in found[1:])]
        if not data:
            continue
        columns = _spans(r.span() for i in data for r in runs[i])
        header = [""] * len(columns)
        for _, text in body[:data[0]]:
            for word in _WORD.finditer(text):
                column = _column_of(columns, *word.span())
                header[column] = f"{header[column]} {word.group()}".strip()
        rows = []
        for i in data:
            row: list[object] = [None] * len(columns)
            for run in runs[i]:
                column = _column_of(columns, *run.span())
                row[column] = run.group() if row[column] is None else f"{row[column]} {run.group()}"
            rows.append(row)
        tables.append((caption["caption"], header, rows, [body[i][0] + 1 for i in data]))
    return tables


def pdf_findings(name: str, raw: list[str], layout: list[str], rule: DisclosureSettings
                 ) -> list[Finding]:
    findings = []
    for page, text in enumerate(raw, start=1):
        findings += [Finding(name, f"pagina {page}", m) for m in text_findings(text, rule)]
    for page, text in enumerate(layout, start=1):
        for caption, header, rows, numbers in layout_tables(text):
            table = Table(caption=caption, header=header, rows=rows,
                          where=lambda r, c, p=page, n=numbers, cap=caption:
                          f"pagina {p}, tabel '{_short(cap)}', regel {n[r]}")
            findings += [Finding(name, place, m) for place, m in table_findings(table, rule)]
    return findings


def _short(text: str, length: int = 50) -> str:
    return text if len(text) <= length else text[:length - 1].rstrip() + "…"


def docx_findings(name: str, path: Path, rule: DisclosureSettings) -> list[Finding]:
    """Paragraphs and tables of a Word document, in order; a table's caption is the paragraph
    'Tabel n …' before it."""
    import docx
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    findings, caption, paragraph, tables = [], "", 0, 0
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph += 1
            text = Paragraph(block, document).text
            if text.startswith("Tabel "):
                caption = text
            findings += [Finding(name, f"alinea {paragraph}", m)
                         for m in text_findings(text, rule)]
        elif tag == "tbl":
            tables += 1
            cells = [[cell.text for cell in row.cells] for row in WordTable(block, document).rows]
            if not cells:
                continue
            table = Table(caption=caption, header=cells[0], rows=cells[1:],
                          where=lambda r, c, t=tables, cap=caption, h=cells[0]:
                          f"tabel {t} ('{_short(cap)}'), rij {r + 2}, kolom '{h[c]}'")
            findings += [Finding(name, p, m) for p, m in table_findings(table, rule)]
            findings += [Finding(name, f"tabel {tables} ('{_short(caption)}'), rij {r + 1}", m)
                         for r, row in enumerate(cells) for text in row
                         for m in text_findings(text, rule)]
            caption = ""
    return findings


_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "td", "th",
           "caption", "figcaption", "tr", "table", "br", "dt", "dd", "title", "header",
           "footer", "nav", "figure", "blockquote", "pre"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _Page(HTMLParser):
    """Visible text by block (with the heading above it), tables, and scripts of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []  # (heading, text)
        self.tables: list[tuple[str, str, list[list[str]]]] = []  # (heading, caption, rows)
        self.scripts: list[str] = []
        self.heading = ""
        self._text: list[str] = []
        self._hidden = 0  # inside <script> or <style>
        self._in_heading = False
        self._table: tuple[list[str], list[list[str]]] | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def _flush(self) -> None:
        text = plain_text("".join(self._text))
        self._text = []
        if text:
            self.blocks.append((self.heading, text))
            if self._in_heading:
                self.heading = text

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
            if tag == "script":
                self.scripts.append("")
            return
        if tag in _BLOCKS:
            self._flush()
        if tag in _HEADINGS:
            self._in_heading = True
        if tag == "table":
            self._table = ([], [])
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self._table is not None:
            self._table[1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
            return
        if tag in _BLOCKS:
            self._flush()
        if tag in _HEADINGS:
            self._in_heading = False
        if tag == "caption" and self._table is not None and self._caption is not None:
            self._table[0].append(plain_text("".join(self._caption)))
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            if self._table is not None and self._table[1]:
                self._table[1][-1].append(plain_text("".join(self._cell)))
            self._cell = None
        elif tag == "table" and self._table is not None:
            caption, rows = self._table
            self.tables.append((self.heading, " ".join(caption), [r for r in rows if r]))
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._hidden:
            if self.scripts:
                self.scripts[-1] += data
            return
        self._text.append(data)
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


def html_findings(name: str, text: str, rule: DisclosureSettings) -> list[Finding]:
    page = _Page()
    page.feed(text)
    page.close()
    findings = [Finding(name, f"tekst onder '{_short(heading)}'" if heading else "tekst", m)
                for heading, block in page.blocks for m in text_findings(block, rule)]
    for number, (heading, caption, rows) in enumerate(page.tables, start=1):
        if not rows:
            continue
        label = f"tabel {number} ('{_short(caption or heading)}')"
        table = Table(caption=caption, header=rows[0], rows=rows[1:],
                      where=lambda r, c, lab=label, h=rows[0]:
                      f"{lab}, rij {r + 2}, kolom '{h[c] if c < len(h) else c + 1}'")
        findings += [Finding(name, p, m) for p, m in table_findings(table, rule)]
    figures = [figure for script in page.scripts if "Plotly.newPlot(" in script
               for figure in plotly_figures(script)]
    for number, (traces, layout) in enumerate(figures, start=1):
        for trace, message in figure_findings(traces, layout, rule):
            name_of_trace = plain_text(_TAG.sub(" ", str(traces[trace].get("name") or "")))
            findings.append(Finding(
                name, f"figuur {number} ('{_short(_title(layout))}'), reeks {trace + 1}"
                      + (f" ('{_short(name_of_trace)}')" if name_of_trace else ""), message))
    return findings


# --- The whole report set ----------------------------------------------------------------------

SUFFIXES = (".parquet", ".csv", ".xlsx", ".pdf", ".docx", ".html")


def _data_file(name: str, path: Path) -> DataFile:
    if path.suffix == ".parquet":
        return DataFile(name, pd.read_parquet(path), lambda r, c: f"rij {r + 1}, kolom {c}")
    return DataFile(name, _read_csv(path), lambda r, c: f"regel {r + 2}, kolom {c}")


def _other_table(data: DataFile, rule: DisclosureSettings) -> list[Finding]:
    """A data file that is no export: read as a table, by its header."""
    header = [str(c) for c in data.frame.columns]
    table = Table(caption="", header=header, rows=data.frame.to_numpy(dtype=object).tolist(),
                  where=lambda r, c: data.where(r, header[c]))
    return [Finding(data.name, place, message) for place, message in table_findings(table, rule)]


def _scan(path: Path, name: str, rule: DisclosureSettings
          ) -> tuple[list[Finding], list[DataFile]]:
    """Findings of one file and its data tables (for the relation check)."""
    try:
        if path.suffix in (".parquet", ".csv"):
            data = _data_file(name, path)
            return ([], [data]) if data.kind else (_other_table(data, rule), [])
        if path.suffix == ".xlsx":
            return workbook_findings(name, read_workbook(path), rule)
        if path.suffix == ".pdf":
            return pdf_findings(name, _pdftotext(path), _pdftotext(path, "-layout"), rule), []
        if path.suffix == ".docx":
            return docx_findings(name, path, rule), []
        return html_findings(name, path.read_text(encoding="utf-8"), rule), []
    except LeakCheckError:
        raise
    except Exception as exc:  # a damaged or foreign file: say which, do not hide it
        raise LeakCheckError(f"{name}: niet te lezen ({type(exc).__name__}: {exc})") from exc


def check_reports(folder: Path, region: RegionConfig, model: VerdeelmodelConfig) -> Checked:
    """Every finding in the published files below `folder`. Data exports in one folder and of
    one format are read together: a reader combines the indicators with the model."""
    rule = region.openbaarheid
    paths = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
    names = [p.relative_to(folder).as_posix() for p in paths]
    with ThreadPoolExecutor(max_workers=4) as pool:  # pdftotext runs beside the parsing
        scanned = list(pool.map(lambda pair: _scan(*pair, rule), zip(paths, names,
                                                                     strict=True)))
    findings = [f for found, _ in scanned for f in found]
    groups: dict[tuple[Path, str], list[DataFile]] = {}
    for path, (_, data) in zip(paths, scanned, strict=True):
        for table in data:
            findings += data_findings(table, rule)
            groups.setdefault((path.parent, path.suffix), []).append(table)
    related = reader_relations(region, model)
    for files in groups.values():
        findings += relation_findings(files, related, region)
    return Checked(findings=findings, files=len(paths))

