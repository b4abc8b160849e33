"""Student names and handles out of a staff member's quoted words: `[student]` or initials.

Pure: a text, the district's StudentNameIndex and roster go in, a text comes out.
Which mentions count (full names, nickname forms, "Jordan Q.", a student's @handle)
is decided once, in `classifiers.student_names`; this module only replaces them.
"""

from __future__ import annotations

from collections.abc import Callable

from classifiers.student_names import NameMention, StudentNameIndex
from policy.model import StudentNaming
from policy.roster import Person

# What replaces a student's name or handle under the default (FERPA) setting.
STUDENT_PLACEHOLDER = "[student]"


def initials(person: Person | None) -> str:
    """ "J. Q." for Jordan Quill; the placeholder when the roster has no usable name."""
    if person is None:
        return STUDENT_PLACEHOLDER
    letters = [part[0].upper() for part in (person.given_name, person.family_name) if part]
    if not letters:
        return STUDENT_PLACEHOLDER
    return " ".join(f"{letter}." for letter in letters)


def _merged(mentions: tuple[NameMention, ...]) -> list[tuple[int, int, str]]:
    """Mentions as non-overlapping (start, end, student_id) spans, earliest and longest first."""
    spans: list[tuple[int, int, str]] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end, m.student_id)):
        if spans and mention.start < spans[-1][1]:
            start, end, student = spans[-1]
            spans[-1] = (start, max(end, mention.end), student)
            continue
        spans.append((mention.start, mention.end, mention.student_id))
    return spans


def redact_students(
    text: str,
    names: StudentNameIndex,
    naming: StudentNaming,
    person: Callable[[str], Person | None],
) -> str:
    """`text` with every current student's name and handle replaced.

    `naming` NONE gives `[student]`; INITIALS gives the student's initials, looked up
    with `person` (the roster by sourcedId).
    """
    if not text:
        return text
    pieces: list[str] = []
    cursor = 0
    for start, end, student_id in _merged(names.find(text)):
        pieces.append(text[cursor:start])
        if naming is StudentNaming.INITIALS:
            pieces.append(initials(person(student_id)))
        else:
            pieces.append(STUDENT_PLACEHOLDER)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
