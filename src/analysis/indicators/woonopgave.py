"""Progress of the housing task per doelgroep (PPM): delivered, and delivered plus hard plans,
against the agreed task. Units (woningen, plaatsen, standplaatsen) are kept apart in
'categorie' so that region totals never add homes to care places."""

from __future__ import annotations

import pandas as pd

from analysis.config import RegionConfig
from analysis.context import Context
from analysis.indicators.table import finish, period_label, roll_up

KEYS = ["gemeente", "doelgroep", "eenheid"]
HARD = ("opgeleverd", "in_aanbouw", "harde_plancapaciteit")


def _phase_totals(ppm: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    wide = ppm.pivot_table(index=by, columns="fase", values="aantal", aggfunc="sum",
                           fill_value=0, observed=True)
    return wide.reindex(columns=["opgave", "plan", *HARD], fill_value=0).reset_index()


def horizon_phases(ppm: pd.DataFrame, region: RegionConfig) -> pd.DataFrame:
    """Per gemeente × doelgroep × eenheid the phases over the whole plan horizon, with
    deliveries counted up to the end of the monitor period (later ones are not yet real)."""
    ppm = ppm.astype({"gemeente": str, "doelgroep": str, "eenheid": str, "fase": str})
    realised = ppm[(ppm["fase"] != "opgeleverd") | (ppm["jaar"] <= region.jaar_tot_en_met)]
    phases = _phase_totals(realised, KEYS)
    return phases[phases["opgave"] > 0].reset_index(drop=True)


def compute(ctx: Context) -> list[pd.DataFrame]:
    ppm = ctx.ppm.astype({"gemeente": str, "doelgroep": str, "eenheid": str, "fase": str})
    region = ctx.region
    in_period = ppm[ppm["jaar"].isin(region.jaren)]
    yearly = _phase_totals(in_period, [*KEYS, "jaar"])
    yearly = yearly[yearly["opgave"] > 0]
    delivered = roll_up(
        yearly.rename(columns={"eenheid": "categorie", "opgeleverd": "teller", "opgave": "noemer"})
        [["gemeente", "jaar", "doelgroep", "categorie", "teller", "noemer"]],
        "voortgang_opgeleverd", region)

    horizon = horizon_phases(ctx.ppm, region)
    plan_period = period_label(ppm["jaar"].unique().tolist())
    # Each phase as a share of the task over the plan horizon (the progress chart), and the
    # three together (the progress indicator): so the chart's bars add up to the indicator.
    tellers = {f"voortgang_planperiode_{phase}": horizon[phase] for phase in HARD}
    tellers["voortgang_met_harde_plannen"] = horizon[list(HARD)].sum(axis=1)
    return [delivered, *(_over_horizon(horizon.assign(teller=teller, noemer=horizon["opgave"]),
                                       indicator, plan_period, region)
                         for indicator, teller in tellers.items())]


def _over_horizon(parts: pd.DataFrame, indicator: str, periode: str,
                  region: RegionConfig) -> pd.DataFrame:
    regional = parts.groupby(["doelgroep", "eenheid"], as_index=False)[["teller", "noemer"]].sum()
    rows = pd.concat([
        parts.assign(gebiedsniveau="gemeente", gebied=parts["gemeente"]),
        regional.assign(gebiedsniveau="regio", gebied=region.naam),
    ], ignore_index=True)
    rows = rows.assign(periode=periode, categorie=rows["eenheid"]).astype(
        {"teller": "float64", "noemer": "float64"})
    return finish(rows, indicator)
