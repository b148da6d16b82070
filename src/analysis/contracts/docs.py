"""Render the data contracts and code lists as Markdown (docs/data-contracts.md is generated)."""

from __future__ import annotations

from analysis import codes
from analysis.contracts import CONTRACTS, PERSONAL_DATA_TOKENS
from analysis.contracts.base import Column, Contract

INTRO = """# Datacontracten

*Gegenereerd uit `src/analysis/contracts/` met `make docs`; niet met de hand bewerken.*

Elke bron heeft een contract: kolommen, typen, eenheden, toegestane codes en betekenis. `woonzorg
validate` en `woonzorg ingest` dwingen het af. Algemene regels voor alle bronnen:

- **Bestanden**: CSV met `;`, `,` of tab als scheidingsteken, in UTF-8 (met of zonder BOM),
  UTF-16 of Windows-1252; of XLSX (het blad met de naam van de bron, anders het eerste blad).
  Titelregels boven de kopregel mogen; de kopregel wordt gezocht in de eerste 30 regels.
- **Kolomnamen**: hoofdletters, spaties, leestekens en accenten tellen niet (`Datum verhuring` =
  `datum_verhuring`); de genoemde varianten worden ook herkend. Volgorde is vrij.
- **Getallen**: decimale komma of punt en scheidingstekens voor duizendtallen (`1.234,5` of
  `1,234.5`); in een bestand met `;` of tab geldt de komma als decimaalteken bij twijfel.
- **Datums**: `dd-mm-jjjj`, `dd/mm/jjjj`, `jjjj-mm-dd` of een Excel-datum.
- **Codes**: de code of de Nederlandse omschrijving uit de codelijst, ongeacht hoofdletters.
  Gemeenten als CBS-code (`GM0518`, ook `0518` of `518`), officiële naam of bekende variant
  (`Den Haag`); koppelen gebeurt altijd op code.
- **Onbekende kolommen** geven een *waarschuwing* en worden niet meegenomen naar de verwerkte
  data. Zo blijft een export met extra kolommen bruikbaar, terwijl de gebruiker ziet wat er
  wordt genegeerd.
- **Persoonsgegevens** worden nooit verwerkt: een kolom waarvan de naam een van deze woorden
  bevat is een *fout*: {tokens}.
- **Fouten** noemen bestand, regel (CSV) of rij (Excel), kolom, de waarde en wat werd verwacht.
  Alle fouten van alle bestanden worden in één keer gemeld. Bij één fout schrijft `ingest` niets.
- **Periode**: datums en jaren met *monitorperiode* moeten binnen de periode van de
  regio-instellingen vallen (standaard 2021 tot en met 2025).
"""

KIND_TEXT = {
    "tekst": "tekst",
    "geheel getal": "geheel getal",
    "decimaal getal": "decimaal getal",
    "datum": "datum",
    "jaar": "jaar",
    "code": "code",
    "gemeente in regio": "gemeente (regio)",
    "herkomst": "gemeente of herkomstcode",
    "wijkcode": "CBS-wijkcode",
}


def _column_row(column: Column) -> str:
    rules = []
    if column.codelist:
        rules.append(f"codelijst `{column.codelist}`")
    if column.kind == "gemeente in regio":
        rules.append("gemeente uit de regio-instellingen")
    if column.kind == "herkomst":
        rules.append("codelijsten `gemeenten` en `herkomst_bijzonder`")
    if column.minimum is not None:
        rules.append(f"≥ {column.minimum:g}")
    if column.maximum is not None:
        rules.append(f"≤ {column.maximum:g}")
    if column.in_period:
        rules.append("binnen monitorperiode")
    presence = "verplicht" if column.required else "optioneel"
    empty = "mag leeg" if column.nullable else "niet leeg"
    aliases = ", ".join(f"`{a}`" for a in column.aliases) or "—"
    return (f"| `{column.name}` | {KIND_TEXT[column.kind]} | {column.unit or '—'} | "
            f"{presence}, {empty} | {'; '.join(rules) or '—'} | {column.description} | "
            f"{aliases} |")


def _contract_section(contract: Contract) -> list[str]:
    lines = [
        f"## {contract.title} (`{contract.id}`, versie {contract.version})",
        "",
        contract.description,
        "",
        f"- **Korrel**: {contract.grain}; sleutel: {', '.join(contract.key)} (uniek).",
        "- **Bestandsnamen**: " + ", ".join(f"`{p}.csv`/`.xlsx`" for p in contract.file_patterns),
        "- **Verwerkt naar**: `data/processed/" + contract.id + ".parquet`",
    ]
    if contract.complete_over:
        lines.append("- **Volledig**: elke gemeente van de regio in elk jaar van de "
                     "monitorperiode.")
    for rule in contract.rules:
        lines.append(f"- **Regel**: fout als `{rule.column}` — {rule.message}.")
    lines += ["", "| kolom | type | eenheid | aanwezig | controle | betekenis | varianten |",
              "|---|---|---|---|---|---|---|"]
    lines += [_column_row(column) for column in contract.columns]
    return [*lines, ""]


def _codelist_section(name: str) -> list[str]:
    rows = codes.load(name)
    has_description = "beschrijving" in rows[0]
    lines = [f"### `{name}`", ""]
    if has_description:
        lines += ["| code | naam | beschrijving |", "|---|---|---|"]
        lines += [f"| `{r['code']}` | {r['naam']} | {r['beschrijving']} |" for r in rows]
    else:
        lines += ["| code | naam |", "|---|---|"]
        lines += [f"| `{r['code']}` | {r['naam']} |" for r in rows]
    return [*lines, ""]


def render_markdown() -> str:
    tokens = ", ".join(f"`{t}`" for t in sorted(PERSONAL_DATA_TOKENS))
    lines = [INTRO.replace("{tokens}", tokens)]
    for contract in CONTRACTS:
        lines += _contract_section(contract)
    lines += ["## Codelijsten", "",
              "De codelijsten staan als CSV in `src/analysis/codes/` en worden gedeeld door de "
              "validatie, de demogenerator en de rapporten. De lijst `gemeenten` bevat alle "
              f"{len(codes.load('gemeenten'))} gemeenten van 2025 (CBS-code en officiële naam) "
              "en staat hier niet uitgeschreven; `gemeente_aliassen` geeft toegestane "
              "varianten van namen.", ""]
    for name in codes.CODE_LISTS:
        if name not in ("gemeenten", "gemeente_aliassen"):
            lines += _codelist_section(name)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
