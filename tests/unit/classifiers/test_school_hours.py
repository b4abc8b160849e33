from dataclasses import replace
from datetime import UTC, datetime

import pytest

from classifiers.finding import Severity
from classifiers.school_hours import detect_school_hours
from ingest.post import PostKind, Visibility
from policy.context import DistrictContext
from tests.builders import (
    AYERS,
    BAPTISTE_PERSONAL,
    COMMUNITY,
    OKAFOR,
    PARENT_ROBIN,
    STUDENT_AVERY,
    STUDENT_JORDAN,
    make_post,
    sample_context,
)


def _utc(month: int, day: int, hour: int, minute: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _context_without_current(staff_id: str) -> DistrictContext:
    data = sample_context().data
    people = tuple(
        replace(p, is_current=False) if p.sourced_id == staff_id else p for p in data.people
    )
    return DistrictContext(replace(data, people=people))


# Sample district, America/Chicago: CDT (UTC-5) until Sun 2026-11-01, CST (UTC-6) after;
# CST until Sun 2026-03-08, CDT after. Ayers (org-whs, school day 07:45-14:55): lunch
# Mon-Fri 11:30-12:00, planning Tue/Thu 13:00-13:50. Baptiste (org-wms, the district's
# 07:50-15:05): no duty-free rows. Mon 2026-10-05 is an attendance day.
CASES = [
    # (case, author, created_at in UTC, raised)
    ("mid_afternoon_monday", AYERS, _utc(10, 5, 19, 0), True),
    ("lunch_start_is_covered", AYERS, _utc(10, 5, 16, 30), False),
    ("lunch_last_minute_is_covered", AYERS, _utc(10, 5, 16, 59), False),
    ("lunch_end_minute_is_not_covered", AYERS, _utc(10, 5, 17, 0), True),
    ("planning_on_tuesday_is_covered", AYERS, _utc(10, 6, 18, 0), False),
    ("planning_hour_on_monday_is_not_covered", AYERS, _utc(10, 5, 18, 0), True),
    ("first_minute_of_building_day", AYERS, _utc(10, 5, 12, 45), True),
    ("minute_before_building_day", AYERS, _utc(10, 5, 12, 44), False),
    ("last_minute_of_building_day", AYERS, _utc(10, 5, 19, 54), True),
    ("minute_building_day_ends", AYERS, _utc(10, 5, 19, 55), False),
    ("after_building_day_inside_district_day", AYERS, _utc(10, 5, 20, 0), False),
    ("district_day_still_on_for_other_building", BAPTISTE_PERSONAL, _utc(10, 5, 20, 0), True),
    ("before_district_day_for_other_building", BAPTISTE_PERSONAL, _utc(10, 5, 12, 47), False),
    ("minute_district_day_ends", BAPTISTE_PERSONAL, _utc(10, 5, 20, 5), False),
    ("no_duty_free_rows_at_noon", BAPTISTE_PERSONAL, _utc(10, 5, 17, 15), True),
    ("calendar_no_school_day", AYERS, _utc(10, 12, 15, 0), False),
    ("thanksgiving_break_friday", AYERS, _utc(11, 27, 16, 0), False),
    ("monday_after_thanksgiving", AYERS, _utc(11, 30, 16, 0), True),
    ("saturday", AYERS, _utc(10, 10, 15, 0), False),
    ("sunday", AYERS, _utc(10, 11, 15, 0), False),
    # DST ends Sun 2026-11-01: the same UTC hour is an hour earlier on the wall clock.
    ("friday_before_fall_back_0844_cdt", AYERS, _utc(10, 30, 13, 44), True),
    ("monday_after_fall_back_0744_cst", AYERS, _utc(11, 2, 13, 44), False),
    ("monday_after_fall_back_1450_cst", AYERS, _utc(11, 2, 20, 50), True),
    ("monday_after_fall_back_lunch_1145_cst", AYERS, _utc(11, 2, 17, 45), False),
    # DST starts Sun 2026-03-08: the same UTC hour is an hour later on the wall clock.
    ("friday_before_spring_forward_0645_cst", AYERS, _utc(3, 6, 12, 45), False),
    ("monday_after_spring_forward_0745_cdt", AYERS, _utc(3, 9, 12, 45), True),
    ("monday_after_spring_forward_lunch_1145_cdt", AYERS, _utc(3, 9, 16, 45), False),
]


class TestSchoolHoursTable:
    @pytest.mark.parametrize(
        ("author", "created_at", "raised"),
        [case[1:] for case in CASES],
        ids=[case[0] for case in CASES],
    )
    def test_decision_on_local_wall_clock(self, author, created_at, raised):
        """Each case is raised exactly when it falls in attendance hours outside duty-free time."""
        post = make_post(author_account_id=author, created_at=created_at)
        findings = detect_school_hours(post, sample_context())
        assert len(findings) == (1 if raised else 0)


class TestSchoolHoursWho:
    def test_unknown_account_is_not_raised(self):
        """An account missing from accounts.csv cannot be attributed to staff."""
        post = make_post(author_account_id=COMMUNITY)
        assert detect_school_hours(post, sample_context()) == ()

    def test_student_post_is_never_raised(self):
        """A student posting during class is not a staff school-hours breach."""
        post = make_post(author_account_id=STUDENT_JORDAN)
        assert detect_school_hours(post, sample_context()) == ()

    def test_parent_post_is_never_raised(self):
        """A parent posting during the school day is not staff time use."""
        post = make_post(author_account_id=PARENT_ROBIN)
        assert detect_school_hours(post, sample_context()) == ()

    def test_non_current_staff_member_is_not_raised(self):
        """A staff member who is no longer current is not judged."""
        post = make_post(author_account_id=AYERS)
        assert detect_school_hours(post, _context_without_current("t-ayers")) == ()

    def test_scheduled_post_is_not_raised(self):
        """A post the platform marks as scheduled in advance is not raised."""
        post = make_post(scheduled=True)
        assert detect_school_hours(post, sample_context()) == ()

    def test_direct_message_counts_as_posting(self):
        """A direct message sent during class is raised like a post."""
        post = make_post(
            author_account_id=OKAFOR,
            kind=PostKind.DIRECT_MESSAGE,
            visibility=Visibility.PRIVATE,
            recipient_account_ids=(STUDENT_AVERY,),
        )
        [finding] = detect_school_hours(post, sample_context())
        assert finding.staff_id == "t-okafor"
        assert finding.evidence["post_kind"] == "direct_message"
        assert "sent a direct message on twitter" in finding.summary


class TestSchoolHoursFinding:
    def test_finding_is_low_and_names_staff_and_building(self):
        """A raised post is low severity, for the staff member and their building."""
        [finding] = detect_school_hours(make_post(), sample_context())
        assert finding.rule == "school_hours"
        assert finding.severity is Severity.LOW
        assert finding.staff_id == "t-ayers"
        assert finding.building_id == "org-whs"
        assert finding.student_ids == ()

    def test_evidence_shows_local_time_and_windows_compared(self):
        """Evidence holds the local time, weekday, school day and the day's duty-free windows."""
        [finding] = detect_school_hours(make_post(), sample_context())
        evidence = finding.evidence
        assert evidence["local_time"] == "2026-10-05T14:00-05:00"
        assert evidence["weekday"] == "Monday"
        assert evidence["school_day"] == {"start": "07:45", "end": "14:55", "set_by": "building"}
        assert evidence["duty_free_windows_that_day"] == [
            {"kind": "lunch", "start": "11:30", "end": "12:00"}
        ]
        assert evidence["in_duty_free_window"] is False
        assert evidence["building_id"] == "org-whs"
        assert evidence["time_zone"] == "America/Chicago"

    def test_evidence_after_fall_back_shows_standard_time(self):
        """In the DST change week the local time carries the standard-time offset."""
        post = make_post(created_at=_utc(11, 2, 20, 50))
        [finding] = detect_school_hours(post, sample_context())
        assert finding.evidence["local_time"] == "2026-11-02T14:50-06:00"
        assert "at 14:50 on Monday 2026-11-02" in finding.summary

    def test_evidence_for_staff_without_duty_free_rows(self):
        """With no duty-free rows the evidence says so and uses the district's school day."""
        post = make_post(author_account_id=BAPTISTE_PERSONAL)
        [finding] = detect_school_hours(post, sample_context())
        assert finding.evidence["duty_free_windows_that_day"] == []
        assert finding.evidence["duty_free_rows_on_file"] == 0
        assert finding.evidence["school_day"]["set_by"] == "district"
        assert finding.building_id == "org-wms"

    def test_summary_names_staff_time_and_policy_line_but_no_student(self):
        """The summary names the staff member, the local time and the policy line, no student."""
        post = make_post(
            author_account_id=OKAFOR,
            kind=PostKind.DIRECT_MESSAGE,
            recipient_account_ids=(STUDENT_JORDAN,),
        )
        [finding] = detect_school_hours(post, sample_context())
        assert finding.summary.startswith("Dana Okafor sent a direct message on twitter at 14:00")
        assert "Wilmington High School (07:45-14:55)" in finding.summary
        assert "duty-free time" in finding.summary
        assert "Jordan" not in finding.summary and "Quill" not in finding.summary

    def test_evidence_carries_the_incident_key(self):
        """The finding's incident key is the post's, so the mailer groups it with other rules."""
        [finding] = detect_school_hours(make_post(), sample_context())
        assert finding.evidence["incident_key"] == "wilmington-209u:twitter:1600000000000009999"
