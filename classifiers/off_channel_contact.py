"""Rule off_channel_contact: staff inviting a student to a private or unapproved channel.

Decisions:
- Who is invited. A post directed at a current student (reply, mention or direct
  message, per classifiers/participants.py) is raised high; at a student's parent,
  medium. A public post directed at no student or parent ("Students, DM me with
  questions") still invites every student who reads the account to a private
  channel: it is raised low. A private message to anyone else is not this rule's.
- What is an invitation. The staff member's own words asking to be reached privately:
  "DM me", "text me", "WhatsApp me", "send me a snap", "add me on Snapchat" (on a
  messaging app, or on a platform the district has not approved: "follow me on
  Twitter" on an approved platform is not one), "hit me up", "take this to DMs",
  "my cell", "my snap is", "join my Discord", "I'll text you". Negated ones ("don't
  DM me") are not. "Call me" is not: the phone at school is a sanctioned channel.
- Contact details. A phone number or a personal email address (not a district domain:
  the domains of the current staff's and principals' emails) handed to a student or
  parent is an invitation, unless the words before it name an institution ("the main
  office at", "classroom phone", "ext"). In a public post only the staff member's own
  ("my cell", "email me at") counts: an announcement's office or booster-club address
  invites no one to a private channel. An email counts as personal when it is on a
  webmail domain, follows "me"/"my", or carries the staff member's name.
- Evidence quotes the matched phrases, never the whole post (it may name a student),
  with phone digits and mailbox names starred.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from classifiers.finding import Finding, Severity
from classifiers.normalise import Normalised, normalise, squeeze
from classifiers.participants import (
    Counterpart,
    Relation,
    display_name,
    involved_student_ids,
    staff_author,
    student_counterparts,
)
from classifiers.rule import RuleAbout
from classifiers.text_match import (
    EMAIL_PATTERN,
    PHONE_PATTERN,
    compile_terms,
    email_domain,
    fold,
    mask_email,
    mask_phone,
    tokens,
)
from ingest.post import Post, Visibility
from policy.context import DistrictContext
from policy.roster import Person

RULE = "off_channel_contact"
POLICY_LINE = (
    "staff do not invite students to private or unapproved channels (direct messages, "
    "texting, messaging apps, personal phone numbers or email); contact stays on "
    "approved platforms, the school phone and district email"
)
ABOUT = RuleAbout(
    checks=(
        'invites a student to a private or unapproved channel ("DM me", "text me at ...", "add me '
        'on Snapchat", a phone number or personal email)'
    ),
    severity="high to a student; medium to a parent; low in a public post",
    policy=POLICY_LINE,
)

# Folded app and platform names, and the channel each one is.
_APPS = {
    "snapchat": "snapchat",
    "snap": "snapchat",
    "instagram": "instagram",
    "insta": "instagram",
    "ig": "instagram",
    "whatsapp": "whatsapp",
    "discord": "discord",
    "telegram": "telegram",
    "signal": "signal",
    "kik": "kik",
    "tiktok": "tiktok",
    "messenger": "messenger",
    "imessage": "imessage",
    "facetime": "facetime",
    "wechat": "wechat",
    "groupme": "groupme",
    "skype": "skype",
    "twitter": "twitter",
    "facebook": "facebook",
    "fb": "facebook",
    "edmodo": "edmodo",
    "gmail": "personal email",
}
# Channels that are private messaging whatever the district approves.
_MESSAGING = frozenset({
    "snapchat", "whatsapp", "discord", "telegram", "signal", "kik", "messenger", "imessage",
    "facetime", "wechat", "groupme", "skype"
})  # fmt: skip
_DIRECT = "direct message"
_TEXT = "text message"
_VERBS = {"dm": _DIRECT, "pm": _DIRECT, "inbox": _DIRECT, "message": _DIRECT, "msg": _DIRECT,
          "private": _DIRECT, "private message": _DIRECT, "direct message": _DIRECT,
          "text": _TEXT, "txt": _TEXT}  # fmt: skip
_APP = "|".join(sorted(map(re.escape, _APPS), key=len, reverse=True))
_VERB = r"dm|pm|inbox|message|msg|text|txt|" + _APP
_NOUN = rf"dms?|pms?|texts?|messages?|direct\s+message|private\s+message|snaps?|{_APP}"

_INVITATIONS = compile_terms(
    [
        rf"(?P<verb>{_VERB})\s+me(?:\s+(?:on|via|through|over)\s+(?P<app>{_APP}))?",
        # Glued, as an invisible joiner or soft hyphen leaves it on screen: "DMme".
        r"(?P<verb3>dm|pm|msg|text|txt)me",
        rf"(?:send|shoot|drop)\s+me\s+(?:an?\s+|your\s+)?(?P<noun>{_NOUN})"
        rf"(?:\s+(?:on|via|through|over)\s+(?P<app2>{_APP}))?",
        rf"(?P<reach>add|follow|find|friend|reach|contact|catch|message)\s+me\s+(?:on|at|via)\s+"
        rf"(?:my\s+(?:personal\s+)?)?(?P<app3>{_APP})",
        rf"(?:hit\s+me\s+up|hmu)(?:\s+(?:on|via)\s+(?P<app4>{_APP}))?",
        r"slid(?:e|ing)?\s+into\s+my\s+(?P<noun2>dms?|pms?|inbox)",
        rf"(?:take|move|continue)\s+(?:this|it|that|the\s+conversation)\s+(?:to|on|in|over\s+to)\s+"
        rf"(?:the\s+)?(?P<noun3>dms?|pms?|private|text|{_APP})",
        rf"let\s+me\s+know\s+(?:by|via|over|through)\s+(?P<noun4>dms?|text|{_APP})",
        rf"my\s+(?:personal\s+)?(?P<mine>cell(?:\s+phone)?|mobile|personal\s+(?:phone|number|cell)|"
        rf"{_APP})",
        rf"join\s+(?:my|our)\s+(?:class\s+|study\s+)?(?P<group>group\s*chat|{_APP})",
        r"(?P<link>discord\.gg/|chat\.whatsapp\.com/|t\.me/)",
        rf"i(?:'ll|\s+will)\s+(?:send\s+you\s+an?\s+(?P<noun5>{_NOUN})|(?P<verb2>{_VERB})\s+you)",
    ]
)
_NEGATION = re.compile(
    r"(?:\bdon'?t|\bdo\s+not|\bnever|\bnot|\bno\s+need\s+to|\bshould\s*n'?t|\bwon'?t|\bcan'?t|"
    r"\bcannot|\bstop)\W+(?:\w+\W+){0,2}$"
)
_LINKS = {"discord.gg/": "discord", "chat.whatsapp.com/": "whatsapp", "t.me/": "telegram"}
_PERSONAL_PHONE = "personal phone"
_OWN_PHONE = {
    "cell": _PERSONAL_PHONE,
    "cell phone": _PERSONAL_PHONE,
    "mobile": _PERSONAL_PHONE,
    "personal phone": _PERSONAL_PHONE,
    "personal number": _PERSONAL_PHONE,
    "personal cell": _PERSONAL_PHONE,
}
_FIRST_PERSON = compile_terms([r"me|my|mine|i'm|i\s+am"])
_INSTITUTION = compile_terms(
    [
        r"office|school|district|front\s+desk|main\s+line|attendance|hotline|helpline|crisis",
        r"nurse|counse\w*|library|ext|extension|classroom|room|desk|principal|registrar",
        r"transportation|switchboard",
    ]
)
_WEBMAIL = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "hotmail.com", "outlook.com",
    "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "proton.me",
    "protonmail.com", "gmx.com", "mail.com", "zoho.com", "comcast.net", "verizon.net", "att.net",
    "yandex.com"
})  # fmt: skip
# Context read before and after a phone number or email for whose it is (characters).
_CUE_BEFORE = 40
_CUE_AFTER = 12
# A staff name part shorter than this is too common to recognise in a mailbox (letters).
_MIN_NAME_IN_MAILBOX = 3
_MAX_PHRASES = 10


def _word_channel(word: str) -> str:
    """The channel a verb or noun names: "DMs" a direct message, "snap" Snapchat."""
    word = " ".join(word.split())
    for candidate in (word, word.removesuffix("s")):
        channel = _VERBS.get(candidate) or _APPS.get(candidate)
        if channel is not None:
            return channel
    return _DIRECT


def _channel(match: re.Match[str], approved: frozenset[str]) -> str | None:
    """The channel an invitation names, or None when it is none (following on an approved one)."""
    groups = {name: value for name, value in match.groupdict().items() if value}
    app = next((groups[k] for k in ("app", "app2", "app3", "app4") if k in groups), None)
    if "link" in groups:
        return _LINKS[groups["link"]]
    if "reach" in groups or "mine" in groups:
        mine = " ".join(groups.get("mine", "").split())
        channel = _OWN_PHONE.get(mine) or _APPS[app or mine]
        private = channel in _MESSAGING or groups.get("reach") == "message"
        return channel if private or channel not in approved else None
    if "group" in groups:
        return _APPS.get(groups["group"], "group chat")
    if app is not None:
        return _APPS[app]
    for key in ("verb", "verb2", "verb3", "noun", "noun2", "noun3", "noun4", "noun5"):
        if key in groups:
            return _word_channel(groups[key])
    return _DIRECT


def _mask(phrase: str) -> str:
    phrase = PHONE_PATTERN.sub(lambda m: mask_phone(m.group()), phrase)
    return EMAIL_PATTERN.sub(lambda m: mask_email(m.group()), phrase)


def _invitations(seen: Normalised, approved: frozenset[str]) -> list[tuple[str, str]]:
    """(phrase as the staff member wrote it, channel) for each invitation in the post.

    The folded text is read first; only when it holds no invitation are spelled-out
    and leet forms ("d m me", "add me on sn4pchat") undone and read again.
    """
    folded = seen.folded
    found = _matches(folded, approved)
    squeezed = squeeze(folded) if not found else None
    if squeezed is not None:
        found = [(squeezed.span(start, end), channel)
                 for (start, end), channel in _matches(squeezed.text, approved)]  # fmt: skip
    return [(_mask(seen.quote(start, end)), channel) for (start, end), channel in found]


def _matches(folded: str, approved: frozenset[str]) -> list[tuple[tuple[int, int], str]]:
    """((start, end) in `folded`, channel) for each invitation that is not negated."""
    found = []
    for match in _INVITATIONS.finditer(folded):
        if _NEGATION.search(folded, max(0, match.start() - _CUE_BEFORE), match.start()):
            continue
        channel = _channel(match, approved)
        if channel is not None:
            found.append(((match.start(), match.end()), channel))
    return found


@lru_cache(maxsize=8)
def _district_domains(context: DistrictContext) -> frozenset[str]:
    """The email domains of the district: its current staff's and its principals' addresses."""
    emails = [p.email for p in context.data.people if p.is_staff and p.is_current and p.email]
    for building in context.settings.buildings.values():
        emails.extend(building.principal_emails)
    return frozenset(email_domain(email) for email in emails if email_domain(email))


def _is_district(domain: str, districts: frozenset[str]) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in districts)


def _contacts(
    text: str, folded: str, directed: bool, staff: Person, context: DistrictContext
) -> list[tuple[str, str]]:
    """(kind, masked value) of each personal phone number or email address given."""
    found = []
    for match in PHONE_PATTERN.finditer(text):
        before = folded[max(0, match.start() - _CUE_BEFORE) : match.start()]
        after = folded[match.end() : match.end() + _CUE_AFTER]
        if _INSTITUTION.search(before) or _INSTITUTION.search(after):
            continue
        if directed or _FIRST_PERSON.search(before):
            found.append(("phone", mask_phone(match.group())))
    emails = list(EMAIL_PATTERN.finditer(text))
    if not emails:  # most posts: skip the district's domains and the staff member's names
        return found
    districts = _district_domains(context)
    names = {
        token.text
        for token in tokens(fold(f"{staff.given_name} {staff.family_name}"))
        if len(token.text) >= _MIN_NAME_IN_MAILBOX
    }
    for match in emails:
        address = match.group()
        domain = email_domain(address)
        if _is_district(domain, districts):
            continue
        mailbox = fold(address.partition("@")[0])
        own = _FIRST_PERSON.search(folded, max(0, match.start() - _CUE_BEFORE), match.start())
        theirs = any(name in mailbox for name in names)
        if own or theirs or (directed and domain in _WEBMAIL):
            found.append(("email", mask_email(address)))
    return found


def _audience(post: Post, counterparts: tuple[Counterpart, ...]) -> tuple[str, Severity] | None:
    relations = {c.relation for c in counterparts}
    if Relation.STUDENT in relations:
        return "student", Severity.HIGH
    if Relation.PARENT in relations:
        return "parent", Severity.MEDIUM
    if post.visibility is Visibility.PUBLIC:
        return "public", Severity.LOW
    return None


_WHOM = {
    "student": "a student",
    "parent": "a student's parent",
    "public": "students, in a public post,",
}


def _summary(staff_name: str, audience: str, platform: str, channels: list[str]) -> str:
    how = channels[0] if len(channels) == 1 else ", ".join(channels[:-1]) + " and " + channels[-1]
    return (
        f"{staff_name} invited {_WHOM[audience]} on {platform} to continue by {how}, "
        f"breaking the policy line: {POLICY_LINE}."
    )


def detect_off_channel_contact(post: Post, context: DistrictContext) -> Sequence[Finding]:
    """Raise when a staff member invites a student or parent to a private or unapproved channel."""
    staff = staff_author(post, context)
    if staff is None or not post.text:
        return ()
    counterparts = student_counterparts(post, context)
    audience = _audience(post, counterparts)
    if audience is None:
        return ()
    who, severity = audience
    # What a reader sees: invisible characters dropped, look-alike letters made Latin.
    seen = normalise(post.text)
    invitations = _invitations(seen, context.approved_platforms)
    contacts = _contacts(seen.visible, seen.folded, who != "public", staff, context)
    if not invitations and not contacts:
        return ()
    channels = sorted(
        {channel for _, channel in invitations}
        | {"a personal phone number" if kind == "phone" else "a personal email address"
           for kind, _ in contacts}
    )  # fmt: skip
    evidence = {
        "policy": POLICY_LINE,
        "audience": who,
        "counterparts": [
            {"account_id": c.account_id, "relation": c.relation.value} for c in counterparts
        ],
        "phrases": list(dict.fromkeys(phrase for phrase, _ in invitations))[:_MAX_PHRASES],
        "channels": channels,
        "phone_given": any(kind == "phone" for kind, _ in contacts),
        "email_given": any(kind == "email" for kind, _ in contacts),
        "contacts": list(dict.fromkeys(value for _, value in contacts))[:_MAX_PHRASES],
    }
    return (
        Finding(
            rule=RULE,
            severity=severity,
            staff_id=staff.sourced_id,
            summary=_summary(display_name(staff), who, post.platform, channels),
            student_ids=involved_student_ids(counterparts),
            building_id=context.building_of(staff.sourced_id),
            evidence=evidence,
        ),
    )
