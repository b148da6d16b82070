"""Content of the scenario comparison: the taakstelling for the coming year under several
settings files side by side, the settings that differ, the regional shortfall and the
sensitivity grid of the first scenario. Every figure comes from `scenarios.compare`, which
protects them; this module only words, tabulates and draws them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.figures import grouped_bar
from analysis.figures.style import PALETTE
from analysis.model.config import BASES
from analysis.protection import rule_text
from analysis.report.shared import names, shown
from analysis.report.taakstelling import input_sentence
from analysis.scenarios import (
    DIFFERENCE,
    DIFFERENCE_PERCENT,
    LIMIT,
    LIMITS,
    WEIGHT_STEP,
    WEIGHTS,
    Comparison,
    Variant,
    compare,
    settings_differences,
    settings_rows,
)
from analysis.tables import MINUS, fmt_int, fmt_number, fmt_percent, listing, md_text

SOURCE = "SVH, verdeelmodel"
TITLE = "Scenariovergelijking verdeelmodel"
# The settings a single scenario shows (there is nothing to compare).
NUMBER_WORDS = {2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht"}
MAIN_SETTINGS = ("Mutatiegrens", "Basis van de capaciteit", "Regionale pool",
                 "Jaar van de taakstelling", "Gemiddelden over")


class Chart(NamedTuple):
    """A figure with its alt text and caption, in the order `show.figure` takes them."""

    figure: go.Figure
    alt: str
    caption: str


def load(processed: str | Path, scenarios: Sequence[str | Path] = ()) -> Comparison:
    """The comparison a notebook shows: the settings files `scenarios` (none: the settings
    the build used) on the processed data in `processed`."""
    return compare(Path(processed), [Path(p) for p in scenarios])


def _name(comparison: Comparison, number: int) -> str:
    return md_text(comparison.scenarios[number].naam)


def _year(comparison: Comparison) -> int:
    return comparison.prognoses[0].jaar


def _gemeente(comparison: Comparison, code: str) -> str:
    rows = comparison.resultaten
    return str(rows.loc[rows["gemeente"] == code, "gemeente_naam"].iloc[0])


def _percent(fraction: float) -> str:
    return f"{fmt_number(100 * fraction, 1)}%"


def _signed(value: object, formatter=fmt_int) -> str:
    """'+12' for a rise, '−12' for a fall (the minus comes with the number), '0' for none."""
    text = formatter(value)
    return "+" + text if not pd.isna(value) and value > 0 and text.strip("0,%") else text


def _shortfall(value: float) -> str:
    return _households(value) if value else "nul"


def _households(value: float) -> str:
    return f"{fmt_int(value)} {'huishouden' if value == 1 else 'huishoudens'}"


# --- Summary and settings ------------------------------------------------------------------


def summary(comparison: Comparison) -> str:
    """What the document compares and, per scenario, the region's taakstelling, capacity and
    shortfall."""
    jaar, count = _year(comparison), len(comparison.scenarios)
    if count == 1:
        opening = (f"Dit document toont de taakstelling van het verdeelmodel voor {jaar} met de "
                   f"instellingen *{_name(comparison, 0)}*, en hoe die verandert bij een andere "
                   "mutatiegrens of andere gewichten van de verdeelsleutel (de "
                   "gevoeligheid).")
    else:
        listed = listing([f"*{md_text(s.naam)}*" for s in comparison.scenarios])
        opening = (f"Dit document vergelijkt de taakstelling van het verdeelmodel voor {jaar} "
                   f"in {NUMBER_WORDS.get(count, str(count))} scenario's: {listed}. Elk "
                   "scenario rekent met dezelfde gegevens en regio-instellingen; alleen de "
                   "instellingen van het verdeelmodel verschillen. Verschillen zijn steeds ten "
                   f"opzichte van het eerste scenario, *{_name(comparison, 0)}*. De gevoeligheid "
                   "aan het eind hoort bij dat eerste scenario.")
    definition = ("De taakstelling is het aantal huishoudens met een verdeelafspraak dat een "
                  "gemeente in het komende jaar volgens het model huisvest; de capaciteit is "
                  "het aantal woningen dat zij daarvoor onder de grens heeft.")
    lines = [f"- {_region_line(comparison, n)}" for n in range(count)]
    return "\n\n".join([opening, definition, "\n".join(lines)])


def _region_line(comparison: Comparison, number: int) -> str:
    row = comparison.regio.iloc[number]
    parts = []
    if shown(row["taakstelling"]):
        parts.append(f"taakstelling samen {_households(row['taakstelling'])}")
    if shown(row["capaciteit"]):
        parts.append(f"capaciteit samen {fmt_int(row['capaciteit'])} woningen")
    if not shown(row["tekort"]):
        parts.append("het tekort wordt niet gepubliceerd")
    elif row["tekort"]:
        parts.append(f"tekort {_households(row['tekort'])}")
    else:
        parts.append("geen tekort")
    year = comparison.prognoses[number].jaar
    when = f" (taakstelling {year})" if year != _year(comparison) else ""
    return f"**{_name(comparison, number)}**{when}: " + ", ".join(parts) + "."


def settings_heading(comparison: Comparison) -> str:
    if len(comparison.scenarios) == 1:
        return "Instellingen van het verdeelmodel"
    return "Scenario's en instellingen die verschillen"


def settings_text(comparison: Comparison) -> str:
    if len(comparison.scenarios) == 1:
        return ("Dit document rekent met één scenario. De tabel noemt de belangrijkste "
                "instellingen van het verdeelmodel.")
    if settings_table(comparison).empty:
        return ("De scenario's hebben dezelfde instellingen van het verdeelmodel; ze verschillen "
                "alleen in naam.")
    return ("De tabel noemt elke instelling van het verdeelmodel die tussen de scenario's "
            "verschilt; alle andere instellingen zijn gelijk.")


def settings_table(comparison: Comparison) -> pd.DataFrame:
    """The settings that differ; for a single scenario its main settings and weights."""
    if len(comparison.scenarios) > 1:
        return settings_differences(comparison.scenarios)
    scenario = comparison.scenarios[0]
    rows = settings_rows(scenario.config)
    weights = [label for label in rows if label.startswith("Gewicht ") and rows[label] != "0%"]
    chosen = [*MAIN_SETTINGS[:2], *weights, *MAIN_SETTINGS[2:]]
    return pd.DataFrame({"Instelling": chosen, scenario.naam: [rows[c] for c in chosen]})


def settings_caption(comparison: Comparison) -> str:
    if len(comparison.scenarios) == 1:
        return "Belangrijkste instellingen van het verdeelmodel"
    return "Instellingen van het verdeelmodel die tussen de scenario's verschillen"


# --- Capacity and taakstelling per gemeente --------------------------------------------------


COMPARISON_FORMATS = {"Capaciteit": "woningen", "Taakstelling": "huishoudens",
                      "Verschil (huishoudens)": _signed,
                      "Verschil (%)": lambda v: _signed(v, fmt_percent)}


def comparison_formats(table: pd.DataFrame) -> dict[str, object]:
    return {c: f for c, f in COMPARISON_FORMATS.items() if c in table.columns}


def comparison_table(comparison: Comparison) -> pd.DataFrame:
    """Per gemeente and scenario the capacity, the taakstelling and its difference with the
    first scenario; then the region's totals per scenario."""
    rows = comparison.resultaten
    order = {code: n for n, code in enumerate(comparison.region.gemeenten)}
    by_scenario = {s.naam: n for n, s in enumerate(comparison.scenarios)}
    rows = rows.assign(_g=rows["gemeente"].map(order), _s=rows["scenario"].map(by_scenario)
                       ).sort_values(["_g", "_s"])
    frame = pd.DataFrame({
        "Gemeente": rows["gemeente_naam"].to_numpy(), "Scenario": rows["scenario"].to_numpy(),
        "Capaciteit": rows["capaciteit"].to_numpy(),
        "Taakstelling": rows["taakstelling"].to_numpy(),
        "Verschil (huishoudens)": rows[DIFFERENCE].to_numpy(),
        "Verschil (%)": rows[DIFFERENCE_PERCENT].to_numpy()})
    region = comparison.regio
    base = region["taakstelling"].iloc[0]
    difference = region["taakstelling"] - base
    totals = pd.DataFrame({
        "Gemeente": comparison.region.naam, "Scenario": region["scenario"].to_numpy(),
        "Capaciteit": region["capaciteit"].to_numpy(),
        "Taakstelling": region["taakstelling"].to_numpy(),
        "Verschil (huishoudens)": difference.to_numpy(),
        "Verschil (%)": (100 * difference / base if base else difference * np.nan).to_numpy()})
    frame = pd.concat([frame, totals], ignore_index=True)
    if len(comparison.scenarios) == 1:  # nothing to compare with
        frame = frame[["Gemeente", "Capaciteit", "Taakstelling"]]
    frame.attrs["codes"] = {"Gemeente": [*rows["gemeente"], *[""] * len(totals)]}
    return frame


