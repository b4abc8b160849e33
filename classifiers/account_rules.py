"""What personal_page, unapproved_account and unapproved_venue share: one look at the account.

The three rules judge the same thing, a staff member's post judged by the account
and platform it came from, so they share one assessment (`assess_account_use`) and
each rule module only words its own finding.

Decisions:
- "Communicating with a student" means the post replies to, mentions or is sent to
  a current student's account (`students_addressed`). The contract says "with a
  student", and unlike two_way_dialogue these rules do not add parents: a teacher's
  personal page answering a parent is two_way_dialogue (low), not a personal-page
  breach. A post that addresses no student is not communicating with one.
- Unknown accounts are never raised: an account missing from accounts.csv cannot be
  attributed to a staff member (nor can a non-current one's), so "a staff account
  tapwatch does not know" is not detectable; district IT finds those by keeping
  accounts.csv complete. Students' and parents' posts are never raised.
- Texting and messaging-app platforms (`missing_consent.CONSENT_CHANNELS`) are left
  to missing_consent: there the policy's test is consent, and a teacher texting a
  student with consent in force from a personal phone is allowed, so raising
  personal_page or unapproved_venue there would be a false alarm.
- unapproved_account also raises an unapproved staff account's instructional post
  that addresses no one, with a narrow keyword heuristic (`instructional_terms`):
  assignments with a due date, "read chapter 5", "turn in your ...", "quiz on unit 3",
  "tonight's homework". It prefers missing an instructional post to flagging a
  teacher's own life ("my daughter's homework is due tomorrow").

Overlap (one alert per rule per post stays the contract): a personal page replying
to a student breaks personal_page, unapproved_account and two_way_dialogue at once.
Each rule raises its own finding, since the alerts index is the record, and every
finding carries `evidence["incident_key"]` (district:platform:post_id, the same for
every rule's finding about the post) and `evidence["related_rules"]` (the other
account rules the same post breaks), so the mailer sends a principal one email per
post listing all its rules rather than one per rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from classifiers.finding import Finding, Severity
from classifiers.missing_consent import consent_channel
from classifiers.participants import (
    Counterpart,
    incident_key,
    involved_student_ids,
    staff_author,
    students_addressed,
)
from ingest.post import Post
from policy.context import DistrictContext
from policy.model import Account, AccountKind
from policy.roster import Person

PERSONAL_PAGE = "personal_page"
UNAPPROVED_ACCOUNT = "unapproved_account"
UNAPPROVED_VENUE = "unapproved_venue"
ACCOUNT_RULES = (PERSONAL_PAGE, UNAPPROVED_ACCOUNT, UNAPPROVED_VENUE)

_NOUNS = (
    r"(?:homework|assignments?|worksheets?|lab\s+reports?|essays?|projects?|study\s+guides?"
    r"|problem\s+sets?|reading\s+logs?|permission\s+slips?|quiz(?:zes)?|tests?|exams?"
    r"|classwork)"
)
_SECTIONS = r"(?:chapters?|pages?|sections?|units?|lessons?)\s*\d+"
# Each pattern is one way a post sets students work; all are matched per sentence.
_INSTRUCTIONAL = (
    # "lab reports due Friday", "homework is due tomorrow"; not "due to", "due for".
    re.compile(rf"\b{_NOUNS}\b[^.!?\n]{{0,40}}?\bdue\b(?!\s+(?:to|for)\b)", re.I),
    # "Read chapter 5 ...", "please study pages 40-52": imperative, not "I read chapter 2".
    re.compile(
        rf"(?:^|\breminder:\s*|\b(?:please|remember\s+to|be\s+sure\s+to|make\s+sure\s+to|"
        rf"don'?t\s+forget\s+to)\s+)(?:read|study|review)\s+{_SECTIONS}",
        re.I,
    ),
    re.compile(rf"\b(?:turn\s+in|hand\s+in|submit)\s+(?:your|the|all)\s+{_NOUNS}\b", re.I),
    re.compile(rf"\b(?:quiz|test|exam)\s+(?:on|over|covering)\s+{_SECTIONS}", re.I),
    re.compile(r"\b(?:tonight|today|this\s+week)'?s\s+(?:homework|assignment|reading)\b", re.I),
)
# A sentence about the teacher's own family or own work is not instruction to students.
_OWN_LIFE = re.compile(
    r"\b(?:my|our)\s+(?:sons?|daughters?|kids?|child(?:ren)?|boys?|girls?|grandkids?)\b"
    rf"|\bmy\s+(?:own\s+)?{_NOUNS}\b",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# Evidence quotes at most this many matched phrases (the heuristic's reasons, not the post).
MAX_TERMS = 5


def instructional_terms(text: str) -> tuple[str, ...]:
    """The phrases that make a post instructional content (empty when none do)."""
    terms: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip()
        if not sentence or _OWN_LIFE.search(sentence):
            continue
        for pattern in _INSTRUCTIONAL:
            match = pattern.search(sentence)
            if match:
                terms.append(match.group(0).strip())
    return tuple(dict.fromkeys(terms))[:MAX_TERMS]


@dataclass(frozen=True, slots=True)
class AccountUse:
    """A current staff member's post from a known account on a social-media platform."""

    staff: Person
    account: Account
    # The current students the post replies to, mentions or messages.
    students: tuple[Counterpart, ...]
    platform_approved: bool
    # Filled only for accounts no principal approved (only unapproved_account uses it).
    instructional: tuple[str, ...]

    @property
    def broken_rules(self) -> tuple[str, ...]:
        """The account rules this post breaks, in ACCOUNT_RULES order."""
        broken = {
            PERSONAL_PAGE: bool(self.students) and self.account.kind is AccountKind.PERSONAL,
            UNAPPROVED_ACCOUNT: not self.account.is_approved
            and bool(self.students or self.instructional),
            UNAPPROVED_VENUE: bool(self.students) and not self.platform_approved,
        }
        return tuple(rule for rule in ACCOUNT_RULES if broken[rule])


