"""Waiting times and chances for the regional report, the appendix and the doelgroep sheet: the
median inschrijfduur and zoekduur at letting and the reacties per advert, per route, doelgroep
and gemeente, beside the lettings they rest on.

The SVH columns are optional. When the delivered lettings lack one, its indicator has no rows
at all; that is how these functions know (`missing`, `absent_text`). In a table a figure the
small-count rule hides prints 'x', one that does not exist '–' (a route of direct mediation has
no zoekduur and no advert: the published table has no row for it), so those columns are
text."""

from __future__ import annotations

import pandas as pd

from analysis import codes
from analysis.disclosure import SHOWN
from analysis.indicators.catalogue import catalogue
from analysis.indicators.table import AANDACHTSGROEPEN, ALLE
from analysis.report.data import ReportData
from analysis.report.shared import names, not_published, with_codes
from analysis.tables import MISSING, SUPPRESSED, fmt_decimal, fmt_value, md_text

INSCHRIJFDUUR = "inschrijfduur_mediaan"
ZOEKDUUR = "zoekduur_mediaan"
REACTIES = "reacties_per_advertentie"
COLUMNS = {INSCHRIJFDUUR: "Mediane inschrijfduur (maanden)",
           ZOEKDUUR: "Mediane zoekduur (maanden)",
           REACTIES: "Reacties per advertentie (gemiddeld)"}
# What the delivered lettings lack, in a sentence, per indicator.
SUBJECTS = {INSCHRIJFDUUR: "inschrijfduur", ZOEKDUUR: "zoekduur", REACTIES: "aantal reacties"}
FORMATS = {"Verhuringen": "verhuringen"}
ALIGN = {column: "right" for column in COLUMNS.values()}
EVERY_ROUTE = "Alle routes"
YEARS_FROM = 24  # months; a longer duration reads better in years


def missing(data: ReportData) -> list[str]:
    """The indicators of this section the delivered lettings give no figures for."""
    present = data.indicator_ids()
    return [indicator for indicator in COLUMNS if indicator not in present]


def delivered(data: ReportData) -> bool:
    """Whether the delivered lettings have at least one of the columns (the section has
    tables)."""
    return len(missing(data)) < len(COLUMNS)


def absent_text(data: ReportData) -> str:
    """What the section says when the lettings lack these columns ('' when they have all)."""
    lacking = missing(data)
    if not delivered(data):
        return ("De aangeleverde verhuurgegevens bevatten geen inschrijfduur, zoekduur of "
                "aantal reacties; deze paragraaf blijft daarom leeg.")
    if lacking:
        columns = "blijft die kolom" if len(lacking) == 1 else "blijven die kolommen"
        return (f"De aangeleverde verhuurgegevens bevatten geen "
                f"{names([SUBJECTS[i] for i in lacking], 'of')}; in de tabellen {columns} "
                "leeg.")
    return ""


def _cells(data: ReportData, indicator: str, by: str, **where: str) -> pd.DataFrame:
    """Waarde and status of one indicator, indexed by `by` (categorie, doelgroep or gebied)."""
    return data.rows(indicator, **where).set_index(by)[["waarde", "status"]]


def _text(cells: pd.DataFrame, key: str, eenheid: str) -> str:
    """A figure as a table shows it: hidden 'x', no figure (no row) '–'."""
    if key not in cells.index:
        return MISSING
    if cells.loc[key, "status"] != SHOWN:
        return SUPPRESSED
    return fmt_value(cells.loc[key, "waarde"], eenheid)


def _measures(data: ReportData, by: str, keys: list[str], **where: str) -> dict[str, list[str]]:
    """The three figures as text columns, one value per key of `by`."""
    columns = {}
    for indicator, column in COLUMNS.items():
        cells, eenheid = _cells(data, indicator, by, **where), catalogue()[indicator].eenheid
        columns[column] = [_text(cells, key, eenheid) for key in keys]
    return columns


def _with_lettings(counts: pd.Series) -> list[str]:
    """Keys with lettings, or whose count is hidden, in the order given."""
    return [key for key in counts.index if pd.isna(counts[key]) or counts[key] > 0]


def route_table(data: ReportData, gebied: str | None = None, doelgroep: str = ALLE,
                periode: str | None = None) -> pd.DataFrame:
    """Per toewijzingsroute with lettings, then all routes together, for the region or a
    gemeente (`gebied`), one doelgroep and the period (or a year): lettings, the median
    inschrijfduur and zoekduur and the reacties per advert."""
    where = {"gebied": gebied or data.region.naam, "periode": periode or data.period,
             "doelgroep": doelgroep}
    counts = data.rows("verhuringen_route", **where).set_index("categorie")["waarde"]
    routes = _with_lettings(counts.reindex(codes.codes("toewijzingsroutes")))
    total = data.rows("verhuringen", categorie=ALLE, **where)["waarde"]
    labels = codes.labels("toewijzingsroutes")
    frame = pd.DataFrame({
        "Toewijzingsroute": [labels[r] for r in routes] + [EVERY_ROUTE],
        "Verhuringen": [*counts[routes], total.iloc[0] if len(total) else float("nan")],
        **_measures(data, "categorie", [*routes, ALLE], **where)})
    return with_codes(frame, "Toewijzingsroute", [*routes, ALLE])


