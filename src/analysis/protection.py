"""The one protection step between the analysis results and everything that is published.

The indicator table and the verdeelmodel's results become one set of cells (`disclosure`): a
count of households is one cell wherever it appears (the verhuringen of a doelgroep are the
same cell in the count table, as the teller of its share of the mutaties and as the teller of
its instroom per 1.000 huishoudens), and the relations between cells are every way the tables
add up: gemeenten to the region, years to the period, doelgroepen to the aandachtsgroepen and to
everyone, wijken to their gemeente, categories to their total, the model's columns to each
other. After suppression every published row carries a status; hidden values are gone from it.
The unprotected tables stay in the processed folder, which is confidential.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import codes, periods
from analysis.config import DisclosureSettings, RegionConfig
from analysis.disclosure import SECONDARY, SHOWN, SMALL, small, suppress
from analysis.indicators.catalogue import Protection, catalogue
from analysis.indicators.table import AANDACHTSGROEPEN, ALLE, period_label
from analysis.model.config import MODEL_SPOOR, VerdeelmodelConfig
from analysis.model.prognose import FROM_AVERAGE, Prognosis, period
from analysis.model.run import ModelRun

KEY = ["gebiedsniveau", "gebied", "periode", "doelgroep", "categorie"]
# teller and noemer stay for the reports (a housing task's homes, a wijk's lettings), emptied
# with the waarde where a row is hidden (and for every maat); the exports leave them out
# (`report.exports`).
PUBLISHED_COLUMNS = ["indicator", *KEY, "waarde", "teller", "noemer", "status"]
STATUS_COLUMN = "status"
HIDDEN_COLUMNS = "afgeschermd"  # in the model results: the columns hidden in this row

# The verdeelmodel's columns: household counts (the small-count rule applies), figures that may
# be hidden to protect one (capacity in homes, differences), and settings that are never hidden.
MODEL_COUNTS = ("vraag_eigen", "geplaatst_eigen", "uitgeplaatst", "niet_geplaatst",
                "ontvangen_overloop", "ontvangen_pool", "taakstelling", "realisatie",
                "reeds_toegezegd")
MODEL_DERIVED = ("capaciteit", "ruimte_over", "saldo")
# How the model's columns add up per gemeente and year: (total, parts).
MODEL_SUMS = (
    ("vraag_eigen", ("geplaatst_eigen", "uitgeplaatst", "niet_geplaatst")),
    ("taakstelling", ("geplaatst_eigen", "ontvangen_overloop", "ontvangen_pool")),
    ("grensruimte", ("reeds_toegezegd", "capaciteit")),
    ("capaciteit", ("taakstelling", "ruimte_over")),
    ("realisatie", ("taakstelling", "saldo")),
)
# The model's yearly region totals and the column they add up.
MODEL_REGION_TOTALS = {"vraag_eigen": "vraag_eigen", "pool_geplaatst": "ontvangen_pool",
                       "geplaatst": "taakstelling", "tekort": "tekort", "pool": "pool"}
KNOWN_ORIGIN = "bekende_herkomst"  # the noemer of the origin shares (catalogue)
UNKNOWN_ORIGIN = "onbekend"
# Steps of the trace about one gemeente, and about the region's totals; every other step but
# the key (which counts homes) names figures of several gemeenten.
TRACE_GEMEENTE = ("capaciteit", "eigen_gemeente", "resultaat", "prognose")
TRACE_REGION = ("uitgangspunten", "controle", "prognose_pool")


@dataclass(frozen=True, eq=False)
class Protected:
    indicators: pd.DataFrame  # PUBLISHED_COLUMNS: waarde empty where the status is not SHOWN
    model: ModelRun  # results and region totals with hidden cells empty (listed in
    # HIDDEN_COLUMNS), the trace without the sentences that would give a hidden cell away
    cells: pd.DataFrame  # every cell with its value and status (confidential: for checking)
    prognose: ModelRun | None = None  # the prospective taakstelling, protected as `model`


class _Cells:
    """Cells collected from several tables: rows with the same series and key are one cell,
    and must have one value."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, cells: pd.DataFrame) -> int:
        """Add rows (reeks, KEY, value, primary, suppressible); returns a handle for `numbers`."""
        self.parts.append(cells.reset_index(drop=True))
        return len(self.parts) - 1

    def finish(self) -> tuple[pd.DataFrame, list[np.ndarray]]:
        """The cells (numbered from 0) and, per added part, the cell number of each row."""
        rows = pd.concat(self.parts, ignore_index=True)
        number = rows.groupby(["reeks", *KEY], sort=False).ngroup().to_numpy()
        values = rows.groupby(number)["value"]
        spread = values.max() - values.min()
        if (spread > 1e-9).any():
            row = rows[number == spread[spread > 1e-9].index[0]].iloc[0]
            raise ValueError(f"bescherming: reeks '{row['reeks']}' heeft twee waarden voor "
                             f"{dict(row[KEY])}")
        cells = rows.groupby(number).agg(
            {**{c: "first" for c in ["reeks", *KEY, "value"]},
             "primary": "any", "suppressible": "any"}).reset_index(drop=True)
        bounds = np.cumsum([len(p) for p in self.parts])[:-1]
        return cells, np.split(number, bounds)


