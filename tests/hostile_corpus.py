"""Issue #19's hostile corpus: the compact tables of tests/data/hostile_table.json, expanded.

Each template marks one word with braces; every evasion of the table is applied to that
word ("{DM} me" -> "D\u200bM me", "Dм me"...), giving a case with its expected decision.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

TABLE = Path(__file__).resolve().parent / "data" / "hostile_table.json"

# Cyrillic letters that UTS #39 lists as confusable with these Latin ones.
_CYRILLIC = str.maketrans(
    "aeopcxyisdAEOPCXYIS",
    "\u0430\u0435\u043e\u0440\u0441\u0445\u0443\u0456\u0455\u0501\u0410\u0415\u041e\u0420\u0421\u0425\u0423\u0406\u0405",
)
_LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "A": "4", "E": "3", "O": "0"})


def _between(mark: str) -> Callable[[str], str]:
    return lambda word: mark.join(word)


def _shifted(upper: int, lower: int, digit: int | None = None) -> Callable[[str], str]:
    """Letters moved to another Unicode block of styled letters (fullwidth, mathematical)."""

    def shift(word: str) -> str:
        out = []
        for char in word:
            if "a" <= char <= "z":
                out.append(chr(lower + ord(char) - ord("a")))
            elif "A" <= char <= "Z":
                out.append(chr(upper + ord(char) - ord("A")))
            elif digit is not None and char.isdigit():
                out.append(chr(digit + ord(char) - ord("0")))
            else:
                out.append(char)
        return "".join(out)

    return shift


EVASIONS: dict[str, Callable[[str], str]] = {
    "plain": lambda word: word,
    "zwsp": _between("\u200b"),
    "zwnj": _between("\u200c"),
    "zwj": _between("\u200d"),
    "soft_hyphen": _between("\u00ad"),
    "word_joiner": _between("\u2060"),
    "invisible_separator": _between("\u2063"),
    "bidi_override": lambda word: f"\u202e{word}\u202c",
    "bidi_isolate": lambda word: f"\u2066{word}\u2069",
    "variation_selector": lambda word: "".join(f"{char}\ufe0f" for char in word),
    "bom": _between("\ufeff"),
    "cyrillic": lambda word: word.translate(_CYRILLIC),
    "fullwidth": _shifted(0xFF21, 0xFF41, 0xFF10),
    "math_bold": _shifted(0x1D400, 0x1D41A, 0x1D7CE),
    "math_sans": _shifted(0x1D5A0, 0x1D5BA, 0x1D7E2),
    "upper": str.upper,
    "mixed_case": lambda word: "".join(
        char.upper() if i % 2 else char.lower() for i, char in enumerate(word)
    ),
}
# Spellings that only the rules reading spelled-out and leet words undo (invitations).
SPELLED: dict[str, Callable[[str], str]] = {
    "spaced": _between(" "),
    "dotted": lambda word: ".".join(word) + ".",
    "dashed": _between("-"),
    "leet": lambda word: word.translate(_LEET),
}


@dataclass(frozen=True, slots=True)
class Case:
    """One hostile input and what must come of it."""

    id: str
    text: str
    expected: bool


@cache
def table() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TABLE.read_text(encoding="utf-8"))
    return data


def _apply(template: str, evasion: Callable[[str], str]) -> str:
    before, rest = template.split("{", 1)
    word, after = rest.split("}", 1)
    return before + evasion(word) + after


def _expanded(
    section: str, evasions: dict[str, Callable[[str], str]], expected: bool
) -> Iterator[Case]:
    for number, template in enumerate(table()[section]):
        for name, evasion in evasions.items():
            yield Case(f"{section}-{number}-{name}", _apply(template, evasion), expected)


def invitation_cases() -> list[Case]:
    """Invitations under every evasion, spelled-out ones included: each must be found."""
    return list(_expanded("invitations", EVASIONS | SPELLED, True))


def non_invitation_cases() -> list[Case]:
    """Negated invitations and ordinary words under every evasion: none is an invitation."""
    return list(_expanded("not_invitations", EVASIONS, False))


def confidential_cases() -> list[Case]:
    """A student named with a confidential fact, the name hidden: each must be found."""
    return list(_expanded("confidential", EVASIONS, True))


def quote_cases() -> list[Case]:
    """Quotes naming a student, the name or handle hidden: no mail may carry the name."""
    return list(_expanded("quotes", EVASIONS, True))


def html_cases() -> list[Case]:
    """Markup tricks on an HTML platform: whether the reader sees an invitation."""
    return [
        Case(f"html-{number}", text, expected)
        for number, (text, expected) in enumerate(table()["html_tricks"])
    ]


def plain_cases() -> list[Case]:
    """Tag-shaped text on a plain-text platform: whether the reader sees an invitation."""
    return [
        Case(f"plain-{number}", text, expected)
        for number, (text, expected) in enumerate(table()["plain_tricks"])
    ]


# Facebook's longest post (characters): the size every malformed input is built to.
MAX_POST_CHARS = 63_206


def malformed_inputs() -> list[Case]:
    """Huge, deep and malformed texts of about 63 KB: parsed without a crash, quickly."""
    return [
        Case(f"malformed-{number}", (piece * repeat)[:MAX_POST_CHARS], False)
        for number, (piece, repeat) in enumerate(table()["malformed"])
    ]
