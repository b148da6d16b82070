"""The taakstelling for the coming year (the verdeelmodel looking ahead), as the regional report,
the appendices and the exports show it: one table per gemeente, the region's totals, and where
the inputs came from. Every figure comes from the published prognosis (`ReportData.prognose`)."""

from __future__ import annotations

import pandas as pd

from analysis.model.prognose import FROM_AVERAGE, Prognosis
from analysis.report.data import ReportData
from analysis.report.shared import limit_percent, not_published, shown
from analysis.tables import fmt_int, fmt_percent, md_text

READING = (
    "Dit is de vooruitblik van het verdeelmodel: het verdeelt de huishoudens met een "
    "verdeelafspraak die de regio voor het komende jaar verwacht, binnen de capaciteit die elke "
    "gemeente dan onder de grens heeft. De taakstelling is het aantal huishoudens dat een "
    "gemeente volgens de afgesproken principes huisvest.")

# Column → (model column(s), unit); a column of several model columns is their sum. The table
# mixes homes and households, so each header names its unit.
COLUMNS = {
    "Verwachte mutaties": (("verwachte_mutaties",), "woningen"),
    "Ruimte onder de grens (woningen)": (("grensruimte",), "woningen"),
    "Reeds toegezegd (woningen)": (("reeds_toegezegd",), "woningen"),
    "Capaciteit (woningen)": (("capaciteit",), "woningen"),
    "Verwachte eigen vraag (huishoudens)": (("vraag_eigen",), "huishoudens"),
    "Taakstelling (huishoudens)": (("taakstelling",), "huishoudens"),
    "Waarvan van elders (huishoudens)": (("ontvangen_overloop", "ontvangen_pool"),
                                         "huishoudens"),
    "Ruimte over (woningen)": (("ruimte_over",), "woningen"),
}
FORMATS = {column: unit for column, (_, unit) in COLUMNS.items()}


def _span(jaren: tuple[int, ...]) -> str:
    return str(jaren[0]) if len(jaren) == 1 else f"{jaren[0]}–{jaren[-1]}"


def input_sentence(ahead: Prognosis) -> str:
    """Where the expected demand, vacancies and commitments came from, in one paragraph."""
    span, last = _span(ahead.jaren), ahead.jaren[-1]
    parts = {
        "vraag": ("De verwachte vraag is het gemiddelde van de gerealiseerde verhuringen aan de "
                  f"doelgroepen met een verdeelafspraak naar herkomstgemeente over {span}, "
                  "afgerond op hele huishoudens (de regio leverde geen verwachte vraag aan)"
                  if ahead.bronnen["vraag"] == FROM_AVERAGE else
                  "De verwachte vraag naar herkomstgemeente komt uit de registratie van de regio"),
        "verwachte_mutaties": (
            f"de verwachte mutaties zijn de sociale huurvoorraad van {last} maal de gemiddelde "
            f"mutatiegraad over {span}, afgerond op hele woningen"
            if ahead.bronnen["verwachte_mutaties"] == FROM_AVERAGE else
            "de verwachte mutaties komen uit de prognose van de corporaties"),
        "reeds_toegezegd": (
            f"reeds toegezegd is het gemiddelde over {span} van de verhuringen die meetellen "
            "voor de grens maar buiten het verdeelmodel vallen, zoals aan statushouders"
            if ahead.bronnen["reeds_toegezegd"] == FROM_AVERAGE else
            "de reeds toegezegde woningen komen uit de opgave van de gemeenten"),
    }
    return f"{parts['vraag']}; {parts['verwachte_mutaties']}; {parts['reeds_toegezegd']}."


def _sum(row: pd.Series, columns: tuple[str, ...]) -> float:
    """The sum of published figures; empty where one of them is hidden."""
    values = [row[c] for c in columns]
    return sum(values) if shown(*values) else float("nan")


def _rows(data: ReportData) -> pd.DataFrame:
    return data.prognose.run.resultaten.astype({"gemeente": str}).set_index("gemeente")


# The region's totals the model publishes itself (protected as cells of their own).
REGION_TOTALS = {"Verwachte eigen vraag (huishoudens)": "vraag_eigen",
                 "Taakstelling (huishoudens)": "geplaatst"}


def table(data: ReportData) -> pd.DataFrame:
    """Per gemeente the inputs, the capacity and the taakstelling, and the region's totals: the
    model's own where it has them, else the sum where every gemeente's figure is published (a
    sum beside one hidden cell would give it away)."""
    rows = _rows(data).loc[list(data.region.gemeenten)]
    frame = pd.DataFrame({column: [_sum(row, sources) for _, row in rows.iterrows()]
                          for column, (sources, _) in COLUMNS.items()},
                         index=rows.index)
    total = frame.sum(min_count=len(frame)).where(frame.notna().all())
    region = data.prognose.run.regio.iloc[0]
    for column, source in REGION_TOTALS.items():
        total[column] = region[source]
    frame.loc[data.region.naam] = total
    return data.named(frame).rename_axis("Gemeente").reset_index()


def chart_data(data: ReportData) -> pd.DataFrame:
    """Capacity and taakstelling per gemeente, by name, for a grouped bar chart."""
    rows = _rows(data).loc[list(data.region.gemeenten)]
    return data.named(pd.DataFrame({"Capaciteit (woningen)": rows["capaciteit"],
                                    "Taakstelling (huishoudens)": rows["taakstelling"]}))