def _indicator_cells(cells: _Cells, table: pd.DataFrame, rule: DisclosureSettings,
                     region: RegionConfig
                     ) -> tuple[dict[str, int], dict[str, int], dict[str, np.ndarray]]:
    """Cells for every protected indicator; per indicator the handle of its rows' tellers (or
    values), of its noemers where they are counts of households, and the rows hidden by the
    rule on the noemer."""
    handles, noemer_handles, small_noemer = {}, {}, {}
    # Counts first, so a share's teller joins the count it is (and must agree with it).
    order = sorted(catalogue().values(), key=lambda i: i.bescherming.soort != "aantal")
    for indicator in order:
        protection = indicator.bescherming
        if protection.soort not in ("aantal", "aandeel", "verschil"):
            continue
        rows = table[table["indicator"] == indicator.id]
        value = rows["waarde"] if protection.soort != "aandeel" else rows["teller"]
        frame = rows[KEY].assign(reeks=protection.reeks or indicator.id,
                                 value=value.to_numpy(dtype="float64"))
        if protection.categorie == "gebied":
            frame["categorie"] = frame["gebied"]
        frame["primary"] = small(frame["value"], rule.kleinste_aantal) \
            if protection.counted else False
        frame["suppressible"] = True
        handles[indicator.id] = cells.add(frame)
        if protection.noemer:
            # A count of households that a reader gets as teller × factor / waarde.
            noemer = noemer_cells(protection.noemer, rows[KEY], region).assign(
                value=rows["noemer"].to_numpy("float64"), suppressible=True)
            noemer["primary"] = small(noemer["value"], rule.kleinste_aantal)
            noemer_handles[indicator.id] = cells.add(noemer)
        small_noemer[indicator.id] = (
            (rows["noemer"].fillna(0) < rule.kleinste_noemer).to_numpy()
            if protection.soort == "aandeel" else np.zeros(len(rows), dtype=bool))
    return handles, noemer_handles, small_noemer


def noemer_cells(spec: str, key: pd.DataFrame, region: RegionConfig) -> pd.DataFrame:
    """The cells (reeks and KEY) that the noemers of rows keyed `key` are, by the catalogue's
    `bescherming.noemer` ('reeks', 'reeks/regio' or 'reeks/doelgroep')."""
    reeks, _, cell = spec.partition("/")
    if cell == "regio":
        return key.assign(reeks=reeks, gebiedsniveau="regio", gebied=region.naam)
    if cell == "doelgroep":
        return key.assign(reeks=reeks, doelgroep=ALLE)
    return key.assign(reeks=reeks, categorie=ALLE)


def measure_cells(protection: Protection, key: pd.DataFrame) -> pd.DataFrame:
    """The count cells (reeks and KEY) that the rows of a maat keyed `key` rest on: the cell of
    its `reeks`, and for categorie 'alle' the total that reeks's categories add up to (`som`)."""
    counted = catalogue()[protection.reeks]
    cells = key.assign(reeks=counted.bescherming.reeks or counted.id)
    if counted.bescherming.som:
        total, _, categorie = counted.bescherming.som.partition("/")
        at_total = (key["categorie"] == ALLE).to_numpy()
        cells.loc[at_total, "reeks"] = catalogue()[total].bescherming.reeks or total
        cells.loc[at_total, "categorie"] = categorie or ALLE
    return cells


