"""Students out of a flag email's quote, tuned for recall: when unsure, the quote is withheld.

The detector's name index is tuned for precision (a finding must be right); a mail
must name no student even when the staff member wrote the name badly. So on the
normalised text (invisible characters dropped, look-alike letters made Latin):
- a current student's full name in any case, given then family or "Family, Given",
  with the family name misspelled by one letter when it has five letters or more;
- an initial and the family name ("J. Quill", "J Quill") or the given name and the
  family initial ("Jordan Q.");
- a given name alone, when the student is in the staff member's building;
- a student's handle, with or without "@";
and the quote is withheld altogether when a word is one letter away from a given name
of the building (five letters or more), or a word mixes Latin with other letters the
confusables table could not map: such a quote might still name someone.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extractOne

from alerts.mail.redaction import STUDENT_PLACEHOLDER, initials
from classifiers.normalise import normalise
from classifiers.text_match import Token, fold, tokens
from policy.context import DistrictContext
from policy.model import StudentNaming
from policy.roster import Person

__all__ = ["QUOTE_WITHHELD", "RecallIndex", "recall_index", "redact_for_mail"]

QUOTE_WITHHELD = "(quote withheld)"
# Names this short are too often other words or other names to match one letter off.
_MIN_FUZZY_LETTERS = 5
# A handle as written: word characters, dots and hyphens, with or without "@".
_HANDLE_WORD = re.compile(r"(?<![\w@.])@?([a-z0-9_][a-z0-9_.-]*[a-z0-9_]|[a-z0-9_])")
# Between an initial or a given name and the family name.
_GAP = re.compile(r"\.?\s{1,3}|\s*,\s*")


@dataclass(frozen=True, slots=True, eq=False)
class RecallIndex:
    """A district's current students as words: family and given names, handles, buildings."""

    family: Mapping[str, frozenset[str]]
    given: Mapping[str, frozenset[str]]
    handles: Mapping[str, str]
    building: Mapping[str, str | None]
    # Family names long enough to be matched one letter off.
    long_family: tuple[str, ...]
    # Given and family name written as one word ("jordanquill").
    glued: Mapping[str, frozenset[str]]
    # Each student's family name words.
    family_of: Mapping[str, tuple[str, ...]]


def _words(text: str) -> tuple[str, ...]:
    return tuple(token.text for token in tokens(fold(text)))


def _build(people: Iterable[Person], handles: Iterable[tuple[str, str]],
           building_of: Callable[[str], str | None]) -> RecallIndex:  # fmt: skip
    family: defaultdict[str, set[str]] = defaultdict(set)
    given: defaultdict[str, set[str]] = defaultdict(set)
    building: dict[str, str | None] = {}
    glued: defaultdict[str, set[str]] = defaultdict(set)
    family_of: dict[str, tuple[str, ...]] = {}
    for person in people:
        if not (person.is_student and person.is_current):
            continue
        building[person.sourced_id] = building_of(person.sourced_id)
        family_of[person.sourced_id] = _words(person.family_name)
        for word in family_of[person.sourced_id]:
            family[word].add(person.sourced_id)
        for word in _words(person.given_name):
            given[word].add(person.sourced_id)
        glued["".join(_words(person.given_name) + _words(person.family_name))].add(
            person.sourced_id
        )
    handle_owners = {
        fold(normalise(handle).visible).lstrip("@"): owner
        for handle, owner in handles
        if owner in building and " " not in handle.strip()
    }
    return RecallIndex(
        family={word: frozenset(ids) for word, ids in family.items()},
        given={word: frozenset(ids) for word, ids in given.items()},
        handles=handle_owners,
        building=building,
        long_family=tuple(sorted(w for w in family if len(w) >= _MIN_FUZZY_LETTERS)),
        glued={word: frozenset(ids) for word, ids in glued.items()},
        family_of=family_of,
    )


# Districts whose index is kept: one per district a mailer serves, plus reloads.
@lru_cache(maxsize=8)
def recall_index(context: DistrictContext) -> RecallIndex:
    """The district's recall index, built once per loaded district."""
    accounts = ((a.handle, a.owner_id) for a in context.data.accounts if a.handle)
    return _build(context.data.people, accounts, context.building_of)


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    student_ids: frozenset[str]


def _family_ids(index: RecallIndex, word: str) -> frozenset[str]:
    """Students whose family name is `word`, or one letter off it (five letters or more)."""
    exact = index.family.get(word)
    # One letter off a name of five letters or more: the word has four at least.
    if exact is not None or len(word) < _MIN_FUZZY_LETTERS - 1 or not index.long_family:
        return exact or frozenset()
    found = extractOne(word, index.long_family, scorer=Levenshtein.distance, score_cutoff=1)
    return index.family[found[0]] if found is not None else frozenset()


