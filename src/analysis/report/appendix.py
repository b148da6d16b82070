"""Appendices: definitions from the indicator catalogue, sources and provenance from the ingest
manifest, and the method with the verdeelmodel trace."""

from __future__ import annotations

import pandas as pd

from analysis import codes
from analysis.indicators.catalogue import catalogue
from analysis.model.config import BASES, CAPACITY_BASES, CAPACITY_ROUNDING, ROUNDING_METHODS
from analysis.protection import rule_text
from analysis.report.data import ReportData
from analysis.report.shared import MODEL_READING, names
from analysis.report.taakstelling import input_sentence
from analysis.tables import MISSING, fmt_number, fmt_percent, md_text


def glossary(indicators: list[str] | None = None) -> str:
    """Definitions as a Markdown definition list, in catalogue order."""
    lines = []
    for indicator in catalogue().values():
        if indicators is not None and indicator.id not in indicators:
            continue
        lines += [f"**{indicator.titel}**", f":   {indicator.definitie} "
                  f"Eenheid: {indicator.eenheid}. Bron: {indicator.bron}."
                  + (f" {indicator.kanttekeningen}" if indicator.kanttekeningen else ""), ""]
    return "\n".join(lines)


def sources_table(data: ReportData) -> pd.DataFrame:
    """Every input file with its checksum, rows and period, from the ingest manifest; an
    optional source that was not delivered as a row that says so."""
    rows = []
    for source in data.manifest["bronnen"].values():
        periode = f"{source['periode']['van']} t/m {source['periode']['tot_en_met']}"
        for file in source["bestanden"]:
            rows.append({"Bron": source["titel"], "Bestand": file["naam"],
                         "Rijen": file["rijen"], "Periode": periode,
                         "Versie datacontract": source["contract_versie"],
                         "SHA-256 (eerste 16 tekens)": file["sha256"][:16]})
    for title in data.manifest.get("niet_aangeleverd", {}).values():
        rows.append({"Bron": title, "Bestand": "niet aangeleverd (optioneel)", "Rijen": 0,
                     "Periode": MISSING, "Versie datacontract": MISSING,
                     "SHA-256 (eerste 16 tekens)": MISSING})
    return pd.DataFrame(rows)


def provenance_text(data: ReportData) -> str:
    manifest = data.manifest
    text = (f"De cijfers zijn berekend met {manifest['software']} uit de bestanden hieronder. "
            "Elk bestand is gecontroleerd tegen zijn datacontract (de afspraak over kolommen, "
            "codes en geldige waarden); de controlegetallen (SHA-256) maken na te gaan dat "
            "precies deze bestanden zijn gebruikt. De regio-instellingen en de instellingen van "
            "het verdeelmodel waarmee is gerekend, worden met de data bewaard.")
    if data.demo:
        text += (" **Dit zijn demogegevens (DEMO — synthetische gegevens)**, gemaakt door de "
                 "demogenerator van de Woonzorgmonitor; ze beschrijven geen echte huishoudens, "
                 "woningen of plannen.")
    return text


def disclosure_text(data: ReportData) -> str:
    """The small-count rule as every document states it."""
    return rule_text(data.region.openbaarheid)


def _weight(value: float) -> str:
    return fmt_number(value, 4)


def method_text(data: ReportData) -> str:
    """The method in the reader's words, every choice taken from the model's settings."""
    config = data.model_config
    weights = " + ".join(f"{_weight(w)} × aandeel in de {BASES[base]}"
                         for base, w in config.gewichten.items())
    labels = codes.labels("doelgroepen")
    pool = names([codes.in_sentence(labels[d]) for d in config.pool_doelgroepen])
    rounding = CAPACITY_ROUNDING[config.capaciteit_afronding]
    return "\n\n".join([
        "Het verdeelmodel berekent per jaar hoeveel huishoudens uit de doelgroepen met een "
        "verdeelafspraak elke gemeente zou huisvesten volgens de drie leidende principes. "
        + MODEL_READING,
        f"1. **Verdeelsleutel.** Sleutelaandeel = {weights}"
        + (" (gedeeld door de som van de gewichten)." if config.normaliseren else "."),
        f"2. **Capaciteit.** {fmt_percent(100 * config.mutatiegrens, 0)} van de "
        f"{CAPACITY_BASES[config.capaciteit_basis]}, {rounding} afgerond, min de woningen die "
        "al binnen de grens zijn toegezegd (verhuringen die meetellen voor de grens maar niet "
        "onder het model vallen, zoals statushouders).",
        "3. **Herkomstgemeente, tenzij.** Elke gemeente huisvest eerst de huishoudens uit de "
        "eigen gemeente, tot haar capaciteit.",
        f"4. **Verdelen.** Wat niet past, plus de regionale pool ({pool} en huishoudens van "
        "buiten de regio), wordt naar sleutelaandeel verdeeld over gemeenten met ruimte, nooit "
        "boven hun capaciteit (waterverdeling in rondes).",
        "5. **Hele huishoudens.** Afronden met de methode van het "
        f"{ROUNDING_METHODS[config.afronding]}, zodat de totalen precies kloppen.",
        "6. **Tekort.** Wat nergens past, is een regionaal tekort en wordt apart gemeld.",
        "De werkelijke verdeling is het aantal verhuringen aan deze doelgroepen per gemeente; "
        "het verschil is de werkelijke verdeling min de verdeling volgens het model. Het "
        "rekenspoor hieronder laat voor het laatste jaar elke stap met de getallen zien.",
    ])


def trace_lines(data: ReportData, jaar: int | None = None) -> list[str]:
    trace = data.model.trace
    jaar = jaar or data.region.jaar_tot_en_met
    # Plain sentences with the gemeenten's names, shown as bullets of Markdown.
    return [md_text(line) for line in trace.loc[trace["jaar"] == jaar, "tekst"]]


def prognosis_method_text(data: ReportData) -> str:
    """How the taakstelling for the coming year differs from the model applied afterwards."""
    ahead = data.prognose
    return (f"Voor de taakstelling {ahead.jaar} rekent het model op dezelfde manier, maar met "
            f"wat de regio voor dat jaar verwacht in plaats van wat er werkelijk gebeurde. "
            f"{input_sentence(ahead)} De verdeelsleutel "
            f"gebruikt de cijfers van {ahead.jaren[-1]}. Het rekenspoor hieronder begint met "
            "de invoer per gemeente en volgt daarna dezelfde stappen.")


def prognosis_trace_lines(data: ReportData) -> list[str]:
    return [md_text(line) for line in data.prognose.run.trace["tekst"]]