def _measure_status(table: pd.DataFrame, cells: pd.DataFrame, rule: DisclosureSettings
                    ) -> dict[str, np.ndarray]:
    """Per maat (a median or mean over households), the status of each of its rows: that of
    the count it rests on where that is hidden (the maat would show it is there, and its noemer
    is that count when every letting has a value), else small where it rests on fewer than
    `kleinste_noemer` lettings (a median of a few gives their values away). Without a letting
    with a value there is no figure and nothing to hide; the published table leaves it out."""
    known = cells.set_index(["reeks", *KEY])["status"]
    out = {}
    for indicator in catalogue().values():
        if indicator.bescherming.soort != "maat":
            continue
        rows = table[table["indicator"] == indicator.id]
        counts = measure_cells(indicator.bescherming, rows[KEY])
        found = known.reindex(pd.MultiIndex.from_frame(counts[["reeks", *KEY]]))
        if found.isna().any():
            missing = counts[found.isna().to_numpy()].iloc[0]
            raise ValueError(f"bescherming: '{indicator.id}' rust op een aantal dat er niet is: "
                             f"{dict(missing)}")
        status = found.to_numpy(dtype=object)
        noemer = rows["noemer"].fillna(0).to_numpy()
        status[(status == SHOWN) & (noemer > 0) & (noemer < rule.kleinste_noemer)] = SMALL
        out[indicator.id] = status
    return out


def _model_cells(cells: _Cells, run: ModelRun, region: RegionConfig, rule: DisclosureSettings,
                 label: Callable[[int], str] = str) -> tuple[dict[str, int], dict[str, int]]:
    """Cells for the model's results per gemeente and year and for its yearly region totals
    (each year's period named by `label`); the handles of both."""
    results = run.resultaten.astype({"gemeente": str})
    base = pd.DataFrame({"gebiedsniveau": "gemeente", "gebied": results["gemeente"],
                         "periode": results["jaar"].map(label), "doelgroep": MODEL_SPOOR,
                         "categorie": ALLE})
    numbers = {}
    for column in (*MODEL_COUNTS, *MODEL_DERIVED, "grensruimte"):
        if column not in results:  # a prognosis has no realisatie yet
            continue
        frame = base.assign(reeks=column, value=results[column].to_numpy(dtype="float64"))
        frame["primary"] = (small(frame["value"], rule.kleinste_aantal)
                            if column in MODEL_COUNTS else False)
        numbers[column] = cells.add(frame.assign(suppressible=column != "grensruimte"))
    totals, region_numbers = run.regio.astype({"jaar": int}), {}
    for source, column in MODEL_REGION_TOTALS.items():
        region_numbers[source] = cells.add(pd.DataFrame({
            "gebiedsniveau": "regio", "gebied": region.naam,
            "periode": totals["jaar"].map(label), "doelgroep": MODEL_SPOOR, "categorie": ALLE,
            "reeks": column, "value": totals[source].to_numpy(dtype="float64"),
            "primary": small(totals[source], rule.kleinste_aantal), "suppressible": True}))
    return numbers, region_numbers


def _sums(frame: pd.DataFrame, by: list[str], total: pd.Series, part: pd.Series,
          checked: bool = True, parts_needed: int = 1) -> list[np.ndarray]:
    """Per group of `by`: the relation total = Σ parts, where the group has one total cell and
    at least `parts_needed` parts, and (when `checked`) the parts really add up to the total."""
    chosen = (total | part).to_numpy()
    pick = frame[chosen]
    is_total = total.to_numpy()[chosen]
    group = pick.groupby(by, sort=False, dropna=False).ngroup().to_numpy()
    if not len(group):
        return []
    n, value = group.max() + 1, pick["value"].to_numpy(dtype="float64")
    totals = np.bincount(group, weights=is_total, minlength=n)
    total_value = np.bincount(group, weights=np.where(is_total, value, 0), minlength=n)
    parts = np.bincount(group, weights=~is_total, minlength=n)
    part_value = np.bincount(group, weights=np.where(is_total, 0, value), minlength=n)
    adds_up = np.isclose(total_value, part_value) if checked else True
    keep = ((totals == 1) & (parts >= parts_needed) & adds_up)[group]
    order = np.argsort(group[keep], kind="stable")
    numbers, groups = pick["nummer"].to_numpy()[keep][order], group[keep][order]
    return np.split(numbers, np.flatnonzero(np.diff(groups)) + 1) if len(numbers) else []


