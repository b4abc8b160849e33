"""Rule student_confidentiality: a staff post naming a current student with confidential facts.

Decisions:
- A student is identified by the forms classifiers/student_names.py documents (full
  name, nickname form, given name and family initial, @handle of a student account),
  or, in a public post, by being the account the post replies to or mentions.
  A private message is not a disclosure about the students it is sent to (or about
  the children of the parent it is sent to); it still is about anyone else it names.
- A confidential term counts for a student named in the same sentence, or in the
  sentence before when this one refers back ("Please be patient with X. He has
  ADHD."); for an addressed student, anywhere in the post.
- Praise is not confidential: "honor roll", "A+", winning are not terms at all, and the
  weak grade terms (a score, a GPA, a B or C) are dropped when the post praises
  ("congrats", "proud", "great job"...). Strong terms (failing, an F, detention,
  health, IEP, family) stand even in praise: "overcame her asthma" still discloses.
- A term about a topic or about other people is not about the named student:
  "tutor for students who are failing", "an assembly on anxiety", "ADHD awareness".
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.confidential_terms import (
    COMPOUND_AFTER,
    COMPOUND_BEFORE,
    FAILING_LETTERS,
    LETTER_GRADE,
    OWNERS,
    PRAISE,
    REFERRING,
    SPORTS,
    TERMS,
    TOPIC_AFTER,
    TOPIC_BEFORE,
    WEATHER_STOP,
    Category,
)
from classifiers.finding import Finding, Severity
from classifiers.normalise import normalise
from classifiers.participants import Relation, display_name, staff_author, student_counterparts
from classifiers.rule import RuleAbout
from classifiers.student_names import NameMention, StudentNameIndex, student_name_index
from classifiers.text_match import Sentence, sentences, tokens
from ingest.post import Post, Visibility
from policy.context import DistrictContext

RULE = "student_confidentiality"
POLICY_LINE = (
    "staff never post a student's confidential information (grades and test results, "
    "discipline, health, IEP/504 and special education, family and home details) "
    "where the student can be identified"
)
ABOUT = RuleAbout(
    checks=(
        "names or identifies a current student together with grades, discipline, health, IEP/504 "
        "or family details"
    ),
    severity="high",
    policy=POLICY_LINE,
)
# How a student counts as identified when the post is addressed to their account.
ADDRESSED = "addressed_account"


_CATEGORY_WORDS = {
    Category.GRADES: "grades or test results",
    Category.DISCIPLINE: "discipline",
    Category.HEALTH: "health information",
    Category.SPECIAL_EDUCATION: "IEP/504 or special education information",
    Category.FAMILY: "family or home details",
}


# A term this close after one of these words is about a topic or other people (words).
_TOPIC_WINDOW = 5
# Context looked at around a term, bounded so a huge post stays linear (characters).
_CONTEXT_CHARS = 80
_REFERRING_WINDOW = 4
# Evidence quotes at most this much of one matched term (characters), and so many terms.
_TERM_CHARS = 40
_TERMS_PER_CATEGORY = 10


@dataclass(frozen=True, slots=True)
class _Hit:
    category: Category
    term: str
    start: int
    weak: bool


def _is_topic(folded: str, sentence: Sentence, start: int, end: int) -> bool:
    """Whether the term at [start, end) is about a topic or about other people."""
    if COMPOUND_BEFORE.search(folded, max(0, start - 5), start) or COMPOUND_AFTER.match(
        folded, end
    ):
        return True
    window = folded[max(sentence.start, start - _CONTEXT_CHARS) : start]
    before = [t.text for t in tokens(window)][-_TOPIC_WINDOW:]
    for i, word in enumerate(before):
        if word in TOPIC_BEFORE and not OWNERS.intersection(before[i + 1 :]):
            return True
    after = tokens(folded[end : min(sentence.end, end + _CONTEXT_CHARS)])[:1]
    return any(token.text in TOPIC_AFTER for token in after)


def _around(folded: str, sentence: Sentence, start: int, end: int) -> str:
    """The term's sentence, cut to a bounded window around the term."""
    return folded[
        max(sentence.start, start - _CONTEXT_CHARS) : min(sentence.end, end + _CONTEXT_CHARS)
    ]


