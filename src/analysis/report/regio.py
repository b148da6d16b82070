"""Content of the regional annual analysis: tables, chart data and generated text."""

from __future__ import annotations

import pandas as pd

from analysis import codes
from analysis.report.data import ReportData
from analysis.report.shared import (
    LIMIT_INDICATOR,
    MIN_WIJK_LETTINGS,
    limit_percent,
    origin_matrix,
    wijk_table,
)
from analysis.tables import fmt_decimal, fmt_int, fmt_percent


def gemeenten_over_limit(data: ReportData, periode: str) -> list[str]:
    shares = data.values(LIMIT_INDICATOR, periode=periode, gebiedsniveau="gemeente")
    return [code for code, share in shares.items() if share > limit_percent(data)]


def key_messages(data: ReportData) -> list[str]:
    """The summary's key messages, each a sentence with figures from the indicator table."""
    region, period, last = data.region.naam, data.period, data.last_year
    lettings = data.values("verhuringen", periode=period)[region]
    priority = data.values("verhuringen", periode=period, doelgroep="aandachtsgroepen")[region]
    share = data.values(LIMIT_INDICATOR, periode=period)[region]
    over = gemeenten_over_limit(data, last)
    limit = fmt_percent(limit_percent(data), 0)
    messages = [
        f"In {period} verhuurden de corporaties in {region} {fmt_int(lettings)} sociale "
        f"huurwoningen, waarvan {fmt_int(priority)} ({fmt_percent(100 * priority / lettings)}) "
        "aan huishoudens uit een aandachtsgroep.",
        f"Van de vrijgekomen woningen ging {fmt_percent(share)} naar aandachtsgroepen die "
        f"meetellen voor de grens van {limit}.",
    ]
    if over:
        shares = data.values(LIMIT_INDICATOR, periode=last)
        details = ", ".join(f"{data.gemeente_name(g)} {fmt_percent(shares[g])}" for g in over)
        where = "één gemeente" if len(over) == 1 else f"{len(over)} gemeenten"
        messages.append(f"In {last} lag het aandeel boven de {limit}-grens in {where}: "
                        f"{details}.")
    else:
        messages.append(f"In {last} bleef elke gemeente onder de {limit}-grens.")
    saldo = data.values("saldo", periode=period, doelgroep="verdeelafspraak",
                        gebiedsniveau="gemeente")
    most, least = saldo.idxmax(), saldo.idxmin()
    messages.append(
        f"Volgens het verdeelmodel huisvestte {data.gemeente_name(most)} in {period} "
        f"{fmt_int(saldo[most])} huishoudens meer dan haar deel, "
        f"{data.gemeente_name(least)} {fmt_int(-saldo[least])} minder: de opgave is ongelijk "
        "verdeeld.")
    own = data.values("aandeel_eigen_herkomst", periode=period, doelgroep="aandachtsgroepen")
    messages.append(f"{fmt_percent(own[region])} van de huishoudens uit aandachtsgroepen kwam uit "
                    "de gemeente waar zij een woning kregen (herkomstgemeente, tenzij).")
    shortfall = int(data.model.regio["tekort"].sum())
    messages.append(
        f"Binnen de {limit}-grens was er in elk jaar genoeg ruimte voor de doelgroepen met een "
        "verdeelafspraak." if shortfall == 0 else
        f"Binnen de {limit}-grens was er over de periode geen plaats voor {fmt_int(shortfall)} "
        "huishoudens met een verdeelafspraak: een regionaal tekort.")
    return messages


