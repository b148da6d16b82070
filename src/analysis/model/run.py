"""The verdeelmodel applied to the monitor data, one run per year (toepassing achteraf).

Per year the demand is the realised inflow of the doelgroepen on spoor 'verdeelafspraak' by
origin gemeente; 'tenzij' groups and households from outside the region form the regional
pool. Capacity comes from that year's mutaties; lettings that count under the limit but are
handled at other tables (e.g. statushouders) are already committed. The model's taakstelling is
then compared with where those households were actually housed (realisatie, saldo).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.context import Context
from analysis.model.config import VerdeelmodelConfig
from analysis.model.verdeelmodel import DistributionResult, distribute, inputs_from_frame


@dataclass(frozen=True, eq=False)
class ModelRun:
    resultaten: pd.DataFrame  # jaar × gemeente: the model columns + realisatie, saldo
    regio: pd.DataFrame  # per jaar: vraag, pool, geplaatst, tekort
    trace: pd.DataFrame  # per jaar: nummer, fase, gemeente, tekst


def _count_by(lettings: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    counted = lettings.groupby(["jaar", column], observed=False).size().rename(name)
    return counted.reset_index().rename(columns={column: "gemeente"})


def model_inputs(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per jaar × gemeente the model inputs and the realisation; per jaar the pool."""
    lettings, region = ctx.lettings, ctx.region
    modelled = lettings[lettings["model_groep"]]
    herkomst = modelled["herkomst_gemeente"].astype(str)
    in_pool = modelled["doelgroep"].isin(ctx.model.pool_doelgroepen) | ~herkomst.isin(
        region.gemeenten)
    own = modelled[~in_pool].assign(
        herkomst=pd.Categorical(herkomst[~in_pool], categories=list(region.gemeenten)))
    committed = lettings[lettings["telt_mee"] & ~lettings["model_groep"]]
    frame = (
        _count_by(own, "herkomst", "vraag")
        .merge(_count_by(committed, "gemeente", "reeds_toegezegd"), on=["jaar", "gemeente"])
        .merge(_count_by(modelled, "gemeente", "realisatie"), on=["jaar", "gemeente"])
        .astype({"gemeente": str, "jaar": int})
    )
    stock = ctx.voorraad.astype({"gemeente": str})
    cbs = ctx.cbs.astype({"gemeente": str})
    frame = (frame.merge(stock, on=["gemeente", "jaar"]).merge(cbs, on=["gemeente", "jaar"])
             .assign(verwachte_mutaties=lambda f: f["mutaties"]))
    order = {code: i for i, code in enumerate(region.gemeenten)}
    frame = frame.sort_values(["jaar", "gemeente"], key=lambda s: s.map(order) if
                              s.name == "gemeente" else s).reset_index(drop=True)
    pool = (modelled[in_pool].groupby("jaar", observed=False).size().rename("pool")
            .reset_index().astype({"jaar": int}))
    return frame, pool


def run_year(inputs: pd.DataFrame, pool: int, config: VerdeelmodelConfig, jaar: int
             ) -> tuple[pd.DataFrame, dict[str, int], pd.DataFrame]:
    """The model for one year: the results per gemeente, the region's totals and the trace."""
    result: DistributionResult = distribute(inputs_from_frame(inputs), int(pool), config)
    table = result.tabel
    # Published shares are percentages, as in the indicator table (one unit everywhere).
    table["sleutelaandeel"] = 100 * table["sleutelaandeel"].astype(float)
    regional = {"jaar": jaar, "vraag_eigen": int(inputs["vraag"].sum()), "pool": result.pool,
                "pool_geplaatst": result.pool_geplaatst,
                "geplaatst": int(table["taakstelling"].sum()), "tekort": result.tekort}
    return table.assign(jaar=jaar), regional, result.trace_table().assign(jaar=jaar)


def finish_run(tables: list[pd.DataFrame], regional: list[dict[str, int]],
               traces: list[pd.DataFrame]) -> ModelRun:
    resultaten = pd.concat(tables, ignore_index=True)
    resultaten = resultaten[["jaar", *[c for c in resultaten.columns if c != "jaar"]]]
    trace = pd.concat(traces, ignore_index=True)
    return ModelRun(resultaten=resultaten, regio=pd.DataFrame(regional),
                    trace=trace[["jaar", "nummer", "fase", "gemeente", "tekst"]])


def run_model(ctx: Context) -> ModelRun:
    frame, pool = model_inputs(ctx)
    pools = dict(zip(pool["jaar"], pool["pool"], strict=True))
    tables, regional, traces = [], [], []
    for jaar, inputs in frame.groupby("jaar", sort=True):
        table, totals, trace = run_year(inputs, pools[jaar], ctx.model, int(jaar))
        table = table.merge(inputs[["gemeente", "realisatie"]], on="gemeente")
        tables.append(table.assign(saldo=table["realisatie"] - table["taakstelling"]))
        regional.append(totals)
        traces.append(trace)
    return finish_run(tables, regional, traces)