def _hits(text: str, folded: str, spans: list[Sentence]) -> list[tuple[int, _Hit]]:
    """Confidential terms of the post, each with the index of its sentence."""
    ends = [span.end for span in spans]
    found: list[tuple[int, _Hit]] = []

    def add(category: Category, term: str, start: int, end: int, weak: bool) -> None:
        index = _sentence_of(ends, start)
        if not _is_topic(folded, spans[index], start, end):
            found.append((index, _Hit(category, term, start, weak)))

    for terms in TERMS:
        for match in terms.pattern.finditer(folded):
            span = spans[_sentence_of(ends, match.start())]
            around = _around(folded, span, match.start(), match.end())
            if match.group().startswith("scored") and SPORTS.search(around):
                continue
            if "suspen" in match.group() and WEATHER_STOP.search(around):
                continue
            term = terms.label or " ".join(match.group().split())[:_TERM_CHARS]
            add(terms.category, term, match.start(), match.end(), terms.weak)
    for match in LETTER_GRADE.finditer(folded):
        letter = match.group(1)
        if text[match.start(1)].isupper():
            weak = letter not in FAILING_LETTERS
            add(Category.GRADES, f"letter grade {letter.upper()}", match.start(), match.end(), weak)
    return found


def _sentence_of(ends: list[int], offset: int) -> int:
    """The index of the sentence holding `offset`, given the sentences' end offsets."""
    return min(bisect_right(ends, offset), len(ends) - 1)


def _refers_back(folded: str, sentence: Sentence) -> bool:
    window = folded[sentence.start : min(sentence.end, sentence.start + _CONTEXT_CHARS)]
    words = tokens(window)[:_REFERRING_WINDOW]
    return any(word.text in REFERRING for word in words)


def _linked(
    mentions: tuple[NameMention, ...],
    addressed: tuple[str, ...],
    hits: list[tuple[int, _Hit]],
    folded: str,
    spans: list[Sentence],
) -> tuple[dict[str, list[str]], list[_Hit]]:
    """The identified students (with how each was identified) and the terms about them."""
    with_hits = {index for index, _ in hits}
    ends = [span.end for span in spans]
    kinds: dict[str, list[str]] = {}
    about: set[int] = set()
    if with_hits:
        for student_id in addressed:
            kinds[student_id] = [ADDRESSED]
        about = set(with_hits) if addressed else about
    for mention in mentions:
        home = _sentence_of(ends, mention.start)
        near = {home} & with_hits
        if home + 1 in with_hits and _refers_back(folded, spans[home + 1]):
            near.add(home + 1)
        if near:
            about |= near
            kinds.setdefault(mention.student_id, [])
    for mention in mentions:
        found = kinds.get(mention.student_id)
        if found is not None and mention.kind.value not in found:
            found.append(mention.kind.value)
    return kinds, [hit for index, hit in hits if index in about]


def _summary(staff_name: str, platform: str, categories: list[Category], students: int) -> str:
    words = [_CATEGORY_WORDS[c] for c in categories]
    what = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    whom = "an identified student" if students == 1 else f"{students} identified students"
    return (
        f"{staff_name} posted {what} about {whom} on {platform}, "
        f"breaking the policy line: {POLICY_LINE}."
    )


def detect_student_confidentiality(
    post: Post, context: DistrictContext, names: StudentNameIndex | None = None
) -> Sequence[Finding]:
    """Raise when a staff post identifies a current student together with confidential facts.

    `names` is the district's StudentNameIndex; by default the one cached for `context`.
    """
    staff = staff_author(post, context)
    if staff is None or not post.text:
        return ()
    counterparts = student_counterparts(post, context)
    private_to: set[str] = set()
    addressed: tuple[str, ...] = ()
    if post.visibility is Visibility.PRIVATE:
        private_to = {sid for c in counterparts for sid in c.student_ids}
    else:
        addressed = tuple(
            dict.fromkeys(c.person_id for c in counterparts if c.relation is Relation.STUDENT)
        )
    # What a reader sees: invisible characters dropped, look-alike letters made Latin.
    seen = normalise(post.text)
    text, folded = seen.visible, seen.folded
    index = names if names is not None else student_name_index(context)
    mentions = tuple(m for m in index.find(text, folded) if m.student_id not in private_to)
    if not mentions and not addressed:
        return ()
    spans = sentences(folded)
    hits = _hits(text, folded, spans)
    if hits and PRAISE.search(folded):
        hits = [(index_, hit) for index_, hit in hits if not hit.weak]
    kinds, all_hits = _linked(mentions, addressed, hits, folded, spans)
    if not kinds:
        return ()
    categories = sorted({hit.category for hit in all_hits}, key=list(Category).index)
    terms = {
        category.value: sorted({hit.term for hit in all_hits if hit.category is category})[
            :_TERMS_PER_CATEGORY
        ]
        for category in categories
    }
    evidence = {
        "policy": POLICY_LINE,
        "identified_by": [
            {"student_id": sid, "kinds": sorted(found)} for sid, found in kinds.items()
        ],
        "categories": [category.value for category in categories],
        "terms": terms,
    }
    return (
        Finding(
            rule=RULE,
            severity=Severity.HIGH,
            staff_id=staff.sourced_id,
            summary=_summary(display_name(staff), post.platform, categories, len(kinds)),
            student_ids=tuple(kinds),
            building_id=context.building_of(staff.sourced_id),
            evidence=evidence,
        ),
    )
