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

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from classifiers.finding import Finding, Severity
from classifiers.participants import Relation, display_name, staff_author, student_counterparts
from classifiers.student_names import NameMention, StudentNameIndex, student_name_index
from classifiers.text_match import Sentence, compile_terms, fold, sentences, tokens
from ingest.post import Post, Visibility
from policy.context import DistrictContext

RULE = "student_confidentiality"
POLICY_LINE = (
    "staff never post a student's confidential information (grades and test results, "
    "discipline, health, IEP/504 and special education, family and home details) "
    "where the student can be identified"
)
# How a student counts as identified when the post is addressed to their account.
ADDRESSED = "addressed_account"


class Category(StrEnum):
    GRADES = "grades"
    DISCIPLINE = "discipline"
    HEALTH = "health"
    SPECIAL_EDUCATION = "special_education"
    FAMILY = "family"


_CATEGORY_WORDS = {
    Category.GRADES: "grades or test results",
    Category.DISCIPLINE: "discipline",
    Category.HEALTH: "health information",
    Category.SPECIAL_EDUCATION: "IEP/504 or special education information",
    Category.FAMILY: "family or home details",
}


@dataclass(frozen=True, slots=True)
class _Terms:
    category: Category
    pattern: re.Pattern[str]
    # Weak terms are results a post may be praising (a score, a GPA, a B).
    weak: bool = False
    # Reported in evidence instead of the matched words, when those are the secret itself.
    label: str | None = None


_SUBJECT = (
    r"(?:test|tests|quiz|quizzes|exam|exams|final|finals|midterm|class|classes|course|semester|"
    r"grade|year|subject|assessment|math|english|science|history|spanish|french|reading|"
    r"writing|chemistry|biology|physics|algebra|geometry|calculus)"
)
_SPORTS_UNITS = (
    r"points|pts|goals|runs|touchdowns|tds|baskets|rebounds|assists|strikeouts|yards|saves|"
    r"laps|kills|aces|blocks|tackles|three-pointers|free throws"
)
# A test score: "42", "61%", "2/10".
_SCORE = r"\d{1,3}(?:\.\d+)?(?:\s*(?:%|percent)|\s*/\s*\d{1,3})?"
_RELATIVE = r"(?:dad|mom|father|mother|parents?|brother|sister|step(?:dad|mom|father|mother)|uncle)"

