"""Content of the municipal appendix: the gemeente next to the region, from the same table."""

from __future__ import annotations

import pandas as pd

from analysis import codes
from analysis.indicators.catalogue import catalogue
from analysis.report.data import ReportData
from analysis.report.shared import LIMIT_INDICATOR, limit_percent, origin_matrix, origin_name
from analysis.tables import fmt_int, fmt_percent, fmt_value

# (indicator, doelgroep) pairs of the comparison table, in reading order.
COMPARISON = (
    ("verhuringen", "alle"),
    ("verhuringen", "aandachtsgroepen"),
    (LIMIT_INDICATOR, "alle"),
    ("aandeel_mutaties_aandachtsgroepen_zonder_statushouders", "alle"),
    ("instroom_per_1000_huishoudens", "aandachtsgroepen"),
    ("instroom_per_100_sociale_huurwoningen", "aandachtsgroepen"),
    ("aandeel_eigen_herkomst", "aandachtsgroepen"),
    ("sleutelaandeel", "verdeelafspraak"),
    ("taakstelling", "verdeelafspraak"),
    ("realisatie", "verdeelafspraak"),
    ("saldo", "verdeelafspraak"),
)


def comparison_table(data: ReportData, gemeente: str, periode: str) -> pd.DataFrame:
    """Key indicators for the gemeente and the region, formatted by each row's unit (rows
    differ in unit, so the cells are text)."""
    rows = []
    for indicator, doelgroep in COMPARISON:
        values = data.values(indicator, periode=periode, doelgroep=doelgroep)
        meta = catalogue()[indicator]
        title = meta.titel + (" (aandachtsgroepen)" if doelgroep == "aandachtsgroepen" else "")
        rows.append({"Indicator": title,
                     data.gemeente_name(gemeente): fmt_value(values.get(gemeente), meta.eenheid),
                     data.region.naam: fmt_value(values.get(data.region.naam), meta.eenheid)})
    return pd.DataFrame(rows)


def limit_by_year(data: ReportData, gemeente: str) -> pd.DataFrame:
    rows = []
    for jaar in data.region.jaren:
        values = data.values(LIMIT_INDICATOR, periode=str(jaar))
        rows.append({"Jaar": str(jaar), data.gemeente_name(gemeente): values[gemeente],
                     data.region.naam: values[data.region.naam]})
    return pd.DataFrame(rows)


def inflow_by_group(data: ReportData, gemeente: str) -> pd.DataFrame:
    labels = codes.labels("doelgroepen")
    rows = []
    for doelgroep in codes.codes("doelgroepen"):
        if doelgroep == "geen":
            continue
        count = data.values("verhuringen", periode=data.period, doelgroep=doelgroep)
        rate = data.values("instroom_per_1000_huishoudens", periode=data.period,
                           doelgroep=doelgroep)
        rows.append({"Doelgroep": labels[doelgroep], "Verhuringen": count[gemeente],
                     "Per 1.000 huishoudens": rate[gemeente],
                     f"Per 1.000 huishoudens {data.region.naam}": rate[data.region.naam]})
    return pd.DataFrame(rows)


