"""Content of the regional annual analysis: key messages for the Bestuurlijke Tafel, tables,
chart data and signals, all read from the indicator table."""

from __future__ import annotations

import pandas as pd

from analysis import codes
from analysis.config import SignalRule
from analysis.report import signals as signal_rules
from analysis.report import taakstelling
from analysis.report.data import ReportData
from analysis.report.shared import (
    LIMIT_INDICATOR,
    MODEL_READING,
    ORIGINS_OUTSIDE,
    concentrated_wijken,
    limit_percent,
    names,
    origin_matrix,
    origin_name,
    wijk_rows,
    wijk_table,
)
from analysis.report.signals import Signal
from analysis.report.trends import by_year, previous_by_year
from analysis.tables import SUPPRESSED, fmt_decimal, fmt_int, fmt_percent, md_text

TOP_WIJKEN = 10  # the regional report's table of concentrated wijken has at least this many
HOUSING_TASK = "voortgang_met_harde_plannen"  # the housing task's progress the messages name
WIJKEN_ABOVE = "wijken_boven_drempel"


def _limit(data: ReportData) -> tuple[float, str]:
    """The limit share above which the key messages call a gemeente over the limit, and as
    written: the threshold of the signal rule on it, so that message and signal agree; without
    such a rule in the settings the verdeelmodel's mutatiegrens."""
    rule = signal_rules.rule_for(data, LIMIT_INDICATOR, "boven")
    if rule is None:
        return limit_percent(data), fmt_percent(limit_percent(data), 0)
    return signal_rules.threshold(data, rule), signal_rules.threshold_text(data, rule)


def gemeenten_over_limit(data: ReportData, periode: str) -> list[str]:
    shares = data.values(LIMIT_INDICATOR, periode=periode, gebiedsniveau="gemeente")
    limit, _ = _limit(data)
    return [code for code, share in shares.items() if share > limit]


def _gemeenten(data: ReportData, codes_: list[str]) -> str:
    return names([data.gemeente_name(g) for g in codes_])


def model_differences(data: ReportData) -> pd.Series:
    """Per gemeente over the period: werkelijke verdeling min verdeling volgens het model."""
    return data.values("saldo", periode=data.period, doelgroep="verdeelafspraak",
                       gebiedsniveau="gemeente")


def _region_hits(data: ReportData, indicator: str,
                 toets: str) -> tuple[SignalRule | None, pd.DataFrame]:
    """The rule a key message on `indicator` follows, and the region's rows that raise it
    (none without such a rule)."""
    rule = signal_rules.rule_for(data, indicator, toets)
    if rule is None:
        return None, data.rows(indicator).iloc[:0]
    hits = signal_rules.raised(data, rule)
    return rule, hits[hits["gebiedsniveau"] == "regio"]


def tasks_behind(data: ReportData) -> pd.DataFrame:
    """The region's housing tasks (doelgroep × eenheid) where delivered plus firm plans raise
    the signal rule on them (below the threshold in the settings)."""
    return _region_hits(data, HOUSING_TASK, "onder")[1]


def top_wijken(data: ReportData, at_least: int = TOP_WIJKEN) -> pd.DataFrame:
    """The wijken of the region with the highest concentration over the period: every published
    one at or above the signal threshold, and at least `at_least`."""
    table = wijk_table(data)
    ranked = table[table["index"].notna()].sort_values("index", ascending=False, kind="stable")
    count = max(at_least, len(concentrated_wijken(data)))
    return wijk_rows(data, ranked.head(count), gemeente=True)


def signals(data: ReportData) -> list[Signal]:
    """The region's signals: every rule of the settings, ranked (see report.signals)."""
    return signal_rules.evaluate(data)


def intro(data: ReportData) -> str:
    region, period = data.region.naam, data.period
    lettings = data.values("verhuringen", periode=period)[region]
    priority = data.values("verhuringen", periode=period, doelgroep="aandachtsgroepen")[region]
    name = md_text(region)
    return (f"Deze analyse beschrijft de huisvesting van aandachtsgroepen in de sociale huur in "
            f"{name}. In {period} verhuurden de corporaties in {name} {fmt_int(lettings)} "
            f"sociale huurwoningen, waarvan {fmt_int(priority)} aan huishoudens uit een "
            "aandachtsgroep. De kernboodschappen hieronder staan in volgorde van urgentie; elke "
            "boodschap zegt wat zij van de Bestuurlijke Tafel Wonen vraagt.")


