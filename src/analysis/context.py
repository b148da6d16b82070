"""The prepared analysis context: what the indicators and the verdeelmodel both read, prepared once
(lettings with a year column and the flags that several themes and the model share)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import codes
from analysis.config import RegionConfig
from analysis.model.config import VerdeelmodelConfig
from analysis.processed import ProcessedData


@dataclass(frozen=True)
class Context:
    lettings: pd.DataFrame  # verhuringen + jaar (categorical over the period) + flags
    voorraad: pd.DataFrame
    cbs: pd.DataFrame
    ppm: pd.DataFrame
    taakstelling_statushouders: pd.DataFrame | None  # persons per half year; None: not delivered
    # The optional inputs of the prospective taakstelling; None: not delivered.
    prognose_mutaties: pd.DataFrame | None
    prognose_vraag: pd.DataFrame | None
    reeds_toegezegd: pd.DataFrame | None
    region: RegionConfig
    model: VerdeelmodelConfig


def prepare(data: ProcessedData, region: RegionConfig, model: VerdeelmodelConfig) -> Context:
    lettings = data.verhuringen
    doelgroep = lettings["doelgroep"]
    route = lettings["toewijzingsroute"]
    prepared = lettings.assign(
        jaar=pd.Categorical(lettings["datum_verhuring"].dt.year, categories=list(region.jaren)),
        telt_mee=model.counts_for_limit(doelgroep, route),
        telt_mee_zonder=model.counts_for_limit(doelgroep, route, zonder=True),
        aandachtsgroep=doelgroep != codes.NO_GROUP,
        model_groep=doelgroep.isin(model.model_doelgroepen),
    )
    return Context(lettings=prepared, voorraad=data.voorraad, cbs=data.cbs, ppm=data.ppm,
                   taakstelling_statushouders=data.taakstelling_statushouders,
                   prognose_mutaties=data.prognose_mutaties, prognose_vraag=data.prognose_vraag,
                   reeds_toegezegd=data.reeds_toegezegd,
                   region=region, model=model)
