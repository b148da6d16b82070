"""Hidden cells that the exports of one folder, read together, give away: shown in another
export, worked out from a shown rate and its count, or the only unknown cell of a total and its
parts (`disclosure.exposed`, repeated: a cell worked out from one total is known for the next)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from analysis.config import RegionConfig
from analysis.disclosure import exposed
from analysis.indicators.catalogue import catalogue
from analysis.model.config import VerdeelmodelConfig
from analysis.protection import KEY, noemer_cells, relations
from analysis.report.leaks.data import DataFile, count_rows, describe, protections_by_id
from analysis.report.leaks.finding import Finding

SHOWN_IN_MESSAGE = 3  # cells named per relation; the rest are counted


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
        noemer = pd.concat([
            rates[KEY].assign(value=np.where(np.isfinite(value), value, np.nan),
                              row=rates.index),
            cells.assign(value=np.nan, row=cells.index)])
        parts.append(noemer_cells(protection.noemer, noemer, region).assign(
            column="waarde", derived=True))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _cells(files: Sequence[DataFile], region: RegionConfig) -> pd.DataFrame:
    """Every cell of counts in `files`, one row per place it is published (or, `derived`, can
    be worked out from a rate); value NaN where hidden; `file` is the position in `files`."""
    protections = protections_by_id()
    parts = []
    for number, data in enumerate(files):
        if data.kind == "indicatoren":
            rows = data.normal
            counts = count_rows(rows, protections)
            found = [counts[["reeks", *KEY]].assign(
                value=counts["waarde"].where(~counts["hidden"]), row=counts.index,
                column="waarde", derived=False), _noemer_cells(rows, counts, region)]
        else:
            found = [data.normal.assign(derived=False)]
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
        findings.append(Finding(file, where, f"afgeschermde cel {describe(at)} {how} in "
                                             f"{other_file}, {other_where}"))
    # Only cells hidden in a file count as given away; a noemer is never published itself.
    hidden_place = hidden_at.drop_duplicates("cell").set_index("cell")
    for cell, members, step in worked_out(cells, reliable(cells, related(cells))):
        if cell not in hidden_place.index:
            continue
        file, where = place(hidden_place.loc[cell])
        others = [describe(cells.iloc[m]) for m in members if m != cell]
        listed = ", ".join(others[:SHOWN_IN_MESSAGE])
        if len(others) > SHOWN_IN_MESSAGE:
            listed += f" en nog {len(others) - SHOWN_IN_MESSAGE} cel(len)"
        later = " (met eerder herleide cellen)" if step > 1 else ""
        findings.append(Finding(file, where, f"afgeschermde cel {describe(cells.iloc[cell])} "
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
