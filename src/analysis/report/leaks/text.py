"""The text rule: a small number before a household noun, or 'er 3' in a sentence about
households."""

from __future__ import annotations

import re

from analysis.config import DisclosureSettings
from analysis.protection import rule_text
from analysis.tables import SUPPRESSED_NOTE

NUMBER_WORDS = {"één": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6,
                "zeven": 7, "acht": 8, "negen": 9, "tien": 10}
NOUNS = r"huishoudens?|verhuringen?|huurders?|personen|persoon|plaatsingen?|gezinnen|gezin"
_NUMBER = rf"(?P<number>\d+|(?i:{'|'.join(NUMBER_WORDS)}))(?![.,]\d|\w)"
_COUNT_IN_TEXT = re.compile(
    rf"(?<![\w.,/+\-−–]){_NUMBER}(?P<between>(?:\s+[a-zà-ÿ][\w-]*){{0,2}}?)\s+"
    rf"(?P<noun>{NOUNS})\b")
# "… kregen er 3 een woning": a count of the households the sentence is about.
_COUNT_AFTER_ER = re.compile(
    rf"\ber\s+{_NUMBER}(?=\s+(?:een|in|uit|naar|zelf|bij)\b|\s*[.;:])")
# Before a number: a range, a threshold, a ratio or a label, not a count.
_NOT_A_COUNT_BEFORE = re.compile(
    r"\b(?:tot en met|t/m|tot|minstens|minimaal|ten minste|meer dan|minder dan|hoogstens|"
    r"maximaal|vanaf|op de|op|per|tabel|figuur|kaart|bijlage|hoofdstuk|paragraaf|pagina|"
    r"stap|ronde|fase|nr\.?|nummer)\s*$", re.IGNORECASE)
_SIZE_BEFORE = re.compile(r"\b(?:van|met)\s*$", re.IGNORECASE)  # huishoudens van 2 personen
_DIFFERENCE_AFTER = re.compile(r"[^.,;:!?]{0,50}?\b(?:meer|minder) dan\b")
_NOT_BETWEEN = {"keer", "maal", "procent", "procentpunt", "van", "op", "per", "jaar", "jaren",
                "dan", "meer", "minder", "zoveel", "tot", "en", "of"}
_HOUSEHOLD_NOUN = re.compile(rf"\b(?:{NOUNS})\b", re.IGNORECASE)
SNIPPET = 40  # characters of context either side in a message


def plain_text(text: str) -> str:
    """Text with one space for any run of white space and words hyphenated at a line end
    joined again, as a reader reads it."""
    text = text.replace("\u00ad", "")
    text = re.sub(r"(?<=[a-zà-ÿ])-\s*\n\s*(?=[a-zà-ÿ])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _value(number: str) -> int:
    return int(number) if number.isdigit() else NUMBER_WORDS[number.lower()]


def _snippet(text: str, start: int, end: int) -> str:
    left, right = max(0, start - SNIPPET), min(len(text), end + SNIPPET)
    return (("…" if left else "") + text[left:right].strip()
            + ("…" if right < len(text) else ""))


def text_findings(text: str, rule: DisclosureSettings) -> list[str]:
    """A message for every small count of households the text writes as a number (or a Dutch
    number word) before a household noun, or as 'er 3' in a sentence about households. The
    rule itself (`protection.rule_text`), ranges, thresholds, ratios, differences, decimals,
    percentages and labels such as 'Tabel 3' are not counts."""
    text = plain_text(text)
    for statement in (rule_text(rule), SUPPRESSED_NOTE):
        text = text.replace(plain_text(statement), " ")
    hits = []
    for match in _COUNT_IN_TEXT.finditer(text):
        value = _value(match["number"])
        before = text[max(0, match.start() - 30):match.start()]
        between = match["between"].split()
        if (not 1 <= value < rule.kleinste_aantal or _NOT_A_COUNT_BEFORE.search(before)
                or any(word.lower() in _NOT_BETWEEN for word in between)
                or _DIFFERENCE_AFTER.match(text, match.end())
                or (match["noun"].startswith("perso") and _SIZE_BEFORE.search(before))):
            continue
        hits.append(f"{value} {match['noun']}: '{_snippet(text, match.start(), match.end())}'")
    for match in _COUNT_AFTER_ER.finditer(text):
        value = _value(match["number"])
        if 1 <= value < rule.kleinste_aantal and _HOUSEHOLD_NOUN.search(
                text, max(0, match.start() - 200), match.start()):
            hits.append(f"er {value} (huishoudens): "
                        f"'{_snippet(text, match.start(), match.end())}'")
    return hits
