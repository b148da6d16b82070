"""What several document kinds show: the limit, the housing task per doelgroep, the herkomst
matrix and the wijk concentration, each asked of `ReportData` in one place."""

from __future__ import annotations

import pandas as pd

from analysis import codes
from analysis.report.data import ReportData
from analysis.tables import SUPPRESSED, fmt_value, md_text

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
    items = [md_text(item) for item in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def min_wijk_lettings(data: ReportData) -> int:
    return data.region.signalen.wijk_minimaal_verhuringen


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
    the housing-task table and chart), or '' when every group has one."""
    gebied = gemeente or data.region.naam
    with_task = set(data.rows("voortgang_met_harde_plannen", gebied=gebied)["doelgroep"])
    labels = codes.labels("doelgroepen")
    missing = [codes.in_sentence(labels[d]) for d in codes.aandachtsgroepen()
               if d not in with_task]
    if not missing:
        return ""
    return (f"Voor {names(missing)} is in de plan- en projectmonitor geen opgave vastgelegd; "
            "deze groepen staan daarom niet in de tabel en de grafiek.")


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


def wijk_table(data: ReportData) -> pd.DataFrame:
    """Per wijk over the period the concentration index (`waarde`) beside the share of priority
    groups among its lettings (`teller_aandeel`, `noemer_aandeel`, `waarde_aandeel`), only for
    wijken with enough lettings to mean something (a setting)."""
    keys = ["gebied", "periode"]
    index = data.rows("concentratie_index_wijk", periode=data.period)
    share = data.rows("aandeel_aandachtsgroepen_wijk", periode=data.period)
    both = index.merge(share[[*keys, "teller", "noemer", "waarde"]], on=keys,
                       suffixes=("", "_aandeel"))
    return both[both["noemer_aandeel"] >= min_wijk_lettings(data)]


def concentrated_wijken(data: ReportData) -> pd.DataFrame:
    """Wijken whose share of priority groups is at least the threshold in the settings times
    their gemeente's share over the period."""
    wijken = wijk_table(data)
    return wijken[wijken["waarde"] >= data.region.signalen.wijk_concentratie]


def wijk_concentration(data: ReportData, gemeente: str | None = None) -> pd.Series:
    """Concentration index per wijk (of one gemeente, or the region) over the period, where
    enough lettings make it meaningful; a hidden index stays in as NaN, so the map draws it as
    not published."""
    table = wijk_table(data)
    index = data.rows("concentratie_index_wijk", periode=data.period)
    if gemeente is not None:
        table, index = (t[t["categorie"] == gemeente] for t in (table, index))
    hidden = index.loc[index["status"] != "getoond"].set_index("gebied")["waarde"]
    return pd.concat([table.set_index("gebied")["waarde"], hidden])
