"""Lettings per wijk and the concentration of priority groups in a wijk against its gemeente
(kansrijke woonstart).

Only lettings with a CBS wijk code count, for the wijk and for the gemeente it is compared with,
so the wijken of a gemeente add up to the gemeente figure. Wijk rows carry the gemeente (the
code's digits 3–6, as CBS numbers wijken) as their categorie."""

from __future__ import annotations

import pandas as pd

from analysis.config import RegionConfig
from analysis.context import Context
from analysis.indicators.table import AANDACHTSGROEPEN, ALLE, finish, period_label, roll_up


def wijk_gemeente(wijk: pd.Series) -> pd.Series:
    """The gemeente code of CBS wijk codes: WK051801 lies in GM0518."""
    return "GM" + wijk.astype(str).str[2:6]


def compute(ctx: Context) -> list[pd.DataFrame]:
    lettings = ctx.lettings[ctx.lettings["wijk_code"].notna()]
    if lettings.empty:
        return []
    frame = lettings.assign(wijk=lettings["wijk_code"].astype(str),
                            jaar=lettings["jaar"].astype(int))
    per_year = (frame.groupby(["wijk", "jaar"], observed=True)
                .agg(aandacht=("aandachtsgroep", "sum"), alle=("aandachtsgroep", "size"))
                .reset_index())
    whole = (per_year.groupby("wijk", as_index=False)[["aandacht", "alle"]].sum()
             .assign(periode=period_label(ctx.region.jaren)))
    wijk = pd.concat([per_year.assign(periode=per_year["jaar"].astype(str)), whole],
                     ignore_index=True).drop(columns="jaar")
    wijk = wijk.astype({"aandacht": "float64", "alle": "float64"})
    wijk["gemeente"] = wijk_gemeente(wijk["wijk"])
    gemeente = (wijk.groupby(["gemeente", "periode"], as_index=False)[["aandacht", "alle"]].sum()
                .rename(columns={"aandacht": "g_aandacht", "alle": "g_alle"}))
    wijk = wijk.merge(gemeente, on=["gemeente", "periode"])
    base = wijk.assign(gebiedsniveau="wijk", gebied=wijk["wijk"], categorie=wijk["gemeente"])
    share = base.assign(doelgroep=AANDACHTSGROEPEN, teller=base["aandacht"],
                        noemer=base["alle"])
    index = finish(share.assign(teller=share["teller"] / share["noemer"],
                                noemer=share["g_aandacht"] / share["g_alle"]),
                   "concentratie_index_wijk")
    return [_lettings(base, per_year, ctx.region),
            finish(share, "aandeel_aandachtsgroepen_wijk"), index,
            _above_threshold(index, share, ctx.region)]


def _lettings(base: pd.DataFrame, per_year: pd.DataFrame, region: RegionConfig
              ) -> pd.DataFrame:
    """Lettings with a wijk code per wijk, and per gemeente and the region (the wijken's total),
    for everyone and for the aandachtsgroepen."""
    wijk = pd.concat([base.assign(doelgroep=ALLE, teller=base["alle"]),
                      base.assign(doelgroep=AANDACHTSGROEPEN, teller=base["aandacht"])],
                     ignore_index=True).assign(noemer=float("nan"))
    gemeente = per_year.assign(gemeente=wijk_gemeente(per_year["wijk"]), categorie=ALLE)
    parts = pd.concat([gemeente.assign(doelgroep=ALLE, teller=gemeente["alle"]),
                       gemeente.assign(doelgroep=AANDACHTSGROEPEN, teller=gemeente["aandacht"])],
                      ignore_index=True)
    totals = (parts.groupby(["gemeente", "jaar", "doelgroep", "categorie"], as_index=False)
              ["teller"].sum())
    return pd.concat([finish(wijk, "verhuringen_wijk"),
                      roll_up(totals, "verhuringen_wijk", region)], ignore_index=True)


def _above_threshold(index: pd.DataFrame, share: pd.DataFrame, region: RegionConfig
                     ) -> pd.DataFrame:
    """Per gemeente and the region: the wijken with enough lettings whose index is at least the
    signal threshold (both settings), per year and over the period."""
    settings = region.signalen
    counted = ((share["noemer"].to_numpy() >= settings.wijk_minimaal_verhuringen)
               & (index["waarde"].to_numpy() >= settings.wijk_concentratie))
    per_gemeente = (index.assign(teller=counted.astype("float64"))
                    .groupby(["categorie", "periode"], as_index=False)["teller"].sum()
                    .rename(columns={"categorie": "gebied"}).assign(gebiedsniveau="gemeente"))
    per_region = (per_gemeente.groupby("periode", as_index=False)["teller"].sum()
                  .assign(gebied=region.naam, gebiedsniveau="regio"))
    rows = pd.concat([per_gemeente, per_region], ignore_index=True)
    return finish(rows.assign(doelgroep=AANDACHTSGROEPEN, categorie=ALLE, noemer=float("nan")),
                  "wijken_boven_drempel")
