"""Render the data contracts and code lists as Markdown (docs/data-contracts.md is generated)."""

from __future__ import annotations

from analysis import codes
from analysis.contracts import CONTRACTS, ORIGINAL_SUFFIX, PERSONAL_DATA_TOKENS
from analysis.contracts.base import Column, Contract

INTRO = """# Datacontracten

*Gegenereerd uit `src/analysis/contracts/` met `make docs`; niet met de hand bewerken.*

Elke bron heeft een contract: kolommen, typen, eenheden, toegestane codes en betekenis. `woonzorg
validate` en `woonzorg ingest` dwingen het af. Algemene regels voor alle bronnen:

- **Bestanden**: CSV met `;`, `,` of tab als scheidingsteken, in UTF-8 (met of zonder BOM),
  UTF-16 of Windows-1252; of XLSX. Van een werkmap wordt elk blad met de kopregel van de bron
  gelezen, in volgorde, als één tabel (bijvoorbeeld één blad per periode); zulke bladen hebben
  dezelfde kolommen, anders wordt het bestand geweigerd. Een blad zonder die kopregel
  (toelichting) wordt overgeslagen, met een waarschuwing als er iets op staat. Formules zonder
  berekende waarde en samengevoegde cellen in de tabel worden geweigerd. Alleen gewone bestanden
  tot 1 GB worden gelezen. Titelregels boven de kopregel mogen; de kopregel wordt gezocht in de
  eerste 30 regels.
- **Kolomnamen**: hoofdletters, spaties, leestekens en accenten tellen niet (`Datum verhuring` =
  `datum_verhuring`); de genoemde varianten worden ook herkend. Volgorde is vrij.
- **Getallen**: decimale komma of punt en scheidingstekens voor duizendtallen (`1.234,5` of
  `1,234.5`). Het decimaalteken wordt per kolom van een bestand vastgesteld uit alle waarden,
  nooit per cel: `1.000` is duizend als elke punt in de kolom drie cijfers achter zich heeft en
  geen waarde de punt als decimaalteken gebruikt. Kan de kolom beide kanten op (`1.000` naast
  `612.45`, of `1.000` naast `2,500`), dan is dat een *fout*, met een voorbeeld uit de kolom.
- **Datums**: `dd-mm-jjjj`, `dd/mm/jjjj`, `jjjj-mm-dd` of een Excel-datum.
- **Codes**: de code of de Nederlandse omschrijving uit de codelijst, ongeacht hoofdletters.
  Gemeenten als volledige CBS-code (`GM0518`), officiële naam of bekende variant (`Den Haag`);
  een los getal (`518`, `14`) is geen gemeente. Koppelen gebeurt altijd op code.
- **Tekens**: een cel met een stuurteken (NUL-teken, regelovergang, tab binnen de waarde) is een
  *fout*.
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
        rules.append("codelijsten `gemeenten`, `gemeente_herindelingen` en `herkomst_bijzonder`")
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
    if not contract.required:
        lines.append("- **Aanlevering**: optioneel. Zonder bestand schrijft `ingest` er geen "
                     "Parquet-bestand voor en noemt het manifest de bron onder "
                     "`niet_aangeleverd`; een aangeleverd bestand wordt gecontroleerd als elk "
                     "ander.")
    if contract.complete_over:
        lines.append("- **Volledig**: elke gemeente van de regio in elk jaar van de "
                     "monitorperiode.")
    if contract.complete_per:
        lines.append("- **Volledig**: elke gemeente van de regio in elke combinatie van "
                     + " en ".join(f"`{c}`" for c in contract.complete_per)
                     + " die het bestand bevat.")
    for rule in contract.rules:
        expected = f" Verwacht: {rule.expected}." if rule.expected else ""
        lines.append(f"- **Regel**: fout als `{rule.column}` — {rule.message}.{expected}")
    for column in contract.columns:
        if column.kind == "herkomst":
            lines.append(f"- **Herindeling**: een in `{column.name}` genoemde gemeente die sinds "
                         "2015 is opgeheven telt als haar opvolger (codelijst "
                         "`gemeente_herindelingen`); de geleverde code staat in "
                         f"`{column.name}{ORIGINAL_SUFFIX}`.")
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


def _mergers_section() -> list[str]:
    """The dissolved gemeenten with the name of their successor."""
    current = codes.labels("gemeenten")
    lines = ["### `gemeente_herindelingen`", "",
             "| code | naam | opvolger | opgeheven op | toelichting |", "|---|---|---|---|---|"]
    lines += [f"| `{r['code']}` | {r['naam']} | `{r['opvolger']}` {current[r['opvolger']]} | "
              f"{r['datum']} | {r['toelichting']} |" for r in codes.load("gemeente_herindelingen")]
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
              "varianten van namen. `gemeente_herindelingen` noemt de gemeenten die sinds 2015 "
              "zijn opgeheven, met hun opvolger (bron: CBS, gemeentelijke indeling per jaar; de "
              "bron staat ook bovenin het CSV-bestand).", ""]
    for name in codes.CODE_LISTS:
        if name == "gemeente_herindelingen":
            lines += _mergers_section()
        elif name not in ("gemeenten", "gemeente_aliassen"):
            lines += _codelist_section(name)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