def comparison_caption(comparison: Comparison) -> str:
    if len(comparison.scenarios) == 1:
        return f"Capaciteit en taakstelling {_year(comparison)} per gemeente"
    return (f"Capaciteit en taakstelling {_year(comparison)} per gemeente en scenario, met "
            f"het verschil ten opzichte van {comparison.first.naam}")


def comparison_text(comparison: Comparison) -> str:
    """Which gemeenten gain or lose most against the first scenario (in percent), per other
    scenario; for one scenario, how to read the table."""
    if len(comparison.scenarios) == 1:
        return ("De tabel toont per gemeente de capaciteit onder de grens en de taakstelling. "
                "Een gemeente met een taakstelling gelijk aan haar capaciteit is vol: ze kan "
                "geen huishoudens van elders meer opnemen.")
    rows = comparison.resultaten
    sentences = ["Het verschil is de taakstelling in een scenario min die in het eerste "
                 "scenario, in huishoudens en als percentage van die in het eerste scenario."]
    for number, scenario in enumerate(comparison.scenarios[1:], start=1):
        mine = rows[(rows["scenario"] == scenario.naam)].dropna(subset=[DIFFERENCE_PERCENT])
        if mine.empty:
            continue
        up, down = mine.loc[mine[DIFFERENCE_PERCENT].idxmax()], \
            mine.loc[mine[DIFFERENCE_PERCENT].idxmin()]
        parts = []
        if up[DIFFERENCE_PERCENT] > 0:
            parts.append(f"stijgt de taakstelling het meest in {md_text(up['gemeente_naam'])} "
                         f"({_signed(up[DIFFERENCE_PERCENT], fmt_percent)})")
        if down[DIFFERENCE_PERCENT] < 0:
            parts.append(f"daalt zij het meest in {md_text(down['gemeente_naam'])} "
                         f"({_signed(down[DIFFERENCE_PERCENT], fmt_percent)})")
        if parts:
            sentences.append(f"In *{_name(comparison, number)}* " + " en ".join(parts) + ".")
        else:
            sentences.append(f"In *{_name(comparison, number)}* is de taakstelling van elke "
                             "getoonde gemeente gelijk aan die in het eerste scenario.")
    return " ".join(sentences)