def overview_table(data: ReportData) -> pd.DataFrame:
    """The task at a glance, per gemeente and for the region, last year."""
    last = data.last_year
    year = int(last)
    cbs = data.processed.cbs.astype({"gemeente": str})
    stock = data.processed.voorraad.astype({"gemeente": str})
    cbs, stock = cbs[cbs["jaar"] == year].set_index("gemeente"), stock[stock["jaar"] == year
                                                                         ].set_index("gemeente")
    frame = pd.DataFrame({
        "Huishoudens": cbs["huishoudens"],
        "Sociale huurvoorraad": stock["sociale_huurvoorraad"],
        "Mutaties": stock["mutaties"],
    }).reindex(list(data.region.gemeenten))
    frame.loc[data.region.naam] = frame.sum()
    frame["Verhuringen aandachtsgroepen"] = data.values(
        "verhuringen", periode=last, doelgroep="aandachtsgroepen")
    frame["Aandeel mutaties (grens)"] = data.values(LIMIT_INDICATOR, periode=last)
    return data.named(frame).rename_axis("Gemeente").reset_index()


def limit_table(data: ReportData) -> pd.DataFrame:
    """Share of mutaties under the limit per gemeente and year, with and without statushouders."""
    columns = {jaar: data.values(LIMIT_INDICATOR, periode=str(jaar)) for jaar in data.region.jaren}
    frame = pd.DataFrame(columns)
    frame.columns = [str(c) for c in frame.columns]
    frame[f"{data.period} zonder statushouders"] = data.values(
        "aandeel_mutaties_aandachtsgroepen_zonder_statushouders", periode=data.period)
    return data.named(frame).rename_axis("Gemeente").reset_index()


def inflow_by_group(data: ReportData) -> pd.DataFrame:
    """Per doelgroep the region's lettings and rate, and the gemeenten with the highest and
    the lowest rate per 1.000 households over the period: how uneven each group is spread."""
    labels = codes.labels("doelgroepen")
    rows = []
    for doelgroep in codes.codes("doelgroepen"):
        if doelgroep == "geen":
            continue
        rate = data.values("instroom_per_1000_huishoudens", periode=data.period,
                           doelgroep=doelgroep)
        per_gemeente = rate.drop(data.region.naam)
        high, low = per_gemeente.idxmax(), per_gemeente.idxmin()
        rows.append({
            "Doelgroep": labels[doelgroep],
            "Verhuringen": int(data.values("verhuringen", periode=data.period,
                                           doelgroep=doelgroep)[data.region.naam]),
            "Per 1.000 huishoudens": rate[data.region.naam],
            "Hoogste": f"{data.short_name(high)} ({fmt_decimal(per_gemeente[high])})",
            "Laagste": f"{data.short_name(low)} ({fmt_decimal(per_gemeente[low])})",
        })
    return pd.DataFrame(rows)


def origin_summary(data: ReportData, doelgroep: str = "aandachtsgroepen") -> pd.DataFrame:
    """Per gemeente where its new tenants from priority groups came from, over the period."""
    matrix = origin_matrix(data, doelgroep)
    own = pd.Series({g: matrix.at[g, g] for g in data.region.gemeenten})
    region_total = matrix.loc[list(data.region.gemeenten)].sum()
    frame = pd.DataFrame({
        "Eigen gemeente": own,
        "Andere gemeente in de regio": region_total - own,
        "Buiten de regio": matrix.loc["buiten_regio"],
        "Buitenland": matrix.loc["buitenland"],
        "Onbekend": matrix.loc["onbekend"],
    })
    frame["Totaal"] = frame.sum(axis=1)
    frame.loc[data.region.naam] = frame.sum()
    return data.named(frame.astype(int)).rename_axis("Gemeente van de woning").reset_index()


def model_table(data: ReportData) -> pd.DataFrame:
    """The verdeelmodel over the whole period per gemeente: key, task, realisation, saldo."""
    period = data.period
    frame = pd.DataFrame({
        "Sleutelaandeel": data.values("sleutelaandeel", periode=period,
                                      doelgroep="verdeelafspraak"),
        "Taakstelling": data.values("taakstelling", periode=period, doelgroep="verdeelafspraak"),
        "Realisatie": data.values("realisatie", periode=period, doelgroep="verdeelafspraak"),
        "Saldo": data.values("saldo", periode=period, doelgroep="verdeelafspraak"),
    })
    return data.named(frame).rename_axis("Gemeente").reset_index()


