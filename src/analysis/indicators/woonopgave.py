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

    horizon = horizon_phases(ctx.ppm, region).assign(
        teller=lambda f: f[list(HARD)].sum(axis=1), noemer=lambda f: f["opgave"])
    regional = horizon.groupby(["doelgroep", "eenheid"], as_index=False)[["teller", "noemer"]].sum()
    rows = pd.concat([
        horizon.assign(gebiedsniveau="gemeente", gebied=horizon["gemeente"]),
        regional.assign(gebiedsniveau="regio", gebied=region.naam),
    ], ignore_index=True)
    rows = rows.assign(periode=period_label(ppm["jaar"].unique().tolist()),
                       categorie=rows["eenheid"]).astype({"teller": "float64",
                                                          "noemer": "float64"})
    return [delivered, finish(rows, "voortgang_met_harde_plannen")]