def _within_year(frame: pd.DataFrame, checked: bool) -> list[np.ndarray]:
    """Periods within a year (`analysis.periods`): the year is the sum of its quarters (or half
    years), the year to date the sum of its first ones, and the year also the year to date plus
    the rest, so a published year to date and year never give a hidden quarter away."""
    series = ["reeks", "gebiedsniveau", "gebied", "doelgroep", "categorie"]
    labels = frame["periode"]
    found = []
    for label in labels.unique():
        part, to_date = periods.part(label), periods.through(label)
        if part is not None and part.nummer == 1:
            names = [p.label for p in part.parts()]
            found += _sums(frame, series, labels == str(part.jaar), labels.isin(names),
                           checked, len(names))
        if to_date is not None:
            names = [p.label for p in to_date.parts()]
            first, rest = names[:to_date.nummer], names[to_date.nummer:]
            found += _sums(frame, series, labels == label, labels.isin(first), checked,
                           len(first))
            found += _sums(frame, series, labels == str(to_date.jaar),
                           (labels == label) | labels.isin(rest), checked, 1 + len(rest))
    return found


def relations(cells: pd.DataFrame, region: RegionConfig, model: VerdeelmodelConfig,
              checked: bool = True) -> list[np.ndarray]:
    """Every additive relation between the cells (reeks, KEY, value), each a list of cell
    numbers. A relation is only kept where the figures really add up: one that does not hold
    gives nothing away. Unchecked (`checked=False`), every relation the tables' structure makes
    counts, as a reader of published cells, who cannot check the hidden ones, must assume."""
    frame = cells.reset_index(names="nummer")
    period = period_label(region.jaren)
    level, categorie = frame["gebiedsniveau"], frame["categorie"]
    # The region's households housed in their own gemeente: not one of the region's categories.
    own_region = (level == "regio") & (categorie == frame["gebied"])
    priority = [d for d in codes.codes("doelgroepen") if d != codes.NO_GROUP]
    found = [
        *_sums(frame, ["reeks", "periode", "doelgroep", "categorie"], level == "regio",
               level == "gemeente", checked),
        *_sums(frame, ["reeks", "gebiedsniveau", "gebied", "doelgroep", "categorie"],
               frame["periode"] == period, frame["periode"].str.fullmatch(r"\d{4}"), checked),
        *_within_year(frame, checked),
        # everyone = geen + aandachtsgroepen, only where both are cells (a series such as the
        # lettings per wijk has no 'geen': its two doelgroepen are not a total and a part)
        *_sums(frame, ["reeks", "gebiedsniveau", "gebied", "periode", "categorie"],
               frame["doelgroep"] == ALLE,
               frame["doelgroep"].isin([codes.NO_GROUP, AANDACHTSGROEPEN]), checked, 2),
        *_sums(frame, ["reeks", "gebiedsniveau", "gebied", "periode", "categorie"],
               frame["doelgroep"] == AANDACHTSGROEPEN, frame["doelgroep"].isin(priority),
               checked),
        *_sums(frame, ["reeks", "gebiedsniveau", "gebied", "periode", "doelgroep"],
               categorie == ALLE, (categorie != ALLE) & ~own_region, checked),
        *_sums(frame, ["reeks", "periode", "doelgroep"], own_region,
               (level == "gemeente") & (categorie == frame["gebied"]), checked),
    ]
    # wijken → their gemeente (its cell of the same series counts the lettings with a wijk code)
    wijk = level == "wijk"
    found += _sums(frame.assign(ouder=frame["gebied"].where(~wijk, categorie)),
                   ["reeks", "periode", "doelgroep", "ouder"],
                   (level == "gemeente") & (categorie == ALLE), wijk, checked)
    # categories → the total of another indicator ('som' in the catalogue)
    for indicator in catalogue().values():
        target = indicator.bescherming.som
        if not target:
            continue
        target_reeks, _, target_categorie = target.partition("/")
        parts = (frame["reeks"] == (indicator.bescherming.reeks or indicator.id)) & ~own_region
        totals = (frame["reeks"] == target_reeks) & (categorie == (target_categorie or ALLE))
        found += _sums(frame, KEY[:-1], totals, parts, checked)
    # households of known origin: the origins but 'onbekend'; with it, every letting
    known = frame["reeks"] == KNOWN_ORIGIN
    origins = (frame["reeks"] == "herkomst_bestemming") & ~own_region
    found += _sums(frame, KEY[:-1], known, origins & (categorie != UNKNOWN_ORIGIN), checked)
    found += _sums(frame, KEY[:-1],
                   (frame["reeks"] == "verhuringen") & (categorie == ALLE),
                   known | (origins & (categorie == UNKNOWN_ORIGIN)), checked)
    return [*found, *_model_relations(frame, region, model, checked)]


