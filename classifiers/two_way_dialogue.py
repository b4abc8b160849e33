"""Rule two_way_dialogue: staff exchanging messages with a student or parent outside a session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from classifiers.finding import Finding, Severity
from classifiers.participants import (
    Counterpart,
    Relation,
    display_name,
    incident_key,
    involved_student_ids,
    staff_author,
    student_counterparts,
)
from classifiers.rule import RuleAbout
from ingest.post import Post, PostKind
from policy.context import DistrictContext

RULE = "two_way_dialogue"
POLICY_LINE = (
    "social media with students is one-way (to, not with, students); two-way dialogue "
    "belongs on the phone or district email, except in a registered classroom session"
)
ABOUT = RuleAbout(
    checks=(
        "replies to, @mentions in a thread reply, answers in a thread after, or directly messages "
        "a current student or a student's parent, outside a registered session (`sessions.csv`); "
        "across a whole thread too, in any arrival order"
    ),
    severity=(
        "high for a direct message to a student; medium with a student; low with a parent only"
    ),
    policy=POLICY_LINE,
)
_THREAD_KINDS = frozenset({PostKind.REPLY, PostKind.COMMENT})
_VERBS = {
    "direct_message": "sent a direct message to",
    "reply": "replied to",
    "mention_answer": "answered, by mention in a thread,",
}
# Evidence quotes at most this much of the staff member's own post (characters).
EXCERPT_CHARS = 280


def _exchange(post: Post, counterparts: tuple[Counterpart, ...]) -> str | None:
    """How the post talks with the counterparts, or None when it only talks to them.

    A direct message, a reply to them, or a reply in a thread that @mentions them
    (answering them in the conversation) is dialogue; a top-level post that
    mentions them is one-way communication, which the policy allows.
    """
    if post.kind is PostKind.DIRECT_MESSAGE:
        return "direct_message"
    ids = {c.account_id for c in counterparts}
    if post.in_reply_to_account_id in ids:
        return "reply"
    if post.kind in _THREAD_KINDS and ids & set(post.mentioned_account_ids):
        return "mention_answer"
    return None


def in_registered_session(
    context: DistrictContext, platform: str, thread_id: str, staff_id: str, moment: datetime
) -> bool:
    """True when the staff member's registered session covers this thread at this moment."""
    return any(
        session.staff_id == staff_id and session.covers(moment)
        for session in context.sessions_for(platform, thread_id)
    )


def sessions_evidence(
    context: DistrictContext, platform: str, thread_id: str
) -> list[dict[str, str]]:
    """The registered sessions of a thread, as compared with, for the evidence."""
    return [
        {"starts_at": s.starts_at.isoformat(), "ends_at": s.ends_at.isoformat()}
        for s in context.sessions_for(platform, thread_id)
    ]


def _severity(exchange: str, counterparts: tuple[Counterpart, ...]) -> Severity:
    with_student = any(c.relation is Relation.STUDENT for c in counterparts)
    if exchange == "direct_message" and with_student:
        return Severity.HIGH
    return Severity.MEDIUM if with_student else Severity.LOW


def _summary(
    staff_name: str, exchange: str, platform: str, counterparts: tuple[Counterpart, ...]
) -> str:
    relations = sorted({c.relation.value for c in counterparts})
    whom = " and a ".join(relations)
    verb = _VERBS[exchange]
    return (
        f"{staff_name} {verb} a {whom} on {platform} outside a registered classroom session, "
        f"breaking the policy line: {POLICY_LINE}."
    )


def detect_two_way_dialogue(post: Post, context: DistrictContext) -> Sequence[Finding]:
    """Raise when a staff member replies to or directly messages a student or a student's parent."""
    staff = staff_author(post, context)
    if staff is None:
        return ()
    counterparts = student_counterparts(post, context)
    if not counterparts:
        return ()
    exchange = _exchange(post, counterparts)
    if exchange is None:
        return ()
    if exchange == "reply":
        counterparts = tuple(c for c in counterparts if c.account_id == post.in_reply_to_account_id)
    elif exchange == "mention_answer":
        mentioned = set(post.mentioned_account_ids)
        counterparts = tuple(c for c in counterparts if c.account_id in mentioned)
    if in_registered_session(
        context, post.platform, post.thread_id, staff.sourced_id, post.created_at
    ):
        return ()
    evidence = {
        "policy": POLICY_LINE,
        "incident_key": incident_key(post),
        "exchange": exchange,
        "counterparts": [
            {"account_id": c.account_id, "relation": c.relation.value} for c in counterparts
        ],
        "thread_id": post.thread_id,
        "in_reply_to_post_id": post.in_reply_to_post_id,
        "staff_post_excerpt": post.text[:EXCERPT_CHARS],
        "sessions_on_thread": sessions_evidence(context, post.platform, post.thread_id),
    }
    return (
        Finding(
            rule=RULE,
            severity=_severity(exchange, counterparts),
            staff_id=staff.sourced_id,
            summary=_summary(display_name(staff), exchange, post.platform, counterparts),
            student_ids=involved_student_ids(counterparts),
            building_id=context.building_of(staff.sourced_id),
            evidence=evidence,
        ),
    )
