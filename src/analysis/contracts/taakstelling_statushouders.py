"""The national task for housing statushouders: persons per gemeente and half year (optional)."""

from __future__ import annotations

from analysis.contracts.base import Column, Contract

CONTRACT = Contract(
    id="taakstelling_statushouders",
    version="1.0",
    title="Taakstelling huisvesting statushouders",
    description=(
        "De taakstelling van het Rijk voor de huisvesting van vergunninghouders (statushouders): "
        "per gemeente en halfjaar het aantal personen dat de gemeente moet huisvesten, zoals de "
        "halfjaarlijkse circulaire het vaststelt. Een taakstelling telt personen, geen "
        "huishoudens. Optioneel: zonder dit bestand vergelijken de rapporten de verhuringen aan "
        "statushouders niet met een taakstelling. Het bestand mag een deel van de halfjaren "
        "bevatten (de rapporten noemen voor welke), en halfjaren buiten de monitorperiode; die "
        "tellen niet mee."
    ),
    grain="één rij per gemeente per halfjaar",
    file_patterns=("taakstelling_statushouders*", "statushouders*"),
    columns=(
        Column("gemeente", "gemeente in regio", "Gemeente (CBS-code of officiële naam).",
               aliases=("gemeente_code", "gemeentecode", "cbs_gemeentecode")),
        Column("jaar", "jaar", "Jaar van de taakstelling.", minimum=2000, maximum=2050,
               aliases=("taakstellingsjaar",)),
        Column("halfjaar", "geheel getal", "Halfjaar: 1 (januari t/m juni) of 2 (juli t/m "
               "december).", minimum=1, maximum=2,
               aliases=("half_jaar", "helft")),
        Column("taakstelling", "geheel getal",
               "Aantal vergunninghouders (personen) dat de gemeente in het halfjaar moet "
               "huisvesten.", unit="personen", minimum=0,
               aliases=("taakstelling_personen", "taakstelling_vergunninghouders")),
    ),
    key=("gemeente", "jaar", "halfjaar"),
    period_column="jaar",
    complete_per=("jaar", "halfjaar"),
    required=False,
)