def _holds(cells: dict[tuple, tuple[int, float]], left: list[tuple], right: list[tuple],
           checked: bool) -> bool:
    """Whether every cell exists and (when `checked`) the left ones add up to the right ones."""
    if not all(key in cells for key in (*left, *right)):
        return False
    return not checked or bool(np.isclose(sum(cells[k][1] for k in left),
                                          sum(cells[k][1] for k in right)))


def _model_relations(frame: pd.DataFrame, region: RegionConfig, model: VerdeelmodelConfig,
                     checked: bool) -> list[np.ndarray]:
    """The model's columns add up per gemeente and year; its realisatie is the verhuringen of
    the model's doelgroepen, its own demand the households of the doelgroepen outside the pool
    from that gemeente."""
    keyed = dict(zip(map(tuple, frame[["reeks", *KEY]].to_numpy().tolist()),
                     zip(frame["nummer"], frame["value"], strict=True), strict=True))
    out = []
    model_rows = frame[frame["reeks"] == "taakstelling"]
    own = [d for d in model.model_doelgroepen if d not in model.pool_doelgroepen]
    for row in model_rows.itertuples():
        key = (row.gebiedsniveau, row.gebied, row.periode, MODEL_SPOOR, ALLE)
        sums = [((total, *key), [(part, *key) for part in parts]) for total, parts in MODEL_SUMS]
        sums.append(((("realisatie", *key)),
                     [("verhuringen", row.gebiedsniveau, row.gebied, row.periode, d, ALLE)
                      for d in model.model_doelgroepen]))
        if row.gebiedsniveau == "gemeente":
            sums.append((("vraag_eigen", *key),
                         [("herkomst_bestemming", "regio", region.naam, row.periode, d,
                           row.gebied) for d in own]))
        for total, parts in sums:
            if _holds(keyed, [total], parts, checked):
                out.append(np.array([keyed[k][0] for k in (total, *parts)]))
    # The regional shortfall: what no gemeente could take of its own demand, plus the pool
    # that found no place (tekort + pool geplaatst = Σ niet geplaatst + pool).
    for periode in frame.loc[frame["reeks"] == "tekort", "periode"]:
        key = (periode, MODEL_SPOOR, ALLE)
        left = [(reeks, "regio", region.naam, *key) for reeks in ("tekort", "ontvangen_pool")]
        right = [("pool", "regio", region.naam, *key),
                 *(("niet_geplaatst", "gemeente", g, *key) for g in region.gemeenten)]
        members = [*left, *right]
        if _holds(keyed, left, right, checked):
            out.append(np.array([keyed[k][0] for k in members]))
    return out


def protect(table: pd.DataFrame, run: ModelRun, region: RegionConfig,
            model: VerdeelmodelConfig, prognosis: Prognosis | None = None) -> Protected:
    """The published indicator table, model results and trace (and those of the prospective
    taakstelling), with every small count and every cell that would give one away hidden."""
    rule = region.openbaarheid
    cells = _Cells()
    handles, noemer_handles, small_noemer = _indicator_cells(cells, table, rule, region)
    model_handles, region_handles = _model_cells(cells, run, region, rule)
    if prognosis is not None:
        ahead_handles = _model_cells(cells, prognosis.run, region, rule, period)
    frame, numbers = cells.finish()
    row_cells = {indicator: numbers[h] for indicator, h in handles.items()}
    noemer_cells = {indicator: numbers[h] for indicator, h in noemer_handles.items()}
    model_numbers = {column: numbers[h] for column, h in model_handles.items()}
    region_numbers = {column: numbers[h] for column, h in region_handles.items()}
    related = relations(frame, region, model)
    if prognosis is not None:
        related += _average_relations(frame, prognosis, region)
    status = suppress(frame["value"].to_numpy(), frame["primary"].to_numpy(),
                      frame["suppressible"].to_numpy(dtype=bool), related)
    frame["status"] = status
    ahead = None
    if prognosis is not None:
        ahead_numbers = [{column: numbers[h] for column, h in handles.items()}
                         for handles in ahead_handles]
        ahead = _published_run(prognosis.run, *ahead_numbers, status, frame, region,
                               period(prognosis.jaar))
    return Protected(indicators=_published_indicators(table, row_cells, noemer_cells,
                                                      small_noemer, status,
                                                      _measure_status(table, frame, rule)),
                     model=_published_run(run, model_numbers, region_numbers, status, frame,
                                          region),
                     cells=frame, prognose=ahead)