def taakstelling_chart(comparison: Comparison) -> Chart:
    """Grouped bars: the taakstelling per gemeente, one colour per scenario (as many as the
    palette has; the table holds them all); for a single scenario its capacity beside it."""
    rows = comparison.resultaten
    gemeenten = list(comparison.region.gemeenten)
    jaar = _year(comparison)
    if len(comparison.scenarios) == 1:
        data = rows.set_index("gemeente")[["capaciteit", "taakstelling"]].reindex(gemeenten)
        data.columns = ["Capaciteit (woningen)", "Taakstelling (huishoudens)"]
        data.index = [_gemeente(comparison, g) for g in data.index]
        return Chart(
            grouped_bar(data, title=f"Capaciteit en taakstelling {jaar} per gemeente",
                        unit="aantal", source=SOURCE, horizontal=True),
            f"Staafdiagram per gemeente: de capaciteit onder de grens in woningen en de "
            f"taakstelling voor {jaar} in huishoudens.",
            f"Capaciteit en taakstelling {jaar} per gemeente")
    chosen = comparison.scenarios[:len(PALETTE)]
    data = pd.DataFrame({
        s.naam: rows[rows["scenario"] == s.naam].set_index("gemeente")["taakstelling"]
        for s in chosen}).reindex(gemeenten)
    data.index = [_gemeente(comparison, g) for g in data.index]
    listed = names([s.naam for s in chosen])
    return Chart(
        grouped_bar(data, title=f"Taakstelling {jaar} per gemeente en scenario",
                    unit="huishoudens", source=SOURCE, horizontal=True),
        f"Staafdiagram per gemeente: de taakstelling voor {jaar} in huishoudens, met een staaf "
        f"per scenario ({listed}).",
        f"Taakstelling {jaar} per gemeente en scenario")


