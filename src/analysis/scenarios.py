"""Scenarios: the taakstelling for the coming year under several verdeelmodel settings files, on
the same processed data, side by side; and how the first scenario's taakstelling moves when the
limit or a weight of the key changes (the sensitivity grid).

Every scenario runs the whole analysis (`analyse`), so its prognosis is protected as the build
protects it. Figures of several scenarios are read side by side, so the comparison is protected
once more, jointly: a figure that is the same in two scenarios (the expected demand, usually)
is one cell, hidden in both or in neither, and the relations of every scenario hold at once.
A scenario with the build's own settings keeps what the build published (those figures are out
already); the grid follows the same rule, with each gemeente hidden that the first scenario
hides. `compare` does all of it; the report module only formats what it returns.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from analysis import codes
from analysis.analyse import analyse
from analysis.config import ConfigError, RegionConfig
from analysis.context import prepare
from analysis.disclosure import SHOWN, small, suppress
from analysis.indicators.table import ALLE
from analysis.model.config import (
    BASES,
    CAPACITY_BASES,
    CAPACITY_ROUNDING,
    MODEL_SPOOR,
    ROUNDING_METHODS,
    SPOREN,
    VerdeelmodelConfig,
    load_verdeelmodel_config,
)
from analysis.model.prognose import Prognosis, period, prognose
from analysis.model.run import ModelRun
from analysis.processed import ProcessedData, load_processed
from analysis.protection import (
    HIDDEN_COLUMNS,
    KEY,
    MODEL_COUNTS,
    MODEL_DERIVED,
    MODEL_REGION_TOTALS,
    relations,
)
from analysis.report.data import ReportData, load_report_data
from analysis.tables import fmt_number

# The limits of the sensitivity grid; the current one joins them when it is not one of them.
LIMITS = (0.25, 0.275, 0.30, 0.325, 0.35)
WEIGHT_STEP = 0.10  # a key weight moves this much up and down (10 procentpunt)
DEFAULT_NAME = "Huidige instellingen"  # the build's settings without a 'naam:'
LIMIT, WEIGHTS = "grens", "sleutel"  # the two kinds of variant in the grid
# The model's figures the small-count rule protects (counts) or may hide to protect one.
PROTECTED = (*MODEL_COUNTS, *MODEL_DERIVED, "grensruimte")
REGION_CAPACITY = "capaciteit"  # the region's total capacity: a cell the comparison adds
DIFFERENCE, DIFFERENCE_PERCENT = "verschil_huishoudens", "verschil_procent"


@dataclass(frozen=True)
class Scenario:
    naam: str  # as readers see it: 'naam:' in the file, else the file name without extension
    config: VerdeelmodelConfig


def scenario_name(config: VerdeelmodelConfig, path: Path) -> str:
    return config.naam or path.stem


def load_scenarios(paths: Sequence[Path]) -> tuple[Scenario, ...]:
    """Every settings file read and checked before anything runs; all problems at once, each
    naming its file and setting. Two scenarios with one name would be indistinguishable."""
    problems: list[str] = []
    loaded: list[tuple[Path, VerdeelmodelConfig]] = []
    for path in map(Path, paths):
        try:
            loaded.append((path, load_verdeelmodel_config(path)))
        except ConfigError as exc:
            problems.append(str(exc))
    seen: dict[str, Path] = {}
    for path, config in loaded:
        name = scenario_name(config, path)
        key = codes.name_key(name)
        if key in seen:
            problems.append(f"{path}: instelling 'naam': '{name}' is ook de naam van het scenario "
                            f"in {seen[key]}; geef elk scenario een eigen naam (instelling "
                            "'naam', anders telt de bestandsnaam)")
        seen.setdefault(key, path)
    if problems:
        raise ConfigError("\n".join(problems))
    return tuple(Scenario(scenario_name(config, path), config) for path, config in loaded)


def same_settings(a: VerdeelmodelConfig, b: VerdeelmodelConfig) -> bool:
    """Whether two settings give the same model results (file and name aside)."""
    def plain(config: VerdeelmodelConfig) -> VerdeelmodelConfig:
        return dataclasses.replace(config, bron="", naam=None)

    return plain(a) == plain(b)


# --- The sensitivity grid ----------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """One column of the grid: the first scenario's settings with another limit, or with one
    key weight `stap` higher (the others rescaled so the weights still sum to 1)."""

    soort: str  # LIMIT or WEIGHTS
    mutatiegrens: float
    gewichten: Mapping[str, float]  # summing to 1
    basis: str | None = None  # WEIGHTS: the base whose weight moved
    stap: float = 0.0  # WEIGHTS: +WEIGHT_STEP or −WEIGHT_STEP
    huidig: bool = False  # LIMIT: the current limit

    def apply(self, config: VerdeelmodelConfig) -> VerdeelmodelConfig:
        return dataclasses.replace(config, mutatiegrens=self.mutatiegrens,
                                   gewichten=MappingProxyType(dict(self.gewichten)),
                                   normaliseren=True)  # exact sums are not needed


def _weights(config: VerdeelmodelConfig) -> dict[str, float]:
    total = sum(config.gewichten.values())
    return {base: weight / total for base, weight in config.gewichten.items()}


def variants(config: VerdeelmodelConfig) -> tuple[Variant, ...]:
    """The limits of `LIMITS` (and the current one), then per weighted base its weight
    `WEIGHT_STEP` up and down; a weight outside 0–1, or a key of one base (nothing to rescale),
    gives no variant."""
    weights = _weights(config)
    limits = sorted({round(x, 6) for x in (*LIMITS, config.mutatiegrens)})
    found = [Variant(LIMIT, limit, weights, huidig=abs(limit - config.mutatiegrens) < 1e-6)
             for limit in limits]
    seen: list[dict[str, float]] = []
    for base, weight in weights.items():
        rest = 1 - weight
        if weight <= 0 or rest <= 1e-9:
            continue
        for step in (WEIGHT_STEP, -WEIGHT_STEP):
            moved = round(weight + step, 9)
            if not 0 <= moved <= 1:
                continue
            shifted = {b: moved if b == base else w * (1 - moved) / rest
                       for b, w in weights.items()}
            # With two bases, one up is the other down: the same key once.
            if any(all(abs(shifted[b] - s[b]) < 1e-9 for b in shifted) for s in seen):
                continue
            seen.append(shifted)
            found.append(Variant(WEIGHTS, config.mutatiegrens, shifted, base, step))
    return tuple(found)


@dataclass(frozen=True, eq=False)
class Grid:
    """The model's prognosis per variant, unprotected: `gemeenten` (variant number, gemeente,
    capaciteit, taakstelling) and `regio` (variant number, capaciteit, taakstelling, tekort,
    vraag_eigen, pool)."""

    variants: tuple[Variant, ...]
    gemeenten: pd.DataFrame
    regio: pd.DataFrame


def sensitivity(data: ProcessedData, region: RegionConfig, config: VerdeelmodelConfig) -> Grid:
    """The prognosis for every variant of `config` (`variants`): the model only, no indicators
    or protection, so the grid takes seconds."""
    found = variants(config)
    gemeenten, regio = [], []
    for number, variant in enumerate(found):
        run = prognose(prepare(data, region, variant.apply(config))).run
        rows = run.resultaten.astype({"gemeente": str})
        gemeenten.append(rows[["gemeente", "capaciteit", "taakstelling"]].assign(variant=number))
        totals = run.regio.iloc[0]
        regio.append({"variant": number, "capaciteit": int(rows["capaciteit"].sum()),
                      "taakstelling": int(rows["taakstelling"].sum()),
                      "tekort": int(totals["tekort"]), "vraag_eigen": int(totals["vraag_eigen"]),
                      "pool": int(totals["pool"])})
    return Grid(found, pd.concat(gemeenten, ignore_index=True)[
        ["variant", "gemeente", "capaciteit", "taakstelling"]], pd.DataFrame(regio))


# --- The comparison ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Outlook:
    """One scenario's prognosis: as the model computed it (`raw`, confidential) and as its own
    analysis may publish it; `public` when the build published it already (its settings)."""

    scenario: Scenario
    raw: Prognosis
    published: ModelRun
    public: bool


@dataclass(frozen=True, eq=False)
class Comparison:
    """What the scenario document and the exports show; every figure protected."""

    scenarios: tuple[Scenario, ...]
    prognoses: tuple[Prognosis, ...]  # per scenario: jaar, jaren and bronnen (figures raw:
    # read them from `resultaten`)
    resultaten: pd.DataFrame  # the long table: one row per scenario and gemeente
    regio: pd.DataFrame  # one row per scenario: the region's totals
    grid: Grid  # the variants of the first scenario, protected (hidden: NaN)
    region: RegionConfig
    demo: bool
    kleinste_aantal: int

    @property
    def first(self) -> Scenario:
        return self.scenarios[0]


def compare(processed: Path, paths: Sequence[Path] = ()) -> Comparison:
    """The scenarios of `paths` (none: the settings the build used) on the processed data and
    region settings of `processed`, with the sensitivity grid of the first one."""
    processed = Path(processed)
    chosen = load_scenarios(paths)
    report = load_report_data(processed)  # the build's settings and what it published
    if not chosen:
        chosen = (Scenario(report.model_config.naam or DEFAULT_NAME, report.model_config),)
    data = load_processed(processed)
    outlooks = tuple(_outlook(scenario, data, report) for scenario in chosen)
    grid = sensitivity(data, report.region, chosen[0].config)
    return _protected(outlooks, grid, report)


def _outlook(scenario: Scenario, data: ProcessedData, report: ReportData) -> Outlook:
    if same_settings(scenario.config, report.model_config):
        # The build ran these settings: the same figures, already published; only the model
        # runs again, for the raw values the joint protection compares.
        raw = prognose(prepare(data, report.region, scenario.config))
        return Outlook(scenario, raw, report.prognose.run, public=True)
    done = analyse(data, report.region, scenario.config)
    return Outlook(scenario, done.prognosis, done.published.prognose, public=False)


def _listed(text: str) -> set[str]:
    return {c.strip() for c in text.split(",") if c.strip()}


def _cells(outlooks: Sequence[Outlook], grid: Grid, region: RegionConfig) -> pd.DataFrame:
    """Every figure the comparison publishes as a cell (reeks and KEY, with `periode` naming
    its scenario or variant; `scenario` and `variant` number it, −1 where it is the other),
    with its raw value, whether its own analysis hid it (`hidden`), whether it must stay hidden
    (`forced`: the build hid it, or the grid's rule), whether the build published it
    (`public`) and whether the small-count rule applies (`count`)."""
    parts = []
    first_hidden_task: set[str] = set()
    for number, outlook in enumerate(outlooks):
        rows = outlook.raw.run.resultaten.astype({"gemeente": str}).reset_index(drop=True)
        published = outlook.published.resultaten.astype({"gemeente": str})
        hidden = (published.set_index("gemeente")[HIDDEN_COLUMNS].map(_listed)
                  .reindex(rows["gemeente"]).to_numpy())
        for column in PROTECTED:
            if column not in rows:
                continue
            shut = np.array([column in h for h in hidden])
            parts.append(pd.DataFrame({
                "scenario": number, "reeks": column, "gebiedsniveau": "gemeente",
                "gebied": rows["gemeente"], "value": rows[column].astype(float),
                "hidden": shut, "public": outlook.public, "count": column in MODEL_COUNTS}))
            if number == 0 and column == "taakstelling":
                first_hidden_task = set(rows.loc[shut, "gemeente"])
        totals = outlook.raw.run.regio.iloc[0]
        region_hidden = _listed(outlook.published.regio[HIDDEN_COLUMNS].iloc[0])
        # The build shows the region's capacity only where every gemeente's is shown.
        capacity_public = outlook.public and not any("capaciteit" in h for h in hidden)
        reeksen = [*MODEL_REGION_TOTALS.values(), REGION_CAPACITY]
        parts.append(pd.DataFrame({
            "scenario": number, "reeks": reeksen, "gebiedsniveau": "regio",
            "gebied": region.naam,
            "value": [*(float(totals[s]) for s in MODEL_REGION_TOTALS),
                      float(rows["capaciteit"].sum())],
            "hidden": [*(s in region_hidden for s in MODEL_REGION_TOTALS), False],
            "public": [outlook.public] * len(MODEL_REGION_TOTALS) + [capacity_public],
            "count": [True] * len(MODEL_REGION_TOTALS) + [False]}))
    for number in range(len(grid.variants)):
        rows = grid.gemeenten[grid.gemeenten["variant"] == number]
        parts.append(pd.DataFrame({
            "variant": number, "reeks": "taakstelling", "gebiedsniveau": "gemeente",
            "gebied": rows["gemeente"], "value": rows["taakstelling"].astype(float),
            # a gemeente the first scenario hides is hidden in every variant
            "forced": rows["gemeente"].isin(first_hidden_task), "count": True}))
        totals = grid.regio[grid.regio["variant"] == number].iloc[0]
        parts.append(pd.DataFrame({
            "variant": [number], "reeks": "tekort", "gebiedsniveau": "regio",
            "gebied": region.naam, "value": [float(totals["tekort"])], "count": True}))
    cells = pd.concat(parts, ignore_index=True)
    cells = cells.fillna({"scenario": -1, "variant": -1, "hidden": False, "forced": False,
                          "public": False}).astype({"scenario": int, "variant": int,
                                                    "hidden": bool, "forced": bool,
                                                    "public": bool, "count": bool})
    cells["forced"] |= cells["public"] & cells["hidden"]
    periode = np.where(cells["scenario"] >= 0, "scenario " + cells["scenario"].astype(str),
                       "variant " + cells["variant"].astype(str))
    return cells.assign(periode=periode, doelgroep=MODEL_SPOOR, categorie=ALLE)


def _relations(cells: pd.DataFrame, region: RegionConfig, config: VerdeelmodelConfig
               ) -> list[np.ndarray]:
    """The relations between the cells (row numbers): those the protection step knows, per
    scenario (the model's columns add up, the gemeenten add up to the region), and per variant
    of the grid: its taakstellingen plus its shortfall are the region's demand and pool (those
    of the first scenario, which the variants share)."""
    found = relations(cells[["reeks", *KEY, "value"]].reset_index(drop=True), region, config)
    first_region = cells[(cells["scenario"] == 0) & (cells["gebiedsniveau"] == "regio")]
    demand = first_region.index[first_region["reeks"].isin(["vraag_eigen", "pool"])]
    for _, members in cells[cells["variant"] >= 0].groupby("variant"):
        found.append(np.array([*members.index, *demand]))
    return found


def _statuses(cells: pd.DataFrame, related: list[np.ndarray], smallest: int) -> np.ndarray:
    """Per row of `cells`, whether the comparison hides it. Rows with the same series, place
    and value are one cell: a reader who sees it in one scenario knows it in the other. A cell
    the build published stays as published; the others start from what their own analysis
    hid and the small-count rule, and secondary suppression runs over all relations at
    once."""
    number = cells.assign(v=cells["value"].round(6)).groupby(
        ["reeks", "gebiedsniveau", "gebied", "v"], sort=False).ngroup().to_numpy()
    grouped = cells.assign(
        cell=number, out=cells["public"] & ~cells["hidden"],
        fixed=cells["forced"] | (cells["count"] & small(cells["value"], smallest)),
    ).groupby("cell", sort=True)
    values = grouped["value"].first().to_numpy()
    out = grouped["out"].any().to_numpy()
    inherited = grouped["hidden"].any().to_numpy() & ~out
    fixed = grouped["fixed"].any().to_numpy()
    suppressible = ~out & (grouped["reeks"].first() != "grensruimte").to_numpy()
    merged = [r for r in (np.unique(number[r]) for r in related) if len(r) > 1]
    try:
        status = suppress(values, inherited | fixed, suppressible, merged)
    except ValueError:
        # A figure that a scenario's own protection hid is known from the build's
        # publication: protect from what must be hidden instead.
        status = suppress(values, fixed, suppressible, merged)
    return status[number] != SHOWN


def _protected(outlooks: Sequence[Outlook], grid: Grid, report: ReportData) -> Comparison:
    region = report.region
    cells = _cells(outlooks, grid, region)
    related = _relations(cells, region, outlooks[0].scenario.config)
    cells["hidden"] = _statuses(cells, related, region.openbaarheid.kleinste_aantal)
    results = [_published_results(o, cells[cells["scenario"] == n])
               for n, o in enumerate(outlooks)]
    totals = [_published_region(o, cells[cells["scenario"] == n])
              for n, o in enumerate(outlooks)]
    return Comparison(
        scenarios=tuple(o.scenario for o in outlooks),
        prognoses=tuple(o.raw for o in outlooks),
        resultaten=_with_differences(pd.concat(results, ignore_index=True)),
        regio=pd.DataFrame(totals), grid=_published_grid(grid, cells[cells["variant"] >= 0]),
        region=region, demo=report.demo,
        kleinste_aantal=region.openbaarheid.kleinste_aantal)


def _published_results(outlook: Outlook, cells: pd.DataFrame) -> pd.DataFrame:
    """The scenario's rows of the long table: the prognosis' columns with hidden cells empty
    and named in HIDDEN_COLUMNS, after the scenario, period and gemeente (code and name)."""
    rows = outlook.raw.run.resultaten.astype({"gemeente": str}).reset_index(drop=True)
    at_gemeente = cells[cells["gebiedsniveau"] == "gemeente"]
    hidden = at_gemeente.pivot(index="gebied", columns="reeks", values="hidden").reindex(
        rows["gemeente"])
    columns = [c for c in rows.columns if c in hidden.columns]
    for column in columns:
        rows[column] = rows[column].astype("float64").where(~hidden[column].to_numpy())
    rows[HIDDEN_COLUMNS] = [", ".join(c for c in columns if row[c])
                            for _, row in hidden[columns].iterrows()]
    names = codes.labels("gemeenten")
    rows.insert(0, "periode", period(outlook.raw.jaar))
    rows.insert(0, "scenario", outlook.scenario.naam)
    rows.insert(int(rows.columns.get_loc("gemeente")) + 1, "gemeente_naam",
                rows["gemeente"].map(lambda g: codes.typographic(names[g])))
    return rows


REGION_COLUMNS = {"vraag_eigen": "vraag_eigen", "pool": "pool", "capaciteit": REGION_CAPACITY,
                  "taakstelling": "taakstelling", "tekort": "tekort"}


def _published_region(outlook: Outlook, cells: pd.DataFrame) -> dict[str, object]:
    """The region's totals: demand, pool, capacity, taakstelling (the households placed) and
    shortfall; hidden ones empty."""
    at_region = cells[cells["gebiedsniveau"] == "regio"].set_index("reeks")
    row: dict[str, object] = {"scenario": outlook.scenario.naam,
                              "periode": period(outlook.raw.jaar), "jaar": outlook.raw.jaar}
    for column, reeks in REGION_COLUMNS.items():
        row[column] = np.nan if at_region.loc[reeks, "hidden"] else at_region.loc[reeks, "value"]
    row[HIDDEN_COLUMNS] = ", ".join(c for c, r in REGION_COLUMNS.items()
                                    if at_region.loc[r, "hidden"])
    return row


def _with_differences(frame: pd.DataFrame) -> pd.DataFrame:
    """The taakstelling against the first scenario's, per gemeente, in households and percent
    of the first's; empty where either is hidden (and the percentage where the first is 0)."""
    first = frame[frame["scenario"] == frame["scenario"].iloc[0]].set_index("gemeente")
    base = frame["gemeente"].map(first["taakstelling"])
    difference = frame["taakstelling"] - base
    percent = (100 * difference / base.where(base != 0))
    return frame.assign(**{DIFFERENCE: difference, DIFFERENCE_PERCENT: percent})


def _published_grid(grid: Grid, cells: pd.DataFrame) -> Grid:
    """The grid with every hidden taakstelling and shortfall empty; the capacity is not
    published per variant."""
    tasks = cells[cells["reeks"] == "taakstelling"].set_index(["variant", "gebied"])["hidden"]
    gemeenten = grid.gemeenten.copy()
    shut = tasks.reindex(pd.MultiIndex.from_frame(gemeenten[["variant", "gemeente"]]))
    gemeenten["taakstelling"] = gemeenten["taakstelling"].astype(float).where(
        ~shut.to_numpy(dtype=bool))
    shortfall = cells[cells["reeks"] == "tekort"].set_index("variant")["hidden"]
    regio = grid.regio[["variant", "tekort"]].copy()
    regio["tekort"] = regio["tekort"].astype(float).where(
        ~shortfall.reindex(regio["variant"]).to_numpy(dtype=bool))
    return Grid(grid.variants, gemeenten[["variant", "gemeente", "taakstelling"]], regio)


def export_table(comparison: Comparison) -> pd.DataFrame:
    """The long table as the Parquet export holds it: whole households and homes as whole
    numbers (empty where hidden)."""
    frame = comparison.resultaten
    fractions = ("sleutelaandeel", "mutatiegraad", DIFFERENCE_PERCENT)
    whole = [c for c in frame.select_dtypes("number").columns if c not in fractions]
    return frame.astype(dict.fromkeys(whole, "Int64"))


# --- The settings that differ ----------------------------------------------------------------


def _percent(value: float) -> str:
    return f"{fmt_number(100 * value, 1)}%"


def _labels(values: Sequence[str], code_list: str) -> str:
    labels = codes.labels(code_list)
    return ", ".join(codes.in_sentence(labels[v]) if i else labels[v]
                     for i, v in enumerate(values)) or "geen"


def _year(config: VerdeelmodelConfig) -> str:
    return str(config.taakstelling_jaar) if config.taakstelling_jaar else "het jaar na de gegevens"


def settings_rows(config: VerdeelmodelConfig) -> dict[str, str]:
    """Every setting of the model as readers see it, under a Dutch label."""
    weights = _weights(config)
    rows = {
        "Mutatiegrens": _percent(config.mutatiegrens),
        "Basis van de capaciteit": CAPACITY_BASES[config.capaciteit_basis],
        "Afronding van de capaciteit": CAPACITY_ROUNDING[config.capaciteit_afronding],
    }
    rows |= {f"Gewicht {label} in de verdeelsleutel": _percent(weights.get(base, 0.0))
             for base, label in BASES.items()}
    rows |= {
        "Afronding op hele huishoudens": ROUNDING_METHODS[config.afronding],
        "Doelgroepen die meetellen voor de grens": _labels(config.grens_doelgroepen,
                                                           "doelgroepen"),
        "Routes die meetellen voor de grens": _labels(config.grens_routes, "toewijzingsroutes"),
        "Ook getoond zonder (doelgroepen)": _labels(config.zonder_doelgroepen, "doelgroepen"),
        "Ook getoond zonder (routes)": _labels(config.zonder_routes, "toewijzingsroutes"),
        "Regionale pool": _labels(config.pool_doelgroepen, "doelgroepen"),
    }
    labels = codes.labels("doelgroepen")
    rows |= {f"Spoor van {codes.in_sentence(labels[d])}": SPOREN[spoor]
             for d, spoor in config.sporen.items()}
    rows |= {"Jaar van de taakstelling": _year(config),
             "Gemiddelden over": f"{config.jaren_gemiddelde} jaar"}
    return rows


def settings_differences(scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """One row per setting whose value differs between the scenarios: 'Instelling' and a
    column per scenario; no rows when they agree (or there is one)."""
    per = [settings_rows(s.config) for s in scenarios]
    labels = list(dict.fromkeys(label for rows in per for label in rows))
    rows = [{"Instelling": label, **{s.naam: r.get(label, "–") for s, r in
                                     zip(scenarios, per, strict=True)}}
            for label in labels if len({r.get(label) for r in per}) > 1]
    return pd.DataFrame(rows, columns=["Instelling", *(s.naam for s in scenarios)])
