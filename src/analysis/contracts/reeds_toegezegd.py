"""Homes under the mutatiegrens already committed per gemeente and year outside the
verdeelmodel (optional), e.g. for statushouders or agreements at other tables."""

from __future__ import annotations

from analysis.contracts.base import Column, Contract

CONTRACT = Contract(
    id="reeds_toegezegd",
    version="1.0",
    title="Reeds toegezegde woningen",
    description=(
        "Woningen binnen de mutatiegrens die per gemeente en jaar al zijn toegezegd buiten het "
        "verdeelmodel, bijvoorbeeld voor statushouders of voor afspraken aan andere tafels; het "
        "verdeelmodel trekt ze af van de capaciteit. Optioneel: zonder dit bestand is het "
        "aantal het gemiddelde over de laatste jaren van de gerealiseerde verhuringen die "
        "meetellen voor de mutatiegrens maar buiten het verdeelmodel vallen (zoals verhuringen "
        "aan statushouders). Jaren na de monitorperiode zijn juist de bedoeling. Elk jaar dat "
        "in het bestand staat moet alle gemeenten van de regio hebben (0 waar niets is "
        "toegezegd)."
    ),
    grain="één rij per gemeente per jaar",
    file_patterns=("reeds_toegezegd*", "toezeggingen*"),
    columns=(
        Column("gemeente", "gemeente in regio", "Gemeente (CBS-code of officiële naam).",
               aliases=("gemeente_code", "gemeentecode", "cbs_gemeentecode")),
        Column("jaar", "jaar", "Jaar van de toezegging (ook na de monitorperiode).",
               minimum=2000, maximum=2050),
        Column("aantal", "geheel getal",
               "Aantal sociale huurwoningen dat in het jaar al is toegezegd.",
               unit="woningen", minimum=0,
               aliases=("reeds_toegezegd", "toegezegd", "toezeggingen", "aantal_woningen",
                        "woningen")),
    ),
    key=("gemeente", "jaar"),
    period_column="jaar",
    complete_per=("jaar",),
    required=False,
)
