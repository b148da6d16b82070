"""The section "Wijzigingen ten opzichte van de vorige editie" of every document: which edition
the published figures were compared with, the key figures of earlier periods that moved more
than the tolerance in the settings, and the periods that are new. The build makes the
comparison (`analysis.editions`) and `ReportData.changes` holds it. SVH revises past data: with
this section the analyst can tell the Tafel why a number moved."""

from __future__ import annotations

import pandas as pd
from babel.dates import format_date

from analysis import codes
from analysis.editions import CHANGED, HIDDEN, NEW_PERIOD, SHOWN_NOW
from analysis.indicators.catalogue import catalogue
from analysis.indicators.table import AANDACHTSGROEPEN, ALLE
from analysis.model.config import MODEL_SPOOR
from analysis.report.data import ReportData
from analysis.report.shared import cell, names, with_codes
from analysis.tables import (
    LOCALE,
    decimals_for,
    fmt_decimal,
    fmt_int,
    fmt_number,
    fmt_value,
    md_text,
)

TITLE = "Wijzigingen ten opzichte van de vorige editie"
NO_EDITION = "Er is geen eerdere editie bewaard om deze cijfers mee te vergelijken."
MAX_ROWS = 25  # a longer list keeps its largest changes and says how many more there are
# The doelgroepen the regional report and the appendix lead with; a doelgroep sheet its own.
KEY_GROUPS = (ALLE, AANDACHTSGROEPEN, MODEL_SPOOR)
ALIGN = {"Vorige editie": "right", "Deze editie": "right", "Verschil": "right"}


def _selected(data: ReportData, gemeente: str | None, doelgroep: str | None) -> pd.DataFrame:
    changes = data.changes
    keep = changes["doelgroep"].isin([doelgroep] if doelgroep else KEY_GROUPS)
    if gemeente is not None:
        keep &= changes["gebied"].eq(gemeente)
    return changes[keep]


def _of(changes: pd.DataFrame, kind: str) -> pd.DataFrame:
    return changes[changes["soort"].eq(kind)]


def _period(periode: str) -> str:
    return periode.replace("-", "–")


def _in_reading_order(data: ReportData, changes: pd.DataFrame) -> pd.DataFrame:
    """Gemeenten in region order, then the region; per gebied the indicators in the order of
    the settings, the doelgroepen, then single years before longer periods."""
    periods = sorted(set(changes["periode"]), key=lambda p: (len(p) > 4, p))
    order = {
        "gebied": [*data.region.gemeenten, data.region.naam],
        "indicator": list(data.region.edities.indicatoren),
        "doelgroep": [*KEY_GROUPS, *codes.codes("doelgroepen")],
        "periode": periods,
    }
    ranks = {column: {value: rank for rank, value in enumerate(values)}
             for column, values in order.items()}
    return changes.sort_values(list(order), key=lambda column: column.map(ranks[column.name]),
                               kind="stable")