def summary(data: ReportData) -> str:
    """What the model expects for the region next year, from the region's totals."""
    ahead = data.prognose
    region = ahead.run.regio.iloc[0]
    limit = fmt_percent(limit_percent(data), 0)
    capacity = _rows(data)["capaciteit"]
    demand = (f"Voor {ahead.jaar} verwacht de regio {fmt_int(region['vraag_eigen'])} "
              "huishoudens met een verdeelafspraak uit de eigen gemeenten en "
              f"{fmt_int(region['pool'])} in de regionale pool."
              if shown(region["vraag_eigen"], region["pool"]) else
              not_published(f"De verwachte vraag van {ahead.jaar}"))
    if shown(*capacity):
        room = (f" Onder de grens van {limit} hebben de gemeenten samen een capaciteit van "
                f"{fmt_int(capacity.sum())} woningen voor deze huishoudens.")
    else:
        room = ""
    if not shown(region["tekort"]):
        fit = (" Een klein aantal huishoudens past nergens binnen de grens; het aantal wordt "
               "niet gepubliceerd.")
    elif region["tekort"]:
        fit = (f" {fmt_int(region['tekort'])} huishoudens passen nergens binnen de grens: een "
               "regionaal tekort dat de Bestuurlijke Tafel apart moet oplossen.")
    else:
        fit = (f" Alle verwachte huishoudens passen: de taakstellingen tellen op tot "
               f"{fmt_int(region['geplaatst'])} huishoudens, zonder regionaal tekort."
               if shown(region["geplaatst"]) else " Alle verwachte huishoudens passen.")
    return f"{READING}\n\n{demand}{room}{fit}"


def key_message(data: ReportData) -> str:
    """The key message for the Tafel: the taakstelling to agree on, or the shortfall first."""
    ahead = data.prognose
    region = ahead.run.regio.iloc[0]
    if shown(region["tekort"]) and region["tekort"] > 0:
        return (f"**Regionaal tekort in {ahead.jaar}.** Binnen de grens van "
                f"{fmt_percent(limit_percent(data), 0)} passen naar verwachting "
                f"{fmt_int(region['tekort'])} huishoudens met een verdeelafspraak nergens. Vraag "
                "aan de Tafel: spreek af waar zij terechtkunnen, en stel de taakstelling per "
                "gemeente vast.")
    total = (f" De taakstellingen tellen op tot {fmt_int(region['geplaatst'])} huishoudens."
             if shown(region["geplaatst"]) else "")
    return (f"**Taakstelling {ahead.jaar}.** Het verdeelmodel geeft elke gemeente een "
            f"taakstelling voor {ahead.jaar} binnen haar capaciteit onder de grens.{total} "
            "Vraag aan de Tafel: stel de taakstelling per gemeente vast.")


def task_sentence(data: ReportData, gemeente: str) -> str:
    """The gemeente's taakstelling for next year and how it is made up."""
    ahead = data.prognose
    row = _rows(data).loc[gemeente]
    name = md_text(data.gemeente_name(gemeente))
    elsewhere = _sum(row, ("ontvangen_overloop", "ontvangen_pool"))
    task = (f"Voor {ahead.jaar} geeft het regionale verdeelmodel {name} een taakstelling van "
            f"{fmt_int(row['taakstelling'])} huishoudens met een verdeelafspraak")
    if shown(row["taakstelling"], row["geplaatst_eigen"], elsewhere):
        return (f"{task}: {fmt_int(row['geplaatst_eigen'])} uit de eigen gemeente en "
                f"{fmt_int(elsewhere)} van elders (uit andere gemeenten en de regionale pool).")
    if shown(row["taakstelling"]):
        return f"{task}. " + not_published("Hoe die is opgebouwd uit eigen vraag en "
                                           "huishoudens van elders")
    return not_published(f"De taakstelling van {name} voor {ahead.jaar}")


def gemeente_text(data: ReportData, gemeente: str) -> str:
    """`task_sentence` and the capacity it fits in."""
    row = _rows(data).loc[gemeente]
    limit = fmt_percent(limit_percent(data), 0)
    if shown(row["capaciteit"], row["reeds_toegezegd"]):
        room = (f"De capaciteit is {fmt_int(row['capaciteit'])} woningen: {limit} van "
                f"{fmt_int(row['verwachte_mutaties'])} verwachte mutaties is "
                f"{fmt_int(row['grensruimte'])} woningen, min {fmt_int(row['reeds_toegezegd'])} "
                "die al zijn toegezegd.")
    else:
        room = (f"Onder de grens van {limit} van {fmt_int(row['verwachte_mutaties'])} verwachte "
                f"mutaties is er ruimte voor {fmt_int(row['grensruimte'])} woningen. "
                + not_published("Het aantal reeds toegezegde woningen"))
    return f"{task_sentence(data, gemeente)} {room}"


def gemeente_table(data: ReportData, gemeente: str) -> pd.DataFrame:
    """The rows of `table` for the gemeente and the region."""
    frame = table(data)
    return frame[frame["Gemeente"].isin([data.gemeente_name(gemeente), data.region.naam])]
