"""Content of the periodic monitor: the region's step 5, monitoring en bijsturing, over the year
to date against the same months of last year. The three monitored things (inflow and
distribution per gemeente, the limit on vacated social rent, the housing task per doelgroep),
the limit share's projection for the whole year, and the signals with a traffic light per
thema. Every figure comes from the published indicator table."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from analysis.figures import bar_per_gemeente, interval_per_gemeente
from analysis.periods import Period, date_text
from analysis.report.data import ReportData
from analysis.report.shared import LIMIT_INDICATOR, limit_percent, names, not_published, shown
from analysis.report.signals import Signal, light, lights, thema_name
from analysis.tables import MISSING, SUPPRESSED, fmt_decimal, fmt_int, fmt_percent, md_text

WITHIN_YEAR = "aandeel_verhuringen_mutatiegrens"  # the limit share within the year
Z90 = 1.6449  # the standard normal's 95th percentile: a two-sided 90% interval


@dataclass(frozen=True)
class Projection:
    """A share for the whole year and its 90% interval, as fractions (0–1)."""

    share: float
    low: float
    high: float


def project_share(k: float, n: float, n_rest: float, z: float = Z90) -> Projection | None:
    """The limit share at the end of the year if the rest of the year goes as it went so far.

    k of the n lettings so far count for the limit; n_rest lettings are still to come (the
    same months of last year). With p̂ = k / n the projected share is

        S = (k + n_rest · p̂) / (n + n_rest)   (which is p̂ itself).

    Two things make it uncertain: the remaining lettings are n_rest draws with share p
    (variance n_rest · p(1 − p)), and p is only estimated by p̂ (variance p(1 − p) / n, for
    n_rest of them n_rest² · p(1 − p) / n). Together, divided by (n + n_rest)²:

        Var(S) = p̂(1 − p̂) · n_rest / (n · (n + n_rest)),

    and the 90% interval is S ± z · √Var(S) (normal approximation), within 0–1. With
    n_rest = 0 the year is complete and the interval is the share itself. None where a figure
    is missing (hidden) or there are no lettings yet."""
    if not shown(k, n, n_rest) or n <= 0 or n_rest < 0:
        return None
    share = k / n
    margin = z * math.sqrt(share * (1 - share) * n_rest / (n * (n + n_rest)))
    return Projection(share, max(0.0, share - margin), min(1.0, share + margin))


def spans(data: ReportData) -> tuple[Period, Period | None]:
    """The monitor's part of the year, and the same part of last year (None when last year is
    outside the monitor period)."""
    now = data.monitor_period
    before = now.jaar - 1
    return now, (now.in_year(before) if before in data.region.jaren else None)


def limit_indicator(now: Period) -> str:
    """The limit share the monitor compares: within the year the share of the lettings, for a
    complete year the share of the mutaties, as the annual report counts it."""
    return LIMIT_INDICATOR if now.closes_year else WITHIN_YEAR


def introduction(data: ReportData) -> str:
    now, before = spans(data)
    region = md_text(data.region.naam)
    compared = (f"en vergelijkt die met dezelfde maanden van {before.jaar}" if before else
                f"zonder vergelijking met {now.jaar - 1}, dat buiten de monitorperiode valt")
    return (f"Deze monitor volgt de huisvesting van aandachtsgroepen in de sociale huur in "
            f"{region} over {now.text}, {compared}. Hij volgt de drie onderwerpen van de "
            "regionale monitoring en bijsturing: de instroom en verdeling per gemeente, de grens "
            f"van {fmt_percent(limit_percent(data), 0)} van de vrijkomende sociale huurwoningen "
            "en de voortgang van de woonopgave per doelgroep. De verhuurgegevens lopen tot en met "
            f"{date_text(data.latest_letting)}.")


HEADLINE_NAMES = 4  # gemeenten named per thema in the box; the others are counted
SIGNALS_PER_RULE = 3  # the monitor stays short; the regional report lists every signal


def _where(data: ReportData, signals: list[Signal]) -> str:
    """Where a thema's signals are: 'voor Delft, Westland en 3 andere gemeenten', 'voor de
    regio'."""
    places = list(dict.fromkeys(s.gebied for s in signals))  # ranked, each once
    gemeenten = [data.gemeente_name(g) for g in places if g != data.region.naam]
    named = gemeenten[:HEADLINE_NAMES]
    rest = len(gemeenten) - len(named)
    if rest:
        named.append(f"{fmt_int(rest)} {'andere gemeente' if rest == 1 else 'andere gemeenten'}")
    if data.region.naam in places:
        named.append("de regio")
    return f"voor {names(named)}"