def tracks_table(data: ReportData) -> pd.DataFrame:
    """The regional agenda: every doelgroep with its track and whether the model covers it."""
    overview = data.model_config.sporen_overzicht()
    return pd.DataFrame({
        "Doelgroep": overview["naam"],
        "Spoor": overview["spoor_naam"],
        "In verdeelmodel": overview["in_verdeelmodel"].map({True: "ja", False: "nee"}),
        "Regionale pool (tenzij)": overview["in_pool"].map({True: "ja", False: "nee"}),
    })


def signals(data: ReportData) -> list[str]:
    """Monitoring signals: where the figures ask for attention from the Bestuurlijke Tafel."""
    last, period = data.last_year, data.period
    limit = limit_percent(data)
    out = []
    shares = data.values(LIMIT_INDICATOR, periode=last, gebiedsniveau="gemeente")
    for code, share in shares.items():
        if share > limit:
            out.append(f"{data.gemeente_name(code)}: {fmt_percent(share)} van de mutaties in "
                       f"{last} naar aandachtsgroepen, boven de grens van "
                       f"{fmt_percent(limit, 0)}.")
    saldo = data.values("saldo", periode=period, doelgroep="verdeelafspraak",
                        gebiedsniveau="gemeente")
    task = data.values("taakstelling", periode=period, doelgroep="verdeelafspraak",
                       gebiedsniveau="gemeente")
    for code in saldo.index:
        if task[code] and abs(saldo[code]) / task[code] >= 0.25:
            more = "meer" if saldo[code] > 0 else "minder"
            out.append(f"{data.gemeente_name(code)}: realisatie {fmt_int(abs(saldo[code]))} "
                       f"huishoudens {more} dan de taakstelling ({fmt_int(task[code])}) in "
                       f"{period}.")
    horizon = data.rows("voortgang_met_harde_plannen", gebiedsniveau="regio")
    behind = horizon[horizon["waarde"] < 50]
    labels = codes.labels("doelgroepen")
    for row in behind.itertuples():
        out.append(f"Woonopgave {labels[row.doelgroep].lower()}: opgeleverd en harde plannen "
                   f"dekken {fmt_percent(row.waarde)} van de opgave tot en met "
                   f"{row.periode[-4:]}.")
    concentrated = concentrated_wijken(data)
    if len(concentrated):
        out.append(f"Kansrijke woonstart: in {len(concentrated)} wijk(en) is het aandeel "
                   "aandachtsgroepen onder de nieuwe huurders minstens anderhalf keer zo hoog "
                   "als in de eigen gemeente.")
    return out


def concentrated_wijken(data: ReportData, threshold: float = 1.5) -> pd.DataFrame:
    """Wijken whose share of priority groups is at least `threshold` × their gemeente's share
    over the period, with enough lettings to mean something."""
    wijken = wijk_table(data)
    return wijken[(wijken["waarde"] >= threshold)
                  & (wijken["noemer_aandeel"] >= MIN_WIJK_LETTINGS)]


def flow_matrix(data: ReportData, doelgroep: str = "aandachtsgroepen") -> pd.DataFrame:
    """Origin gemeente (index) → destination gemeente (columns) over the period, CBS codes,
    for the flow map (origins outside the region have no place on it)."""
    matrix = origin_matrix(data, doelgroep)
    return matrix.loc[list(data.region.gemeenten)].astype(int)


def wijk_concentration(data: ReportData) -> pd.Series:
    """Concentration index per wijk over the period, only where enough lettings make it
    meaningful (others stay empty on the map)."""
    wijken = wijk_table(data)
    return wijken[wijken["noemer_aandeel"] >= MIN_WIJK_LETTINGS].set_index("gebied")["waarde"]
