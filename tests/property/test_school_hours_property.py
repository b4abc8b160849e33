"""Property tests of school_hours: any time decides; duty-free time is never raised."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifiers.local_time import to_local
from classifiers.school_hours import covering_window, detect_school_hours
from ingest.post import PostKind
from policy.context import DistrictContext
from policy.model import DutyFreeKind, DutyFreeWindow
from tests.builders import (
    AYERS,
    BAPTISTE_PERSONAL,
    COMMUNITY,
    OKAFOR,
    PARENT_ROBIN,
    STUDENT_JORDAN,
    make_post,
    sample_context,
)

# Generous for a 2-core box; one detection takes microseconds.
PROFILE = settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])

CONTEXT = sample_context()
ZONE = CONTEXT.settings.zone
AUTHORS = (AYERS, BAPTISTE_PERSONAL, OKAFOR, STUDENT_JORDAN, PARENT_ROBIN, COMMUNITY)

aware_times = st.datetimes(
    min_value=datetime(1971, 1, 1),
    max_value=datetime(2100, 12, 31),
    timezones=st.timezones(),
)
# Seconds matter: 11:59:59 is in an 11:30-12:00 lunch, 12:00:00 is not.
school_year_instants = st.integers(min_value=0, max_value=366 * 24 * 3600 - 1).map(
    lambda s: datetime(2026, 8, 1, tzinfo=UTC) + timedelta(seconds=s)
)


@PROFILE
@given(
    created_at=aware_times,
    author=st.sampled_from(AUTHORS),
    kind=st.sampled_from(PostKind),
    scheduled=st.booleans(),
)
def test_any_aware_time_gives_zero_or_one_finding(created_at, author, kind, scheduled):
    """For any aware event time and author the detector returns 0 or 1 findings, never raising."""
    post = make_post(
        author_account_id=author, created_at=created_at, kind=kind, scheduled=scheduled
    )
    findings = detect_school_hours(post, CONTEXT)
    assert len(findings) <= 1
    if findings:
        assert author in (AYERS, BAPTISTE_PERSONAL, OKAFOR)
        assert not scheduled


@PROFILE
@given(moment=school_year_instants, staff_id=st.sampled_from(("t-ayers", "t-okafor")))
def test_a_time_falls_in_at_most_one_duty_free_window(moment, staff_id):
    """A local time is covered by at most one of a staff member's duty-free windows."""
    local = to_local(moment, ZONE)
    windows = CONTEXT.duty_free_windows(staff_id)
    covering = [w for w in windows if w.covers(local)]
    assert len(covering) <= 1
    assert covering_window(windows, local) == (covering[0] if covering else None)


SAMPLE_WINDOWS = tuple(
    (account, window)
    for account in (AYERS, OKAFOR)
    for window in CONTEXT.duty_free_windows(CONTEXT.owner_of("twitter", account).sourced_id)
)


def _local_on(weekday: int, week: int, clock: time) -> datetime:
    """The local time `clock` on weekday `weekday` of week `week` after Mon 2026-08-03."""
    day = date(2026, 8, 3) + timedelta(weeks=week, days=weekday)
    return datetime.combine(day, clock, tzinfo=ZONE)


def _inside(window: DutyFreeWindow, offset: float) -> time:
    start = window.start.hour * 3600 + window.start.minute * 60
    end = window.end.hour * 3600 + window.end.minute * 60
    second = start + int(offset * (end - start))
    return time(second // 3600, second // 60 % 60, second % 60)


@PROFILE
@given(
    pick=st.sampled_from(SAMPLE_WINDOWS),
    offset=st.floats(min_value=0, max_value=1, exclude_max=True),
    week=st.integers(min_value=0, max_value=52),
)
def test_sample_post_inside_a_duty_free_window_is_never_raised(pick, offset, week):
    """Any post by a sample staff member inside one of their duty-free windows raises nothing."""
    account, window = pick
    local = _local_on(window.weekday, week, _inside(window, offset))
    post = make_post(author_account_id=account, created_at=local.astimezone(UTC))
    assert detect_school_hours(post, CONTEXT) == ()


minutes_of_day = st.integers(min_value=0, max_value=24 * 60 - 1)


@PROFILE
@given(
    weekday=st.integers(min_value=0, max_value=4),
    bounds=st.tuples(minutes_of_day, minutes_of_day).filter(lambda b: b[0] != b[1]).map(sorted),
    offset=st.floats(min_value=0, max_value=1, exclude_max=True),
    week=st.integers(min_value=0, max_value=52),
)
def test_generated_window_covers_its_posts(weekday, bounds, offset, week):
    """For any duty-free window, a post at any local time inside it is never raised."""
    start, end = bounds
    window = DutyFreeWindow(
        "t-baptiste",
        weekday,
        time(start // 60, start % 60),
        time(end // 60, end % 60),
        DutyFreeKind.PLANNING,
    )
    context = DistrictContext(replace(CONTEXT.data, duty_free=(window,)))
    # Weekdays only, so never the 02:00 a spring DST change skips (always a Sunday).
    local = _local_on(weekday, week, _inside(window, offset))
    post = make_post(author_account_id=BAPTISTE_PERSONAL, created_at=local.astimezone(UTC))
    assert detect_school_hours(post, context) == ()
