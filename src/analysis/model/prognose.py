"""The verdeelmodel looking ahead: the taakstelling per gemeente for a coming year.

The inputs are what the region expects for that year: demand by origin, vacancies (mutaties)
and homes already committed under the limit. Each comes from an optional input file or, without
one, from the last years of the monitor data (labelled as such):
- verwachte mutaties: the latest social stock × the mean turnover rate (mutaties / stock) of
  the last N years, rounded to whole homes;
- verwachte vraag: the mean of the realised own-origin demand of those years (the households
  the model spreads after the fact), rounded half up; the pool likewise;
- reeds toegezegd: the mean of the lettings that count under the limit outside the model.
The key's bases are those of the latest year. Then the model runs once, as for any year, and
every input step goes into the trace before the model's own steps.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from analysis import codes
from analysis.config import RegionConfig
from analysis.context import Context
from analysis.model.config import VerdeelmodelConfig
from analysis.model.run import ModelRun, finish_run, model_inputs, run_year
from analysis.model.types import ModelInputError, exact
from analysis.tables import fmt_number, listing

# Where an input came from.
FROM_FILE = "invoer"
FROM_AVERAGE = "gemiddelde"
INPUTS = ("vraag", "verwachte_mutaties", "reeds_toegezegd")
# The optional sources (contract ids), per input.
SOURCES = {"vraag": "prognose_vraag", "verwachte_mutaties": "prognose_mutaties",
           "reeds_toegezegd": "reeds_toegezegd"}
# The prognosis' columns beside the model's: how the expected mutaties came about.
INPUT_COLUMNS = ("sociale_huurvoorraad", "mutatiegraad", "verwachte_mutaties")


@dataclass(frozen=True, eq=False)
class Prognosis:
    jaar: int  # the year of the taakstelling
    jaren: tuple[int, ...]  # the data years the averages run over
    bronnen: Mapping[str, str]  # per input (INPUTS): FROM_FILE or FROM_AVERAGE
    run: ModelRun  # one year: the model's columns plus INPUT_COLUMNS; the trace starts with
    # the input steps (fase 'prognose')


def basis_record(prognosis: Prognosis) -> dict[str, object]:
    """What a prognosis rests on, as stored beside its results (`from_record` reads it back)."""
    return {"jaar": prognosis.jaar, "jaren": list(prognosis.jaren),
            "bronnen": dict(prognosis.bronnen)}


def from_record(record: Mapping[str, object], run: ModelRun) -> Prognosis:
    return Prognosis(jaar=int(record["jaar"]), jaren=tuple(int(j) for j in record["jaren"]),
                     bronnen=dict(record["bronnen"]), run=run)


def period(jaar: int) -> str:
    """The period label of a prognosis' figures, apart from the data's years."""
    return f"prognose {jaar}"


def year_of(region: RegionConfig, config: VerdeelmodelConfig) -> int:
    """The year of the taakstelling: from the settings, else the year after the data."""
    return config.taakstelling_jaar or region.jaar_tot_en_met + 1


def target_year(ctx: Context) -> int:
    return year_of(ctx.region, ctx.model)


def missing_year(frames: Mapping[str, pd.DataFrame | None], jaar: int) -> list[str]:
    """The optional inputs delivered (contract id → rows) without a row for the year: the
    build refuses them before anything is written."""
    return [source for source in SOURCES.values()
            if (frame := frames.get(source)) is not None
            and not (frame["jaar"].astype(int) == jaar).any()]


def average_years(ctx: Context) -> tuple[int, ...]:
    return ctx.region.jaren[-ctx.model.jaren_gemiddelde:]


def _half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def _span(jaren: tuple[int, ...]) -> str:
    return str(jaren[0]) if len(jaren) == 1 else f"{jaren[0]}–{jaren[-1]}"


def _year_rows(frame: pd.DataFrame | None, jaar: int, source: str) -> pd.DataFrame | None:
    """The rows of an optional input for the year; None without the file."""
    if frame is None:
        return None
    rows = frame[frame["jaar"].astype(int) == jaar].astype({"gemeente": str})
    if rows.empty:
        raise ModelInputError(f"{source}: het bestand heeft geen rijen voor {jaar}, het jaar van "
                              "de taakstelling (instelling taakstelling.jaar)")
    return rows


def _per_gemeente(rows: pd.DataFrame, column: str, gemeenten: tuple[str, ...], source: str,
                  jaar: int) -> dict[str, int]:
    found = rows.groupby("gemeente")[column].sum()
    missing = [g for g in gemeenten if g not in found.index]
    if missing:
        raise ModelInputError(f"{source}: geen rij voor {jaar} voor "
                              f"{listing([codes.labels('gemeenten')[g] for g in missing])}")
    return {g: int(found[g]) for g in gemeenten}


def _say(texts: dict[str, list[str]], values: Mapping[str, int], template: str) -> None:
    """One clause per gemeente for the trace: `template` with the gemeente's value."""
    for g, value in values.items():
        texts[g].append(template.format(fmt_number(value)))


def _averaged(texts: dict[str, list[str]], sums: pd.Series, n: int, template: str
              ) -> dict[str, int]:
    """Per gemeente (in the order of `texts`) its sum over `n` years / `n`, rounded half up,
    and the clause that shows it: `template` with the mean, the sum and `n`."""
    means = {g: _half_up(Fraction(int(sums[g]), n)) for g in texts}
    for g, mean in means.items():
        texts[g].append(template.format(fmt_number(mean), fmt_number(sums[g]), n))
    return means


