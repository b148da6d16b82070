"""Content of the target-group sheet: one doelgroep across the region."""

from __future__ import annotations

import pandas as pd

from analysis import codes
from analysis.model.config import SPOREN
from analysis.report.data import ReportData
from analysis.tables import fmt_int, fmt_percent


def label(doelgroep: str) -> str:
    return codes.labels("doelgroepen")[doelgroep]


def description(doelgroep: str) -> str:
    return next(r["beschrijving"] for r in codes.load("doelgroepen") if r["code"] == doelgroep)


def by_gemeente(data: ReportData, doelgroep: str) -> pd.DataFrame:
    period = data.period
    frame = pd.DataFrame({
        "Verhuringen": data.values("verhuringen", periode=period, doelgroep=doelgroep),
        "Aandeel mutaties": data.values("aandeel_mutaties_doelgroep", periode=period,
                                        doelgroep=doelgroep),
        "Per 1.000 huishoudens": data.values("instroom_per_1000_huishoudens", periode=period,
                                             doelgroep=doelgroep),
        "Uit eigen gemeente": data.values("aandeel_eigen_herkomst", periode=period,
                                          doelgroep=doelgroep),
    })
    return data.named(frame).rename_axis("Gemeente").reset_index()


def by_year(data: ReportData, doelgroep: str) -> pd.DataFrame:
    rows = [{"Jaar": str(jaar),
             "Verhuringen": data.values("verhuringen", periode=str(jaar),
                                        doelgroep=doelgroep)[data.region.naam]}
            for jaar in data.region.jaren]
    return pd.DataFrame(rows)


def routes(data: ReportData, doelgroep: str) -> pd.DataFrame:
    rows = data.rows("verhuringen_route", periode=data.period, doelgroep=doelgroep,
                     gebied=data.region.naam)
    rows = rows[rows["waarde"] > 0].sort_values("waarde", ascending=False)
    labels = codes.labels("toewijzingsroutes")
    total = rows["waarde"].sum()
    return pd.DataFrame({"Toewijzingsroute": [labels[c] for c in rows["categorie"]],
                         "Verhuringen": rows["waarde"].to_numpy(),
                         "Aandeel": (100 * rows["waarde"] / total).to_numpy()})


def summary(data: ReportData, doelgroep: str) -> str:
    config = data.model_config
    spoor = config.sporen[doelgroep]
    total = data.values("verhuringen", periode=data.period, doelgroep=doelgroep)[data.region.naam]
    priority = data.values("verhuringen", periode=data.period,
                           doelgroep="aandachtsgroepen")[data.region.naam]
    text = (f"In {data.period} kregen {fmt_int(total)} huishoudens uit deze doelgroep een "
            f"sociale huurwoning in {data.region.naam}: {fmt_percent(100 * total / priority)} "
            f"van alle verhuringen aan aandachtsgroepen. Op de regionale agenda staat de "
            f"doelgroep op het spoor *{SPOREN[spoor].lower()}*")
    if doelgroep in config.model_doelgroepen:
        text += "; het verdeelmodel verdeelt deze huishoudens over de gemeenten"
        if doelgroep in config.pool_doelgroepen:
            text += (" via de regionale pool (*herkomstgemeente, tenzij*: huisvesting buiten "
                     "de herkomstgemeente)")
    counts = data.model_config.telt_mee_voor_grens(doelgroep, "")
    text += (". Verhuringen aan deze doelgroep tellen " + ("" if counts else "niet ")
             + f"mee voor de grens van {fmt_percent(100 * config.mutatiegrens, 0)}.")
    return text