# --- Shortfall -------------------------------------------------------------------------------


SHORTFALL_FORMATS = {"Verwachte eigen vraag": "huishoudens", "Regionale pool": "huishoudens",
                     "Capaciteit": "woningen", "Taakstelling samen": "huishoudens",
                     "Tekort": "huishoudens"}


def shortfall_table(comparison: Comparison) -> pd.DataFrame:
    region = comparison.regio
    return pd.DataFrame({
        "Scenario": region["scenario"], "Verwachte eigen vraag": region["vraag_eigen"],
        "Regionale pool": region["pool"], "Capaciteit": region["capaciteit"],
        "Taakstelling samen": region["taakstelling"], "Tekort": region["tekort"]})


def shortfall_caption(comparison: Comparison) -> str:
    return (f"Verwachte vraag, capaciteit, taakstelling en tekort in de regio per scenario, "
            f"{_year(comparison)}")


def shortfall_text(comparison: Comparison) -> str:
    """The definition, then per scenario whether every expected household fits."""
    sentences = ["Het tekort is het aantal verwachte huishoudens (eigen vraag en regionale "
                 "pool) dat in geen enkele gemeente binnen de grens past. Het model verdeelt "
                 "het niet over de gemeenten: de Bestuurlijke Tafel moet het apart oplossen."]
    for number in range(len(comparison.scenarios)):
        tekort = comparison.regio["tekort"].iloc[number]
        name = f"*{_name(comparison, number)}*"
        if not shown(tekort):
            sentences.append(f"Het tekort in {name} wordt niet gepubliceerd om kleine aantallen "
                             "huishoudens te beschermen.")
        elif tekort:
            sentences.append(f"In {name} passen {_households(tekort)} nergens binnen de grens.")
        else:
            sentences.append(f"In {name} passen alle verwachte huishoudens.")
    return " ".join(sentences)


# --- Sensitivity -----------------------------------------------------------------------------


CURRENT_KEY = "Huidige sleutel"


def _variant_label(variant: Variant, key: bool = False) -> str:
    """A column of the grid: the limit ('30% (huidig)'), or the base whose weight moved and
    how far ('Mutaties +10'); with `key`, the current limit is the current key."""
    if variant.soort == LIMIT:
        if key and variant.huidig:
            return CURRENT_KEY
        text = _percent(variant.mutatiegrens)
        return f"{text} (huidig)" if variant.huidig else text
    step = fmt_number(100 * abs(variant.stap), 1)
    sign = "+" if variant.stap > 0 else MINUS
    return f"{BASES[variant.basis].capitalize()} {sign}{step}"


def _numbers(comparison: Comparison, soort: str) -> list[int]:
    return [n for n, v in enumerate(comparison.grid.variants) if v.soort == soort]


def _current(comparison: Comparison) -> int:
    return next(n for n, v in enumerate(comparison.grid.variants) if v.huidig)


def _grid_frame(comparison: Comparison, numbers: Sequence[int]) -> pd.DataFrame:
    """Taakstelling per gemeente (rows, by code in region order) and variant (columns)."""
    tasks = comparison.grid.gemeenten.pivot(index="gemeente", columns="variant",
                                            values="taakstelling")
    return tasks.reindex(index=list(comparison.region.gemeenten), columns=list(numbers))


