"""Vocabulary of the student_confidentiality rule: confidential terms and their exemptions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from classifiers.text_match import compile_terms

__all__ = [
    "COMPOUND_AFTER",
    "COMPOUND_BEFORE",
    "FAILING_LETTERS",
    "LETTER_GRADE",
    "OWNERS",
    "PRAISE",
    "REFERRING",
    "SPORTS",
    "TERMS",
    "TOPIC_AFTER",
    "TOPIC_BEFORE",
    "WEATHER_STOP",
    "Category",
    "Terms",
]


class Category(StrEnum):
    GRADES = "grades"
    DISCIPLINE = "discipline"
    HEALTH = "health"
    SPECIAL_EDUCATION = "special_education"
    FAMILY = "family"


@dataclass(frozen=True, slots=True)
class Terms:
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

TERMS: tuple[Terms, ...] = (
    Terms(
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
    Terms(
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
    Terms(
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
    Terms(
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
    Terms(
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
    Terms(
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
    Terms(
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
LETTER_GRADE = re.compile(
    r"(?<![^\W_])(?:an?|two|three|four|several|multiple|straight)\s+([b-df])(?:[+-]|'?s)?"
    r"(?![\w+-])(?!\.\w)"
)
FAILING_LETTERS = frozenset("df")
PRAISE = compile_terms(
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
SPORTS = compile_terms(
    [
        r"games?|match|meet|tournament|season|team|win|won|victory|crowd|quarter|halftime",
        r"inning|overtime|varsity|jv|playoffs?|scrimmage",
        _SPORTS_UNITS,
    ]
)
WEATHER_STOP = re.compile(
    r"(?:games?|match|practice|meet|play|tournament)\s+(?:\w+\s+){0,6}?(?:was|were|is|are|got)\s+"
    r"suspended|suspended\s+(?:due\s+to|because\s+of|for)\s+(?:the\s+)?(?:rain|weather|lightning|"
    r"heat|storms?|darkness)"
)
# A word shortly before a term that makes it a topic or about others ("students who are").
TOPIC_BEFORE = frozenset({
    "students", "kids", "children", "families", "others", "people", "friends", "classmates",
    "peers", "anyone", "everyone", "those", "classmate", "teammate", "teammates", "friend",
    "someone", "somebody", "stranger", "awareness", "research", "project", "paper", "essay",
    "story", "memoir", "book", "poster", "song", "rap", "film", "movie", "debate", "campaign",
    "presentation", "workshop", "assembly", "fundraiser", "drive", "against", "played", "plays",
    "playing", "role", "character", "interviewed", "interviewing", "interview", "shadowing",
    "shadowed"
})  # fmt: skip
# The word right after a term that makes it a topic or about others ("ADHD awareness").
TOPIC_AFTER = frozenset({
    "awareness", "fundraiser", "program", "training", "law", "laws", "policy", "policies",
    "fair", "drive", "research", "families", "students", "kids", "children", "people", "youth",
    "advocate", "advocates", "survivors", "campaign", "dog", "dogs"
})  # fmt: skip
# A term inside a compound adjective ("allergy-friendly", "anti-vaping") describes a thing.
COMPOUND_BEFORE = re.compile(r"(?:anti|pro|non)-$")
COMPOUND_AFTER = re.compile(r"-(?:friendly|safe|free|aware|themed|related|proof)\b")
# A possessive after a topic word puts the term back on a person ("a project on her asthma").
OWNERS = frozenset({"his", "her", "their", "your", "my"})
# Pronouns that carry a student named in one sentence into the next.
REFERRING = frozenset({"he", "she", "they", "his", "her", "their", "him", "them", "you", "your"})
