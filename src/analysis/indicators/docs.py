"""Render the indicator catalogue as Markdown (docs/indicatoren.md is generated)."""

from __future__ import annotations

from analysis.indicators.catalogue import THEMES, catalogue

INTRO = """# Indicatoren

*Gegenereerd uit `src/analysis/indicators/catalogus.yml` met `make docs`; niet met de hand
bewerken.*

Alle indicatoren staan in één tabel, `data/processed/indicatoren.parquet`, met de kolommen
indicator, gebiedsniveau (gemeente, regio, wijk), gebied (CBS-code of regionaam), periode (een
jaar of de hele monitorperiode), doelgroep (een code, `aandachtsgroepen` = alle behalve `geen`,
`alle` = geen uitsplitsing), categorie (toewijzingsroute, urgentiecategorie, herkomst, eenheid of
gemeente van de wijk; anders `alle`), waarde, teller en noemer. Waarde = factor × teller / noemer;
bij aantallen is de waarde de teller. Regiocijfers zijn de som van de tellers en noemers van de
gemeenten, periodecijfers de som over de jaren: zo tellen ze altijd op.
"""


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
            ]
            if indicator.kanttekeningen:
                lines.append(f"- **Kanttekening**: {indicator.kanttekeningen}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