def _grid_table(comparison: Comparison, numbers: Sequence[int], shortfall: bool
                ) -> pd.DataFrame:
    tasks = _grid_frame(comparison, numbers)
    labels = [_variant_label(comparison.grid.variants[n], key=not shortfall) for n in numbers]
    frame = pd.DataFrame(tasks.to_numpy(), columns=labels)
    frame.insert(0, "Gemeente", [_gemeente(comparison, g) for g in tasks.index])
    codes = list(tasks.index)
    if shortfall:
        tekort = comparison.grid.regio.set_index("variant")["tekort"]
        frame.loc[len(frame)] = [f"Tekort {comparison.region.naam}",
                                 *tekort.reindex(numbers).to_numpy()]
        codes.append("")
    frame.attrs["codes"] = {"Gemeente": codes}
    return frame


def limit_table(comparison: Comparison) -> pd.DataFrame:
    """Taakstelling per gemeente at each limit of the grid, and the region's shortfall."""
    return _grid_table(comparison, _numbers(comparison, LIMIT), shortfall=True)


def weights_table(comparison: Comparison) -> pd.DataFrame:
    """Taakstelling per gemeente with the current key and each shifted weight."""
    return _grid_table(comparison, [_current(comparison), *_numbers(comparison, WEIGHTS)],
                       shortfall=False)


def grid_formats(table: pd.DataFrame) -> dict[str, str]:
    return {column: "huishoudens" for column in table.columns[1:]}


def limit_caption(comparison: Comparison) -> str:
    return (f"Taakstelling {_year(comparison)} per gemeente bij een andere mutatiegrens, "
            f"scenario {comparison.first.naam}, in huishoudens")


def weights_caption(comparison: Comparison) -> str:
    return (f"Taakstelling {_year(comparison)} per gemeente bij andere gewichten van de "
            f"verdeelsleutel, scenario {comparison.first.naam}, in huishoudens")


def limit_text(comparison: Comparison) -> str:
    config = comparison.first.config
    low, high = _percent(min(LIMITS)), _percent(max(LIMITS))
    numbers = _numbers(comparison, LIMIT)
    tekort = comparison.grid.regio.set_index("variant")["tekort"]
    at_low, at_high = tekort.loc[numbers[0]], tekort.loc[numbers[-1]]
    text = (f"Hoe verandert de taakstelling als de grens niet "
            f"{_percent(config.mutatiegrens)} is maar tussen {low} en {high} ligt? Alle "
            f"andere instellingen blijven die van *{_name(comparison, 0)}*. Een hogere grens "
            "geeft elke gemeente meer capaciteit; een gemeente die vol zat, kan dan meer eigen "
            "huishoudens huisvesten, zodat er minder naar andere gemeenten gaat.")
    if shown(at_low, at_high):
        text += (f" Bij {low} is het regionale tekort {_shortfall(at_low)}, bij {high} "
                 f"{_shortfall(at_high)}.")
    return text


def weights_text(comparison: Comparison) -> str:
    numbers = _numbers(comparison, WEIGHTS)
    step = fmt_number(100 * WEIGHT_STEP, 0)
    if not numbers:
        return (f"De verdeelsleutel van *{_name(comparison, 0)}* rust op één basis; er is "
                "geen ander gewicht om naar te verschuiven.")
    described = []
    for n in numbers:
        variant = comparison.grid.variants[n]
        weights = ", ".join(f"{BASES[b]} {_percent(w)}" for b, w in variant.gewichten.items())
        described.append(f"bij *{md_text(_variant_label(variant))}* is dat {weights}")
    current = ", ".join(f"{BASES[b]} {_percent(w)}" for b, w in comparison.grid.variants[
        _current(comparison)].gewichten.items())
    return (f"De verdeelsleutel bepaalt hoe de huishoudens die hun eigen gemeente niet kan "
            "huisvesten, en de regionale pool, over de gemeenten met ruimte worden verdeeld. "
            f"Nu weegt de sleutel {current}. In de tabel weegt één basis {step} procentpunt "
            "zwaarder of lichter en schuiven de andere naar verhouding mee, zodat de gewichten "
            f"samen 100% blijven: " + "; ".join(described) + ". De capaciteit en het tekort "
            "veranderen daardoor niet, alleen de verdeling.")