_TERMS: tuple[_Terms, ...] = (
    _Terms(
        Category.GRADES,
        compile_terms(
            [
                r"failing(?!\s+to\b)",
                rf"fail(?:ed|s)\s+(?!to\b)(?:[\w'-]+\s+){{0,4}}?{_SUBJECT}",
                r"flunk\w*",
                r"did\s*n[o']?t\s+pass",
                rf"bombed\s+(?:[\w'-]+\s+){{0,2}}?{_SUBJECT}",
                r"below\s+grade\s+level",
                r"(?:reads|reading)\s+(?:at|on)\s+(?:an?\s+)?\d+(?:st|nd|rd|th)\s+grade\s+level",
                r"academic(?:ally)?\s+(?:probation|ineligible)",
                r"ineligible",
                r"held\s+back",
                r"repeat\w*\s+(?:the\s+|a\s+)?(?:\d+(?:st|nd|rd|th)\s+)?grade",
                r"missing\s+\d+\s+assignments",
                r"(?:gpa|grades?)\s+(?:is\s+|are\s+|was\s+|were\s+|keeps?\s+|has\s+been\s+)?"
                r"(?:too\s+|really\s+|so\s+)?(?:low|dropp\w+|slipp\w+|falling|fell|tank\w+|poor)",
            ]
        ),
    ),
    _Terms(
        Category.GRADES,
        compile_terms(
            [
                rf"scored\s+(?:an?\s+)?\d{{1,4}}(?:\.\d+)?(?:\s*(?:%|percent))?(?!\s*(?:{_SPORTS_UNITS}))",
                r"(?:test|quiz|exam|sat|act|psat|final|midterm|assessment)\s+scores?\s+"
                r"(?:[\w'-]+\s+){0,3}?\d{1,4}",
                r"\d{2,4}\s+on\s+the\s+(?:sat|act|psat)",
                rf"(?:got|gets|getting|has|have|had|with|earned|received)\s+an?\s+{_SCORE}\s+"
                r"(?:on|in)(?=\s)",
                rf"{_SCORE}\s+on\s+(?:[\w'-]+\s+){{0,3}}?(?:test|quiz|exam|final|midterm|"
                r"assessment|essay|project|lab|paper|homework)",
                r"\d{1,3}(?:\.\d+)?\s*(?:%|percent)?\s+average",
                r"gpa\W+(?:[\w'-]+\W+){0,3}?\d(?:\.\d{1,2})?",
                r"\d\.\d{1,2}\s+gpa",
            ]
        ),
        weak=True,
    ),
    _Terms(
        Category.DISCIPLINE,
        compile_terms(
            [
                r"detentions?",
                r"(?:in-school\s+)?suspen(?:ded|sion|sions|d)(?!\s+bridge)",
                r"iss|oss",
                r"sent\s+home",
                r"behaviou?r\s+contract",
                r"referrals?",
                r"probation",
                r"shoplift\w*|stole|stealing|theft",
                r"court\s+date|juvenile\s+(?:court|detention|hall)",
                r"kicked\s+(?:off|out\s+of)\s+(?:the\s+)?(?:team|class|school|bus)",
                r"expel\w*|expulsion",
                r"(?:discipline|disciplinary|office|behaviou?r)\s+referrals?|referrals?\s+for",
                r"referred\s+to\s+the\s+(?:office|principal|dean)",
                r"sent\s+to\s+the\s+(?:office|principal|dean)(?!\s+to\s+(?:pick|get|collect|"
                r"receive|grab|deliver|help))",
                r"saturday\s+school",
                r"written\s+up|write-?ups?",
                r"caught\s+(?:cheating|vaping|smoking|stealing|fighting|skipping|with)",
                r"cheat(?:ing|ed)",
                r"plagiari\w+",
                r"vandal\w+",
                r"arrest\w*",
                r"(?:in|after|into|started)\s+(?:a|the)\s+fight|fighting",
                r"truan\w+",
                r"unexcused\s+absences?",
                r"skipp(?:ing|ed)\s+(?:class|school)",
                r"vaping",
                r"banned\s+from\s+(?:the\s+)?(?:dance|prom|bus|field\s+trip|trip|games?|campus|"
                r"school|events?)",
            ]
        ),
    ),
    _Terms(
        Category.HEALTH,
        compile_terms(
            [
                r"diagnos(?:ed|is|es)",
                r"medications?|meds",
                r"allerg(?:y|ies|ic)",
                r"adhd",
                r"autis(?:m|tic)",
                r"asperger\w*",
                r"asthma\w*",
                r"inhalers?",
                r"seizures?",
                r"epilep\w+",
                r"diabet\w+",
                r"insulin",
                r"therap(?:y|ist|ies)",
                r"(?:seeing|sees|saw|visits?|visiting|meets?\s+with|meeting\s+with|met\s+with)\s+"
                r"(?:the\s+|a\s+|his\s+|her\s+|their\s+)?(?:school\s+)?counse(?:l)?lor",
                r"counse(?:l)?ling\s+(?:sessions?|appointments?)",
                r"(?<!great\s)depress(?:ion|ed)",
                r"anxiety|panic\s+attacks?",
                r"ocd|ptsd|bipolar|schizo\w+|psychiatric|baker\s+act\w*",
                r"(?:anti)?depressants?|adderall|ritalin|prozac|zoloft|lexapro|epi-?pens?",
                r"blood\s+sugar|dialysis|pneumonia|migraines?|the\s+flu|the\s+er|emergency\s+room",
                r"sober|sobriety|relaps\w+|addict\w*|overdos\w+",
                r"cutting\s+(?:again|herself|himself|themselves)",
                r"eating\s+disorder",
                r"anorexi\w+|bulimi\w+",
                r"pregnan\w+",
                r"in\s+the\s+hospital|hospitali[sz]ed",
                r"surgery",
                r"concussion",
                r"injur(?:y|ies|ed)",
                r"broke\s+(?:his|her|their|a)\s+(?:arm|leg|wrist|ankle|foot|hand|collarbone)",
                r"cancer|chemo\w*|leukemia",
                r"mental\s+health",
                r"self-harm\w*",
                r"suicid\w+",
                r"rehab",
                r"(?:head\s+)?lice",
                r"covid(?:-19)?",
                r"tested\s+positive",
                r"sent\s+to\s+the\s+nurse",
                r"fainted|passed\s+out",
                r"(?:out\s+with|has|had)\s+mono|mononucleosis",
            ]
        ),
    ),
    _Terms(
        Category.SPECIAL_EDUCATION,
        compile_terms(
            [
                r"ieps?",
                r"504\s+(?:plans?|accommodations?|meeting|team)|section\s+504|"
                r"(?:a|his|her|their|your)\s+504",
                r"(?<!hotel\s)(?<!travel\s)(?<!lodging\s)accommodations?",
                r"special\s+ed(?:ucation)?",
                r"sped\s+(?:teacher|class\w*|services|program|inclusion|room)|in\s+sped",
                r"resource\s+room",
                r"learning\s+disabilit(?:y|ies)",
                r"dyslex\w+",
                r"speech\s+(?:therapy|services|class|and\s+language)",
                r"(?:goes|go|went|pulled)\s+(?:out\s+)?(?:to|for)\s+speech",
                r"extended\s+time",
                r"modified\s+(?:assignments|tests|work|curriculum|grading)",
                r"behaviou?r(?:al)?\s+(?:intervention\s+)?plan",
                r"inclusion\s+class(?:room)?",
                r"pull-?out\s+services|pulled\s+out\s+for",
                r"case\s+manager",
            ]
        ),
    ),
    _Terms(
        Category.FAMILY,
        compile_terms(
            [
                r"divorc\w+",
                r"custody",
                r"foster\s+(?:care|homes?|family|families|parents?|mom|dad|mother|father|"
                r"placement|kid|child)",
                r"homeless\w*",
                r"evict\w+",
                r"free\s+(?:and\s+reduced(?:-price)?\s+)?lunch|reduced(?:-price)?\s+lunch|frl|"
                r"free\s+meals",
                r"home\s+address|address\s+is",
                r"(?:lives?|living|staying|stays)\s+with\s+(?:his\s+|her\s+|their\s+|an?\s+)?"
                r"(?:grandma|grandmother|grandpa|grandfather|grandparents|aunt|uncle|cousin|"
                r"relatives)",
                r"(?:lives?|living|staying|sleeping|moving|moved)\s+(?:in|at|into)\s+"
                r"(?:a|the|his|her|their)\s+(?:motel|hotel|car|shelter)",
                rf"{_RELATIVE}\s+(?:[\w']+\s+){{0,4}}?(?:jail|prison)",
                rf"{_RELATIVE}\s+(?:[\w']+\s+){{0,2}}?(?:passed\s+away|died)",
                r"lost\s+(?:everything|(?:their|his|her)\s+(?:home|house))",
                r"ran\s+away|runaway",
                r"kicked\s+(?:him|her|them)\s+out",
                r"(?:can't|cannot|couldn't|can\s+not)\s+afford",
                r"incarcerat\w+",
                r"deport\w+",
                r"undocumented",
                r"immigration\s+status",
                r"cps|child\s+protective",
                r"social\s+worker",
                r"food\s+stamps|snap\s+benefits",
                r"welfare",
                r"lost\s+(?:his|her|their)\s+jobs?|unemployed",
                r"restraining\s+order",
                r"(?:parents|mom\s+and\s+dad)\s+(?:are|were|got|have)\s+(?:separated|splitting|"
                r"split\s+up)",
            ]
        ),
    ),
    _Terms(
        Category.FAMILY,
        compile_terms(
            [
                r"(?:lives?|living)\s+(?:at|on)\s+\d+",
                r"\d{1,5}\s+[a-z]+(?:\s+[a-z]+)?\s+(?:street|st|lane|ln|avenue|ave|road|rd|drive|"
                r"dr|court|ct|boulevard|blvd|way|place|pl|circle|terrace)",
            ]
        ),
        label="street address",
    ),
)