def _shares(counts: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The non-zero counts, largest first, and each as a percentage of their sum."""
    counts = counts[counts > 0].sort_values(ascending=False, kind="stable")
    return counts, 100 * counts / counts.sum()


def origins(data: ReportData, gemeente: str) -> pd.DataFrame:
    """Where the gemeente's priority-group tenants came from, over the period."""
    counts, shares = _shares(origin_matrix(data)[gemeente])
    return pd.DataFrame({"Herkomst": [origin_name(data, c) for c in counts.index],
                         "Verhuringen": counts.to_numpy(), "Aandeel": shares.to_numpy()})


def destinations(data: ReportData, gemeente: str) -> pd.DataFrame:
    """Where priority-group households from this gemeente were housed in the region."""
    counts, shares = _shares(origin_matrix(data).loc[gemeente])
    return pd.DataFrame({"Gehuisvest in": [data.gemeente_name(g) for g in counts.index],
                         "Verhuringen": counts.to_numpy(), "Aandeel": shares.to_numpy()})


def model_by_year(data: ReportData, gemeente: str) -> pd.DataFrame:
    results = data.model.resultaten
    rows = results[results["gemeente"].astype(str) == gemeente]
    return pd.DataFrame({
        "Jaar": rows["jaar"].astype(str).to_numpy(),
        "Sleutelaandeel": (100 * rows["sleutelaandeel"]).to_numpy(),
        "Capaciteit": rows["capaciteit"].to_numpy(),
        "Eigen vraag": rows["vraag_eigen"].to_numpy(),
        "Taakstelling": rows["taakstelling"].to_numpy(),
        "Realisatie": rows["realisatie"].to_numpy(),
        "Saldo": rows["saldo"].to_numpy(),
    })


def key_messages(data: ReportData, gemeente: str) -> list[str]:
    name, period, last = data.gemeente_name(gemeente), data.period, data.last_year
    limit = limit_percent(data)
    share = data.values(LIMIT_INDICATOR, periode=last)
    lettings = data.values("verhuringen", periode=period, doelgroep="aandachtsgroepen")
    task = data.values("taakstelling", periode=period, doelgroep="verdeelafspraak")[gemeente]
    real = data.values("realisatie", periode=period, doelgroep="verdeelafspraak")[gemeente]
    key = data.values("sleutelaandeel", periode=period, doelgroep="verdeelafspraak")[gemeente]
    position = "boven" if share[gemeente] > limit else "binnen"
    balance = real - task
    part = 100 * lettings[gemeente] / lettings[data.region.naam]
    return [
        f"In {period} kregen {fmt_int(lettings[gemeente])} huishoudens uit aandachtsgroepen een "
        f"sociale huurwoning in {name}: {fmt_percent(part)} "
        f"van alle verhuringen aan aandachtsgroepen in {data.region.naam}.",
        f"In {last} ging {fmt_percent(share[gemeente])} van de mutaties in {name} naar "
        f"aandachtsgroepen die meetellen voor de grens: {position} de "
        f"{fmt_percent(limit, 0)} (regio: {fmt_percent(share[data.region.naam])}).",
        f"Het aandeel van {name} in de regionale verdeelsleutel is gemiddeld "
        f"{fmt_percent(key)}. Volgens het verdeelmodel is de taakstelling over {period} "
        f"{fmt_int(task)} huishoudens met een verdeelafspraak; gerealiseerd zijn er "
        f"{fmt_int(real)} ({'+' if balance > 0 else ''}{fmt_int(balance)}).",
    ]


def programme_text(data: ReportData, gemeente: str) -> str:
    """A paragraph for the volkshuisvestingsprogramma and the regional part of the HVO."""
    name, period = data.gemeente_name(gemeente), data.period
    key = data.values("sleutelaandeel", periode=data.last_year,
                      doelgroep="verdeelafspraak")[gemeente]
    task = data.values("taakstelling", periode=data.last_year,
                       doelgroep="verdeelafspraak")[gemeente]
    limit = fmt_percent(limit_percent(data), 0)
    return (
        f"{name} werkt met de gemeenten in {data.region.naam} aan een evenwichtige verdeling "
        "van de huisvesting van aandachtsgroepen volgens de leidende principes "
        "*herkomstgemeente, tenzij*, *kansrijke woonstart* en ten hoogste "
        f"{limit} van de vrijkomende sociale huurwoningen voor aandachtsgroepen. "
        f"Het aandeel van {name} in de regionale verdeelsleutel was in {data.last_year} "
        f"{fmt_percent(100 * key)}; dat kwam overeen met een taakstelling van "
        f"{fmt_int(task)} huishoudens met een verdeelafspraak in dat jaar. De cijfers over "
        f"{period} in deze bijlage zijn dezelfde als in de regionale analyse en in de "
        "bijgeleverde data; de gemeente kan ze overnemen in hoofdstuk 6 van haar "
        "volkshuisvestingsprogramma en in het regionale deel van de huisvestingsverordening."
    )