def headline(data: ReportData, found: list[Signal]) -> str:
    """The key points in a box: per thema of the signal rules its traffic light (the most
    severe signal's colour, green without one), how many signals it has and where."""
    lines = []
    for thema, colour in lights(data, found).items():
        signals = [s for s in found if s.thema == thema]
        said = (f"{fmt_int(len(signals))} {'signaal' if len(signals) == 1 else 'signalen'}, "
                f"{_where(data, signals)}." if signals else "geen signalen.")
        lines.append(f"- {light(colour)} **{md_text(thema_name(thema))}**: {said}")
    return "\n".join(["::: kader\n**Stand van zaken volgens de signalen**", "", *lines,
                      ":::"])


def _change(now: float, before: float) -> str:
    """The relative change in percent, signed; 'x' where a figure is hidden, '–' from 0."""
    if not shown(now, before):
        return SUPPRESSED
    if before == 0:
        return MISSING
    return _signed(100 * (now - before) / before, fmt_percent)


def _signed(value: float, formatter: Callable[[float], str] = fmt_decimal) -> str:
    """'+1,2' for a rise, '−1,2' for a fall, '0,0' for none that shows."""
    text = formatter(value)
    return "+" + text if value > 0 and any(c in "123456789" for c in text) else text


def year_to_date_table(data: ReportData) -> pd.DataFrame:
    """Per gemeente and for the region: lettings to aandachtsgroepen and the limit share over
    the year to date, and over the same months of last year with the change."""
    now, before = spans(data)
    share = limit_indicator(now)

    def figures(period: Period) -> tuple[pd.Series, pd.Series]:
        return (data.values("verhuringen", periode=period.year_to_date,
                            doelgroep="aandachtsgroepen"),
                data.values(share, periode=period.year_to_date))

    lettings, shares = figures(now)
    columns = {}
    if before is not None:
        lettings_before, shares_before = figures(before)
        columns |= {
            f"Aandachtsgroepen {before.jaar}": lettings_before,
            f"Aandachtsgroepen {now.jaar}": lettings,
            "Verandering": pd.Series([_change(a, b) for a, b in zip(lettings, lettings_before,
                                                                    strict=True)],
                                     index=lettings.index),
            f"Aandeel grens {before.jaar}": shares_before,
            f"Aandeel grens {now.jaar}": shares,
            "Verschil (procentpunt)": pd.Series(
                [_signed(a - b) if shown(a, b) else SUPPRESSED
                 for a, b in zip(shares, shares_before, strict=True)], index=shares.index),
        }
    else:
        columns |= {f"Aandachtsgroepen {now.jaar}": lettings,
                    f"Aandeel grens {now.jaar}": shares}
    frame = pd.DataFrame(columns)
    frame.index = [data.short_name(g) for g in frame.index]
    return frame.rename_axis("Gemeente").reset_index()


def year_to_date_formats(table: pd.DataFrame) -> dict[str, str]:
    """The units of `year_to_date_table`'s columns of figures."""
    return {c: "verhuringen" if c.startswith("Aandachtsgroepen") else "procent"
            for c in table.columns if c.startswith(("Aandachtsgroepen", "Aandeel"))}


def year_to_date_caption(data: ReportData) -> str:
    now, before = spans(data)
    compared = f" en dezelfde maanden van {before.jaar}" if before else ""
    return (f"Verhuringen aan aandachtsgroepen en het aandeel dat meetelt voor de grens, "
            f"{now.text}{compared}")