def key_messages(data: ReportData) -> list[str]:
    """Three to five key messages for the Bestuurlijke Tafel, most urgent first: each with its
    figure and what it asks of the Tafel."""
    region, period, last = data.region.naam, data.period, data.last_year
    limit = _limit(data)[1]
    share = data.values(LIMIT_INDICATOR, periode=last)
    over = gemeenten_over_limit(data, last)
    messages = []
    if over:
        details = names([f"{data.gemeente_name(g)} {fmt_percent(share[g])}" for g in over])
        messages.append(
            f"**{len(over)} van de {len(data.region.gemeenten)} gemeenten boven de grens.** In "
            f"{last} ging van de vrijgekomen sociale huurwoningen in {details} naar "
            f"aandachtsgroepen, boven de grens van {limit} (regio: "
            f"{fmt_percent(share[region])}). Vraag aan de Tafel: "
            f"spreek af hoe de andere gemeenten een groter deel opvangen, zodat "
            f"{_gemeenten(data, over)} onder de grens kan komen.")
    else:
        messages.append(
            f"**Elke gemeente binnen de grens.** In {last} ging in geen enkele gemeente meer dan "
            f"{limit} van de vrijgekomen sociale huurwoningen naar aandachtsgroepen (regio: "
            f"{fmt_percent(share[region])}). Vraag aan de Tafel: geen bijsturing op de grens "
            "nodig.")
    differences = model_differences(data)
    most, least = differences.idxmax(), differences.idxmin()
    messages.append(
        f"**De opvang is ongelijk verdeeld.** Over {period} huisvestte "
        f"{md_text(data.gemeente_name(most))} {fmt_int(differences[most])} huishoudens met een "
        f"verdeelafspraak meer dan haar deel volgens het verdeelmodel, "
        f"{md_text(data.gemeente_name(least))} {fmt_int(-differences[least])} minder. Vraag aan de "
        "Tafel: stel de verdeelsleutel vast en spreek af hoe gemeenten die minder dan hun deel "
        "huisvestten dat inhalen.")
    messages.append(taakstelling.key_message(data))
    rule, behind = _region_hits(data, HOUSING_TASK, "onder")
    groups = [d for d in codes.aandachtsgroepen() if d in set(behind["doelgroep"])]
    if groups:
        labels = codes.labels("doelgroepen")
        messages.append(
            f"**De woonopgave blijft achter voor {fmt_int(len(groups))} "
            f"{'doelgroep' if len(groups) == 1 else 'doelgroepen'}.** Voor "
            f"{names([codes.in_sentence(labels[d]) for d in groups])} dekken opgeleverde "
            "woningen en harde plannen minder dan "
            f"{signal_rules.threshold_text(data, rule)} van de opgave. Vraag aan de Tafel: "
            "vraag de gemeenten en corporaties om extra plannen voor deze groepen.")
    _, wijk_hits = _region_hits(data, WIJKEN_ABOVE, "boven")
    if len(wijk_hits):
        wijken = int(wijk_hits["waarde"].iloc[0])
        messages.append(
            f"**Kansrijke woonstart staat onder druk in {fmt_int(wijken)} "
            f"{'wijk' if wijken == 1 else 'wijken'}.** Daar is het aandeel "
            "aandachtsgroepen onder de nieuwe huurders minstens "
            f"{fmt_decimal(data.region.signalen.wijk_concentratie)} keer zo hoog als in de "
            "eigen gemeente. Vraag aan de Tafel: vraag de gemeenten om bij toewijzing en "
            "nieuwbouw te spreiden.")
    own = data.values("aandeel_eigen_herkomst", periode=period, doelgroep="aandachtsgroepen")
    messages.append(
        f"**Herkomstgemeente, tenzij.** {fmt_percent(own[region])} van de huishoudens uit "
        f"aandachtsgroepen met een bekende herkomst kreeg in {period} een woning in de eigen "
        "gemeente. Vraag aan de Tafel: ter kennisname.")
    return messages[:5]


def overview_table(data: ReportData) -> pd.DataFrame:
    """The task at a glance, per gemeente and for the region, in the last year; every column
    one indicator."""
    last = data.last_year
    frame = pd.DataFrame({
        "Huishoudens": data.values("huishoudens", periode=last),
        "Sociale huurvoorraad": data.values("sociale_huurvoorraad", periode=last),
        "Mutaties": data.values("mutaties", periode=last),
        "Verhuringen die meetellen voor de grens": data.values("verhuringen_mutatiegrens",
                                                                periode=last),
        "Aandeel mutaties (grens)": data.values(LIMIT_INDICATOR, periode=last),
    })
    return data.named(frame).rename_axis("Gemeente").reset_index()


