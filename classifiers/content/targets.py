"""Who an inappropriate post is about: students, parents, colleagues, groups or no one named."""

# Word cues, not a model: a post that names students in any of the ways staff write of
# them ("my 7th graders", "3rd period", "the seniors", "a kid") is about students. The
# target raises severity (a threat or sexual remark involving students is high), so
# students are looked for first.

from __future__ import annotations

import re

_CUES = {
    "students": r"kids?|students?|child(?:ren)?|pupils?|\d+(?:st|nd|rd|th) (?:grade(?:rs)?|period)"
    r"|graders|seniors?|juniors?|sophomores?|freshm[ae]n|homeroom|advisory|my class|class"
    r"|girls|boys|players|athletes|team|cheer|prom|minors?|teens?|teenagers?",
    "parents": r"parents?|moms?|mothers?|dads?|fathers?|pta|pto",
    "colleagues": r"colleagues?|coworkers?|co-workers?|principal|staff|teachers?|mr\.|ms\."
    r"|mrs\.|dr\.|coach \w+|custodian|department head|front office|district office",
    "groups": r"immigrants?|refugees?|muslims?|jews?|gays?|lesbians?|trans\w*|blacks?|asians?"
    r"|mexicans?|arabs?|hindus?|africans?|natives?|women|disabled|illegals?|those people",
}
_PATTERNS = {name: re.compile(rf"(?<!\w)(?:{cue})(?!\w)") for name, cue in _CUES.items()}


def target_of(prepared: str) -> str:
    """The first of students, parents, colleagues, groups named in the text; else `none`."""
    return next((name for name, pattern in _PATTERNS.items() if pattern.search(prepared)), "none")