def inflow_text(data: ReportData) -> str:
    """The region's inflow this year so far against last year, and how the table reads."""
    now, before = spans(data)
    region = data.region.naam
    lettings = data.values("verhuringen", periode=now.year_to_date,
                           doelgroep="aandachtsgroepen")[region]
    if not shown(lettings):
        return not_published(f"Het aantal verhuringen aan aandachtsgroepen in {md_text(region)}")
    text = (f"In {now.text} kregen {fmt_int(lettings)} huishoudens uit aandachtsgroepen een "
            f"sociale huurwoning in {md_text(region)}")
    if before is not None:
        earlier = data.values("verhuringen", periode=before.year_to_date,
                              doelgroep="aandachtsgroepen")[region]
        if shown(earlier) and earlier:
            change = 100 * (lettings - earlier) / earlier
            text += (f", {fmt_percent(abs(change))} {'meer' if change >= 0 else 'minder'} dan "
                     f"in dezelfde maanden van {before.jaar} ({fmt_int(earlier)})")
    what = ("het aandeel van de mutaties" if now.closes_year else
            "het aandeel van alle verhuringen")
    return (f"{text}. De tabel geeft per gemeente de verhuringen aan aandachtsgroepen en "
            f"{what} dat meetelt voor de grens.")


def last_model_year(data: ReportData) -> int | None:
    """The latest complete year with verdeelmodel results: the model distributes whole years."""
    now = data.monitor_period
    year = now.jaar if now.closes_year else now.jaar - 1
    return year if year in data.region.jaren else None


def model_text(data: ReportData) -> str:
    """The verdeelmodel's last complete year in one sentence: who housed most above and most
    below its share."""
    year = last_model_year(data)
    if year is None:
        return ""
    saldo = data.values("saldo", periode=str(year), doelgroep="verdeelafspraak",
                        gebiedsniveau="gemeente").dropna()
    intro = ("Het verdeelmodel verdeelt per heel jaar, dus niet over een deel van het jaar. "
             f"Over {year}")
    if saldo.empty:
        return f"{intro} worden de verschillen per gemeente niet gepubliceerd."
    most, least = saldo.idxmax(), saldo.idxmin()
    return (f"{intro} huisvestte {md_text(data.gemeente_name(most))} "
            f"{fmt_int(abs(saldo[most]))} huishoudens met een verdeelafspraak "
            f"{'meer' if saldo[most] >= 0 else 'minder'} dan haar deel volgens het model en "
            f"{md_text(data.gemeente_name(least))} {fmt_int(abs(saldo[least]))} "
            f"{'minder' if saldo[least] <= 0 else 'meer'}.")


def limit_projection(data: ReportData) -> pd.DataFrame:
    """Per gemeente and for the region (index: code or the region's name), in percent: the
    limit share so far this year and its projection for the whole year (`project_share`), with
    the lettings still expected from the same remaining months of last year. The projection is
    empty (NaN) where a figure it needs is hidden, or without last year."""
    now, before = spans(data)
    where = {"periode": now.year_to_date}
    counting = data.values(WITHIN_YEAR, column="teller", **where)
    lettings = data.values(WITHIN_YEAR, column="noemer", **where)
    rest = pd.Series(math.nan, index=counting.index)
    if before is not None:
        rest = (data.values("verhuringen", periode=str(before.jaar))
                - data.values("verhuringen", periode=before.year_to_date)).reindex(rest.index)
    projected = [project_share(k, n, r) for k, n, r in zip(counting, lettings, rest,
                                                           strict=True)]
    return pd.DataFrame({
        "aandeel": data.values(WITHIN_YEAR, **where),
        "nog_te_verwachten": rest,
        **{column: [math.nan if p is None else 100 * getattr(p, column) for p in projected]
           for column in ("share", "low", "high")},
    }, index=counting.index)


class Chart(NamedTuple):
    """A figure with its alt text and caption, in the order `show.figure` takes them."""

    figure: go.Figure
    alt: str
    caption: str