def _published_run(run: ModelRun, numbers: dict[str, np.ndarray],
                   region_numbers: dict[str, np.ndarray], status: np.ndarray,
                   cells: pd.DataFrame, region: RegionConfig, label: str | None = None
                   ) -> ModelRun:
    return ModelRun(resultaten=_without_hidden(run.resultaten, numbers, status),
                    regio=_without_hidden(run.regio, region_numbers, status),
                    trace=_published_trace(run, numbers, status, cells, region, label))


def _average_relations(frame: pd.DataFrame, prognosis: Prognosis, region: RegionConfig
                       ) -> list[np.ndarray]:
    """A prognosis' figure that is the mean of realised ones (rounded, so only nearly their
    sum / N) would give a hidden year away beside the other years: a relation of its own."""
    keyed = dict(zip(map(tuple, frame[["reeks", *KEY]].to_numpy().tolist()), frame.index,
                     strict=True))
    ahead = period(prognosis.jaar)
    averaged = {"vraag": "vraag_eigen", "reeds_toegezegd": "reeds_toegezegd"}
    series = [(reeks, "gemeente", g) for source, reeks in averaged.items()
              if prognosis.bronnen[source] == FROM_AVERAGE for g in region.gemeenten]
    if prognosis.bronnen["vraag"] == FROM_AVERAGE:
        series.append(("pool", "regio", region.naam))
    out = []
    for reeks, level, gebied in series:
        members = [(reeks, level, gebied, p, MODEL_SPOOR, ALLE)
                   for p in (ahead, *map(str, prognosis.jaren))]
        if all(m in keyed for m in members):
            out.append(np.array([keyed[m] for m in members]))
    return out


def _published_indicators(table: pd.DataFrame, row_cells: dict[str, np.ndarray],
                          noemer_cells: dict[str, np.ndarray],
                          small_noemer: dict[str, np.ndarray], status: np.ndarray,
                          measure_status: dict[str, np.ndarray]) -> pd.DataFrame:
    out = table.assign(status=SHOWN)
    for indicator, numbers in row_cells.items():
        mask = (out["indicator"] == indicator).to_numpy()
        row_status = status[numbers].copy()
        row_status[(row_status == SHOWN) & small_noemer[indicator]] = SMALL
        if indicator in noemer_cells:
            # A share shown beside its teller would give a hidden noemer away.
            row_status[(row_status == SHOWN) & (status[noemer_cells[indicator]] != SHOWN)] = \
                SECONDARY
        out.loc[mask, "status"] = row_status
    without_figure = np.zeros(len(out), dtype=bool)
    for indicator, row_status in measure_status.items():
        mask = (out["indicator"] == indicator).to_numpy()
        out.loc[mask, "status"] = row_status
        # The lettings with a value do not add up as the counts do (direct mediation has no
        # zoekduur), so a reader could subtract a hidden count out of them: only the maat goes.
        out.loc[mask, ["teller", "noemer"]] = np.nan
        without_figure[mask] = (row_status == SHOWN) & out.loc[mask, "waarde"].isna().to_numpy()
    for indicator in catalogue().values():
        followed = indicator.bescherming.volgt
        if followed is None:
            continue
        source = out[out["indicator"] == followed].set_index(KEY)["status"]
        mask = out["indicator"] == indicator.id
        statuses = source.reindex(pd.MultiIndex.from_frame(out.loc[mask, KEY]))
        out.loc[mask, "status"] = statuses.fillna(SHOWN).to_numpy()
    shown = out["status"] == SHOWN
    for column in ("waarde", "teller", "noemer"):
        out[column] = out[column].where(shown)
    # A published gap is always a hidden value: a maat without a letting with a value is left
    # out where its count is shown (a hidden count keeps the row, hidden, so nothing shows 0).
    return out.loc[~without_figure, PUBLISHED_COLUMNS].reset_index(drop=True)


