"""The calendar.ics reader: unfolding, all-day events, and what it ignores or refuses."""

from __future__ import annotations

from datetime import date

from policy.calendar_ics import parse_content_line, read_calendar, unfold
from policy.source import Problems


def calendar(*event_lines: str) -> str:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "BEGIN:VEVENT", *event_lines, "END:VEVENT"]
    return "\r\n".join([*body, "END:VCALENDAR", ""])


def days_and_problems(text: str) -> tuple[frozenset[date], list[str]]:
    problems = Problems()
    days = read_calendar(text, problems)
    return days, [str(problem) for problem in problems]


class TestUnfold:
    def test_continuation_lines_join(self):
        """A line starting with a space continues the previous one, keeping its start line."""
        assert unfold("A:one\r\n two\r\nB:x\r\n") == [(1, "A:onetwo"), (3, "B:x")]

    def test_tab_continues_too(self):
        """A leading tab also folds."""
        assert unfold("A:x\n\ty\n") == [(1, "A:xy")]


class TestContentLine:
    def test_quoted_parameter_may_hold_a_colon(self):
        """A colon inside a quoted parameter value does not end the name part."""
        line = parse_content_line(4, 'ATTENDEE;CN="Office: Main":mailto:office@example.org')
        assert line is not None
        assert (line.name, line.params, line.value) == (
            "ATTENDEE",
            {"CN": "Office: Main"},
            "mailto:office@example.org",
        )

    def test_line_without_colon(self):
        """A line with no value part is not a content line."""
        assert parse_content_line(1, "SUMMARY no colon") is None


class TestEvents:
    def test_single_day_without_dtend(self):
        """A DATE DTSTART alone lasts one day."""
        days, problems = days_and_problems(calendar("DTSTART;VALUE=DATE:20270104"))
        assert (days, problems) == ({date(2027, 1, 4)}, [])

    def test_duration_in_days(self):
        """DURATION:P2D covers two days."""
        days, _ = days_and_problems(calendar("DTSTART;VALUE=DATE:20270104", "DURATION:P2D"))
        assert days == {date(2027, 1, 4), date(2027, 1, 5)}

    def test_timed_event_is_not_a_day_off(self):
        """An event with a time (a meeting) does not mark a no-attendance day."""
        days, problems = days_and_problems(
            calendar("DTSTART:20270104T150000Z", "DTEND:20270104T160000Z")
        )
        assert (days, problems) == (frozenset(), [])

    def test_cancelled_event_is_ignored(self):
        """A cancelled all-day event marks nothing."""
        days, _ = days_and_problems(calendar("DTSTART;VALUE=DATE:20270104", "STATUS:CANCELLED"))
        assert days == frozenset()

    def test_alarm_inside_event_does_not_replace_its_dates(self):
        """Properties of a nested VALARM are not the event's."""
        days, _ = days_and_problems(
            calendar(
                "DTSTART;VALUE=DATE:20270104",
                "BEGIN:VALARM",
                "TRIGGER:-PT15M",
                "END:VALARM",
            )
        )
        assert days == {date(2027, 1, 4)}

    def test_dtend_not_after_dtstart(self):
        """An event must end after it starts."""
        _, problems = days_and_problems(
            calendar("DTSTART;VALUE=DATE:20270104", "DTEND;VALUE=DATE:20270104")
        )
        assert problems == ["calendar.ics:5: DTEND: 2027-01-04 is not after DTSTART 2027-01-04"]

    def test_event_without_dtstart(self):
        """An event needs a DTSTART."""
        _, problems = days_and_problems(calendar("SUMMARY:Mystery"))
        assert problems == ["calendar.ics:3: DTSTART: the event has no DTSTART"]

    def test_mismatched_end(self):
        """END must close the component that is open."""
        text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n"
        _, problems = days_and_problems(text)
        assert problems[0] == "calendar.ics:3: END: expected END:VEVENT, got VCALENDAR"

    def test_not_a_calendar(self):
        """Text outside BEGIN:VCALENDAR is refused."""
        _, problems = days_and_problems("hello: world\r\n")
        assert problems == ["calendar.ics:1: (syntax): content outside BEGIN:VCALENDAR"]


class TestRecurrences:
    def test_weekly_rrule_marks_each_occurrence(self):
        """An RRULE event, as Google Calendar exports it, marks every day it recurs on."""
        days, problems = days_and_problems(
            calendar("DTSTART;VALUE=DATE:20270104", "RRULE:FREQ=WEEKLY;COUNT=3")
        )
        assert (days, problems) == ({date(2027, 1, 4), date(2027, 1, 11), date(2027, 1, 18)}, [])

    def test_exdate_removes_an_occurrence(self):
        """An EXDATE takes one occurrence out of the rule."""
        days, _ = days_and_problems(
            calendar(
                "DTSTART;VALUE=DATE:20270104",
                "RRULE:FREQ=WEEKLY;COUNT=3",
                "EXDATE;VALUE=DATE:20270111",
            )
        )
        assert days == {date(2027, 1, 4), date(2027, 1, 18)}

    def test_rdate_adds_a_day(self):
        """An RDATE adds a day outside the rule."""
        days, _ = days_and_problems(
            calendar(
                "DTSTART;VALUE=DATE:20270104",
                "RRULE:FREQ=WEEKLY;COUNT=1",
                "RDATE;VALUE=DATE:20270301",
            )
        )
        assert days == {date(2027, 1, 4), date(2027, 3, 1)}

    def test_multi_day_occurrences_cover_every_day(self):
        """Each occurrence of a two-day recurring event covers both days."""
        days, _ = days_and_problems(
            calendar(
                "DTSTART;VALUE=DATE:20270104",
                "DTEND;VALUE=DATE:20270106",
                "RRULE:FREQ=MONTHLY;COUNT=2",
            )
        )
        assert days == {date(2027, 1, 4), date(2027, 1, 5), date(2027, 2, 4), date(2027, 2, 5)}

    def test_endless_rule_is_bounded(self):
        """A rule without COUNT or UNTIL stops at the horizon instead of running forever."""
        days, problems = days_and_problems(
            calendar("DTSTART;VALUE=DATE:20270104", "RRULE:FREQ=WEEKLY")
        )
        assert problems == []
        assert 100 <= len(days) <= 110

    def test_runaway_daily_rule_is_refused(self):
        """A DAILY rule past the day cap is refused, not loaded into memory."""
        text = calendar(
            "DTSTART;VALUE=DATE:20270104",
            "RRULE:FREQ=DAILY",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "DTSTART;VALUE=DATE:20370104",
        )
        _, problems = days_and_problems(text)
        assert problems == ["calendar.ics:1: RRULE: more than 3660 days off"]

    def test_malformed_rule_is_a_problem(self):
        """An RRULE the library cannot read refuses the calendar with a reason."""
        _, problems = days_and_problems(calendar("DTSTART;VALUE=DATE:20270104", "RRULE:FREQ=BOGUS"))
        assert len(problems) == 1 and problems[0].startswith("calendar.ics:1: RRULE:")


class TestTimedEventWarnings:
    def test_timed_event_is_a_warning(self):
        """A timed event is reported as a warning that names its line and summary."""
        problems = Problems()
        read_calendar(calendar("SUMMARY:Board meeting", "DTSTART:20270104T150000Z"), problems)
        assert [str(w) for w in problems.warnings] == [
            "calendar.ics:5: DTSTART: a timed event (Board meeting) marks no day without "
            "attendance; it is ignored"
        ]
        assert len(problems) == 0
