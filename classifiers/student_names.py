"""Where a text names a current student: roster names, nickname forms, initials and @handles.

What identifies a student (decided for student_confidentiality):
- the full name, given then family ("Jordan Quill", "Jordan Quill's") or family, comma,
  given ("Quill, Jordan");
- a nickname form of the given name with the family name ("Rob Tate" for Robert
  Tate, "Elizabeth Hope" for a roster "Liz Hope"), from the small table below;
- a given name (or a nickname form) and the family name's initial ("Jordan Q.");
- the @handle of any account a current student owns (accounts.csv, any kind).

A given or family name alone never identifies anyone ("Quill", "Jordan", "Marsh").
Letters match case-insensitively and without accents, but names are proper nouns:
in a post whose author capitalizes sentences, each name part must be capitalized
too, so "new hunter green uniforms" is a colour and not the student Hunter Green;
a post written entirely in lower case ("avery lund got a D") still matches.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

from classifiers.normalise import normalise
from classifiers.text_match import Token, fold, sentences, tokens, words
from policy.context import DistrictContext
from policy.model import Account
from policy.roster import Person

__all__ = [
    "NICKNAME_GROUPS",
    "NameKind",
    "NameMention",
    "StudentNameIndex",
    "student_name_index",
]


class NameKind(StrEnum):
    FULL_NAME = "full_name"
    NICKNAME = "nickname"
    NAME_INITIAL = "name_initial"
    HANDLE = "handle"


# Common English given names and their everyday forms. Scope: the frequent
# formal/short pairs of US rosters, not diminutives that are ordinary words on
# their own ("Art", "Sue" are left out). A roster given name is matched in every
# form of every group it belongs to, so a roster "Liz" matches "Elizabeth" too.
NICKNAME_GROUPS: tuple[tuple[str, ...], ...] = (
    ("robert", "rob", "robbie", "bob", "bobby", "bert"),
    ("elizabeth", "liz", "lizzie", "beth", "betsy", "eliza", "libby", "betty"),
    ("katherine", "catherine", "kathryn", "kate", "katie", "kathy", "kat", "cathy"),
    ("william", "will", "willie", "bill", "billy", "liam"),
    ("jennifer", "jen", "jenny"),
    ("michael", "mike", "mikey", "mick"),
    ("christopher", "chris", "topher"),
    ("christina", "christine", "chris", "tina"),
    ("james", "jim", "jimmy", "jamie"),
    ("john", "johnny", "jack"),
    ("jonathan", "jon", "jonny"),
    ("joseph", "joe", "joey"),
    ("thomas", "tom", "tommy"),
    ("richard", "rick", "ricky", "rich"),
    ("daniel", "dan", "danny"),
    ("matthew", "matt"),
    ("nicholas", "nick", "nicky"),
    ("anthony", "tony"),
    ("andrew", "andy", "drew"),
    ("alexander", "alex", "xander"),
    ("alexandra", "alex", "lexi", "sandra"),
    ("benjamin", "ben", "benny"),
    ("samuel", "sam", "sammy"),
    ("samantha", "sam", "sammie"),
    ("joshua", "josh"),
    ("zachary", "zach", "zack"),
    ("timothy", "tim", "timmy"),
    ("steven", "stephen", "steve"),
    ("edward", "eddie", "ted", "teddy"),
    ("charles", "charlie", "chuck"),
    ("margaret", "maggie", "meg", "peggy"),
    ("rebecca", "becca", "becky"),
    ("jessica", "jess", "jessie"),
    ("abigail", "abby"),
    ("victoria", "vicky", "tori"),
    ("patricia", "pat", "patty", "trish"),
    ("patrick", "pat", "paddy"),
    ("gabriel", "gabe"),
    ("gabriella", "gabrielle", "gabby"),
    ("isabella", "isabel", "bella", "izzy"),
    ("olivia", "liv", "livvy"),
    ("madison", "maddie", "maddy"),
    ("kimberly", "kim"),
    ("deborah", "debbie", "deb"),
    ("susan", "susie", "suzy"),
    ("theodore", "theo", "teddy"),
    ("frederick", "fred", "freddie"),
    ("nathaniel", "nathan", "nate"),
    ("jacob", "jake"),
    ("emily", "emmy"),
    ("david", "dave", "davey"),
    ("jeffrey", "jeff"),
    ("gregory", "greg"),
    ("kenneth", "ken", "kenny"),
    ("ronald", "ron", "ronnie"),
    ("donald", "don", "donny"),
    ("raymond", "ray"),
    ("lawrence", "larry"),
    ("douglas", "doug"),
    ("jacqueline", "jackie"),
    ("stephanie", "steph"),
    ("allison", "allie", "ally"),
    ("natalie", "nat"),
    ("cynthia", "cindy"),
    ("pamela", "pam"),
    ("dorothy", "dot", "dottie"),
)


def _nickname_forms(groups: Iterable[tuple[str, ...]]) -> Mapping[str, frozenset[str]]:
    forms: defaultdict[str, set[str]] = defaultdict(set)
    for group in groups:
        for name in group:
            forms[name].update(group)
    return MappingProxyType({name: frozenset(others) for name, others in forms.items()})


_NICKNAME_FORMS = _nickname_forms(NICKNAME_GROUPS)

# Between the parts of one name: a space run, or the apostrophe or hyphen inside a name.
_NAME_GAP = re.compile(r"\s{1,3}|['-]")
_REVERSED_GAP = re.compile(r"\s*,\s*")
# What may follow an initial: the end, a space, a period or closing punctuation.
_AFTER_INITIAL = frozenset(" \t\r\n.,;:!?)'\"")
_HANDLE = re.compile(r"(?<![\w@.])@([a-z0-9_]+(?:\.[a-z0-9_]+)*)")


@dataclass(frozen=True, slots=True)
class NameMention:
    """A place in a text that identifies a current student, and how."""

    student_id: str
    kind: NameKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Form:
    """One way of writing one student's name, as a token sequence with its shape."""

    student_id: str
    kind: NameKind
    # Tokens of the part written first ("jordan" in "Jordan Quill", "quill" in "Quill, Jordan").
    first_part: int
    reversed_order: bool = False
    initial: bool = False
    # Given and family name written as one word ("JordanQuill"), as an invisible
    # character between them leaves the name on screen.
    glued: bool = False


