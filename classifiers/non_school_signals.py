"""The signals that a message to a student is not about school: the policy's examples as words.

"If employees need to communicate with currently enrolled students, they should only
do so about school-related matters." Each signal is one kind of non-school contact the
contract names (meeting alone or socially off campus, gifts, money or favours,
secrecy, remarks on looks, dating or personal life, late-night personal chat), found
as the sender's own phrases in folded text. School-related messages that share words
with them ("practice moves to 4:15", "your jacket is in the office", "the field trip
costs $12", "keep the surprise party a secret from Mr. Lee") are what the patterns are
written against: a meeting counts only alone or at a private place, money only when it
goes to the student personally, secrecy only when it hides the contact from parents or
everyone. Used by non_school_contact (staff to student) and questionable_communication
(anyone to staff). Tuned on the `tune` split of tests/data/non_school_posts.jsonl only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifiers.text_match import compile_terms, fold

_YOU = r"(?:you|ya|u)"
_ALONE = (
    r"just\s+(?:the\s+two\s+of\s+us|you\s+and\s+me|us(?:\s+two)?|you)|only\s+(?:you\s+and\s+me|us)"
    r"|you\s+and\s+me|(?:the\s+)?two\s+of\s+us|nobody\s+else|no\s+one\s+else"
    r"|i\s+won'?t\s+invite\s+anyone"
)
_PRIVATE_PLACE = r"my\s+(?:house|place|apartment|apt|home|car)"
_OUTING = (
    r"coffee|dinner|lunch|breakfast|a\s+(?:movie|bite|drive)|the\s+movies?|a\s+movie|ice\s+cream"
    r"|pizza|bowling|drinks?"
)
_FAMILY = r"(?:your\s+)?(?:parents|mom|mum|mother|dad|father|family|folks|grandma)|him|her"
_ANYONE = r"anyone|anybody|no\s*one|nobody|the\s+(?:class|others|other\s+kids)|your\s+friends"
_LOOKS = (
    r"pretty|beautiful|gorgeous|stunning|hot|sexy|cute|cutest|attractive|fit|handsome"
    r"|amazing|good\s+lately|grown\s+up"
)


@dataclass(frozen=True, slots=True)
class Signal:
    """One kind of non-school contact: its name, its words, and how serious it is."""

    name: str
    label: str  # as a summary says it: "a remark on the student's looks"
    high: bool  # high severity (sexual, secrecy, meeting alone); else medium
    pattern: re.Pattern[str]


SIGNALS: tuple[Signal, ...] = (
    Signal(
        "meeting_alone",
        "meeting alone or socially off campus",
        True,
        compile_terms(
            [
                rf"(?:come|stop)\s+(?:by|over)(?:\s+to)?\s+(?:{_PRIVATE_PLACE})",
                r"come\s+over(?:\s+(?:to\s+my|and|after|tonight|this|saturday|sunday|friday))",
                rf"(?:at|to|by)\s+{_PRIVATE_PLACE}",
                r"stay\s+(?:over\s+)?at\s+my\s+(?:house|place)",
                r"hang\s+out\s+(?:outside\s+(?:of\s+)?school|this\s+weekend|tonight|at\s+my|with\s+me)",
                r"we\s+(?:should|could)\s+hang\s+out|want\s+to\s+hang\s+out|wanna\s+hang\s+out",
                rf"(?:i'?ll|i\s+will|i\s+can|let\s+me)\s+(?:pick\s+{_YOU}\s+up|drive\s+{_YOU}\s+home"
                rf"|give\s+{_YOU}\s+a\s+ride|swing\s+by\s+your)",
                rf"(?:go|get|grab|see|catch|take\s+{_YOU}\s+out\s+for)\s+(?:a\s+|some\s+)?(?:{_OUTING})",
                rf"take\s+{_YOU}\s+out",
                rf"{_ALONE}",
                r"meet\s+(?:me\s+)?(?:up\s+)?(?:at\s+the\s+(?:mall|park|lake|beach)|there\s+sunday"
                r"|there\s+saturday)|meet\s+up\s+at",
                r"quiet\s+spot|out\s+of\s+town",
                r"skip\s+the\s+bus",
                r"(?:come|go|join)\s+(?:up\s+|along\s+)?with\s+me|spend\s+(?:the\s+day|time|the\s+night)"
                r"(?:\s+together|\s+with\s+me)?|(?:go|went)\s+\w+ing\s+together|\w+ing\s+together\s+this",
                rf"take\s+{_YOU}\s+(?:there|to\s+(?!the\s+(?:office|nurse|library|counsel)))",
                rf"meet\s+{_YOU}\s+(?:behind|outside|near|by|at\s+(?:the\s+)?(?:mall|park|store|coffee|my))",
                r"my\s+(?:family'?s\s+)?(?:cabin|neighbou?rhood|pool|lake\s+house|boat|new\s+puppy)",
                r"nobody\s+from\s+(?:class|school)|stay\s+with\s+me",
            ]
        ),
    ),
    Signal(
        "gift",
        "a personal gift",
        False,
        compile_terms(
            [
                rf"(?:bought|got|ordered|picked\s+up|have|saw)\s+(?:{_YOU}|something|a\s+(?:little\s+)?"
                rf"(?:present|gift|surprise))\s+(?:something|a\s+(?:little\s+)?(?:present|gift|surprise)"
                rf"|for\s+{_YOU}|the\s+\w+|a\s+\w+|flowers|concert|new|those)",
                rf"(?:present|gift|surprise|something)\s+for\s+{_YOU}",
                r"(?:it'?s|they'?re)\s+yours",
                r"my\s+treat",
                rf"(?:buy|get)\s+{_YOU}\s+(?:something|a\s+\w+|the\s+\w+|new|concert|tickets)",
                r"gift\s+(?:card\s+)?(?:for\s+you|from\s+me|just\s+from\s+me)",
                r"thought\s+of\s+you|reminded\s+me\s+of\s+you",
                r"in\s+your\s+locker|in\s+your\s+car|just\s+for\s+you",
                rf"(?:i'?m\s+getting|i\s+sent|i'?ve\s+sent|i\s+left|i\s+bought|picked\s+out)\s+(?:{_YOU}\s+)?"
                rf"(?:something|a\s+(?:little\s+)?(?:present|gift|surprise))",
                rf"i'?m\s+(?:getting|buying)\s+{_YOU}",
            ]
        ),
    ),
    Signal(
        "money",
        "money or paying for the student personally",
        False,
        compile_terms(
            [
                rf"(?:venmo|cash\s*app|zelle|paypal)\s+{_YOU}",
                rf"(?:send|lend|give|slip|loan)\s+{_YOU}\s+(?:some\s+)?(?:cash|money|\$?\d+|a\s+hundred)",
                r"spending\s+money|gas\s+money|need\s+(?:some\s+)?(?:cash|money)",
                r"(?:i'?ll|i\s+will|i\s+can)\s+pay\s+for\s+your|money\s+on\s+your\s+card",
                r"(?:hundred|forty|fifty|twenty)\s+(?:bucks|dollars)|\$\d+\s+for\s+you",
                r"money\s+for\s+new\s+clothes|buy\s+yourself",
                r"no\s+need\s+to\s+pay\s+me\s+back",
                rf"transfer\s+{_YOU}|(?:\$\d+|money|cash)\s+(?:in\s+an\s+envelope\s+)?for\s+{_YOU}",
                r"help\s+(?:you\s+)?(?:with\s+)?pay(?:ing)?\s+for|let\s+me\s+pay\s+for|i'?ll\s+cover\s+your",
            ]
        ),
    ),
    Signal(
        "favour",
        "a personal favour",
        False,
        compile_terms(
            [
                r"do\s+me\s+a\s+(?:little\s+)?favou?r|(?:you|i'?ll)\s+owe\s+(?:me|you)",
                r"worth\s+your\s+while|do\s+(?:this\s+one\s+thing|something)\s+for\s+me",
                r"(?:bump|raise|change)\s+your\s+grade\s+if|skip\s+the\s+(?:quiz|test)",
                r"babysit|watch\s+my\s+kids|help\s+me\s+move|clean\s+my|run\s+(?:some\s+)?errands",
                r"walk\s+my\s+dog|make\s+sure\s+your\s+grade|for\s+me\s+and\s+not\s+ask|i'?ll\s+pay\s+you",
            ]
        ),
    ),
    Signal(
        "secrecy",
        "secrecy (hiding the contact from parents or others)",
        True,
        compile_terms(
            [
                rf"(?:don'?t|do\s+not|never|won'?t)\s+(?:tell|mention\s+(?:it\s+|this\s+)?to|say\s+anything"
                rf"\s+to|let|show\s+(?:this|it)\s+to)\s+(?:{_FAMILY}|{_ANYONE})",
                r"(?:don'?t|do\s+not)\s+(?:mention|say\s+anything|tell\s+anyone)",
                r"between\s+(?:us|you\s+and\s+me)|stays?\s+between\s+us",
                r"our\s+(?:little\s+)?secret|keep\s+(?:this|it|that|our\s+\w+|quiet|this\s+quiet)"
                r"(?:\s+(?:a\s+secret|to\s+yourself|quiet|secret))?",
                r"(?:delete|erase|wipe|clear)\s+(?:this|our|your|the)\s*(?:message|chat|conversation"
                r"|messages|texts|phone)?",
                r"(?:nobody|no\s+one)\s+(?:else\s+)?(?:needs\s+to|can|should|has\s+to)\s+(?:know|find\s+out)",
                r"(?:doesn'?t|don'?t)\s+need\s+to\s+know|wouldn'?t\s+(?:understand|get\s+it)",
                r"better\s+if\s+nobody\s+knows|could\s+get\s+in\s+trouble|just\s+to\s+be\s+safe",
                r"(?:doesn'?t|does\s+not|don'?t|won'?t)\s+see\s+(?:this|these|our)|nobody\s+(?:reads|sees)",
                r"can'?t\s+tell\s+(?:anybody|anyone|your)|(?:let'?s\s+)?not\s+(?:mention|tell)\s+(?:this|it|anyone)",
                r"if\s+(?:your\s+)?(?:parents|mom|dad|anyone)\s+asks?|say\s+you\s+were\s+(?:at|with)",
                r"(?:delete|erase|wipe)\s+(?:my|our|these|the)\s+(?:texts|messages|chats?|dms|pictures|photos)",
                r"(?:this|it)\s+is\s+our\s+secret|lock(?:ed)?\s+your\s+phone",
            ]
        ),
    ),
    Signal(
        "looks",
        "a remark on the student's looks",
        True,
        compile_terms(
            [
                rf"(?:you|you'?re|you\s+are|you\s+look(?:ed)?|you'?ve\s+been\s+looking|looking|looks?)"
                rf"\s+(?:so\s+|really\s+|too\s+|such\s+a\s+)?(?:{_LOOKS})",
                rf"(?:look(?:ed)?|looking)\s+(?:really\s+|so\s+)?(?:{_LOOKS})\s+(?:in|on)",
                r"your\s+(?:body|figure|legs|eyes|smile|lips)|the\s+(?:cutest|prettiest|hottest)",
                r"(?:gorgeous|beautiful|pretty|cute|sexy)\s+(?:eyes|smile|girl|boy|young\s+(?:woman|man))",
                r"(?:send|post)\s+me\s+a\s+(?:picture|pic|photo|selfie)|send\s+me\s+a\s+\w+\s+of\s+your",
                r"shows?\s+off\s+your|swimsuit|bikini",
                r"stop\s+looking\s+at\s+you|goodnight\s+(?:beautiful|gorgeous)",
                r"(?:so|really|very)\s+(?:pretty|cute|hot|beautiful|sexy|gorgeous)|nice\s+body|glowing",
                r"your\s+(?:hair|outfit|dress|clothes|skin)\s+look(?:s|ed)?\s+(?:so\s+|really\s+)?"
                r"(?:good|great|amazing|nice)",
                r"pictures\s+of\s+yourself|(?:photos|pics|pictures)\s+of\s+you|(?:best|good)\s+looking",
            ]
        ),
    ),
    Signal(
        "dating",
        "dating or the student's love life",
        True,
        compile_terms(
            [
                r"boyfriend|girlfriend|seeing\s+anyone|special\s+someone|love\s+life|crush",
                r"dating|(?:ask|take)\s+you\s+(?:out|to\s+(?:the\s+)?(?:dance|prom))|go\s+out\s+with\s+me",
                r"date\s+you|kissed|falling\s+for\s+you|feelings\s+for\s+you|i\s+love\s+you",
                r"i\s+miss\s+you|miss\s+(?:you|talking\s+to\s+you)",
                r"(?:think|thinking|dreamed|dream)\s+(?:about|of)\s+you",
                r"care\s+about\s+you|mature\s+for\s+your\s+age|more\s+mature",
                r"(?:we|really)\s+(?:really\s+)?(?:connect|get\s+each\s+other)|something\s+special",
                r"favou?rite\s+person|jealous|do\s+you\s+like\s+anyone|if\s+i\s+were\s+your\s+age",
                r"if\s+i\s+wasn'?t\s+your\s+teacher|few\s+years\s+older|prom\s+with",
                r"lucky\s+(?:guy|girl|one)|a\s+thing\s+now|if\s+you\s+were\s+older|special\s+to\s+me",
                r"ask\s+you\s+to\s+(?:dinner|the\s+movies)|who\s+were\s+you\s+with",
            ]
        ),
    ),
    Signal(
        "late_night",
        "late-night or personal chat",
        True,
        compile_terms(
            [
                r"(?:you|u)\s+(?:still\s+)?awake|are\s+(?:you|u)\s+(?:still\s+)?up|still\s+(?:up|awake)"
                r"|(?:^|(?<=[.!?]\s))(?:you|u)\s+up|up\s+late",
                r"can'?t\s+sleep|sweet\s+dreams|goodnight|good\s+night",
                r"home\s+alone|by\s+yourself|(?:are\s+you\s+)?alone\s+(?:right\s+)?now|in\s+bed",
                r"what\s+are\s+you\s+wearing|keep\s+me\s+company|lonely|i'?m\s+bored",
                r"(?:parents|everyone)\s+(?:go\s+to\s+bed|(?:is|are|'s)\s+asleep)|before\s+bed",
                r"parents\s+fighting|tell\s+me\s+everything|break\s+up\s+with",
                r"what\s+are\s+you\s+(?:doing|up\s+to)\s+tonight|wanna\s+talk|talk\s+to\s+me",
                r"(?:it'?s|past|after)\s+midnight|after\s+1[01](?:\s*pm)?|hear\s+your\s+voice|night\s+night",
                r"(?:parents|mom|dad)\s+asleep|lying\s+(?:here|in\s+bed)|i'?m\s+up\s+too",
                r"(?<![:\d])(?:12|1|2|3)\s*am|hear\s+from\s+you|can'?t\s+wait\s+to\s+see\s+you",
            ]
        ),
    ),
)
SIGNAL_NAMES = tuple(signal.name for signal in SIGNALS)
# At most this many phrases per signal in evidence: enough to see why, never the whole text.
_MAX_PHRASES = 3


def non_school_signals(text: str) -> dict[str, list[str]]:
    """Signal name -> the phrases (as written) that show it; empty for a school message."""
    folded = fold(text)
    found: dict[str, list[str]] = {}
    for signal in SIGNALS:
        phrases = [text[m.start() : m.end()] for m in signal.pattern.finditer(folded)]
        if phrases:
            found[signal.name] = list(dict.fromkeys(phrases))[:_MAX_PHRASES]
    return found


def signal_label(name: str) -> str:
    return next(signal.label for signal in SIGNALS if signal.name == name)


def is_high(names: list[str]) -> bool:
    return any(signal.high for signal in SIGNALS if signal.name in names)
