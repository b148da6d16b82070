"""Content of the target-group sheet: one doelgroep across the region."""

from __future__ import annotations

import pandas as pd

from analysis import codes
from analysis.model.config import SPOREN
from analysis.report.data import ReportData
from analysis.report.shared import names, not_published, shown
from analysis.tables import fmt_int, fmt_percent, md_text


def label(doelgroep: str) -> str:
    return codes.labels("doelgroepen")[doelgroep]


def label_in_sentence(doelgroep: str) -> str:
    return codes.in_sentence(label(doelgroep))


def description(doelgroep: str) -> str:
    return next(r["beschrijving"] for r in codes.load("doelgroepen") if r["code"] == doelgroep)


def introduction(doelgroep: str) -> str:
    """The sheet's opening line: the doelgroep's name in bold, then its description."""
    return f"**{md_text(label(doelgroep))}.** {md_text(description(doelgroep))}"


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
    # Routes with lettings, largest first; hidden ones (NaN) last, shown as 'x'.
    rows = rows[rows["waarde"].isna() | (rows["waarde"] > 0)].sort_values(
        "waarde", ascending=False, kind="stable", na_position="last")
    labels = codes.labels("toewijzingsroutes")
    return pd.DataFrame({"Toewijzingsroute": [labels[c] for c in rows["categorie"]],
                         "Verhuringen": rows["waarde"].to_numpy()})


def summary(data: ReportData, doelgroep: str) -> str:
    config = data.model_config
    spoor = config.sporen[doelgroep]
    region, period = data.region.naam, data.period
    total = data.values("verhuringen", periode=period, doelgroep=doelgroep)[region]
    share = data.values("aandeel_mutaties_doelgroep", periode=period, doelgroep=doelgroep)[region]
    name = md_text(region)
    text = (f"In {period} kregen {fmt_int(total)} huishoudens uit deze doelgroep een sociale "
            f"huurwoning in {name}: {fmt_percent(share)} van de vrijgekomen sociale "
            "huurwoningen." if shown(total, share) else
            not_published(f"Het aantal huishoudens uit deze doelgroep dat in {period} een "
                          f"sociale huurwoning kreeg in {name}"))
    text += (" Op de regionale agenda staat de doelgroep op het spoor "
             f"*{codes.in_sentence(SPOREN[spoor])}*")
    if doelgroep in config.model_doelgroepen:
        text += "; het verdeelmodel verdeelt deze huishoudens over de gemeenten"
        if doelgroep in config.pool_doelgroepen:
            text += (" via de regionale pool (*herkomstgemeente, tenzij*: huisvesting buiten "
                     "de herkomstgemeente)")
    limit = fmt_percent(100 * config.mutatiegrens, 0)
    if config.telt_mee_voor_grens(doelgroep, ""):
        return text + f". Verhuringen aan deze doelgroep tellen mee voor de grens van {limit}."
    routes = names([codes.in_sentence(codes.labels("toewijzingsroutes")[r])
                    for r in config.grens_routes], "of")
    return (text + f". Verhuringen aan deze doelgroep tellen alleen mee voor de grens van "
            f"{limit} als de woning is toegewezen via {routes}.")
