"""Data contracts, one module per source; `CONTRACTS` lists them in processing order."""

from analysis.contracts import (
    cbs,
    ppm,
    prognose_mutaties,
    prognose_vraag,
    reeds_toegezegd,
    taakstelling_statushouders,
    verhuringen,
    voorraad,
)
from analysis.contracts.base import ORIGINAL_SUFFIX, Column, Contract, RowRule

CONTRACTS: tuple[Contract, ...] = (
    verhuringen.CONTRACT,
    voorraad.CONTRACT,
    ppm.CONTRACT,
    cbs.CONTRACT,
    taakstelling_statushouders.CONTRACT,
    prognose_mutaties.CONTRACT,
    prognose_vraag.CONTRACT,
    reeds_toegezegd.CONTRACT,
)

# Column names (after normalisation) that identify a person; such a column is always refused.
PERSONAL_DATA_TOKENS = frozenset({
    "bsn", "burgerservicenummer", "sofinummer", "naam", "voornaam", "voornamen", "achternaam",
    "voorletters", "tussenvoegsel", "adres", "straat", "straatnaam", "huisnummer", "postcode",
    "geboortedatum", "geboorte", "email", "e_mail", "telefoon", "telefoonnummer", "iban",
    "klantnummer", "relatienummer",
})


def by_id(contract_id: str) -> Contract:
    for contract in CONTRACTS:
        if contract.id == contract_id:
            return contract
    raise KeyError(f"onbekende bron: {contract_id!r}")


__all__ = ["CONTRACTS", "ORIGINAL_SUFFIX", "PERSONAL_DATA_TOKENS", "Column", "Contract", "RowRule",
           "by_id"]
