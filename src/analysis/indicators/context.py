"""Everything the indicator functions read, prepared once: lettings with a year column and the
flags that several themes share."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.config import RegionConfig
from analysis.data import ProcessedData
from analysis.model.config import VerdeelmodelConfig


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


def per_gemeente_jaar(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """A gemeente × jaar figure (e.g. mutaties, huishoudens) as a 'noemer' column."""
    return (frame[["gemeente", "jaar", column]]
            .astype({"gemeente": str, "jaar": int})
            .rename(columns={column: "noemer"}))


def count(lettings: pd.DataFrame, by: list[str], mask: pd.Series | None = None,
          categorie: str | None = None) -> pd.DataFrame:
    """Lettings per gemeente × jaar × `by`, zeros included (every category of every column),
    as KEYS-shaped parts with a 'teller'. `categorie` names the column that fills 'categorie'."""
    rows = lettings if mask is None else lettings[mask]
    counted = (rows.groupby(["gemeente", "jaar", *by], observed=False).size()
               .rename("teller").reset_index())
    if categorie is not None:
        counted = counted.rename(columns={categorie: "categorie"})
    for column, default in (("doelgroep", "alle"), ("categorie", "alle")):
        if column not in counted:
            counted[column] = default
    return counted.astype({"gemeente": str, "doelgroep": str, "categorie": str,
                           "jaar": int, "teller": "float64"})