def _largest(changes: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The `limit` largest changes relative to the previous value (at least 1, so a saldo that
    was 0 still ranks by its change)."""
    size = changes["verschil"].abs() / changes["vorige"].abs().clip(lower=1)
    return changes.loc[size.sort_values(ascending=False, kind="stable").index[:limit]]


def _indicator(indicator: str, doelgroep: str, one_group: bool) -> str:
    title = catalogue()[indicator].titel
    return title + (" (aandachtsgroepen)" if doelgroep == AANDACHTSGROEPEN and not one_group
                    else "")


def _difference(value: float, eenheid: str) -> str:
    """'+12', '−0,6 %-punt': a change in percentages is in percentage points."""
    text = (fmt_decimal(value, decimals_for(eenheid)) + " %-punt" if eenheid == "procent"
            else fmt_value(value, eenheid))
    return ("+" if value > 0 else "") + text


def changes_table(data: ReportData, gemeente: str | None = None,
                  doelgroep: str | None = None) -> pd.DataFrame:
    """The key figures of earlier periods that moved more than the tolerance, for the region
    (every gemeente and the region), one gemeente or (over the region) one doelgroep: at most
    `MAX_ROWS`, the largest changes, in reading order; `summary` says how many more. Cells are
    text formatted by each row's unit; no rows when nothing moved or there is no earlier
    edition."""
    changed = _of(_selected(data, gemeente, doelgroep), CHANGED)
    changed = _in_reading_order(data, _largest(changed, MAX_ROWS))
    units = [catalogue()[i].eenheid for i in changed["indicator"]]
    columns = {} if gemeente else {"Gemeente": [data.gemeente_name(g) for g in changed["gebied"]]}
    columns |= {
        "Indicator": [_indicator(i, d, doelgroep is not None)
                      for i, d in zip(changed["indicator"], changed["doelgroep"], strict=True)],
        "Periode": [_period(p) for p in changed["periode"]],
        "Vorige editie": [cell(v, u) for v, u in zip(changed["vorige"], units, strict=True)],
        "Deze editie": [cell(v, u) for v, u in zip(changed["nieuw"], units, strict=True)],
        "Verschil": [_difference(v, u) for v, u in zip(changed["verschil"], units, strict=True)],
    }
    frame = pd.DataFrame(columns)
    if gemeente:
        return with_codes(frame, "Indicator", changed["indicator"])
    return with_codes(frame, "Gemeente", changed["gebied"])


def caption(data: ReportData, gemeente: str | None = None) -> str:
    """The caption of `changes_table` (shown only when it has rows, so there is an edition)."""
    where = f" in {data.gemeente_name(gemeente)}" if gemeente else ""
    return (f"Kerncijfers van eerdere perioden{where} die sinds de editie "
            f"{data.previous_edition.label} meer dan de tolerantie zijn veranderd")


def _tolerance(data: ReportData) -> str:
    """'0,5 procentpunt (aandelen) of 5 (verhuringen en huishoudens)', for the indicators
    compared."""
    settings = data.region.edities
    units = list(dict.fromkeys(catalogue()[i].eenheid for i in settings.indicatoren))
    parts = []
    if "procent" in units:
        parts.append(f"{fmt_number(settings.tolerantie_procentpunt)} procentpunt (aandelen)")
    others = [unit for unit in units if unit != "procent"]
    if others:
        parts.append(f"{fmt_number(settings.tolerantie_aantal)} ({names(others)})")
    return " of ".join(parts)


def _count(count: int, noun: str) -> str:
    """'Eén cijfer', '3 cijfers' at the start of a sentence."""
    return f"Eén {noun}" if count == 1 else f"{fmt_int(count)} {noun}s"


def summary(data: ReportData, gemeente: str | None = None,
            doelgroep: str | None = None) -> str:
    """The section's text: without an earlier edition one sentence; otherwise which edition,
    how many key figures of earlier periods moved more than the tolerance (and how many the
    table leaves out), how many became hidden or shown, and the new periods."""
    previous = data.previous_edition
    if previous is None:
        return NO_EDITION
    changes = _selected(data, gemeente, doelgroep)
    created = format_date(previous.created.date(), format="long", locale=LOCALE)
    sentences = [f"De cijfers zijn vergeleken met de vorige editie, {md_text(previous.label)} "
                 f"van {created}."]
    moved = len(_of(changes, CHANGED))
    of = (f" van {md_text(data.gemeente_name(gemeente))}" if gemeente
          else " van deze doelgroep" if doelgroep else "")
    if not moved:
        sentences.append(f"Geen kerncijfer{of} over een eerdere periode is meer veranderd dan "
                         f"{_tolerance(data)}.")
    else:
        shown_here = (f"; de tabel toont de {fmt_int(MAX_ROWS)} grootste verschillen, er zijn "
                      f"er nog {fmt_int(moved - MAX_ROWS)}" if moved > MAX_ROWS else "")
        sentences.append(f"{_count(moved, 'kerncijfer')}{of} over een eerdere periode "
                         f"{'is' if moved == 1 else 'zijn'} "
                         f"meer veranderd dan {_tolerance(data)}{shown_here}. Zo'n verschil "
                         "ontstaat doordat een bron eerdere perioden opnieuw levert (SVH "
                         "corrigeert gegevens achteraf) of doordat de instellingen of de "
                         "rekenwijze zijn veranderd.")
    hidden, shown_now = len(_of(changes, HIDDEN)), len(_of(changes, SHOWN_NOW))
    if hidden:
        sentences.append(f"{_count(hidden, 'cijfer')} uit de vorige editie "
                         f"{'wordt' if hidden == 1 else 'worden'} nu afgeschermd om kleine "
                         "aantallen huishoudens te beschermen.")
    if shown_now:
        sentences.append(f"{_count(shown_now, 'cijfer')} "
                         + ("dat toen was afgeschermd, wordt" if shown_now == 1
                            else "die toen waren afgeschermd, worden") + " nu getoond.")
    periods = sorted(set(_of(changes, NEW_PERIOD)["periode"]), key=lambda p: (len(p) > 4, p))
    sentences.append(f"Nieuw in deze editie zijn de cijfers over "
                     f"{names([_period(p) for p in periods])}." if periods
                     else "Er zijn geen perioden bijgekomen.")
    return " ".join(sentences)
