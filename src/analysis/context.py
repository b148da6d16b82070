"""The prepared analysis context: what the indicators and the verdeelmodel both read, prepared once
(lettings with a year column and the flags that several themes and the model share)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.config import RegionConfig
from analysis.model.config import VerdeelmodelConfig
from analysis.processed import ProcessedData


@dataclass(frozen=True)
class Context:
    lettings: pd.DataFrame  # verhuringen + jaar (categorical over the period) + flags
    voorraad: pd.DataFrame
    cbs: pd.DataFrame
    ppm: pd.DataFrame
    region: RegionConfig
    model: VerdeelmodelConfig


def prepare(data: ProcessedData, region: RegionConfig, model: VerdeelmodelConfig) -> Context:
    lettings = data.verhuringen
    doelgroep = lettings["doelgroep"]
    route = lettings["toewijzingsroute"]
    counts = doelgroep.isin(model.grens_doelgroepen) | route.isin(model.grens_routes)
    left_out = doelgroep.isin(model.zonder_doelgroepen) | route.isin(model.zonder_routes)
    prepared = lettings.assign(
        jaar=pd.Categorical(lettings["datum_verhuring"].dt.year, categories=list(region.jaren)),
        telt_mee=counts,
        telt_mee_zonder=counts & ~left_out,
        aandachtsgroep=doelgroep != "geen",
        model_groep=doelgroep.isin(model.model_doelgroepen),
    )
    return Context(lettings=prepared, voorraad=data.voorraad, cbs=data.cbs, ppm=data.ppm,
                   region=region, model=model)
