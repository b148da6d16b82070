"""What several document kinds show: the limit, the housing task per doelgroep, the herkomst
matrix and the wijk concentration, each asked of `ReportData` in one place."""

from __future__ import annotations

import pandas as pd

from analysis import codes
from analysis.figures.maps import wijk_number
from analysis.report.data import ReportData
from analysis.tables import SUPPRESSED, fmt_decimal, fmt_int, fmt_value, listing, md_text

LIMIT_INDICATOR = "aandeel_mutaties_aandachtsgroepen"
ORIGINS_OUTSIDE = {"buiten_regio": "Buiten de regio", "buitenland": "Buitenland",
                   "onbekend": "Onbekend"}


# The model's reading, said wherever its figures appear (see DESIGN: the model's two readings).
MODEL_READING = (
    "Het verdeelmodel is hier achteraf toegepast: het verdeelt de huishoudens die werkelijk een "
    "woning kregen volgens de afgesproken principes. Het regiototaal van de verdeling volgens het "
    "model is daarom gelijk aan de werkelijke verdeling; het verschil per gemeente laat zien welke "
    "gemeente meer of minder dan haar deel huisvestte, niet een tekort.")


def shown(*values: object) -> bool:
    """Whether every figure is published (a hidden one is NaN in `ReportData`)."""
    return not any(pd.isna(v) for v in values)


def not_published(subject: str) -> str:
    """A sentence for a figure the small-count rule hides, without saying how small it is:
    a cell hidden to protect another need not be small."""
    return f"{subject} wordt niet gepubliceerd om kleine aantallen huishoudens te beschermen."


def cell(value: object, eenheid: str) -> str:
    """A figure formatted by its unit for a table of text cells; a hidden one as 'x'."""
    return fmt_value(value, eenheid) if shown(value) else SUPPRESSED


def limit_percent(data: ReportData) -> float:
    return 100 * data.model_config.mutatiegrens


def names(items: list[str], last: str = "en") -> str:
    """'Delft', 'Delft en Westland', 'Delft, Rijswijk en Westland' (or 'of' as `last`), for a
    sentence of Markdown: each name is shown as written (see `md_text`)."""
    return listing([md_text(item) for item in items], last)


def min_wijk_lettings(data: ReportData) -> int:
    return data.region.signalen.wijk_minimaal_verhuringen


def few_wijk_lettings(data: ReportData) -> str:
    """What a wijk map says of a wijk left out for too few lettings."""
    return f"minder dan {fmt_int(min_wijk_lettings(data))} verhuringen"


