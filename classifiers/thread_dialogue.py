"""two_way_dialogue across a thread: answering students in a conversation, in any arrival order.

The single-post detector sees replies to a student and direct messages. This one
also sees a staff member answering in a thread where a student or a student's
parent wrote earlier (by event time), even when the student's item arrives after
the staff item (out of order): the late student item then raises the alert for
the earlier-arrived staff item. Alert ids are per (rule, post), so whichever path
raises a post first, it is raised once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from classifiers.finding import Finding, Severity
from classifiers.participants import display_name
from classifiers.thread_state import EXCERPT_CHARS, Side, ThreadEntry, ThreadState
from classifiers.two_way_dialogue import (
    POLICY_LINE,
    RULE,
    detect_two_way_dialogue,
    in_registered_session,
    sessions_evidence,
)
from ingest.post import Post, PostKind
from policy.context import DistrictContext
from policy.roster import Person


@dataclass(frozen=True, slots=True)
class PostRef:
    """Enough of a post to raise an alert about it when only its thread entry is at hand."""

    district_id: str
    platform: str
    post_id: str
    created_at: datetime
    thread_id: str
    url: str | None


@dataclass(frozen=True, slots=True)
class ThreadFinding:
    """A finding and the post it is about (not always the post being processed)."""

    post: Post | PostRef
    finding: Finding


def _side(author: Person | None) -> Side | None:
    if author is None or not author.is_current:
        return None
    if author.is_staff:
        return Side.STAFF
    if author.is_student:
        return Side.STUDENT
    if author.is_parent:
        return Side.PARENT
    return None


def _entry(post: Post, side: Side, context: DistrictContext, author: Person) -> ThreadEntry:
    if side is Side.STAFF:
        return ThreadEntry(
            post.post_id,
            post.author_account_id,
            side,
            post.created_at,
            is_reply=post.kind in (PostKind.REPLY, PostKind.COMMENT),
            url=post.url,
            excerpt=post.text[:EXCERPT_CHARS],
        )
    students = (
        (author.sourced_id,)
        if side is Side.STUDENT
        else context.students_of_parent(author.sourced_id)
    )
    return ThreadEntry(
        post.post_id, post.author_account_id, side, post.created_at, student_ids=students
    )


def _thread_finding(
    staff: Person,
    staff_entry: ThreadEntry,
    counterparts: tuple[ThreadEntry, ...],
    context: DistrictContext,
    platform: str,
    thread_id: str,
) -> Finding:
    students = tuple(dict.fromkeys(s for e in counterparts for s in e.student_ids))
    with_student = any(e.side is Side.STUDENT for e in counterparts)
    whom = "a student" if with_student else "a student's parent"
    return Finding(
        rule=RULE,
        severity=Severity.MEDIUM if with_student else Severity.LOW,
        staff_id=staff.sourced_id,
        summary=(
            f"{display_name(staff)} answered {whom} in a {platform} thread outside a registered "
            f"classroom session, breaking the policy line: {POLICY_LINE}."
        ),
        student_ids=students,
        building_id=context.building_of(staff.sourced_id),
        evidence={
            "policy": POLICY_LINE,
            "incident_key": f"{context.district_id}:{platform}:{staff_entry.post_id}",
            "exchange": "thread_answer",
            "thread_id": thread_id,
            "earlier_in_thread": [
                {"post_id": e.post_id, "relation": e.side.value, "at": e.created_at.isoformat()}
                for e in counterparts
            ],
            "staff_post_excerpt": staff_entry.excerpt,
            "sessions_on_thread": sessions_evidence(context, platform, thread_id),
        },
    )


def observe_thread(
    post: Post, context: DistrictContext, state: ThreadState
) -> tuple[ThreadState, list[ThreadFinding]]:
    """Add the post to its thread's state; return the new state and the thread findings.

    A post already in the state (a replay after a crash, or a retried batch) leaves
    the state as it is but raises the same findings again: the state may have been
    saved before the alerts were, and alert ids make the repeat harmless.
    """
    author = context.owner_of(post.platform, post.author_account_id)
    side = _side(author)
    if author is None or side is None:
        return state, []
    entry = _entry(post, side, context, author)
    findings: list[ThreadFinding] = []
    if side is Side.STAFF:
        findings += _answers_by(post, entry, author, context, state)
    else:
        findings += _answers_to(post, entry, context, state)
    return state.with_entry(entry), findings  # with_entry ignores a known post id


def _answers_by(
    post: Post, entry: ThreadEntry, staff: Person, context: DistrictContext, state: ThreadState
) -> list[ThreadFinding]:
    """A staff reply or comment after students or parents wrote in the thread."""
    if not entry.is_reply or detect_two_way_dialogue(post, context):
        return []
    earlier = state.before(post.created_at, Side.STUDENT) + state.before(
        post.created_at, Side.PARENT
    )
    if not earlier or in_registered_session(
        context, post.platform, post.thread_id, staff.sourced_id, post.created_at
    ):
        return []
    finding = _thread_finding(staff, entry, earlier, context, post.platform, post.thread_id)
    return [ThreadFinding(post, finding)]


def _answers_to(
    post: Post, entry: ThreadEntry, context: DistrictContext, state: ThreadState
) -> list[ThreadFinding]:
    """Staff replies already seen that answer this (later-arriving, earlier-written) item."""
    if post.kind is PostKind.DIRECT_MESSAGE or not entry.student_ids:
        return []
    found: list[ThreadFinding] = []
    for staff_entry in state.after(post.created_at, Side.STAFF):
        staff = context.owner_of(post.platform, staff_entry.author_account_id)
        if (
            not staff_entry.is_reply
            or staff is None
            or in_registered_session(
                context, post.platform, post.thread_id, staff.sourced_id, staff_entry.created_at
            )
        ):
            continue
        ref = PostRef(
            post.district_id,
            post.platform,
            staff_entry.post_id,
            staff_entry.created_at,
            post.thread_id,
            staff_entry.url,
        )
        finding = _thread_finding(
            staff, staff_entry, (entry,), context, post.platform, post.thread_id
        )
        found.append(ThreadFinding(ref, finding))
    return found
