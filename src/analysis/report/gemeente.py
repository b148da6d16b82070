"""Content of the municipal appendix: the gemeente next to the region, from the same table."""

from __future__ import annotations

import pandas as pd

from analysis import codes
from analysis.indicators.catalogue import catalogue
from analysis.report import taakstelling
from analysis.report.data import ReportData
from analysis.report.shared import (
    LIMIT_INDICATOR,
    cell,
    limit_percent,
    names,
    not_published,
    origin_matrix,
    origin_name,
    shown,
    wijk_rows,
    wijk_table,
    with_codes,
)
from analysis.report.trends import by_year
from analysis.tables import fmt_int, fmt_percent, md_text

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
                     data.gemeente_name(gemeente): cell(values.get(gemeente), meta.eenheid),
                     data.region.naam: cell(values.get(data.region.naam), meta.eenheid)})
    return pd.DataFrame(rows)


def limit_by_year(data: ReportData, gemeente: str) -> pd.DataFrame:
    """The limit share per year, of the gemeente and the region (rows: years, 'Jaar')."""
    frame = by_year(data, LIMIT_INDICATOR, [gemeente, data.region.naam])
    return frame.rename_axis("Jaar").reset_index()


def inflow_by_group(data: ReportData, gemeente: str) -> pd.DataFrame:
    labels = codes.labels("doelgroepen")
    rows = []
    for doelgroep in codes.aandachtsgroepen():
        count = data.values("verhuringen", periode=data.period, doelgroep=doelgroep)
        rate = data.values("instroom_per_1000_huishoudens", periode=data.period,
                           doelgroep=doelgroep)
        rows.append({"Doelgroep": labels[doelgroep], "Verhuringen": count[gemeente],
                     "Per 1.000 huishoudens": rate[gemeente],
                     f"Per 1.000 huishoudens {data.region.naam}": rate[data.region.naam]})
    return with_codes(pd.DataFrame(rows), "Doelgroep", codes.aandachtsgroepen())


