"""The verdeelmodel's outcome as indicators: key share, taakstelling, realisatie and saldo."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from analysis.context import Context
from analysis.indicators.table import finish, period_label, roll_up

if TYPE_CHECKING:
    from analysis.model.run import ModelRun


def compute(ctx: Context, run: ModelRun) -> list[pd.DataFrame]:
    region = ctx.region
    results = run.resultaten.astype({"gemeente": str}).assign(doelgroep="verdeelafspraak",
                                                               categorie="alle")
    counts = [
        roll_up(results.rename(columns={column: "teller"})[
            ["gemeente", "jaar", "doelgroep", "categorie", "teller"]], column, region)
        for column in ("taakstelling", "realisatie", "saldo")
    ]
    # A key share is a weighted mix of shares, not a ratio of sums: per year as computed, the
    # period value is the mean over the years, and the region is 100% by definition.
    # The model results give the share in percent; the teller is the share itself, which the
    # catalogue's factor 100 turns back into the same percentage.
    share = results.assign(teller=results["sleutelaandeel"] / 100, noemer=1.0)
    yearly = share.assign(periode=share["jaar"].astype(str))
    whole = (share.groupby("gemeente", as_index=False, sort=False)
             .agg(teller=("teller", "mean"), noemer=("noemer", "first"))
             .assign(periode=period_label(region.jaren)))
    gemeenten = pd.concat([yearly, whole], ignore_index=True).assign(gebiedsniveau="gemeente",
                                                                     gebied=lambda f: f["gemeente"])
    regio = pd.DataFrame({"periode": [*map(str, region.jaren), period_label(region.jaren)]}).assign(
        gebiedsniveau="regio", gebied=region.naam, teller=1.0, noemer=1.0)
    key = pd.concat([gemeenten, regio], ignore_index=True).assign(doelgroep="verdeelafspraak",
                                                                  categorie="alle")
    return [*counts, finish(key, "sleutelaandeel")]