def doelgroep_table(data: ReportData, gebied: str | None = None, periode: str | None = None
                    ) -> pd.DataFrame:
    """Per doelgroep over all routes, for the region or a gemeente and the period (or a year):
    everyone, no aandachtsgroep, the aandachtsgroepen together, then each one with lettings."""
    where = {"gebied": gebied or data.region.naam, "periode": periode or data.period,
             "categorie": ALLE}
    counts = data.rows("verhuringen", **where).set_index("doelgroep")["waarde"]
    groups = [ALLE, codes.NO_GROUP, AANDACHTSGROEPEN,
              *_with_lettings(counts.reindex(codes.aandachtsgroepen()))]
    labels = {**codes.labels("doelgroepen"), ALLE: "Alle huishoudens",
              AANDACHTSGROEPEN: "Aandachtsgroepen samen"}
    frame = pd.DataFrame({"Doelgroep": [labels[g] for g in groups],
                          "Verhuringen": counts.reindex(groups).to_numpy(),
                          **_measures(data, "doelgroep", groups, **where)})
    return with_codes(frame, "Doelgroep", groups)


def gemeente_table(data: ReportData, doelgroep: str = ALLE, periode: str | None = None
                   ) -> pd.DataFrame:
    """Per gemeente and the region, over all routes, for one doelgroep and the period."""
    where = {"periode": periode or data.period, "doelgroep": doelgroep, "categorie": ALLE}
    gebieden = [*data.region.gemeenten, data.region.naam]
    counts = data.rows("verhuringen", **where).set_index("gebied")["waarde"]
    frame = pd.DataFrame({"Gemeente": [data.gemeente_name(g) for g in gebieden],
                          "Verhuringen": counts.reindex(gebieden).to_numpy(),
                          **_measures(data, "gebied", gebieden, **where)})
    return with_codes(frame, "Gemeente", gebieden)


def duration(months: float) -> str:
    """A waiting time for a sentence: '7 maanden', '1 maand', from two years '8,1 jaar'."""
    if months >= YEARS_FROM - 0.5:  # what would print as 24 months or more
        return f"{fmt_decimal(months / 12, 1)} jaar"
    text = fmt_value(months, "maanden")
    return f"{text} {'maand' if text == '1' else 'maanden'}"


def _figure(data: ReportData, indicator: str, **where: str) -> float | None:
    """One figure: its value, NaN where hidden, None where there is none (no row)."""
    rows = data.rows(indicator, **where)
    return None if rows.empty else float(rows["waarde"].iloc[0])


def summary(data: ReportData, gebied: str | None = None) -> str:
    """The section's sentences for the region or a gemeente over the period: how long new
    tenants were registered and searched, by the regular route and by urgency, and the
    reacties per advert; the absent-columns sentence when the lettings lack them."""
    if not delivered(data):
        return absent_text(data)
    gebied = gebied or data.region.naam
    where = {"gebied": gebied, "periode": data.period, "doelgroep": ALLE}
    name = md_text(data.gemeente_name(gebied))
    sentences = []
    overall = _figure(data, INSCHRIJFDUUR, categorie=ALLE, **where)
    if overall is not None:
        routes = [(label, _figure(data, INSCHRIJFDUUR, categorie=route, **where))
                  for route, label in (("regulier", "via de reguliere route"),
                                       ("urgentie", "met urgentie"))]
        parts = [f"{label} {duration(value)}" for label, value in routes
                 if value is not None and not pd.isna(value)]
        sentences.append(
            not_published(f"De inschrijfduur in {name}") if pd.isna(overall) else
            f"Wie in {data.period} in {name} een sociale huurwoning kreeg, stond mediaan "
            f"{duration(overall)} ingeschreven" + (f" ({', '.join(parts)})." if parts else "."))
    search = _figure(data, ZOEKDUUR, categorie=ALLE, **where)
    if search is not None:
        sentences.append(not_published(f"De zoekduur in {name}") if pd.isna(search) else
                         f"De mediane zoekduur, vanaf de eerste reactie op aanbod, was "
                         f"{duration(search)}.")
    reacties = _figure(data, REACTIES, categorie=ALLE, **where)
    if reacties is not None:
        sentences.append(not_published(f"Het aantal reacties in {name}") if pd.isna(reacties)
                         else f"Op een advertentie kwamen gemiddeld "
                              f"{fmt_value(reacties, 'reacties')} reacties.")
    return " ".join([*sentences, absent_text(data)]).strip()


def doelgroep_summary(data: ReportData, doelgroep: str) -> str:
    """For the doelgroep sheet: the doelgroep's median inschrijfduur and zoekduur in the region
    over the period, beside those of all new tenants."""
    if not delivered(data):
        return absent_text(data)
    where = {"gebied": data.region.naam, "periode": data.period, "categorie": ALLE}
    own = _figure(data, INSCHRIJFDUUR, doelgroep=doelgroep, **where)
    search = _figure(data, ZOEKDUUR, doelgroep=doelgroep, **where)
    if own is not None and pd.isna(own):
        sentences = ["De inschrijfduur en de zoekduur van deze doelgroep worden niet "
                     "gepubliceerd om kleine aantallen huishoudens te beschermen."]
    elif own is not None:
        everyone = _figure(data, INSCHRIJFDUUR, doelgroep=ALLE, **where)
        compared = ("" if everyone is None or pd.isna(everyone)
                    else f" (alle nieuwe huurders: {duration(everyone)})")
        sentences = [f"Huishoudens uit deze doelgroep die in {data.period} een woning kregen, "
                     f"stonden mediaan {duration(own)} ingeschreven{compared}."]
        if search is None and ZOEKDUUR not in missing(data):
            sentences.append("Voor hen is geen zoekduur bekend: bij directe bemiddeling "
                             "reageert een huishouden niet op aanbod.")
        elif search is not None:
            sentences.append(not_published("De zoekduur van deze doelgroep") if pd.isna(search)
                             else f"De mediane zoekduur was {duration(search)}.")
    else:
        sentences = []
    return " ".join([*sentences, absent_text(data)]).strip()
