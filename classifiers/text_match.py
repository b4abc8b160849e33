"""Pure text helpers the text rules share: folding, word-boundary terms, sentences, contacts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "EMAIL_PATTERN",
    "PHONE_PATTERN",
    "Sentence",
    "Token",
    "compile_terms",
    "email_domain",
    "fold",
    "mask_email",
    "mask_phone",
    "sentences",
    "tokens",
]

# Typographic punctuation folded to its ASCII look-alike, one character for one.
_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\uff20": "@",
    }
)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character, lower-cased and stripped of accents, still exactly one character."""
    base = unicodedata.normalize("NFKD", char)[:1] or char
    lowered = base.lower()
    if len(lowered) == 1:
        return lowered
    return char.lower() if len(char.lower()) == 1 else char


def fold(text: str) -> str:
    """Lower-case, accent- and punctuation-folded text of the same length as `text`.

    Keeping the length lets a match in the folded text be quoted from the original
    at the same offsets (the staff member's own words).
    """
    text = text.translate(_PUNCTUATION)
    if text.isascii():
        return text.lower()
    return text.translate(_FOLDED)


class _FoldTable(dict[int, str]):
    """A str.translate table of `_fold_char`, filled on first sight of each code point."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLDED = _FoldTable()


# Letters and digits; apostrophes and hyphens split, so "Quill's" and "O'Neil" split alike.
_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a text: its folded form and its [start, end) offsets."""

    text: str
    start: int
    end: int


def words(folded: str) -> list[str]:
    """The words of an already folded text, without offsets (cheaper than `tokens`)."""
    return _TOKEN.findall(folded)


def tokens(folded: str) -> list[Token]:
    """The words of an already folded text, in order."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded)]


def compile_terms(patterns: Iterable[str]) -> re.Pattern[str]:
    """One regex matching any of `patterns` as whole words (folded text, so lower case)."""
    alternation = "|".join(f"(?:{pattern})" for pattern in patterns)
    return re.compile(rf"(?<![^\W_])(?:{alternation})(?![^\W_])")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a text, by [start, end) offsets."""

    start: int
    end: int


# A sentence ends at . ! ? or a line break, unless the period closes a single letter
# ("Jordan Q.") or a title ("Ms."). A semicolon joins clauses about the same thing.
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")
_NOT_AN_END = re.compile(r"(?:(?<![^\W_])[^\W\d_]|\b(?:mr|mrs|ms|dr|st|mt|jr|sr|vs))\.$")
# Characters looked back at for an abbreviation before a period ("mrs." is the longest).
_LONGEST_ABBREVIATION = 4


def sentences(folded: str) -> list[Sentence]:
    """The sentences of an already folded text; every character belongs to exactly one."""
    found: list[Sentence] = []
    start = 0
    for end in _SENTENCE_END.finditer(folded):
        period = end.start() + 1
        if end.group().startswith(".") and _NOT_AN_END.search(
            folded, max(0, period - _LONGEST_ABBREVIATION), period
        ):
            continue
        found.append(Sentence(start, end.end()))
        start = end.end()
    if start < len(folded) or not found:
        found.append(Sentence(start, len(folded)))
    return found


# North American numbers (with or without +1 and area code, any of - . space as
# separators) and other numbers written with a leading +country code. Seven digits
# need a separator, so "5552014" in an order number is not a phone.
PHONE_PATTERN = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}"
    r"|\d{3}[\s.-]\d{4}"
    r"|\+\d{1,3}(?:[\s.-]?\d{2,4}){3,4}"
    r")(?![\w])"
)
EMAIL_PATTERN = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# The leading digits of a phone number kept visible when it is masked.
_PHONE_VISIBLE_HEAD = 3
_PHONE_VISIBLE_TAIL = 2
# Digits of a North American number without its country code; any more are the country's.
_NANP_DIGITS = 10


def mask_phone(number: str) -> str:
    """The number with all digits but the area code and the last two starred: 555-***-**67."""
    digit_positions = [i for i, char in enumerate(number) if char.isdigit()]
    country = max(0, len(digit_positions) - _NANP_DIGITS)
    keep = set(digit_positions[: country + _PHONE_VISIBLE_HEAD])
    keep.update(digit_positions[-_PHONE_VISIBLE_TAIL:])
    return "".join(
        "*" if char.isdigit() and i not in keep else char for i, char in enumerate(number)
    )


def mask_email(address: str) -> str:
    """The address with its mailbox starred but its first letter: d***@gmail.com."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def email_domain(address: str) -> str:
    """The lower-cased domain of an email address ("" when it has none)."""
    return address.rpartition("@")[2].lower() if "@" in address else ""
