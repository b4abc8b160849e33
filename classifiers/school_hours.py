"""Rule school_hours: staff posting while students are in attendance, outside duty-free time.

Decisions (see also the module's tests):
- Time is the post's event time (`created_at`), seen in the district's time zone
  with zoneinfo, so a post in a DST change week is judged on its local wall clock.
- The school day is the staff member's building's own (district.yaml `buildings`),
  else the district's; both are [start, end), as are duty-free windows: 12:00 is
  outside an 11:30-12:00 lunch, 14:55 is after a 07:45-14:55 day.
- Attendance days are Monday-Friday minus calendar.ics all-day events.
- Every item a staff member authors counts as posting: posts, comments, replies and
  direct messages alike. A direct message during class is the same use of time as
  a public post; the rule is about when, not to whom.
- Posts the platform marks as scheduled are not raised: they were written earlier.
- Only current staff whose account is in accounts.csv are judged: an unknown
  account cannot be attributed to anyone. Students' and parents' posts never are.
- Severity is low: it is a time-use issue, not a student-safety one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from classifiers.finding import Finding, Severity
from classifiers.local_time import WEEKDAY_NAMES, hhmm, to_local
from classifiers.participants import display_name, incident_key, staff_author
from classifiers.rule import RuleAbout
from ingest.post import Post, PostKind
from policy.context import DistrictContext
from policy.model import DutyFreeWindow, SchoolDay

RULE = "school_hours"
POLICY_LINE = (
    "staff do not use social media while students are in attendance, "
    "except in their duty-free time (planning period or lunch)"
)
ABOUT = RuleAbout(
    checks=(
        "posts during their building's attendance hours on an attendance day (Mon-Fri minus "
        "`calendar.ics`), outside their duty-free windows, in the district's time zone; scheduled "
        "posts are not raised"
    ),
    severity="low",
    policy=POLICY_LINE,
)
_VERBS = {
    PostKind.POST: "posted",
    PostKind.COMMENT: "commented",
    PostKind.REPLY: "replied",
    PostKind.DIRECT_MESSAGE: "sent a direct message",
}


def covering_window(windows: Sequence[DutyFreeWindow], local: datetime) -> DutyFreeWindow | None:
    """The duty-free window that covers a local time, if any (policy/ forbids overlaps)."""
    for window in windows:
        if window.covers(local):
            return window
    return None


def _school_day_set_by(context: DistrictContext, building_id: str | None) -> str:
    """Whether the school day compared with is the building's own or the district's."""
    building = context.settings.buildings.get(building_id) if building_id else None
    return "building" if building is not None and building.school_day is not None else "district"


def _window_dict(window: DutyFreeWindow) -> dict[str, str]:
    return {"kind": window.kind.value, "start": hhmm(window.start), "end": hhmm(window.end)}


def _evidence(
    post: Post,
    context: DistrictContext,
    local: datetime,
    building_id: str | None,
    school_day: SchoolDay,
    windows: Sequence[DutyFreeWindow],
) -> dict[str, Any]:
    same_day = [w for w in windows if w.weekday == local.weekday()]
    return {
        "policy": POLICY_LINE,
        "incident_key": incident_key(post),
        "local_time": local.isoformat(timespec="minutes"),
        "time_zone": context.settings.timezone,
        "weekday": WEEKDAY_NAMES[local.weekday()],
        "attendance_day": True,
        "building_id": building_id,
        "school_day": {
            "start": hhmm(school_day.start),
            "end": hhmm(school_day.end),
            "set_by": _school_day_set_by(context, building_id),
        },
        "duty_free_windows_that_day": [_window_dict(w) for w in same_day],
        "duty_free_rows_on_file": len(windows),
        "in_duty_free_window": False,
        "post_kind": post.kind.value,
    }


def _summary(
    staff_name: str,
    post: Post,
    local: datetime,
    building_name: str,
    school_day: SchoolDay,
) -> str:
    return (
        f"{staff_name} {_VERBS[post.kind]} on {post.platform} at {hhmm(local.time())} on "
        f"{WEEKDAY_NAMES[local.weekday()]} {local.date().isoformat()}, during student "
        f"attendance hours at {building_name} ({hhmm(school_day.start)}-"
        f"{hhmm(school_day.end)}) and outside their duty-free windows, breaking the policy "
        f"line: {POLICY_LINE}."
    )


def detect_school_hours(post: Post, context: DistrictContext) -> Sequence[Finding]:
    """Raise when a current staff member posts during attendance hours outside duty-free time."""
    if post.scheduled:
        return ()
    staff = staff_author(post, context)
    if staff is None:
        return ()
    local = to_local(post.created_at, context.settings.zone)
    if not context.is_attendance_day(local.date()):
        return ()
    building_id = context.building_of(staff.sourced_id)
    school_day = context.school_day_for(building_id)
    if not school_day.contains(local.time()):
        return ()
    windows = context.duty_free_windows(staff.sourced_id)
    if covering_window(windows, local) is not None:
        return ()
    building = context.org(building_id) if building_id else None
    building_name = building.name if building is not None else "their school"
    return (
        Finding(
            rule=RULE,
            severity=Severity.LOW,
            staff_id=staff.sourced_id,
            summary=_summary(display_name(staff), post, local, building_name, school_day),
            building_id=building_id,
            evidence=_evidence(post, context, local, building_id, school_day, windows),
        ),
    )
