"""Signals for monitoring and steering: the rules of the settings (`signalen.regels`) applied
to the published indicator table. The regional report, the monitor and every appendix show the
same signals: those of the region, or those of one gemeente.

A rule at `gebiedsniveau: gemeente` tests every gemeente; in an appendix only that gemeente's
row. A rule at `gebiedsniveau: regio` tests the region; in an appendix it tests the gemeente's
own row of the same indicator where there is one (wijken above the threshold, progress of the
housing task), so an appendix tells its gemeente what the regional report tells the region.

A hidden figure is empty (NaN) in `ReportData`: it never raises a signal, nor does a row whose
reference figure is hidden, so no signal quotes or bounds a hidden value."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from analysis import codes
from analysis.config import LIMIT_THRESHOLD, SEVERITIES, ConfigError, RegionConfig, SignalRule
from analysis.indicators.catalogue import catalogue
from analysis.indicators.table import AANDACHTSGROEPEN, ALLE
from analysis.model.config import MODEL_SPOOR
from analysis.report.data import ReportData
from analysis.report.shared import ORIGINS_OUTSIDE, limit_percent
from analysis.tables import (
    decimals_for,
    fmt_decimal,
    fmt_int,
    fmt_number,
    fmt_value,
    listing,
    md_text,
)

EVERY = "elke"  # doelgroep or categorie of a rule: each one apart
LIGHTS = {"hoog": "rood", "midden": "oranje", "laag": "geel"}  # traffic light per ernst
GREEN = "groen"  # a thema without signals
KEY = ["gebiedsniveau", "gebied", "periode", "doelgroep", "categorie"]
# The doelgroep codes of the indicator table that are totals, as a sentence names them.
DOELGROEP_TOTALS = {ALLE: "alle huishoudens", AANDACHTSGROEPEN: "aandachtsgroepen",
                    MODEL_SPOOR: "doelgroepen met een verdeelafspraak"}
# Code lists that categorie codes come from, with what a rule says per code ('per eenheid').
CATEGORY_LISTS = {"eenheden": "eenheid", "toewijzingsroutes": "toewijzingsroute",
                  "urgentiecategorieen": "urgentiecategorie"}
COUNT_UNITS = ("verhuringen", "huishoudens", "woningen", "wijken")  # said after a threshold


@dataclass(frozen=True)
class Signal:
    severity: str  # hoog, midden, laag: the rule's ernst
    text: str  # what the figures show, with the figure: plain text (a table escapes it)
    rule: str  # the rule that raised it, in words, with its threshold
    size: float  # within a severity larger first: how far past the threshold
    thema: str  # the monitored thing of the rule
    gebied: str  # gemeente code, or the region's name
    rule_id: str  # the rule's name in the settings

    @property
    def rank(self) -> tuple[int, float]:
        return SEVERITIES.index(self.severity), -self.size

    @property
    def light(self) -> str:
        """The traffic-light colour of the monitor: rood, oranje or geel."""
        return LIGHTS[self.severity]


def check(region: RegionConfig) -> None:
    """The names in the rules exist: indicators of the catalogue with figures per gemeente and
    region, a periode that fits them, doelgroep and categorie codes of the indicator table.
    (The settings file itself is checked when it is read; the catalogue lives above it.)"""
    for rule in region.signalen.regels:
        problem = _problem(rule)
        if problem:
            setting, text = problem
            raise ConfigError(f"{region.bron}: instelling 'signalen.regels.{rule.id}.{setting}': "
                              f"{text}")


def _problem(rule: SignalRule) -> tuple[str, str] | None:
    """The first name in `rule` that does not exist or fit: (setting, problem)."""
    known = catalogue()
    for setting in ("indicator", "referentie"):
        name = getattr(rule, setting)
        if name is not None and name not in known:
            return setting, f"onbekende indicator {name!r}; zie docs/indicatoren.md"
    indicator = known[rule.indicator]
    if "gemeente" not in indicator.uitsplitsingen:
        return "indicator", f"{rule.indicator} heeft geen cijfers per gemeente en voor de regio"
    yearly = "jaar" in indicator.uitsplitsingen
    if yearly and rule.periode == "planperiode":
        return "periode", (f"{rule.indicator} heeft cijfers per jaar; kies laatste_jaar, "
                           "hele_periode of elk_jaar")
    if not yearly and rule.periode != "planperiode":
        return "periode", (f"{rule.indicator} heeft één cijfer over de planperiode; kies "
                           "planperiode")
    if rule.drempel == LIMIT_THRESHOLD and indicator.eenheid != "procent":
        return "drempel", (f"{LIMIT_THRESHOLD} is een percentage; {rule.indicator} heeft "
                           f"eenheid {indicator.eenheid}")
    if rule.doelgroep not in (*codes.codes("doelgroepen"), *DOELGROEP_TOTALS, EVERY):
        return "doelgroep", (f"onbekende doelgroep {rule.doelgroep!r}; kies een code uit de "
                             f"codelijst, {', '.join(DOELGROEP_TOTALS)} of {EVERY}")
    if rule.categorie not in (*_category_labels(), EVERY):
        return "categorie", (f"onbekende categorie {rule.categorie!r}; kies {ALLE}, {EVERY} of "
                             "een code van een uitsplitsing")
    return None


def rule_for(data: ReportData, indicator: str, toets: str) -> SignalRule | None:
    """The most severe rule on `indicator` with test `toets` (the first among equals): the one
    a key message follows, so that the message and the signal agree."""
    rules = [r for r in data.region.signalen.regels if r.indicator == indicator
             and r.toets == toets]
    return min(rules, key=lambda r: SEVERITIES.index(r.ernst), default=None)


def threshold(data: ReportData, rule: SignalRule) -> float:
    """On the indicator's scale; 'mutatiegrens' is the verdeelmodel's limit in percent."""
    return limit_percent(data) if rule.drempel == LIMIT_THRESHOLD else float(rule.drempel)


def threshold_text(data: ReportData, rule: SignalRule) -> str:
    """The threshold as written in a sentence: '30%', '25', '1,5' (no trailing zeros)."""
    eenheid = catalogue()[rule.indicator].eenheid
    text = fmt_number(threshold(data, rule), decimals_for(eenheid))
    return text + "%" if eenheid == "procent" else text


def raised(data: ReportData, rule: SignalRule, gemeente: str | None = None) -> pd.DataFrame:
    """The rows of the indicator table that raise `rule` (for the region, or for one
    gemeente), in gebied, periode, doelgroep and categorie order; with the reference figure in
    a column `referentie` when the rule has one."""
    rows = _selected(data, rule, gemeente)
    value, limit = rows["waarde"], threshold(data, rule)
    hit = {"boven": value > limit, "onder": value < limit,
           "afwijking": value.abs() >= limit}[rule.toets]  # NaN (hidden): never
    if rule.referentie is not None:
        reference = data.rows(rule.referentie).set_index(KEY)["waarde"]
        rows = rows.assign(referentie=reference.reindex(
            pd.MultiIndex.from_frame(rows[KEY])).to_numpy())
        hit &= value.abs() >= rule.referentie_procent / 100 * rows["referentie"].abs()
    return rows[hit]


def _selected(data: ReportData, rule: SignalRule, gemeente: str | None) -> pd.DataFrame:
    rows = data.rows(rule.indicator)
    if gemeente is None:
        mask = rows["gebiedsniveau"] == rule.gebiedsniveau
    else:
        mask = (rows["gebiedsniveau"] == "gemeente") & (rows["gebied"] == gemeente)
    for column in ("doelgroep", "categorie"):
        if getattr(rule, column) != EVERY:
            mask &= rows[column] == getattr(rule, column)
    periods = {"laatste_jaar": [data.last_year], "hele_periode": [data.period],
               "elk_jaar": [str(year) for year in data.region.jaren]}
    if rule.periode in periods:  # planperiode: the indicator has that one period
        mask &= rows["periode"].isin(periods[rule.periode])
    order = {code: i for i, code in enumerate([*data.region.gemeenten, data.region.naam,
                                               *codes.codes("doelgroepen")])}
    return rows[mask].sort_values(
        ["gebied", "periode", "doelgroep", "categorie"], kind="stable",
        key=lambda column: column.map(lambda v: (order.get(v, len(order)), v)))


def evaluate(data: ReportData, gemeente: str | None = None) -> list[Signal]:
    """Every signal the rules raise for the region, or only those of one gemeente (CBS code),
    ranked: severity first, then size; among equals in the order of the rules."""
    check(data.region)
    if gemeente is not None and gemeente not in data.region.gemeenten:
        raise ValueError(f"{gemeente!r} is geen gemeente van {data.region.naam}")
    found = [_signal(data, rule, row) for rule in data.region.signalen.regels
             for row in raised(data, rule, gemeente).itertuples()]
    return sorted(found, key=lambda s: s.rank)


def _signal(data: ReportData, rule: SignalRule, row: Any) -> Signal:
    return Signal(severity=rule.ernst, text=rule.tekst.format(**_fields(data, rule, row)),
                  rule=rule_text(data, rule, row.gebiedsniveau),
                  size=_size(data, rule, row.waarde), thema=rule.thema, gebied=row.gebied,
                  rule_id=rule.id)


def _size(data: ReportData, rule: SignalRule, value: float) -> float:
    limit = threshold(data, rule)
    return {"boven": value - limit, "onder": limit - value, "afwijking": abs(value)}[rule.toets]


def _gemeenten(data: ReportData, rule: SignalRule, row: Any, eenheid: str) -> str:
    """The gemeenten whose own figure for the row's periode, doelgroep and categorie raises the
    rule too, furthest past the threshold first, with that figure: 'Zoetermeer 3 en Delft 1'
    (for a gemeente's row: that gemeente)."""
    own = row.gebied if row.gebiedsniveau == "gemeente" else None
    hits = raised(data, dataclasses.replace(rule, gebiedsniveau="gemeente"), own)
    hits = hits[(hits["periode"] == row.periode) & (hits["doelgroep"] == row.doelgroep)
                & (hits["categorie"] == row.categorie)]
    sizes = [_size(data, rule, value) for value in hits["waarde"]]
    hits = hits.assign(size=sizes).sort_values("size", ascending=False, kind="stable")
    items = [f"{data.gemeente_name(g)} {fmt_value(v, eenheid)}"
             for g, v in zip(hits["gebied"], hits["waarde"], strict=True)]
    return listing(items) if items else ""  # plain text: a signal is not Markdown


def _fields(data: ReportData, rule: SignalRule, row: Any) -> dict[str, str]:
    """The named fields of a rule's sentence for one row; figures as the tables write them."""
    eenheid, settings = catalogue()[rule.indicator].eenheid, data.region.signalen
    return {
        "gebied": data.gemeente_name(row.gebied),
        "waarde": fmt_value(row.waarde, eenheid),
        "waarde_abs": fmt_value(abs(row.waarde), eenheid),
        "richting": "meer" if row.waarde > 0 else "minder",
        "drempel": threshold_text(data, rule),
        "periode": row.periode.replace("-", "–"),
        "doelgroep": _doelgroep(row.doelgroep),
        "categorie": _category_labels().get(row.categorie, row.categorie),
        "referentie": ("" if rule.referentie is None
                       else fmt_value(row.referentie, catalogue()[rule.referentie].eenheid)),
        "gemeenten": (_gemeenten(data, rule, row, eenheid) if "{gemeenten}" in rule.tekst
                      else ""),
        "wijk_concentratie": fmt_decimal(settings.wijk_concentratie),
        "wijk_minimaal_verhuringen": fmt_int(settings.wijk_minimaal_verhuringen),
    }


def _doelgroep(code: str) -> str:
    return DOELGROEP_TOTALS.get(code) or codes.in_sentence(codes.labels("doelgroepen")[code])


@cache
def _category_labels() -> dict[str, str]:
    """Every categorie code of the indicator table → its name in a sentence."""
    found = {ALLE: "alle"}
    found |= {code: codes.typographic(name) for code, name in codes.labels("gemeenten").items()}
    found |= {code: codes.in_sentence(name) for code, name in ORIGINS_OUTSIDE.items()}
    for name in CATEGORY_LISTS:
        found |= {code: codes.in_sentence(label) for code, label in codes.labels(name).items()}
    return found


def rule_text(data: ReportData, rule: SignalRule, gebiedsniveau: str | None = None) -> str:
    """The rule in words with its threshold, as shown beside each signal, e.g. 'Aandeel
    mutaties naar aandachtsgroepen in 2025: boven 30% (de mutatiegrens)'.
    `gebiedsniveau`: where it was applied, when not the rule's own (a regional rule in an
    appendix)."""
    indicator = catalogue()[rule.indicator]
    each: list[str] = []  # a gemeente's signal names the gemeente: the rule need not
    fixed = [] if (gebiedsniveau or rule.gebiedsniveau) == "gemeente" else ["in de regio"]
    if rule.doelgroep == EVERY:
        each.append("doelgroep")
    elif rule.doelgroep != ALLE:
        fixed.append(f"voor {_doelgroep(rule.doelgroep)}")
    if rule.categorie == EVERY:
        each.append(_category_kind(data, rule.indicator))
    elif rule.categorie != ALLE:
        fixed.append(f"voor {_category_labels()[rule.categorie]}")
    period = data.period.replace("-", "–")
    scope = [*fixed, *(["per " + listing(each)] if each else []),
             {"laatste_jaar": f"in {data.last_year}", "hele_periode": f"over {period}",
              "elk_jaar": f"in elk jaar van {period}",
              "planperiode": "over de planperiode"}[rule.periode]]
    limit = threshold_text(data, rule)
    if indicator.eenheid in COUNT_UNITS:
        limit += f" {indicator.eenheid}"
    test = {"boven": f"boven {limit}", "onder": f"onder {limit}",
            "afwijking": f"minstens {limit} meer of minder"}[rule.toets]
    if rule.drempel == LIMIT_THRESHOLD:
        test += " (de mutatiegrens)"
    if rule.referentie is not None:
        test += (f", en minstens {fmt_number(rule.referentie_procent)}% van "
                 f"‘{catalogue()[rule.referentie].titel}’")
    return f"{indicator.titel}{_settings_note(data, rule.indicator)} {' '.join(scope)}: {test}"


def _category_kind(data: ReportData, indicator: str) -> str:
    """What the categories of an indicator are ('eenheid'), from its rows."""
    present = set(data.rows(indicator)["categorie"])
    if present & set(ORIGINS_OUTSIDE):
        return "herkomst"
    return next((kind for name, kind in CATEGORY_LISTS.items()
                 if present & set(codes.codes(name))), "categorie")


def _settings_note(data: ReportData, indicator: str) -> str:
    """What the settings add to an indicator's definition: the wijk thresholds."""
    if indicator != "wijken_boven_drempel":
        return ""
    settings = data.region.signalen
    return (f" (concentratie-index minstens {fmt_decimal(settings.wijk_concentratie)}, in "
            f"wijken met minstens {fmt_int(settings.wijk_minimaal_verhuringen)} verhuringen)")


def thema_name(thema: str) -> str:
    """A thema of the signal rules as a reader sees it: 'mutatiegrens' → 'Mutatiegrens'."""
    return thema.replace("_", " ").capitalize()


def light(colour: str) -> str:
    """A traffic light in the text: the word with a dot of its colour (the render filter)."""
    return f"[{colour}]{{.stoplicht}}"


def grouped(found: list[Signal], per_rule: int | None = None) -> str:
    """The signals as Markdown, most severe first, per rule: its traffic light, thema and the
    rule in words once, then its signals as a list, ranked by size; with `per_rule` only the
    largest that many and how many more there are (the monitor, which refers to the regional
    report for the rest)."""
    if not found:
        return "Er zijn geen signalen: elke regel blijft binnen zijn drempel."
    by_rule: dict[str, list[Signal]] = {}
    for signal in found:  # ranked: a rule's first signal is its most severe
        by_rule.setdefault(signal.rule_id, []).append(signal)
    blocks = []
    for signals in by_rule.values():
        first, shown = signals[0], signals[:per_rule]
        blocks.append(f"{light(first.light)} **{md_text(thema_name(first.thema))}.** "
                      f"*Regel: {md_text(first.rule)}.*\n\n"
                      + "\n".join(f"- {md_text(s.text)}" for s in shown)
                      + _more(len(signals) - len(shown)))
    return "\n\n".join(blocks)


def _more(count: int) -> str:
    if count <= 0:
        return ""
    return (f"\n- en nog {fmt_int(count)} {'signaal' if count == 1 else 'signalen'} volgens "
            "deze regel (zie de regionale analyse)")


def lights(data: ReportData, found: list[Signal]) -> dict[str, str]:
    """Per thema of the rules, in their order, the monitor's traffic light: the colour of its
    most severe signal in `found`, green without one."""
    worst: dict[str, str] = {}
    for signal in sorted(found, key=lambda s: s.rank):
        worst.setdefault(signal.thema, signal.light)
    return {rule.thema: worst.get(rule.thema, GREEN) for rule in data.region.signalen.regels}