# A letter grade: "an F", "a D-", "two D's"; the letter must be a capital in the post.
_LETTER_GRADE = re.compile(
    r"(?<![^\W_])(?:an?|two|three|four|several|multiple|straight)\s+([b-df])(?:[+-]|'?s)?"
    r"(?![\w+-])(?!\.\w)"
)
_FAILING_LETTERS = frozenset("df")
_PRAISE = compile_terms(
    [
        r"congrat\w*",
        r"proud",
        r"kudos",
        r"shout-?out",
        r"well\s+done",
        r"great\s+(?:job|work)",
        r"nice\s+work",
        r"way\s+to\s+go",
        r"amazing",
        r"awesome",
        r"celebrat\w+",
        r"perfect",
        r"highest",
        r"top\s+score",
    ]
)
_SPORTS = compile_terms(
    [
        r"games?|match|meet|tournament|season|team|win|won|victory|crowd|quarter|halftime",
        r"inning|overtime|varsity|jv|playoffs?|scrimmage",
        _SPORTS_UNITS,
    ]
)
_WEATHER_STOP = re.compile(
    r"(?:games?|match|practice|meet|play|tournament)\s+(?:\w+\s+){0,6}?(?:was|were|is|are|got)\s+"
    r"suspended|suspended\s+(?:due\s+to|because\s+of|for)\s+(?:the\s+)?(?:rain|weather|lightning|"
    r"heat|storms?|darkness)"
)
# A term this close after one of these words is about a topic or other people (words).
_TOPIC_WINDOW = 5
# Context looked at around a term, bounded so a huge post stays linear (characters).
_CONTEXT_CHARS = 80
_TOPIC_BEFORE = frozenset({
    "students", "kids", "children", "families", "others", "people", "friends", "classmates",
    "peers", "anyone", "everyone", "those", "classmate", "teammate", "teammates", "friend",
    "someone", "somebody", "stranger", "awareness", "research", "project", "paper", "essay",
    "story", "memoir", "book", "poster", "song", "rap", "film", "movie", "debate", "campaign",
    "presentation", "workshop", "assembly", "fundraiser", "drive", "against", "played", "plays",
    "playing", "role", "character", "interviewed", "interviewing", "interview", "shadowing",
    "shadowed"
})  # fmt: skip
# The word right after a term that makes it a topic or about others ("ADHD awareness").
_TOPIC_AFTER = frozenset({
    "awareness", "fundraiser", "program", "training", "law", "laws", "policy", "policies",
    "fair", "drive", "research", "families", "students", "kids", "children", "people", "youth",
    "advocate", "advocates", "survivors", "campaign", "dog", "dogs"
})  # fmt: skip
# A term inside a compound adjective ("allergy-friendly", "anti-vaping") describes a thing.
_COMPOUND_BEFORE = re.compile(r"(?:anti|pro|non)-$")
_COMPOUND_AFTER = re.compile(r"-(?:friendly|safe|free|aware|themed|related|proof)\b")
_OWNERS = frozenset({"his", "her", "their", "your", "my"})
# Pronouns that carry a student named in one sentence into the next.
_REFERRING = frozenset({"he", "she", "they", "his", "her", "their", "him", "them", "you", "your"})
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
    if _COMPOUND_BEFORE.search(folded, max(0, start - 5), start) or _COMPOUND_AFTER.match(
        folded, end
    ):
        return True
    window = folded[max(sentence.start, start - _CONTEXT_CHARS) : start]
    before = [t.text for t in tokens(window)][-_TOPIC_WINDOW:]
    for i, word in enumerate(before):
        if word in _TOPIC_BEFORE and not _OWNERS.intersection(before[i + 1 :]):
            return True
    after = tokens(folded[end : min(sentence.end, end + _CONTEXT_CHARS)])[:1]
    return any(token.text in _TOPIC_AFTER for token in after)


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

    for terms in _TERMS:
        for match in terms.pattern.finditer(folded):
            span = spans[_sentence_of(ends, match.start())]
            around = _around(folded, span, match.start(), match.end())
            if match.group().startswith("scored") and _SPORTS.search(around):
                continue
            if "suspen" in match.group() and _WEATHER_STOP.search(around):
                continue
            term = terms.label or " ".join(match.group().split())[:_TERM_CHARS]
            add(terms.category, term, match.start(), match.end(), terms.weak)
    for match in _LETTER_GRADE.finditer(folded):
        letter = match.group(1)
        if text[match.start(1)].isupper():
            weak = letter not in _FAILING_LETTERS
            add(Category.GRADES, f"letter grade {letter.upper()}", match.start(), match.end(), weak)
    return found


def _sentence_of(ends: list[int], offset: int) -> int:
    """The index of the sentence holding `offset`, given the sentences' end offsets."""
    return min(bisect_right(ends, offset), len(ends) - 1)


def _refers_back(folded: str, sentence: Sentence) -> bool:
    window = folded[sentence.start : min(sentence.end, sentence.start + _CONTEXT_CHARS)]
    words = tokens(window)[:_REFERRING_WINDOW]
    return any(word.text in _REFERRING for word in words)


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
    folded = fold(post.text)
    index = names if names is not None else student_name_index(context)
    mentions = tuple(m for m in index.find(post.text, folded) if m.student_id not in private_to)
    if not mentions and not addressed:
        return ()
    spans = sentences(folded)
    hits = _hits(post.text, folded, spans)
    if hits and _PRAISE.search(folded):
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