def prognose(ctx: Context) -> Prognosis:
    """The taakstelling for the coming year (settings `taakstelling`), with its trace."""
    region, config = ctx.region, ctx.model
    jaar, jaren = target_year(ctx), average_years(ctx)
    gemeenten = region.gemeenten
    history, pools = model_inputs(ctx)
    history = history[history["jaar"].isin(jaren)]
    n = len(jaren)
    labels = codes.labels("gemeenten")

    latest = history[history["jaar"] == jaren[-1]].set_index("gemeente")
    frame = latest.loc[list(gemeenten), ["sociale_huurvoorraad", "mutaties", "inwoners",
                                        "huishoudens"]].copy()
    sums = history.groupby("gemeente")[["vraag", "reeds_toegezegd"]].sum()
    rates = (history.assign(graad=[exact(m) / exact(v) if v else Fraction(0) for m, v in
                                   zip(history["mutaties"], history["sociale_huurvoorraad"],
                                       strict=True)])
             .groupby("gemeente")["graad"].agg(lambda r: sum(r, Fraction(0)) / len(r)))

    bronnen, texts = {}, {g: [] for g in gemeenten}
    mutaties = _year_rows(ctx.prognose_mutaties, jaar, SOURCES["verwachte_mutaties"])
    if mutaties is None:
        bronnen["verwachte_mutaties"] = FROM_AVERAGE
        expected = {}
        for g in gemeenten:
            stock = exact(frame.loc[g, "sociale_huurvoorraad"])
            expected[g] = _half_up(stock * rates[g])
            texts[g].append(
                f"verwachte mutaties {fmt_number(expected[g])} = sociale huurvoorraad "
                f"{jaren[-1]} {fmt_number(stock)} × gemiddelde mutatiegraad {_span(jaren)} "
                f"{fmt_number(100 * rates[g], 4)}%, afgerond op hele woningen")
    else:
        bronnen["verwachte_mutaties"] = FROM_FILE
        expected = _per_gemeente(mutaties, "verwachte_mutaties", gemeenten,
                                 SOURCES["verwachte_mutaties"], jaar)
        _say(texts, expected, "verwachte mutaties {} volgens de prognose van de corporaties")

    demand_rows = _year_rows(ctx.prognose_vraag, jaar, SOURCES["vraag"])
    own_groups = [d for d in config.model_doelgroepen if d not in config.pool_doelgroepen]
    if demand_rows is None:
        bronnen["vraag"] = FROM_AVERAGE
        demand = _averaged(texts, sums["vraag"], n, "verwachte eigen vraag {} = gemiddelde "
                           f"{_span(jaren)} van de gerealiseerde verhuringen naar herkomst "
                           "({} / {}), afgerond")
        pool_total = int(pools.loc[pools["jaar"].isin(jaren), "pool"].sum())
        pool = _half_up(Fraction(pool_total, n))
        pool_text = (f"Regionale pool {jaar}: gemiddelde {_span(jaren)} van de huishoudens in "
                     f"de pool ({fmt_number(pool_total)} / {n}) = {fmt_number(pool)}, afgerond.")
    else:
        bronnen["vraag"] = FROM_FILE
        in_region = demand_rows[demand_rows["doelgroep"].astype(str).isin(own_groups)]
        demand = {g: int(in_region.loc[in_region["gemeente"] == g, "aantal"].sum())
                  for g in gemeenten}
        _say(texts, demand, "verwachte eigen vraag {} volgens de registratie van de regio")
        pool = int(demand_rows.loc[demand_rows["doelgroep"].astype(str).isin(
            config.pool_doelgroepen), "aantal"].sum())
        pool_text = (f"Regionale pool {jaar}: {fmt_number(pool)} huishoudens volgens de "
                     "registratie van de regio.")

    committed_rows = _year_rows(ctx.reeds_toegezegd, jaar, SOURCES["reeds_toegezegd"])
    if committed_rows is None:
        bronnen["reeds_toegezegd"] = FROM_AVERAGE
        committed = _averaged(texts, sums["reeds_toegezegd"], n, "reeds toegezegd {} = "
                              f"gemiddelde {_span(jaren)} van de verhuringen die meetellen voor "
                              "de grens maar buiten het verdeelmodel vallen ({} / {}), afgerond")
    else:
        bronnen["reeds_toegezegd"] = FROM_FILE
        committed = _per_gemeente(committed_rows, "aantal", gemeenten,
                                  SOURCES["reeds_toegezegd"], jaar)
        _say(texts, committed, "reeds toegezegd {} volgens de opgave van de gemeente")

    inputs = frame.reset_index().assign(
        vraag=[demand[g] for g in gemeenten],
        verwachte_mutaties=[expected[g] for g in gemeenten],
        reeds_toegezegd=[committed[g] for g in gemeenten])
    table, totals, trace = run_year(inputs, pool, config, jaar)
    table = table.merge(inputs[["gemeente", "sociale_huurvoorraad"]], on="gemeente").assign(
        mutatiegraad=[float(100 * rates[g]) for g in gemeenten],
        verwachte_mutaties=[expected[g] for g in gemeenten])
    steps = [(g, f"{labels[g]}: " + "; ".join(texts[g]) + ".") for g in gemeenten]
    steps.append((None, pool_text))
    own_steps = pd.DataFrame({"jaar": jaar, "nummer": range(1, len(steps) + 1),
                              "fase": ["prognose"] * len(gemeenten) + ["prognose_pool"],
                              "gemeente": [g for g, _ in steps],
                              "tekst": [t for _, t in steps]})
    trace = trace.assign(nummer=trace["nummer"] + len(steps))
    run = finish_run([table], [totals], [own_steps, trace])
    return Prognosis(jaar=jaar, jaren=jaren, bronnen=bronnen, run=run)