def _without_hidden(frame: pd.DataFrame, numbers: dict[str, np.ndarray], status: np.ndarray
                    ) -> pd.DataFrame:
    """A wide table with its hidden cells emptied and named per row in HIDDEN_COLUMNS."""
    results = frame.copy()
    hidden = pd.DataFrame({column: status[n] != SHOWN for column, n in numbers.items()},
                          index=results.index)[[c for c in results.columns if c in numbers]]
    for column in hidden:
        results[column] = results[column].astype("float64").where(~hidden[column])
    results[HIDDEN_COLUMNS] = [", ".join(c for c in hidden.columns if row[c])
                               for _, row in hidden.iterrows()]
    return results


def _published_trace(run: ModelRun, numbers: dict[str, np.ndarray], status: np.ndarray,
                     cells: pd.DataFrame, region: RegionConfig, label: str | None = None
                     ) -> pd.DataFrame:
    """Sentences of the trace that name a hidden figure become a plain statement that the step's
    figures are not published; the rest stays as the model wrote it."""
    results = run.resultaten.astype({"gemeente": str})
    hidden_any = np.zeros(len(results), dtype=bool)
    for n in numbers.values():
        hidden_any |= status[n] != SHOWN
    hidden = set(zip(results["jaar"].astype(int)[hidden_any], results["gemeente"][hidden_any],
                     strict=True))
    regional = cells[(cells["gebiedsniveau"] == "regio") & cells["reeks"].isin(
        MODEL_REGION_TOTALS.values()) & (cells["status"] != SHOWN)]
    hidden_years = {jaar for jaar, _ in hidden}
    if label is None:
        hidden_region_years = {int(p) for p in regional["periode"] if str(p).isdigit()}
    else:  # a prognosis: one year, under its own label
        hidden_region_years = (set(run.regio["jaar"].astype(int))
                               if (regional["periode"] == label).any() else set())
    shortfall = dict(zip(run.regio["jaar"].astype(int), run.regio["tekort"], strict=True))
    trace = run.trace.copy()
    texts = []
    for row in trace.itertuples():
        if row.fase in TRACE_GEMEENTE:
            redact = (row.jaar, row.gemeente) in hidden
        elif row.fase in TRACE_REGION:
            redact = row.jaar in hidden_region_years
        elif row.fase == "tekort" and not shortfall.get(row.jaar):
            redact = row.jaar in hidden_region_years  # "no shortfall" names no gemeente
        else:  # a step that names figures of several gemeenten
            redact = row.fase != "sleutel" and (row.jaar in hidden_years
                                                or row.jaar in hidden_region_years)
        if not redact:
            texts.append(row.tekst)
        elif row.fase in TRACE_GEMEENTE:
            texts.append(f"{codes.typographic(region.gemeente_naam(row.gemeente))}: "
                         f"{REDACTED_STEP}")
        else:
            texts.append(f"{TRACE_STEP_NAMES.get(row.fase, row.fase.capitalize())}: "
                         f"{REDACTED_STEP}")
    return trace.assign(tekst=texts)


REDACTED_STEP = ("de getallen van deze stap worden niet gepubliceerd, omdat ze kleine aantallen "
                 "huishoudens zouden prijsgeven.")
TRACE_STEP_NAMES = {"te_verdelen": "Regionaal te verdelen", "ronde": "Verdeelronde",
                    "afronding": "Afronden op hele huishoudens",
                    "herkomst": "Overloop naar herkomst", "splitsing": "Overloop en pool",
                    "uitgangspunten": "Uitgangspunten", "tekort": "Tekort",
                    "controle": "Controle"}


def rule_text(settings: DisclosureSettings) -> str:
    """The rule in two sentences, as every document and the codebook state it."""
    return (f"Om huishoudens niet herkenbaar te maken, publiceren we geen aantallen van 1 tot en "
            f"met {settings.kleinste_aantal - 1} huishoudens (0 wel) en geen percentage, "
            f"verhouding, gemiddelde of mediaan waarvan de teller is afgeschermd of de noemer "
            f"minder dan {settings.kleinste_noemer} huishoudens telt. Waar een gepubliceerd "
            "totaal een afgeschermde cel zou verraden, is ook een andere cel afgeschermd; "
            "afgeschermde cellen staan als x.")
