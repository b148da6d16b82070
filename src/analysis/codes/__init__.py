"""Code lists as data files, one CSV per list, shared by validation, demo and reports."""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from importlib import resources

CODE_LISTS = (
    "gemeenten",
    "gemeente_aliassen",
    "doelgroepen",
    "urgentiecategorieen",
    "toewijzingsroutes",
    "ppm_fasen",
    "woningtypen",
    "huurklassen",
    "huishoudtypen",
    "leeftijdsklassen",
    "tenzij_redenen",
    "herkomst_bijzonder",
    "gemeente_herindelingen",
    "eenheden",
)
# The doelgroep code of households outside every aandachtsgroep; all other codes are one.
NO_GROUP = "geen"


@cache
def load(name: str) -> tuple[dict[str, str], ...]:
    """Rows of code list `name` as dicts, in file order; lines starting with '#' (the source of
    the list) are skipped."""
    if name not in CODE_LISTS:
        raise KeyError(f"onbekende codelijst: {name!r}")
    text = resources.files(__package__).joinpath(f"{name}.csv").read_text(encoding="utf-8")
    return tuple(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def codes(name: str) -> tuple[str, ...]:
    """The allowed codes of a code list, in file order."""
    return tuple(row["code"] for row in load(name))


def labels(name: str) -> dict[str, str]:
    """Code → Dutch label."""
    return {row["code"]: row["naam"] for row in load(name)}


def aandachtsgroepen() -> tuple[str, ...]:
    """The doelgroep codes of the aandachtsgroepen: every doelgroep but NO_GROUP."""
    return tuple(code for code in codes("doelgroepen") if code != NO_GROUP)


def typographic(name: str) -> str:
    """A name as documents print it: a word-initial apostrophe as U+2019 ('s-Gravenhage →
    ’s-Gravenhage). The code lists keep the spelling of the sources."""
    return re.sub(r"(?<!\w)'(?=\w)", "\u2019", name)


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: 'Uitstroom GGZ-instelling' → 'uitstroom
    GGZ-instelling', '(Dreigend) dakloze mensen' → '(dreigend) dakloze mensen'; a first word
    that is an abbreviation ('GGZ', 'SVH') keeps its capitals."""
    first = label.split(" ", 1)[0].strip("()")
    if len(first) > 1 and first[:2].isupper():
        return label
    return re.sub(r"[A-Za-zÀ-ÿ]", lambda m: m.group(0).lower(), label, count=1)


def name_key(text: str) -> str:
    """Comparison key for names: case, accents, apostrophes, dots and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    for ch in "'’`.()":
        plain = plain.replace(ch, "")
    return " ".join(plain.replace("-", " ").replace("_", " ").split())


@cache
def gemeente_lookup() -> dict[str, str]:
    """Every accepted spelling of a gemeente (code, official name, alias) → CBS code. A bare
    number ('518', '14') is no spelling: it may as well be a count in the wrong column."""
    lookup: dict[str, str] = {}
    for row in load("gemeenten"):
        for key in (row["code"], row["naam"]):
            lookup[name_key(key)] = row["code"]
    for row in load("gemeente_aliassen"):
        lookup[name_key(row["alias"])] = row["code"]
    return lookup


@cache
def successors() -> dict[str, str]:
    """CBS code of a gemeente dissolved since 2015 → the code of the gemeente it lies in now."""
    return {row["code"]: row["opvolger"] for row in load("gemeente_herindelingen")}
