"""What several document kinds show: the limit, the housing task per doelgroep, the herkomst
matrix and the wijk concentration, each asked of `ReportData` in one place."""

from __future__ import annotations

import pandas as pd

from analysis import codes
from analysis.report.data import ReportData

LIMIT_INDICATOR = "aandeel_mutaties_aandachtsgroepen"
MIN_WIJK_LETTINGS = 20  # below this a wijk share is too uncertain to show or signal
ORIGINS_OUTSIDE = {"buiten_regio": "Buiten de regio", "buitenland": "Buitenland",
                   "onbekend": "Onbekend"}


def limit_percent(data: ReportData) -> float:
    return 100 * data.model_config.mutatiegrens


def _by_doelgroep(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows indexed by (doelgroep, eenheid) in code-list order, labelled 'Ouderen (woningen)'."""
    order = {code: i for i, code in enumerate(codes.codes("doelgroepen"))}
    frame = frame.sort_index(key=lambda idx: idx.map(lambda v: order.get(v, 99)))
    labels, units = codes.labels("doelgroepen"), codes.labels("eenheden")
    return frame.set_axis([f"{labels[d]} ({units[u].lower()})" for d, u in frame.index])


def housing_task_table(data: ReportData, gemeente: str | None = None) -> pd.DataFrame:
    """Progress of the housing task per doelgroep (and unit) for the region or one gemeente."""
    gebied = gemeente or data.region.naam

    def pick(indicator: str, **where: str) -> pd.DataFrame:
        return data.rows(indicator, gebied=gebied, **where).set_index(["doelgroep", "categorie"])

    delivered = pick("voortgang_opgeleverd", periode=data.period)
    horizon = pick("voortgang_met_harde_plannen")  # one period: the whole plan horizon
    frame = pd.DataFrame({
        "Opgave monitorperiode": delivered["noemer"],
        "Opgeleverd": delivered["teller"],
        "Opgeleverd (% opgave)": delivered["waarde"],
        "Opgave planperiode": horizon["noemer"],
        "Opgeleverd + hard (% opgave)": horizon["waarde"],
    })
    return _by_doelgroep(frame).rename_axis("Doelgroep (eenheid)").reset_index()


def housing_task_phases(data: ReportData, gemeente: str | None = None) -> pd.DataFrame:
    """Per doelgroep (and unit) the phases as a percentage of the task over the plan horizon,
    for a progress chart; the same figures as the indicator voortgang_met_harde_plannen."""
    from analysis.indicators.woonopgave import horizon_phases

    phases = horizon_phases(data.processed.ppm, data.region)
    if gemeente is not None:
        phases = phases[phases["gemeente"] == gemeente]
    totals = _by_doelgroep(phases.groupby(["doelgroep", "eenheid"], sort=False)[
        ["opgeleverd", "in_aanbouw", "harde_plancapaciteit", "opgave"]].sum())
    # As a percentage of the task, so small groups are as readable as the large ones.
    percent = 100 * totals.div(totals["opgave"], axis=0)
    return percent.rename(columns={"opgeleverd": "Opgeleverd", "in_aanbouw": "In aanbouw",
                                   "harde_plancapaciteit": "Harde plancapaciteit",
                                   "opgave": "Opgave"})


def origin_matrix(data: ReportData, doelgroep: str = "aandachtsgroepen") -> pd.DataFrame:
    """Lettings over the period by origin (rows: the region's gemeenten, then buiten_regio,
    buitenland, onbekend) and gemeente of the home (columns), CBS codes, zeros included."""
    matrix = data.matrix("herkomst_bestemming", periode=data.period, doelgroep=doelgroep)
    origins = [*data.region.gemeenten, *ORIGINS_OUTSIDE]
    return matrix.reindex(index=origins, columns=list(data.region.gemeenten)).fillna(0)


def origin_name(data: ReportData, origin: str) -> str:
    return ORIGINS_OUTSIDE.get(origin) or data.gemeente_name(origin)


def wijk_table(data: ReportData) -> pd.DataFrame:
    """Per wijk over the period the concentration index (`waarde`) beside the share of priority
    groups among its lettings (`teller_aandeel`, `noemer_aandeel`, `waarde_aandeel`)."""
    keys = ["gebied", "periode"]
    index = data.rows("concentratie_index_wijk", periode=data.period)
    share = data.rows("aandeel_aandachtsgroepen_wijk", periode=data.period)
    return index.merge(share[[*keys, "teller", "noemer", "waarde"]], on=keys,
                       suffixes=("", "_aandeel"))