OVERVIEW_FORMATS = {"Huishoudens": "huishoudens", "Sociale huurvoorraad": "woningen",
                    "Mutaties": "woningen",
                    "Verhuringen die meetellen voor de grens": "verhuringen",
                    "Aandeel mutaties (grens)": "procent"}


def limit_table(data: ReportData) -> pd.DataFrame:
    """Share of mutaties under the limit per gemeente and year, with and without statushouders."""
    columns = {jaar: data.values(LIMIT_INDICATOR, periode=str(jaar)) for jaar in data.region.jaren}
    frame = pd.DataFrame(columns)
    frame.columns = [str(c) for c in frame.columns]
    frame[f"{data.period.replace('-', '–')} zonder statushouders"] = data.values(
        "aandeel_mutaties_aandachtsgroepen_zonder_statushouders", periode=data.period)
    return data.named(frame).rename_axis("Gemeente").reset_index()


def limit_by_year(data: ReportData) -> pd.DataFrame:
    """For the chart: gemeenten (and the region) × years, the share under the limit."""
    return by_year(data, LIMIT_INDICATOR, [*data.region.gemeenten, data.region.naam]).T


def previous_limit_by_year(data: ReportData) -> pd.DataFrame | None:
    """`limit_by_year` as the previous edition had it, where it moved; None without one."""
    previous = previous_by_year(data, LIMIT_INDICATOR,
                                [*data.region.gemeenten, data.region.naam])
    return None if previous is None else previous.T


def inflow_by_group(data: ReportData) -> pd.DataFrame:
    """Per doelgroep the region's lettings and rate, and the gemeenten with the highest and
    the lowest rate per 1.000 households over the period: how uneven each group is spread."""
    labels = codes.labels("doelgroepen")
    rows = []
    for doelgroep in codes.aandachtsgroepen():
        rate = data.values("instroom_per_1000_huishoudens", periode=data.period,
                           doelgroep=doelgroep)
        # Highest and lowest among the published rates; a hidden one is not ranked.
        per_gemeente = rate.drop(data.region.naam).dropna()
        ranked = {"Hoogste": SUPPRESSED, "Laagste": SUPPRESSED}
        if len(per_gemeente):
            ranked = {column: f"{data.short_name(code)} ({fmt_decimal(per_gemeente[code])})"
                      for column, code in (("Hoogste", per_gemeente.idxmax()),
                                           ("Laagste", per_gemeente.idxmin()))}
        rows.append({
            "Doelgroep": labels[doelgroep],
            "Verhuringen": data.values("verhuringen", periode=data.period,
                                       doelgroep=doelgroep)[data.region.naam],
            "Per 1.000 huishoudens": rate[data.region.naam],
            **ranked,
        })
    return pd.DataFrame(rows)


def routes_table(data: ReportData) -> pd.DataFrame:
    """Lettings per toewijzingsroute over the period in the region: all, and to aandachtsgroepen."""
    labels = codes.labels("toewijzingsroutes")

    def counts(doelgroep: str) -> pd.Series:
        rows = data.rows("verhuringen_route", periode=data.period, doelgroep=doelgroep,
                         gebied=data.region.naam)
        return rows.set_index("categorie")["waarde"]

    frame = pd.DataFrame({"Alle verhuringen": counts("alle"),
                          "Aan aandachtsgroepen": counts("aandachtsgroepen")})
    frame = frame.reindex(codes.codes("toewijzingsroutes"))
    frame.index = [labels[c] for c in frame.index]
    return frame.rename_axis("Toewijzingsroute").reset_index()


def urgency_table(data: ReportData) -> pd.DataFrame:
    """Lettings with an urgency statement per gemeente (rows, and the region) and
    urgentiecategorie (columns) over the period."""
    labels = codes.labels("urgentiecategorieen")
    matrix = data.matrix("verhuringen_urgentie", periode=data.period, doelgroep="alle",
                         gebiedsniveau=None)
    matrix = matrix.reindex(index=codes.codes("urgentiecategorieen"),
                            columns=[*data.region.gemeenten, data.region.naam]).T
    matrix.columns = [labels[c] for c in matrix.columns]
    return data.named(matrix).rename_axis("Gemeente").reset_index()


