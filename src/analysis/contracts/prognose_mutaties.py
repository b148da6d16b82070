"""The housing associations' forecast of vacated social-rent homes per gemeente and year
(optional): the expected mutaties of the verdeelmodel for a coming year."""

from __future__ import annotations

from analysis.contracts.base import Column, Contract

CONTRACT = Contract(
    id="prognose_mutaties",
    version="1.0",
    title="Prognose mutaties (corporaties)",
    description=(
        "De prognose van de corporaties: per gemeente en jaar het aantal sociale huurwoningen "
        "dat naar verwachting vrijkomt voor een nieuwe huurder (verwachte mutaties), de basis "
        "van de capaciteit in het verdeelmodel. Optioneel: zonder dit bestand zijn de verwachte "
        "mutaties de sociale huurvoorraad maal de gemiddelde mutatiegraad (mutaties gedeeld "
        "door de voorraad) van de laatste jaren. Een prognose gaat over komende jaren: jaren na "
        "de monitorperiode zijn juist de bedoeling. Het bestand mag één of meer jaren bevatten; "
        "elk jaar dat erin staat moet alle gemeenten van de regio hebben."
    ),
    grain="één rij per gemeente per jaar",
    file_patterns=("prognose_mutaties*", "mutatieprognose*"),
    columns=(
        Column("gemeente", "gemeente in regio", "Gemeente (CBS-code of officiële naam).",
               aliases=("gemeente_code", "gemeentecode", "cbs_gemeentecode")),
        Column("jaar", "jaar", "Jaar waarvoor de prognose geldt (ook na de monitorperiode).",
               minimum=2000, maximum=2050, aliases=("prognosejaar",)),
        Column("verwachte_mutaties", "geheel getal",
               "Sociale huurwoningen die in het jaar naar verwachting vrijkomen en opnieuw "
               "worden verhuurd.", unit="woningen", minimum=0,
               aliases=("mutaties", "prognose_mutaties", "prognose", "aantal_mutaties",
                        "verwachte_mutaties_woningen")),
    ),
    key=("gemeente", "jaar"),
    period_column="jaar",
    complete_per=("jaar",),
    required=False,
)