def _change_chart(comparison: Comparison, numbers: Sequence[int], base: int, title: str,
                  alt: str, caption: str) -> Chart:
    """Per gemeente the change of the taakstelling against the `base` variant, in percent,
    one colour per variant; empty where either figure is hidden."""
    tasks = _grid_frame(comparison, [base, *numbers])
    reference = tasks[base].where(tasks[base] != 0)
    change = tasks[list(numbers)].sub(reference, axis=0).div(reference, axis=0) * 100
    change.columns = [_variant_label(comparison.grid.variants[n]) for n in numbers]
    change.index = [_gemeente(comparison, g) for g in change.index]
    return Chart(grouped_bar(change, title=title, unit="procent", source=SOURCE,
                             horizontal=True), alt, caption)


def limit_chart(comparison: Comparison) -> Chart:
    current = _current(comparison)
    numbers = [n for n in _numbers(comparison, LIMIT) if n != current]
    grens = _percent(comparison.first.config.mutatiegrens)
    jaar = _year(comparison)
    return _change_chart(
        comparison, numbers, current,
        f"Verandering van de taakstelling {jaar} ten opzichte van een grens van {grens}",
        f"Staafdiagram per gemeente: hoeveel procent de taakstelling voor {jaar} hoger of "
        f"lager is bij een andere mutatiegrens dan {grens}, met een staaf per grens.",
        f"Verandering van de taakstelling per gemeente bij een andere mutatiegrens, {jaar}")


def weights_chart(comparison: Comparison) -> Chart | None:
    """None when the key has one base (no variants)."""
    numbers = _numbers(comparison, WEIGHTS)
    if not numbers:
        return None
    jaar = _year(comparison)
    return _change_chart(
        comparison, numbers, _current(comparison),
        f"Verandering van de taakstelling {jaar} bij andere gewichten van de sleutel",
        f"Staafdiagram per gemeente: hoeveel procent de taakstelling voor {jaar} hoger of "
        "lager is bij een ander gewicht in de verdeelsleutel, met een staaf per variant.",
        f"Verandering van de taakstelling per gemeente bij andere gewichten, {jaar}")


# --- Method ----------------------------------------------------------------------------------


def method_text(comparison: Comparison) -> str:
    """How the inputs came about and how the scenarios and the grid were computed."""
    first = comparison.prognoses[0]
    differ = any((p.jaar, p.jaren, dict(p.bronnen)) != (first.jaar, first.jaren,
                                                         dict(first.bronnen))
                 for p in comparison.prognoses[1:])
    inputs = input_sentence(first)
    if differ:
        inputs += (" Een scenario met een ander jaar of een ander aantal jaren voor de "
                   "gemiddelden rekent met die (zie de instellingen die verschillen).")
    return "\n\n".join([
        f"Elk scenario rekent het verdeelmodel vooruit voor {first.jaar}, op dezelfde gegevens "
        "en met dezelfde regio-instellingen. " + inputs[0].upper() + inputs[1:],
        "Per gemeente is de capaciteit de grens maal de verwachte mutaties, afgerond zoals de "
        "instellingen zeggen, min wat al is toegezegd. Elke gemeente huisvest eerst haar eigen "
        "vraag tot haar capaciteit; wat niet past en de regionale pool gaan naar verhouding van "
        "de verdeelsleutel naar gemeenten met ruimte. Wat nergens past, is het tekort.",
        "De gevoeligheid rekent het eerste scenario opnieuw door met een andere grens, of met "
        "één gewicht van de verdeelsleutel hoger of lager; verder blijft alles gelijk.",
    ])


def disclosure_text(comparison: Comparison) -> str:
    """The small-count rule, and how the comparison and the grid follow it."""
    return (rule_text(comparison.region.openbaarheid) + " De vergelijking past deze regel op "
            "alle scenario's tegelijk toe: een cijfer dat in twee scenario's gelijk is, is in "
            "beide afgeschermd of in geen van beide. De gevoeligheid volgt dezelfde regel: een "
            "kleine taakstelling is afgeschermd, een gemeente waarvan het eerste scenario de "
            "taakstelling afschermt is in elke kolom afgeschermd, en waar het tekort een "
            "afgeschermde taakstelling zou verraden, is ook een andere afgeschermd.")