def _largest_first(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with lettings, largest first, hidden ones (NaN) last; ties in code-list order."""
    listed = frame[frame["Verhuringen"].isna() | (frame["Verhuringen"] > 0)]
    return listed.sort_values("Verhuringen", ascending=False, kind="stable", na_position="last")


def origins(data: ReportData, gemeente: str) -> pd.DataFrame:
    """Where the gemeente's priority-group tenants came from, over the period: counts, and
    shares of those with a known origin (the own gemeente's share is aandeel_eigen_herkomst)."""
    shares = data.rows("aandeel_herkomst", periode=data.period, doelgroep="aandachtsgroepen",
                       gebied=gemeente).set_index("categorie")["waarde"]
    counts = origin_matrix(data)[gemeente]
    frame = _largest_first(pd.DataFrame({"Verhuringen": counts, "Aandeel": shares.reindex(
        counts.index)}))
    # Households of unknown origin have no share; they close the list.
    frame = pd.concat([frame.drop("onbekend", errors="ignore"),
                       frame.loc[frame.index == "onbekend"]])
    result = pd.DataFrame({"Herkomst": [origin_name(data, c) for c in frame.index],
                           "Verhuringen": frame["Verhuringen"].to_numpy(),
                           "Aandeel": frame["Aandeel"].to_numpy()})
    return with_codes(result, "Herkomst", frame.index)


def destinations(data: ReportData, gemeente: str) -> pd.DataFrame:
    """Where priority-group households from this gemeente were housed in the region."""
    shares = data.rows("aandeel_bestemming", periode=data.period, doelgroep="aandachtsgroepen",
                       categorie=gemeente).set_index("gebied")["waarde"]
    counts = origin_matrix(data).loc[gemeente]
    frame = _largest_first(pd.DataFrame({"Verhuringen": counts,
                                         "Aandeel": shares.reindex(counts.index)}))
    result = pd.DataFrame({"Gehuisvest in": [data.gemeente_name(g) for g in frame.index],
                           "Verhuringen": frame["Verhuringen"].to_numpy(),
                           "Aandeel": frame["Aandeel"].to_numpy()})
    return with_codes(result, "Gehuisvest in", frame.index)


def wijken(data: ReportData, gemeente: str, number: bool = False) -> pd.DataFrame:
    """The gemeente's wijken with enough lettings (or hidden), highest concentration first:
    lettings, the share of priority groups among the new tenants and the index against the
    gemeente; with `number` the CBS wijk number the map labels them with."""
    table = wijk_table(data, gemeente).sort_values("index", ascending=False, kind="stable",
                                                   na_position="last")
    return wijk_rows(data, table, number=number)


def model_by_year(data: ReportData, gemeente: str) -> pd.DataFrame:
    """Per year the key share, the capacity under the limit, the own demand, and the
    distribution by the model against the actual one."""
    results = data.model.resultaten
    rows = results[results["gemeente"].astype(str) == gemeente].set_index("jaar")
    where = {"doelgroep": "verdeelafspraak", "gebiedsniveau": "gemeente"}
    per_year = {
        column: [data.values(indicator, periode=str(jaar), **where)[gemeente]
                 for jaar in rows.index]
        for column, indicator in (("Sleutelaandeel", "sleutelaandeel"),
                                  ("Volgens het model", "taakstelling"),
                                  ("Werkelijk", "realisatie"), ("Verschil", "saldo"))}
    return pd.DataFrame({
        "Jaar": [str(j) for j in rows.index],
        "Sleutelaandeel": per_year["Sleutelaandeel"],
        "Capaciteit": rows["capaciteit"].to_numpy(),
        "Eigen vraag": rows["vraag_eigen"].to_numpy(),
        "Volgens het model": per_year["Volgens het model"],
        "Werkelijk": per_year["Werkelijk"],
        "Verschil": per_year["Verschil"],
    })


MODEL_BY_YEAR_FORMATS = {"Sleutelaandeel": "procent", "Capaciteit": "woningen",
                         "Eigen vraag": "huishoudens", "Volgens het model": "huishoudens",
                         "Werkelijk": "huishoudens", "Verschil": "huishoudens"}


def _own_households(data: ReportData, gemeente: str) -> tuple[float, float]:
    """Households from the gemeente housed in the gemeente itself, and in the whole region."""
    matrix = data.rows("herkomst_bestemming", periode=data.period, doelgroep="aandachtsgroepen",
                       categorie=gemeente).set_index("gebied")["waarde"]
    return matrix.get(gemeente), matrix.get(data.region.naam)


def key_messages(data: ReportData, gemeente: str) -> list[str]:
    """The appendix's findings, each a sentence with its figures from the indicator table."""
    name, region, period, last = (md_text(data.gemeente_name(gemeente)), data.region.naam,
                                  data.period, data.last_year)
    limit = limit_percent(data)
    share = data.values(LIMIT_INDICATOR, periode=last)
    lettings = data.values("verhuringen", periode=period, doelgroep="aandachtsgroepen")
    own, everywhere = _own_households(data, gemeente)
    away = destinations(data, gemeente)
    away = away[(away["Gehuisvest in"] != data.gemeente_name(gemeente))
                & away["Aandeel"].notna()]
    messages = [
        f"In {period} kregen {fmt_int(lettings[gemeente])} huishoudens uit aandachtsgroepen een "
        f"sociale huurwoning in {name}, van de {fmt_int(lettings[region])} in heel "
        f"{md_text(region)}."
        if shown(lettings[gemeente], lettings[region]) else
        not_published(f"Het aantal huishoudens uit aandachtsgroepen dat in {period} een sociale "
                      f"huurwoning kreeg in {name}"),
        f"In {last} ging {fmt_percent(share[gemeente])} van de vrijgekomen sociale huurwoningen "
        f"in {name} naar aandachtsgroepen die meetellen voor de grens: "
        f"{'boven' if share[gemeente] > limit else 'binnen'} de grens van "
        f"{fmt_percent(limit, 0)} (regio: {fmt_percent(share[region])}).",
        f"Van de {fmt_int(everywhere)} huishoudens uit aandachtsgroepen uit {name} die in "
        f"{period} in de regio een woning kregen, kregen er {fmt_int(own)} een woning in "
        f"{name} zelf." if shown(own, everywhere) else
        not_published(f"Hoeveel huishoudens uit aandachtsgroepen uit {name} in {period} in "
                      f"{name} zelf een woning kregen"),
    ]
    if len(away):
        top = away.iloc[0]
        messages.append(f"{fmt_percent(top['Aandeel'], 0)} van de huishoudens uit {name} vond "
                        f"een woning in {md_text(top['Gehuisvest in'])}.")
    return [*messages, _model_sentence(data, gemeente)]


def _model_sentence(data: ReportData, gemeente: str) -> str:
    """The model's distribution against the actual one over the period."""
    name, period = md_text(data.gemeente_name(gemeente)), data.period
    where = {"periode": period, "doelgroep": "verdeelafspraak"}
    model = data.values("taakstelling", **where)[gemeente]
    actual = data.values("realisatie", **where)[gemeente]
    difference = data.values("saldo", **where)[gemeente]
    if not shown(model, actual, difference):
        return not_published(f"De verdeling volgens het verdeelmodel van de huishoudens met een "
                             f"verdeelafspraak over {period} naast de werkelijke verdeling in "
                             f"{name}")
    more = "meer" if difference > 0 else "minder"
    return (f"Volgens het verdeelmodel had {name} over {period} {fmt_int(model)} huishoudens "
            f"met een verdeelafspraak gehuisvest; werkelijk waren het er {fmt_int(actual)}: "
            + (f"{fmt_int(abs(difference))} {more} dan haar deel." if difference else
               "precies haar deel."))


def programme_block(data: ReportData, gemeente: str) -> str:
    """A text block for chapter 6 of the volkshuisvestingsprogramma, to be taken over as is."""
    name, region, period, last = (md_text(data.gemeente_name(gemeente)),
                                  md_text(data.region.naam), data.period, data.last_year)
    key = data.values("sleutelaandeel", periode=last, doelgroep="verdeelafspraak")[gemeente]
    share = data.values(LIMIT_INDICATOR, periode=last)[gemeente]
    own = data.values("aandeel_eigen_herkomst", periode=period,
                      doelgroep="aandachtsgroepen")[gemeente]
    limit = fmt_percent(limit_percent(data), 0)
    own_sentence = (f"Over {period} kwam {fmt_percent(own)} van de nieuwe huurders uit "
                    f"aandachtsgroepen uit {name} zelf." if shown(own) else
                    not_published(f"Het deel van de nieuwe huurders uit aandachtsgroepen dat "
                                  f"over {period} uit {name} zelf kwam,"))
    return (
        f"{name} werkt met de andere gemeenten in {region} aan een evenwichtige verdeling van "
        "de huisvesting van aandachtsgroepen, volgens de regionale leidende principes "
        f"*herkomstgemeente, tenzij*, *kansrijke woonstart* en ten hoogste {limit} van de "
        "vrijkomende sociale huurwoningen voor aandachtsgroepen. In "
        f"{last} ging in {name} {fmt_percent(share)} van de vrijgekomen sociale huurwoningen "
        f"naar aandachtsgroepen die voor die grens meetellen. {own_sentence} Het "
        f"aandeel van {name} in de regionale verdeelsleutel was in {last} {fmt_percent(key)}. "
        f"{_model_sentence(data, gemeente)} {taakstelling.task_sentence(data, gemeente)}")


def hvo_block(data: ReportData, gemeente: str) -> str:
    """A text block for the regional part of the huisvestingsverordening, from the settings."""
    name, region = md_text(data.gemeente_name(gemeente)), md_text(data.region.naam)
    config = data.model_config
    categories = names([codes.in_sentence(c) for c in codes.labels("urgentiecategorieen").values()])
    pool = names([codes.in_sentence(codes.labels("doelgroepen")[d])
                  for d in config.pool_doelgroepen])
    return (
        f"De gemeenten in {region} verlenen urgentie in dezelfde categorieën: {categories}. "
        f"Huishoudens uit deze categorieën worden gehuisvest in de gemeente waar zij vandaan "
        f"komen, tenzij er een reden is om hen elders te huisvesten; voor {pool} geldt dat "
        "altijd, zij worden via een regionale verdeling gehuisvest. Ten hoogste "
        f"{fmt_percent(limit_percent(data), 0)} van de sociale huurwoningen die in {name} "
        "vrijkomen, wordt toegewezen aan aandachtsgroepen. De verdeling van de huishoudens over "
        f"de gemeenten volgt de regionale verdeelafspraak van {region}.")