# The last assessment made: the three account rules run one after another on the same
# post, so they share it (by identity of the post and context, which are immutable).
_last_assessed: tuple[Post, DistrictContext, AccountUse | None] | None = None


def assess_account_use(post: Post, context: DistrictContext) -> AccountUse | None:
    """The account facts the three rules decide on, or None when none of them can apply."""
    global _last_assessed
    last = _last_assessed
    if last is not None and last[0] is post and last[1] is context:
        return last[2]
    use = _assess(post, context)
    _last_assessed = (post, context, use)
    return use


def _assess(post: Post, context: DistrictContext) -> AccountUse | None:
    if consent_channel(post.platform) is not None:
        return None
    staff = staff_author(post, context)
    account = context.account(post.platform, post.author_account_id)
    if staff is None or account is None:
        return None
    return AccountUse(
        staff=staff,
        account=account,
        students=students_addressed(post, context),
        platform_approved=post.platform in context.approved_platforms,
        instructional=() if account.is_approved else instructional_terms(post.text),
    )


def account_label(account: Account) -> str:
    """How a summary names the account: its handle, else its platform id."""
    return f"@{account.handle}" if account.handle else f"account {account.account_id}"


def _how_addressed(post: Post, account_id: str) -> str:
    if account_id == post.in_reply_to_account_id:
        return "reply"
    if account_id in post.recipient_account_ids:
        return "message"
    return "mention"


def account_evidence(post: Post, use: AccountUse, rule: str, policy: str) -> dict[str, Any]:
    """The evidence every account-rule finding carries: the account, the venue, who it addressed."""
    account = use.account
    return {
        "policy": policy,
        "incident_key": incident_key(post),
        "related_rules": [r for r in use.broken_rules if r != rule],
        "account": {
            "platform": account.platform,
            "account_id": account.account_id,
            "handle": account.handle,
            "kind": account.kind.value,
            "approved_by": account.approved_by,
            "approved_on": account.approved_on.isoformat() if account.approved_on else None,
            "url": account.url,
        },
        "platform_approved": use.platform_approved,
        "students_addressed": [
            {"account_id": c.account_id, "how": _how_addressed(post, c.account_id)}
            for c in use.students
        ],
        "post_kind": post.kind.value,
    }


def account_finding(
    use: AccountUse,
    context: DistrictContext,
    rule: str,
    severity: Severity,
    summary: str,
    evidence: dict[str, Any],
) -> tuple[Finding]:
    """The one finding an account rule raises about the use of an account."""
    return (
        Finding(
            rule=rule,
            severity=severity,
            staff_id=use.staff.sourced_id,
            summary=summary,
            student_ids=involved_student_ids(use.students),
            building_id=context.building_of(use.staff.sourced_id),
            evidence=evidence,
        ),
    )