def _name_spans(index: RecallIndex, folded: str, words: list[Token]) -> list[_Span]:
    """Full names, initial forms and reversed names: pairs of words naming one student."""
    found = [
        _Span(word.start, word.end, index.glued[word.text])
        for word in words
        if word.text in index.glued
    ]
    for first, second in pairwise(words):
        if not _GAP.fullmatch(folded[first.end : second.start]):
            continue
        if len(second.text) == 1 and len(first.text) > 1:  # "Jordan Q."
            ids = frozenset(
                sid
                for sid in index.given.get(first.text, frozenset())
                if any(name.startswith(second.text) for name in index.family_of[sid])
            )
            if ids:
                end = second.end + (1 if folded[second.end : second.end + 1] == "." else 0)
                found.append(_Span(first.start, end, ids))
                continue
        for given, family in ((first, second), (second, first)):
            ids = _family_ids(index, family.text)
            if not ids:
                continue
            matched = _given_matches(index, given.text, ids)
            if matched:
                end = second.end + (1 if folded[second.end : second.end + 1] == "." else 0)
                found.append(_Span(first.start, end, matched))
                break
    return found


def _given_matches(index: RecallIndex, word: str, family_ids: frozenset[str]) -> frozenset[str]:
    """The students of `family_ids` whose given name is `word` or starts with the initial `word`."""
    if len(word) == 1:
        return frozenset(
            sid for name, ids in index.given.items() if name.startswith(word)
            for sid in ids & family_ids
        )  # fmt: skip
    return index.given.get(word, frozenset()) & family_ids


def _alone_spans(
    index: RecallIndex, visible: str, words: list[Token], building: str | None, lower: bool
) -> tuple[list[_Span], bool]:
    """Given names alone of the building's students, and whether a near miss makes it unsure."""
    found: list[_Span] = []
    unsure = False
    local, long_local = _building_given(index, building)
    for word in words:
        # A capital anywhere: "jOrDaN" is written as a name, not as an ordinary word.
        capital = not visible[word.start : word.end].islower()
        if not (capital or lower):
            continue
        ids = local.get(word.text)
        if ids:
            found.append(_Span(word.start, word.end, ids))
        elif capital and len(word.text) >= _MIN_FUZZY_LETTERS and long_local:
            near = extractOne(word.text, long_local, scorer=Levenshtein.distance, score_cutoff=1)
            unsure = unsure or near is not None
    return found, unsure


@lru_cache(maxsize=64)
def _building_given(
    index: RecallIndex, building: str | None
) -> tuple[Mapping[str, frozenset[str]], tuple[str, ...]]:
    """The given names of one building's students, and those long enough to match one off."""
    local = {
        name: ids_here
        for name, ids in index.given.items()
        if (ids_here := frozenset(i for i in ids if index.building.get(i) == building))
    }
    return local, tuple(name for name in local if len(name) >= _MIN_FUZZY_LETTERS)


def _handle_spans(index: RecallIndex, folded: str) -> list[_Span]:
    found = []
    for match in _HANDLE_WORD.finditer(folded):
        owner = index.handles.get(match.group(1))
        if owner is not None:
            found.append(_Span(match.start(), match.end(), frozenset({owner})))
    return found


def _mixed_script(visible: str, words: list[Token]) -> bool:
    """Whether a word mixes Latin letters with letters no look-alike table could map."""
    for word in words:
        text = visible[word.start : word.end]
        if text.isascii():
            continue
        others = [c for c in text if c.isalpha() and not c.isascii()]
        if any(c.isascii() and c.isalpha() for c in text) and any(
            not unicodedata.name(c, "").startswith("LATIN") for c in others
        ):
            return True
    return False


def redact_for_mail(
    text: str,
    context: DistrictContext,
    building_id: str | None,
    naming: StudentNaming,
    index: RecallIndex | None = None,
) -> str:
    """`text` with every student named or handled replaced, or QUOTE_WITHHELD when unsure.

    `building_id` is the staff member's building: given names alone count there.
    """
    if not text:
        return text
    index = index if index is not None else recall_index(context)
    seen = normalise(text)
    words = tokens(seen.folded)
    if _mixed_script(seen.visible, words):
        return QUOTE_WITHHELD
    lower = not any(c.isupper() for c in seen.visible)
    alone, unsure = _alone_spans(index, seen.visible, words, building_id, lower)
    if unsure:
        return QUOTE_WITHHELD
    spans = _name_spans(index, seen.folded, words) + _handle_spans(index, seen.folded) + alone
    return _replaced(seen.original, [(*seen.span(s.start, s.end), s.student_ids) for s in spans],
                     naming, context.person)  # fmt: skip


def _replaced(
    original: str,
    spans: list[tuple[int, int, frozenset[str]]],
    naming: StudentNaming,
    person: Callable[[str], Person | None],
) -> str:
    """`original` with each span replaced (the earliest and longest wins an overlap)."""
    pieces: list[str] = []
    cursor = 0
    for start, end, ids in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < cursor:
            continue
        pieces.append(original[cursor:start])
        if naming is StudentNaming.INITIALS and len(ids) == 1:
            pieces.append(initials(person(next(iter(ids)))))
        else:
            pieces.append(STUDENT_PLACEHOLDER)
        cursor = end
    pieces.append(original[cursor:])
    return "".join(pieces)
