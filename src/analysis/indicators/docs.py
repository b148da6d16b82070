"""Render the indicator catalogue as Markdown (docs/indicatoren.md is generated)."""

from __future__ import annotations

from analysis.indicators.catalogue import THEMES, Protection, catalogue

INTRO = """# Indicatoren

*Gegenereerd uit `src/analysis/indicators/catalogus.yml` met `make docs`; niet met de hand
bewerken.*

Alle indicatoren staan in één tabel, `data/processed/indicatoren.parquet`, met de kolommen
indicator, gebiedsniveau (gemeente, regio, wijk), gebied (CBS-code of regionaam), periode (een
jaar of de hele monitorperiode), doelgroep (een code, `aandachtsgroepen` = alle behalve `geen`,
`alle` = geen uitsplitsing), categorie (toewijzingsroute, urgentiecategorie, herkomst, eenheid of
gemeente van de wijk; anders `alle`), waarde, teller en noemer. Waarde = factor × teller / noemer;
bij aantallen is de waarde de teller. Regiocijfers zijn de som van de tellers en noemers van de
gemeenten, periodecijfers de som over de jaren: zo tellen ze altijd op (behalve het aantal wijken
boven de signaalwaarde, dat per periode wordt geteld, en een mediaan, die voor regio en periode
uit de verhuringen zelf komt; de noemer is dan het aantal verhuringen met een waarde).

Die tabel is vertrouwelijk. Wat gepubliceerd wordt, komt uit `openbaar_indicatoren.parquet`:
dezelfde rijen met een status per cel (getoond, klein, secundair), waarin kleine aantallen
huishoudens en de cellen die ze zouden verraden leeg zijn (instellingen, blok `openbaarheid`).
Een maat zonder verhuringen met een waarde (zoals de zoekduur bij directe bemiddeling) heeft geen
cijfer en staat er niet in; van een maat worden teller en noemer niet gepubliceerd. Per indicator
staat hieronder hoe die regel werkt (veld `bescherming` in de catalogus).
"""

PROTECTION = {
    "aantal": "aantal huishoudens (of personen in huishoudens); kleine aantallen worden "
              "afgeschermd",
    "aandeel": "verhouding met een aantal huishoudens als teller; afgeschermd als de teller is "
               "afgeschermd of de noemer te klein is",
    "verschil": "verschil van aantallen; afgeschermd als het een afgeschermd aantal zou "
                "prijsgeven",
    "volgt": "afgeschermd waar `{volgt}` is afgeschermd",
    "maat": "maat over huishoudens (mediaan of gemiddelde); afgeschermd als die op minder "
            "verhuringen rust dan de kleinste noemer, of als het aantal `{reeks}` voor dezelfde "
            "cel is afgeschermd (bij categorie 'alle': het totaal waartoe de categorieën "
            "optellen)",
    "geen": "geen huishoudens (woningen, wijken, een instelling of een taakstelling van het "
            "Rijk); niet afgeschermd",
}
NOEMER_CELL = {"": "het totaal over de categorieën", "regio": "de cel van de regio",
               "doelgroep": "de cel voor alle doelgroepen"}


def protection_text(protection: Protection) -> str:
    text = PROTECTION[protection.soort].format(volgt=protection.volgt, reeks=protection.reeks)
    if protection.reeks and protection.soort != "maat":
        text += f"; de teller is dezelfde cel als bij `{protection.reeks}`"
    if protection.noemer:
        reeks, _, cell = protection.noemer.partition("/")
        text += (f"; de noemer is {NOEMER_CELL[cell]} van `{reeks}`, en is die afgeschermd, "
                 "dan ook de verhouding")
    return text


def render_markdown() -> str:
    lines = [INTRO]
    for theme in THEMES:
        lines += [f"## {theme.capitalize()}", ""]
        for indicator in catalogue().values():
            if indicator.thema != theme:
                continue
            lines += [
                f"### {indicator.titel} (`{indicator.id}`)",
                "",
                indicator.definitie,
                "",
                f"- **Eenheid**: {indicator.eenheid}",
                f"- **Teller**: {indicator.teller}",
                f"- **Noemer**: {indicator.noemer or '— (aantal)'}",
                f"- **Uitsplitsingen**: {', '.join(indicator.uitsplitsingen)}",
                f"- **Bron**: {indicator.bron}",
                f"- **Bescherming**: {protection_text(indicator.bescherming)}",
            ]
            if indicator.kanttekeningen:
                lines.append(f"- **Kanttekening**: {indicator.kanttekeningen}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