def origin_summary(data: ReportData, doelgroep: str = "aandachtsgroepen") -> pd.DataFrame:
    """Per gemeente (and the region) where its new tenants from priority groups came from, over
    the period. Other gemeenten of the region together are what the published cells leave
    (the total minus the rest); a hidden cell among those hides it too."""
    period, region = data.period, data.region.naam
    rows = data.rows("herkomst_bestemming", periode=period, doelgroep=doelgroep)
    matrix = rows.pivot(index="categorie", columns="gebied", values="waarde")
    own = pd.Series({g: matrix.at[g, g] for g in data.region.gemeenten})
    # The region's own-gemeente count is the teller of its own-origin share.
    own[region] = data.values("aandeel_eigen_herkomst", periode=period, doelgroep=doelgroep,
                              column="teller").get(region)
    outside = {name: matrix.loc[code] for code, name in ORIGINS_OUTSIDE.items()}
    total = data.values("verhuringen", periode=period, doelgroep=doelgroep)
    frame = pd.DataFrame({"Eigen gemeente": own, **outside, "Totaal": total}
                         ).reindex([*data.region.gemeenten, region])
    others = frame["Totaal"] - frame.drop(columns="Totaal").sum(axis=1, min_count=frame.shape[1]
                                                                - 1)
    frame.insert(1, "Andere gemeente in de regio", others)
    return data.named(frame).rename_axis("Gemeente van de woning").reset_index()


ORIGIN_SUMMARY_FORMATS = {column: "verhuringen" for column in (
    "Eigen gemeente", "Andere gemeente in de regio", *ORIGINS_OUTSIDE.values(), "Totaal")}


def origin_matrix_table(data: ReportData) -> pd.DataFrame:
    """The full herkomst → bestemming matrix of the aandachtsgroepen over the period: origins
    as rows, the gemeente of the home as columns (short names), the region in the last column."""
    matrix = origin_matrix(data)
    regional = data.rows("herkomst_bestemming", periode=data.period, doelgroep="aandachtsgroepen",
                         gebiedsniveau="regio").set_index("categorie")["waarde"]
    matrix[data.region.naam] = regional.reindex(matrix.index)
    matrix.columns = [data.short_name(g) for g in matrix.columns]
    matrix.index = [origin_name(data, o) for o in matrix.index]
    return matrix.rename_axis("Herkomst").reset_index()


def model_table(data: ReportData) -> pd.DataFrame:
    """The verdeelmodel over the whole period per gemeente: key share, the distribution by the
    model, the actual distribution and the difference."""
    where = {"periode": data.period, "doelgroep": "verdeelafspraak"}
    frame = pd.DataFrame({
        "Sleutelaandeel": data.values("sleutelaandeel", **where),
        "Volgens het model": data.values("taakstelling", **where),
        "Werkelijk": data.values("realisatie", **where),
        "Verschil": data.values("saldo", **where),
    })
    return data.named(frame).rename_axis("Gemeente").reset_index()


MODEL_TABLE_FORMATS = {"Sleutelaandeel": "procent", "Volgens het model": "huishoudens",
                       "Werkelijk": "huishoudens", "Verschil": "huishoudens"}


def model_text(data: ReportData) -> str:
    shortfall = data.model.regio["tekort"].sum(min_count=len(data.model.regio))
    if pd.isna(shortfall):
        return (f"{MODEL_READING} In een of meer jaren was er binnen de grens van "
                f"{fmt_percent(limit_percent(data), 0)} regionaal geen plaats voor een klein "
                "aantal huishoudens met een verdeelafspraak; het aantal wordt niet gepubliceerd.")
    capacity = (f"Binnen de grens van {fmt_percent(limit_percent(data), 0)} had elke gemeente "
                "samen met de andere genoeg ruimte voor de huishoudens met een verdeelafspraak: "
                "het model laat geen regionaal tekort zien." if shortfall == 0 else
                f"Binnen de grens van {fmt_percent(limit_percent(data), 0)} was er over de "
                f"periode regionaal geen plaats voor {fmt_int(shortfall)} huishoudens met een "
                "verdeelafspraak: een regionaal tekort.")
    return f"{MODEL_READING} {capacity}"


def tracks_table(data: ReportData) -> pd.DataFrame:
    """The regional agenda: every doelgroep with its track and whether the model covers it."""
    overview = data.model_config.sporen_overzicht()
    return pd.DataFrame({
        "Doelgroep": overview["naam"],
        "Spoor": overview["spoor_naam"],
        "In verdeelmodel": overview["in_verdeelmodel"].map({True: "ja", False: "nee"}),
        "Regionale pool (tenzij)": overview["in_pool"].map({True: "ja", False: "nee"}),
    })


def flow_matrix(data: ReportData, doelgroep: str = "aandachtsgroepen") -> pd.DataFrame:
    """Origin gemeente (index) → destination gemeente (columns) over the period, CBS codes,
    for the flow map (origins outside the region have no place on it)."""
    matrix = origin_matrix(data, doelgroep)
    return matrix.loc[list(data.region.gemeenten)]