def _words(text: str) -> tuple[str, ...]:
    return tuple(token.text for token in tokens(fold(text)))


def _forms_of(person: Person) -> Iterable[tuple[tuple[str, ...], _Form]]:
    given, family = _words(person.given_name), _words(person.family_name)
    if not given or not family:
        return
    own = " ".join(given)
    spellings = {own: NameKind.FULL_NAME}
    for form in sorted(_NICKNAME_FORMS.get(own, frozenset())):
        spellings.setdefault(form, NameKind.NICKNAME)
    sid = person.sourced_id
    for spelling, kind in spellings.items():
        first = tuple(spelling.split())
        yield first + family, _Form(sid, kind, len(first))
        yield family + first, _Form(sid, kind, len(family), reversed_order=True)
        yield (*first, family[0][0]), _Form(sid, NameKind.NAME_INITIAL, len(first), initial=True)
        yield ("".join(first + family),), _Form(sid, kind, 1, glued=True)


def _writes_lower_case(text: str, folded: str) -> bool:
    """True when no sentence of the post starts with a capital: its author does not capitalize."""
    for sentence in sentences(folded):
        letters = (char for char in text[sentence.start : sentence.end] if char.isalpha())
        first = next(letters, "")
        if first.isupper():
            return False
    return True


class StudentNameIndex:
    """Every way the district's current students can be named, looked up word by word."""

    __slots__ = ("_first_words", "_forms", "_handles", "_longest")

    def __init__(
        self, forms: Mapping[tuple[str, ...], tuple[_Form, ...]], handles: Mapping[str, str]
    ) -> None:
        self._forms = forms
        self._handles = handles
        self._longest = max((len(key) for key in forms), default=0)
        # Words a name can start with: a text holding none of them names no student, which
        # is most texts, and is found without building its tokens.
        self._first_words = frozenset(key[0] for key in forms)

    @classmethod
    def from_people(cls, people: Iterable[Person], accounts: Iterable[Account]) -> StudentNameIndex:
        """The index of the current students among `people` and the accounts they own."""
        students = {p.sourced_id: p for p in people if p.is_student and p.is_current}
        forms: defaultdict[tuple[str, ...], list[_Form]] = defaultdict(list)
        for student_id in sorted(students):
            for key, form in _forms_of(students[student_id]):
                forms[key].append(form)
        handles = {
            fold(account.handle).lstrip("@"): account.owner_id
            for account in sorted(accounts, key=lambda a: (a.platform, a.account_id))
            if account.handle and account.owner_id in students
        }
        return cls(
            MappingProxyType({key: tuple(found) for key, found in forms.items()}),
            MappingProxyType(handles),
        )

    @classmethod
    def from_context(cls, context: DistrictContext) -> StudentNameIndex:
        return cls.from_people(context.data.people, context.data.accounts)

    def find(self, text: str, folded: str | None = None) -> tuple[NameMention, ...]:
        """Every mention of a current student in `text`, with offsets into `text`.

        Without `folded`, `text` is normalised first (invisible characters dropped,
        look-alike letters made Latin) and the offsets map back to `text`. With it,
        `text` is already the visible text of a `Normalised` and `folded` its folded form.
        """
        if folded is None:
            seen = normalise(text)
            mentions = self._find(seen.visible, seen.folded)
            if seen.origin is None:
                return mentions
            return tuple(
                NameMention(m.student_id, m.kind, *seen.span(m.start, m.end)) for m in mentions
            )
        return self._find(text, folded)

    def _find(self, text: str, folded: str) -> tuple[NameMention, ...]:
        found = self._handle_mentions(folded) if "@" in folded else []
        if self._forms and not self._first_words.isdisjoint(words(folded)):
            found.extend(self._name_mentions(text, folded))
        return tuple(sorted(found, key=lambda m: (m.start, m.student_id)))

    def _handle_mentions(self, folded: str) -> list[NameMention]:
        found = []
        for match in _HANDLE.finditer(folded):
            student_id = self._handles.get(match.group(1))
            if student_id is not None:
                found.append(NameMention(student_id, NameKind.HANDLE, match.start(), match.end()))
        return found

    def _name_mentions(self, text: str, folded: str) -> list[NameMention]:
        words = tokens(folded)
        # Whether the author capitalizes at all, worked out once and only when a name needs it.
        lower_case_writer: list[bool] = []
        found: list[NameMention] = []
        i = 0
        while i < len(words):
            # Down to one word: a glued name ("JordanQuill") is the only one-word form.
            for length in range(min(self._longest, len(words) - i), 0, -1):
                span = words[i : i + length]
                forms = self._forms.get(tuple(token.text for token in span), ())
                hits = [f for f in forms if _fits(f, span, text, folded, lower_case_writer)]
                if hits:
                    start, end = span[0].start, span[-1].end
                    best: dict[str, NameKind] = {}
                    for form in hits:
                        best.setdefault(form.student_id, form.kind)
                    found.extend(NameMention(sid, kind, start, end) for sid, kind in best.items())
                    i += length - 1
                    break
            i += 1
        return found