def _by_doelgroep(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows indexed by (doelgroep, eenheid) in code-list order, labelled 'Ouderen (woningen)'."""
    order = {code: i for i, code in enumerate(codes.codes("doelgroepen"))}
    frame = frame.sort_index(key=lambda idx: idx.map(lambda v: order.get(v, 99)))
    labels, units = codes.labels("doelgroepen"), codes.labels("eenheden")
    return frame.set_axis([f"{labels[d]} ({units[u].lower()})" for d, u in frame.index])


def housing_task_table(data: ReportData, gemeente: str | None = None) -> pd.DataFrame:
    """Progress of the housing task per doelgroep (and unit) for the region or one gemeente:
    the task and deliveries in the monitor period, and the task over the plan horizon with
    what is delivered, being built or firmly planned."""
    gebied = gemeente or data.region.naam

    def pick(indicator: str, **where: str) -> pd.DataFrame:
        return data.rows(indicator, gebied=gebied, **where).set_index(["doelgroep", "categorie"])

    delivered = pick("voortgang_opgeleverd", periode=data.period)
    horizon = pick("voortgang_met_harde_plannen")  # one period: the whole plan horizon
    plan_period = horizon["periode"].iloc[0].replace("-", "–") if len(horizon) else ""
    period = data.period.replace("-", "–")
    frame = pd.DataFrame({
        f"Opgave {period}": delivered["noemer"],
        "Opgeleverd": delivered["teller"],
        "Opgeleverd (%)": delivered["waarde"],
        f"Opgave {plan_period}": horizon["noemer"],
        "Met harde plannen (%)": horizon["waarde"],
    })
    counts = [f"Opgave {period}", "Opgeleverd", f"Opgave {plan_period}"]
    frame[counts] = frame[counts].round().astype("Int64")  # homes and places are whole
    return _by_doelgroep(frame).rename_axis("Doelgroep (eenheid)").reset_index()


HOUSING_TASK_FORMATS = {"Opgeleverd (%)": "procent", "Met harde plannen (%)": "procent"}


def groups_without_task(data: ReportData, gemeente: str | None = None) -> str:
    """One sentence naming the aandachtsgroepen for which PPM records no task (they are not in
    the housing-task table or chart), or '' when every group has one."""
    gebied = gemeente or data.region.naam
    with_task = set(data.rows("voortgang_met_harde_plannen", gebied=gebied)["doelgroep"])
    labels = codes.labels("doelgroepen")
    missing = [codes.in_sentence(labels[d]) for d in codes.aandachtsgroepen()
               if d not in with_task]
    if not missing:
        return ""
    return (f"Voor {names(missing)} is in de plan- en projectmonitor geen opgave vastgelegd; "
            "deze groepen ontbreken daarom in het overzicht van de woonopgave.")


PHASES = {"opgeleverd": "Opgeleverd", "in_aanbouw": "In aanbouw",
          "harde_plancapaciteit": "Harde plancapaciteit"}


def housing_task_phases(data: ReportData, gemeente: str | None = None) -> pd.DataFrame:
    """Per doelgroep (and unit) the phases as a percentage of the task over the plan horizon,
    for a progress chart; together they make the indicator voortgang_met_harde_plannen."""
    gebied = gemeente or data.region.naam
    frame = pd.DataFrame({
        label: data.rows(f"voortgang_planperiode_{phase}", gebied=gebied)
        .set_index(["doelgroep", "categorie"])["waarde"]
        for phase, label in PHASES.items()})
    return _by_doelgroep(frame).assign(Opgave=100.0)


def origin_matrix(data: ReportData, doelgroep: str = "aandachtsgroepen") -> pd.DataFrame:
    """Lettings over the period by origin (rows: the region's gemeenten, then buiten_regio,
    buitenland, onbekend) and gemeente of the home (columns), CBS codes; hidden cells NaN."""
    matrix = data.matrix("herkomst_bestemming", periode=data.period, doelgroep=doelgroep)
    origins = [*data.region.gemeenten, *ORIGINS_OUTSIDE]
    return matrix.reindex(index=origins, columns=list(data.region.gemeenten))


def origin_name(data: ReportData, origin: str) -> str:
    return ORIGINS_OUTSIDE.get(origin) or data.gemeente_name(origin)


def wijk_table(data: ReportData, gemeente: str | None = None) -> pd.DataFrame:
    """Per wijk (of one gemeente, or the region) over the period, indexed by wijk code: its
    gemeente, lettings, share of priority groups among them and concentration index (NaN where
    hidden). Only wijken with enough lettings to mean something (a setting), and those whose
    figures are hidden, so a map can draw them as not published."""
    where = {"periode": data.period, "gebiedsniveau": "wijk"}
    if gemeente is not None:
        where["categorie"] = gemeente
    lettings = data.rows("verhuringen_wijk", doelgroep="alle", **where).set_index("gebied")
    index = data.rows("concentratie_index_wijk", **where).set_index("gebied")
    table = pd.DataFrame({
        "gemeente": index["categorie"],
        "verhuringen": lettings["waarde"].reindex(index.index),
        "aandeel": data.rows("aandeel_aandachtsgroepen_wijk", **where)
        .set_index("gebied")["waarde"].reindex(index.index),
        "index": index["waarde"]})
    hidden = index["status"] != "getoond"
    return table[(table["verhuringen"] >= min_wijk_lettings(data))
                 | (hidden & ~(table["verhuringen"] < min_wijk_lettings(data)))]


def concentrated_wijken(data: ReportData, gemeente: str | None = None) -> pd.DataFrame:
    """Published wijken whose concentration index over the period is at least the signal
    threshold in the settings, highest first (`wijk_table`'s columns)."""
    wijken = wijk_table(data, gemeente)
    above = wijken[wijken["index"] >= data.region.signalen.wijk_concentratie]
    return above.sort_values("index", ascending=False, kind="stable")


def wijk_rows(data: ReportData, table: pd.DataFrame, *, number: bool = False,
              gemeente: bool = False) -> pd.DataFrame:
    """Wijken of `wijk_table` as a table for the reader: by name, with the CBS wijk number the
    map labels them with (`number`) or their gemeente (`gemeente`), in the given order."""
    layer = data.wijken_map()
    known = {} if layer is None else dict(zip(layer["code"], layer["naam"], strict=True))
    columns = {"Nr.": [wijk_number(code) for code in table.index]} if number else {}
    columns["Wijk"] = [known.get(code, code) for code in table.index]
    if gemeente:
        columns["Gemeente"] = [data.gemeente_name(g) for g in table["gemeente"]]
    frame = pd.DataFrame({**columns, "Verhuringen": table["verhuringen"].to_numpy(),
                          "Aandeel aandachtsgroepen": table["aandeel"].to_numpy(),
                          "Concentratie-index": table["index"].to_numpy()})
    return with_codes(frame, "Wijk", table.index)


WIJK_FORMATS = {"Verhuringen": "verhuringen", "Aandeel aandachtsgroepen": "procent",
                "Concentratie-index": "index"}


def with_codes(frame: pd.DataFrame, column: str, values: object) -> pd.DataFrame:
    """The codes of a column of names, for the tabellenboek (see `show.table`)."""
    frame.attrs["codes"] = {column: [str(v) for v in values]}
    return frame


def wijken_above_threshold(data: ReportData) -> pd.Series:
    """The number of wijken at or above the signal threshold over the period, per gemeente and
    for the region (indicator `wijken_boven_drempel`)."""
    return data.values("wijken_boven_drempel", periode=data.period,
                       doelgroep="aandachtsgroepen").astype(int)


def wijk_summary(data: ReportData, gemeente: str | None = None) -> str:
    """One sentence on the wijken at or above the signal threshold, for the region (per
    gemeente) or one gemeente, with the rule."""
    settings = data.region.signalen
    counts = wijken_above_threshold(data)
    count = int(counts.get(gemeente or data.region.naam, 0))
    where = (f"in {'geen enkele wijk' if not count else fmt_int(count)}"
             f"{' wijk' if count == 1 else ' wijken' if count else ''} met minstens "
             f"{fmt_int(settings.wijk_minimaal_verhuringen)} verhuringen over {data.period}")
    compared = ("heel " + md_text(data.gemeente_name(gemeente)) if gemeente
                else "de eigen gemeente")
    sentence = (f"{where[:1].upper()}{where[1:]} is het aandeel aandachtsgroepen onder de nieuwe "
                f"huurders minstens {fmt_decimal(settings.wijk_concentratie)} keer zo hoog als "
                f"in {compared}")
    if gemeente or not count:
        return sentence + "."
    by_size = counts.drop(data.region.naam).sort_values(ascending=False, kind="stable")
    return sentence + ": " + names([f"{data.gemeente_name(g)} {fmt_int(n)}"
                                    for g, n in by_size.items() if n]) + "."
