"""calendar.ics (RFC 5545): the days its all-day VEVENTs cover, when students do not attend.

Two passes. The first walks the unfolded content lines, so that every problem names
its line (the libraries do not keep line numbers), checks each VEVENT's dates, and
notes timed events as warnings. The second, only for a calendar the first accepted,
hands the text to `icalendar` and expands recurrences (RRULE, RDATE, EXDATE,
RECURRENCE-ID overrides) with `recurring-ical-events`, as Google Calendar and Outlook
exports need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import icalendar
import recurring_ical_events

from policy.source import Problems

CALENDAR = "calendar.ics"

# An all-day event longer than a school year is a typo, and would fill memory with dates (days).
MAX_EVENT_DAYS = 366

_NAME = re.compile(r"[A-Za-z0-9-]+")
_DATE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_DATETIME = re.compile(r"[0-9]{8}T[0-9]{6}Z?")
_DAYS = re.compile(r"P([0-9]+)([DW])")
# Recurrences without an end are expanded this far past the last event's start (days):
# two school years covers any calendar a district exports for the current one.
RECURRENCE_HORIZON_DAYS = 2 * 366
# At most this many no-attendance days from one calendar: bounds memory for a runaway
# DAILY rule (ten school years of days is far more than a real calendar holds).
MAX_CALENDAR_DAYS = 3660


@dataclass(frozen=True, slots=True)
class ContentLine:
    """One unfolded content line: `NAME;PARAM=VALUE:value`, names and params upper-cased."""

    line: int
    name: str
    params: dict[str, str]
    value: str


@dataclass(slots=True)
class _Event:
    line: int
    props: dict[str, ContentLine] = field(default_factory=dict)


def unfold(text: str) -> list[tuple[int, str]]:
    """Logical lines with the physical line each starts on; a leading space or tab continues."""
    logical: list[tuple[int, str]] = []
    for number, physical in enumerate(text.splitlines(), start=1):
        if physical[:1] in (" ", "\t") and logical:
            start, joined = logical[-1]
            logical[-1] = (start, joined + physical[1:])
        elif physical.strip():
            logical.append((number, physical))
    return logical


def parse_content_line(line: int, text: str) -> ContentLine | None:
    """Split at the first `:` and the `;`s that are not inside a quoted parameter value."""
    parts: list[str] = []
    start = 0
    quoted = False
    colon = -1
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in ";:":
            parts.append(text[start:index])
            start = index + 1
            if char == ":":
                colon = index
                break
    if colon < 0:
        return None
    name, *raw_params = parts
    params: dict[str, str] = {}
    for raw in raw_params:
        key, sep, param_value = raw.partition("=")
        if not sep or _NAME.fullmatch(key) is None:
            return None
        params[key.upper()] = param_value.strip('"')
    if _NAME.fullmatch(name) is None:
        return None
    return ContentLine(line, name.upper(), params, text[colon + 1 :])


def read_calendar(text: str, problems: Problems) -> frozenset[date]:
    """Every date covered by an all-day, non-cancelled VEVENT or one of its recurrences
    (DTEND is exclusive); timed events are warnings, other problems refuse the file."""
    before = len(problems)
    starts = _check_structure(text, problems)
    if len(problems) > before or not starts:
        return frozenset()
    return _expanded_days(text, min(starts), max(starts), problems)


def _check_structure(text: str, problems: Problems) -> list[date]:
    """Pass 1: the line structure and each event's dates; the all-day events' starts."""
    days: list[date] = []
    stack: list[str] = []
    event: _Event | None = None
    for number, raw in unfold(text):
        content = parse_content_line(number, raw)
        if content is None:
            problems.add(CALENDAR, number, "(syntax)", "not an iCalendar content line")
            continue
        if not stack and content.name != "BEGIN":
            problems.add(CALENDAR, number, "(syntax)", "content outside BEGIN:VCALENDAR")
            continue
        if content.name == "BEGIN":
            component = content.value.upper()
            if not stack and component != "VCALENDAR":
                problems.add(CALENDAR, number, "BEGIN", f"expected VCALENDAR, got {component}")
            stack.append(component)
            if component == "VEVENT":
                event = _Event(number)
        elif content.name == "END":
            component = content.value.upper()
            if stack[-1] != component:
                problems.add(CALENDAR, number, "END", f"expected END:{stack[-1]}, got {component}")
                continue
            stack.pop()
            if component == "VEVENT" and event is not None:
                start = _event_start(event, problems)
                if start is not None:
                    days.append(start)
                event = None
        elif event is not None and stack[-1] == "VEVENT":
            event.props.setdefault(content.name, content)
    if stack:
        problems.add(CALENDAR, len(text.splitlines()) or 1, "END", f"END:{stack[-1]} is missing")
    return days


def _event_start(event: _Event, problems: Problems) -> date | None:
    """The all-day event's start once its dates check out; None for a timed event (a
    warning: it marks no day) or a cancelled or refused one."""
    status = event.props.get("STATUS")
    if status is not None and status.value.upper() == "CANCELLED":
        return None
    start_prop = event.props.get("DTSTART")
    if start_prop is None:
        problems.add(CALENDAR, event.line, "DTSTART", "the event has no DTSTART")
        return None
    before = len(problems)
    start = _date_value(start_prop, problems)
    if start is None:
        if len(problems) == before:
            summary = event.props.get("SUMMARY")
            what = f" ({summary.value[:60]})" if summary is not None else ""
            problems.warn(
                CALENDAR,
                start_prop.line,
                "DTSTART",
                f"a timed event{what} marks no day without attendance; it is ignored",
            )
        return None
    end = _event_end(event, start, problems)
    if end is None:
        return None
    length = (end - start).days
    if length > MAX_EVENT_DAYS:
        problems.add(CALENDAR, start_prop.line, "DTEND", f"the event lasts {length} days")
        return None
    return start


def _expanded_days(text: str, first: date, last: date, problems: Problems) -> frozenset[date]:
    """Pass 2: every day of every all-day occurrence, recurrences expanded by the libraries."""
    horizon = last + timedelta(days=RECURRENCE_HORIZON_DAYS)
    try:
        calendar = icalendar.Calendar.from_ical(text)
        occurrences = recurring_ical_events.of(calendar).between(first, horizon)
    except Exception as exc:  # the libraries raise many types; any is a refusal of the file
        problems.add(CALENDAR, 1, "RRULE", f"the calendar cannot be expanded: {exc}")
        return frozenset()
    days: set[date] = set()
    for occurrence in occurrences:
        if str(occurrence.get("STATUS", "")).upper() == "CANCELLED":
            continue
        start = occurrence.decoded("DTSTART", None)
        if not isinstance(start, date) or isinstance(start, datetime):
            continue  # a timed occurrence (a RECURRENCE-ID override may move it): no day off
        end = occurrence.decoded("DTEND", None)
        stop = end if isinstance(end, date) and not isinstance(end, datetime) else start
        length = max(1, min((stop - start).days, MAX_EVENT_DAYS))
        days.update(start + timedelta(days=offset) for offset in range(length))
        if len(days) > MAX_CALENDAR_DAYS:
            problems.add(CALENDAR, 1, "RRULE", f"more than {MAX_CALENDAR_DAYS} days off")
            return frozenset()
    return frozenset(days)


def _event_end(event: _Event, start: date, problems: Problems) -> date | None:
    end_prop = event.props.get("DTEND")
    if end_prop is not None:
        end = _date_value(end_prop, problems)
        if end is not None and end <= start:
            problems.add(CALENDAR, end_prop.line, "DTEND", f"{end} is not after DTSTART {start}")
            return None
        if end is None and _DATETIME.fullmatch(end_prop.value):
            problems.add(CALENDAR, end_prop.line, "DTEND", "an all-day event needs a DATE DTEND")
        return end
    duration = event.props.get("DURATION")
    if duration is None:
        return start + timedelta(days=1)  # RFC 5545 3.6.1: a DATE DTSTART alone lasts one day
    match = _DAYS.fullmatch(duration.value)
    if match is None:
        problems.add(
            CALENDAR, duration.line, "DURATION", f"expected PnD or PnW, got {duration.value!r}"
        )
        return None
    count = int(match[1]) * (7 if match[2] == "W" else 1)
    if count < 1:
        problems.add(CALENDAR, duration.line, "DURATION", "the event lasts no days")
        return None
    return start + timedelta(days=count)


def _date_value(prop: ContentLine, problems: Problems) -> date | None:
    """A DATE value; None for a DATE-TIME (a timed event) or a malformed value (reported)."""
    value = prop.value.strip()
    is_date = prop.params.get("VALUE", "").upper() == "DATE" or len(value) == 8
    if not is_date and _DATETIME.fullmatch(value):
        return None
    match = _DATE.fullmatch(value)
    if match is not None:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    problems.add(CALENDAR, prop.line, prop.name, f"expected a date YYYYMMDD, got {value!r}")
    return None