def limit_chart(data: ReportData) -> Chart:
    """Within the year: the projected limit share per gemeente with its 90% interval; for a
    complete year, the realised share of the mutaties. Both with the limit as a line."""
    now = data.monitor_period
    limit = limit_percent(data)
    label = f"grens {fmt_percent(limit, 0)}"
    region = md_text(data.region.naam)
    if now.closes_year:
        shares = data.values(LIMIT_INDICATOR, periode=str(now.jaar))
        return Chart(
            bar_per_gemeente(data.named(shares), indicator=LIMIT_INDICATOR,
                             highlight=data.region.naam, reference=limit, reference_label=label),
            f"Staafdiagram per gemeente en voor {region}: aandeel van de mutaties naar "
            f"aandachtsgroepen in {now.jaar}, met de grens van {fmt_percent(limit, 0)}.",
            f"Aandeel mutaties naar aandachtsgroepen per gemeente, {now.jaar}")
    projection = data.named(limit_projection(data))
    return Chart(
        interval_per_gemeente(projection["share"], projection["low"], projection["high"],
                              title=f"Verwacht aandeel voor de grens over heel {now.jaar}",
                              unit="procent", source="SVH verhuringen",
                              name=f"Aandeel {now.text}", interval_name="90%-interval heel jaar",
                              reference=limit, reference_label=label),
        f"Puntdiagram per gemeente en voor {region}: het aandeel van de verhuringen dat "
        f"meetelt voor de grens over {now.text}, met een lijn voor het 90%-interval van het "
        f"aandeel over heel {now.jaar}, en de grens van {fmt_percent(limit, 0)}.",
        f"Aandeel voor de grens tot nu toe en verwachting voor heel {now.jaar}")


def limit_text(data: ReportData) -> str:
    """How the limit share is counted within the year, the projection in words, and which
    gemeenten end above the limit (probably or possibly); for a complete year, the result."""
    now, before = spans(data)
    limit = limit_percent(data)
    region = data.region.naam
    if now.closes_year:
        shares = data.values(LIMIT_INDICATOR, periode=str(now.jaar))
        above = [data.gemeente_name(g) for g, v in shares.drop(region).items() if v > limit]
        result = (f"Boven de grens: {names(above)}" if above else
                  "Geen gemeente kwam boven de grens")
        return (f"Het jaar {now.jaar} is compleet: hier staat het gerealiseerde aandeel van de "
                "mutaties naar aandachtsgroepen, zoals het jaarrapport het telt; vooruitrekenen "
                f"is niet nodig. {result} (regio: {fmt_percent(shares[region])}).")
    counted = ("Mutaties worden per jaar geleverd. Binnen het jaar tellen we daarom de "
               "verhuringen: elke verhuring vult een vrijgekomen woning. Het aandeel voor de "
               "grens is hier het deel van alle verhuringen dat meetelt voor de grens.")
    if before is None:
        return (f"{counted} Zonder cijfers van {now.jaar - 1} is niet te schatten hoeveel "
                "verhuringen er nog komen; een verwachting voor het hele jaar ontbreekt daarom.")
    method = ("Als de rest van het jaar verloopt zoals tot nu toe, eindigt het jaar rond het "
              "aandeel tot nu toe; het 90%-interval is dat aandeel plus en min 1,645 keer de "
              "wortel van p × (1 − p) × r / (n × (n + r)), met p het aandeel tot nu toe, n het "
              "aantal verhuringen tot nu toe en r het aantal in dezelfde resterende maanden van "
              f"{before.jaar}.")
    projection = limit_projection(data).drop(region)
    likely = [data.gemeente_name(g) for g, row in projection.iterrows() if row["low"] > limit]
    possible = [data.gemeente_name(g) for g, row in projection.iterrows()
                if row["low"] <= limit < row["high"]]
    unknown = projection["share"].isna().any()
    found = []
    if likely:
        found.append(f"Waarschijnlijk boven de grens van {fmt_percent(limit, 0)} "
                     f"{_ends(likely)}.")
    if possible:
        found.append(f"Mogelijk boven de grens {_ends(possible)}.")
    found.append(("De andere gemeenten" if likely or possible else "Alle gemeenten")
                 + " blijven waarschijnlijk onder de grens"
                 + (", voor zover hun cijfers gepubliceerd worden." if unknown else "."))
    return f"{counted} {method}\n\n{' '.join(found)}"


def _ends(gemeenten: list[str]) -> str:
    """'eindigt Delft', 'eindigen Delft en Rijswijk'."""
    return f"{'eindigt' if len(gemeenten) == 1 else 'eindigen'} {names(gemeenten)}"


def housing_task_text(data: ReportData) -> str:
    unit = data.monitor_period.eenheid
    return ("De woonopgave wordt per jaar gemeten in de plan- en projectmonitor (PPM), niet per "
            f"{unit}. De tabel geeft per doelgroep de opgave en wat daarvan is opgeleverd in "
            f"{data.period.replace('-', '–')}, en over de hele planperiode het deel dat is "
            "opgeleverd, in aanbouw is of in harde plannen staat.")
