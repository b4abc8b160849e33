"""One normalisation of hostile text for detection and redaction, with offsets back to the original.

What a student sees is what the rules read: invisible format characters (zero-width
spaces and joiners, soft hyphens, bidi controls, variation selectors) are dropped and
look-alike letters (Cyrillic "a" U+0430, fullwidth and mathematical letters) become their Latin
skeleton, from the Unicode UTS #39 confusables table shipped by `confusable-homoglyphs`.
Every character of the result remembers where it came from, so evidence and display
quote the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from confusable_homoglyphs import confusables

from classifiers.text_match import fold

__all__ = ["Normalised", "Squeezed", "normalise", "squeeze"]

# Invisible characters that are not of category Cf: the combining grapheme joiner,
# Hangul fillers, the Mongolian vowel separator and the variation selectors (Mn).
_INVISIBLE_EXTRA = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
    + "".join(chr(c) for c in range(0xE0100, 0xE01F0))
)


@lru_cache(maxsize=1)
def _skeletons() -> dict[str, str]:
    """Non-ASCII character -> the one ASCII letter or digit it is confusable with (UTS #39)."""
    table: dict[str, str] = {}
    for char, homoglyphs in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        targets = [h["c"] for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii()]
        # A letter before a digit: Cyrillic capital O (U+041E) reads as "O" in words, not as zero.
        targets = [t for t in targets if t.isalpha()] or [t for t in targets if t.isdigit()]
        if targets:
            table[char] = targets[0]
    return table


@lru_cache(maxsize=8192)
def _visible_char(char: str) -> str:
    """What one character looks like: "" when invisible, else its Latin skeleton or itself."""
    if char in _INVISIBLE_EXTRA or unicodedata.category(char) == "Cf":
        return ""
    skeleton = _skeletons().get(char)
    if skeleton is not None:
        return skeleton
    # Compatibility forms (fullwidth, mathematical letters) that the table leaves out.
    compat = unicodedata.normalize("NFKC", char)
    if len(compat) == 1 and compat.isascii() and compat.isalnum():
        return compat
    return char


@dataclass(frozen=True, slots=True)
class Normalised:
    """A text as it reads: `visible` (case kept) and `folded`, with offsets into `original`."""

    original: str
    visible: str
    folded: str
    # origin[i]: index in `original` of visible[i]; None when the two are the same text.
    origin: tuple[int, ...] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The [start, end) of `original` that visible[start:end] came from."""
        if self.origin is None or start >= end:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1

    def quote(self, start: int, end: int) -> str:
        """The original words behind visible[start:end], invisible characters and all."""
        first, last = self.span(start, end)
        return self.original[first:last]


class _VisibleTable(dict[int, int | str | None]):
    """A str.translate table filled on first sight of each code point: the C loop of
    translate does the work, Python runs once per distinct character."""

    def __missing__(self, code: int) -> int | str | None:
        char = chr(code)
        seen = char if char.isascii() else _visible_char(char)
        value: int | str | None = None if not seen else (code if seen == char else seen)
        self[code] = value
        return value


_VISIBLE = _VisibleTable()


@lru_cache(maxsize=256)
def normalise(text: str) -> Normalised:
    """`text` with invisible characters dropped and look-alike letters made Latin.

    Cached: the rules of one detect step normalise the same post text several times.
    """
    if text.isascii():
        return Normalised(text, text, fold(text), None)
    visible = text.translate(_VISIBLE)
    if len(visible) == len(text):
        # Nothing dropped (letters at most replaced one for one): the offsets are the same.
        return Normalised(text, visible, fold(visible), None)
    origin = tuple(index for index, char in enumerate(text) if _VISIBLE[ord(char)] is not None)
    return Normalised(text, visible, fold(visible), origin)


# Letters a word writes as digits or symbols ("sn4p", "d1scord", "wh@tsapp").
_LEET = str.maketrans(
    {"4": "a", "@": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t", "$": "s"}
)
# A word that mixes letters with leet digits: only these are read as letters, so a phone
# number or "grade 10" keeps its digits.
_LEET_WORD = re.compile(
    r"(?<![\w@$.])(?=[\w@$]*[a-z])(?=[\w@$]*[4@31057$])[a-z0-9][a-z0-9@$]*(?![\w@$])"
)
# Single letters spelled out with separators: "d m", "D.M.", "s n a p", "s-n-a-p".
_SPELLED = re.compile(r"(?<![^\W_])[a-z](?:[ .*_\-]{1,2}[a-z]){1,9}(?![^\W_])\.?")
_SEPARATORS = re.compile(r"[^a-z]")


@dataclass(frozen=True, slots=True)
class Squeezed:
    """Folded text with spelled-out letters joined and leet digits read as letters."""

    text: str
    # origin[i]: index in the folded text of text[i].
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The [start, end) of the folded text that text[start:end] came from."""
        if start >= end:
            return start, start
        return self.origin[start], self.origin[end - 1] + 1


def squeeze(folded: str) -> Squeezed | None:
    """The evasive spellings of a folded text undone, or None when it has none (most texts).

    For the rules that need it (invitations to a channel): "d m me" -> "dm me",
    "s.n.a.p" -> "snap", "sn4p" -> "snap". Other rules read the folded text as is.
    """
    spelled = [m for m in _SPELLED.finditer(folded) if _spelled_out(m.group())]
    leet = list(_LEET_WORD.finditer(folded))
    if not spelled and not leet:
        return None
    replaced = {m.start(): (m.end(), _joined(m.group())) for m in spelled}
    for m in leet:
        replaced.setdefault(m.start(), (m.end(), m.group().translate(_LEET)))
    out: list[str] = []
    origin: list[int] = []
    cursor = 0
    for start in sorted(replaced):
        if start < cursor:
            continue
        end, word = replaced[start]
        out.append(folded[cursor:start])
        origin.extend(range(cursor, start))
        out.append(word)
        # Each letter of the joined word points at the character it was spelled with.
        letters = [i for i in range(start, end) if folded[i].isalnum() or folded[i] in "@$"]
        origin.extend(letters[: len(word)] + [end - 1] * (len(word) - len(letters)))
        cursor = end
    out.append(folded[cursor:])
    origin.extend(range(cursor, len(folded)))
    return Squeezed("".join(out), tuple(origin))


def _joined(run: str) -> str:
    """The letters of a spelled-out run; a leading "a" or "i" of four letters or more is
    the article or pronoun before the word ("a s n a p" -> "a snap")."""
    letters = _SEPARATORS.sub("", run)
    if len(letters) >= _ARTICLE_RUN and letters[0] in "ai":
        return f"{letters[0]} {letters[1:]}"
    return letters


# Spelled-out runs this long that start with "a" or "i" keep that word apart.
_ARTICLE_RUN = 4


def _spelled_out(run: str) -> bool:
    """Whether a run of single letters is a word spelled out, not an ordinary "a b" pair."""
    letters = _SEPARATORS.sub("", run)
    # "d m" and "d.m." are spelled-out words; so is any run of three letters or more.
    return len(letters) >= 3 or letters in _SHORT_SPELLED


_SHORT_SPELLED = frozenset({"dm", "pm", "ig", "fb"})