def _fits(
    form: _Form, span: list[Token], text: str, folded: str, lower_case_writer: list[bool]
) -> bool:
    """Whether the words in `span` are written the way `form` says a name is."""
    for j in range(len(span) - 1):
        gap = folded[span[j].end : span[j + 1].start]
        between_parts = j == form.first_part - 1
        pattern = _REVERSED_GAP if between_parts and form.reversed_order else _NAME_GAP
        if not pattern.fullmatch(gap):
            return False
    if form.glued:
        return text[span[0].start].isupper() or _lower_case_writer(text, folded, lower_case_writer)
    part_starts: tuple[Token, ...] = (span[0], span[form.first_part])
    if form.initial:
        initial = span[-1]
        after = text[initial.end : initial.end + 1]
        if not text[initial.start].isupper() or (after and after not in _AFTER_INITIAL):
            return False
        part_starts = (span[0],)
    if all(_capitalised(text, token) for token in part_starts):
        return True
    return _lower_case_writer(text, folded, lower_case_writer)


def _capitalised(text: str, token: Token) -> bool:
    """A capital first letter, or a capital anywhere ("qUiLl" is no ordinary word)."""
    return text[token.start].isupper() or not text[token.start : token.end].islower()


def _lower_case_writer(text: str, folded: str, lower_case_writer: list[bool]) -> bool:
    """Whether the post is written in lower case, worked out once per post."""
    if not lower_case_writer:
        lower_case_writer.append(_writes_lower_case(text, folded))
    return lower_case_writer[0]


# Districts whose index is kept: one per district a worker serves, plus reloads.
_CACHED_DISTRICTS = 8


@lru_cache(maxsize=_CACHED_DISTRICTS)
def student_name_index(context: DistrictContext) -> StudentNameIndex:
    """The district's index, built on the first post and reused for the next ones.

    Keyed on the DistrictContext object itself: it defines no __eq__, so it hashes
    by identity, and the cache holds it strongly, so a key is never a recycled id().
    A reloaded district is a new context and gets a fresh index; old ones age out.
    Callers that manage contexts themselves can build StudentNameIndex.from_context
    once and pass it to the detector instead.
    """
    return StudentNameIndex.from_context(context)
