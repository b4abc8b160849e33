"""Why a rule did not raise: the first condition of the rule that the post does not meet.

Each rule's registry entry names its reason here (`classifiers/registry.py`); used by
`tapwatch rules explain`. Pure like the rules themselves, and built from the same
helpers, so the reason given is the reason the rule decided on.
"""

from __future__ import annotations

from classifiers import missing_consent, school_hours
from classifiers.account_rules import assess_account_use
from classifiers.local_time import hhmm, to_local
from classifiers.participants import staff_author, student_counterparts, students_addressed
from ingest.post import Post, PostKind
from policy.context import DistrictContext


def _author(post: Post, context: DistrictContext) -> str | None:
    if staff_author(post, context) is None:
        return "the author is not a current staff member of the district"
    return None


def why_two_way_dialogue(post: Post, context: DistrictContext) -> str:
    author = _author(post, context)
    if author is not None:
        return author
    if not student_counterparts(post, context):
        return "it addresses no current student or parent (one-way, or to others)"
    if post.kind is not PostKind.DIRECT_MESSAGE and not post.in_reply_to_account_id:
        return "it only mentions students in a top-level post, which is one-way"
    return "it is inside a registered session, or answers nobody on the student side"


def why_school_hours(post: Post, context: DistrictContext) -> str:
    if post.scheduled:
        return "the platform marks the post as scheduled in advance"
    staff = staff_author(post, context)
    if staff is None:
        return "the author is not a current staff member of the district"
    local = to_local(post.created_at, context.settings.zone)
    when = f"{local:%a %Y-%m-%d %H:%M} local"
    if not context.is_attendance_day(local.date()):
        return f"{when} is not an attendance day (weekend or calendar.ics)"
    day = context.school_day_for(context.building_of(staff.sourced_id))
    if not day.contains(local.time()):
        return f"{when} is outside the school day {hhmm(day.start)}-{hhmm(day.end)}"
    window = school_hours.covering_window(context.duty_free_windows(staff.sourced_id), local)
    if window is not None:
        span = f"{hhmm(window.start)}-{hhmm(window.end)}"
        return f"{when} is inside a duty-free window ({window.kind.value} {span})"
    return "no finding"


def why_account_rule(post: Post, context: DistrictContext) -> str:
    """personal_page, unapproved_account and unapproved_venue share one look at the account."""
    if missing_consent.consent_channel(post.platform) is not None:
        return f"{post.platform} is texting/messaging, judged by missing_consent"
    use = assess_account_use(post, context)
    if use is None:
        return "the author's account is not a known staff account in accounts.csv"
    approved = "approved" if use.account.is_approved else "not approved"
    platform = "approved" if use.platform_approved else "not approved"
    return (
        f"account {use.account.kind.value}, {approved}; platform {platform}; "
        f"students addressed: {len(use.students)}"
    )


def why_missing_consent(post: Post, context: DistrictContext) -> str:
    author = _author(post, context)
    if author is not None:
        return author
    channel = missing_consent.consent_channel(post.platform)
    if channel is None:
        return f"{post.platform} is not texting or a messaging app"
    if not students_addressed(post, context):
        return "it contacts no current student"
    return f"a {channel} consent is in force for every student contacted"


def why_off_channel_contact(post: Post, context: DistrictContext) -> str:
    return _author(post, context) or "no invitation to a private or unapproved channel"


def why_student_confidentiality(post: Post, context: DistrictContext) -> str:
    return _author(post, context) or (
        "no current student identified together with confidential details"
    )
