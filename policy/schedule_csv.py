"""duty_free.csv and sessions.csv: when a staff member is off duty or in a registered session."""

from __future__ import annotations

from datetime import datetime, time

from policy.csv_rows import CsvTable, RowFields
from policy.model import DutyFreeKind, DutyFreeWindow, Session
from policy.references import Needs, References
from policy.source import Problems
from policy.values import (
    enum_parser,
    parse_hhmm,
    parse_iso_datetime,
    parse_token,
    parse_weekday,
)

DUTY_FREE = "duty_free.csv"
SESSIONS = "sessions.csv"

DUTY_FREE_REQUIRED = ("staff_sourcedId", "weekday", "start", "end", "kind")
SESSIONS_REQUIRED = ("staff_sourcedId", "platform", "thread_id", "starts_at", "ends_at")

_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_parse_kind = enum_parser(DutyFreeKind, "duty-free kind")


def read_duty_free(table: CsvTable, problems: Problems, refs: References) -> list[DutyFreeWindow]:
    """Windows of one staff member on one weekday must not overlap: a time is in at most one."""
    windows: list[DutyFreeWindow] = []
    placed: dict[tuple[str, int], list[tuple[time, time, int]]] = {}
    for row in table.rows:
        f = RowFields(table.file, row, problems)
        staff = f.text("staff_sourcedId")
        weekday = f.parse("weekday", parse_weekday)
        start = f.parse("start", parse_hhmm)
        end = f.parse("end", parse_hhmm)
        kind = f.parse("kind", _parse_kind)
        refs.check(f, "staff_sourcedId", staff, Needs.STAFF)
        if start is not None and end is not None and start >= end:
            f.fail("end", f"{end:%H:%M} is not after start {start:%H:%M}")
        if not f.ok or staff is None or weekday is None or start is None or end is None:
            continue
        day = placed.setdefault((staff, weekday), [])
        clash = next((other for other in day if other[0] < end and start < other[1]), None)
        if clash is not None:
            other_start, other_end, other_line = clash
            f.fail(
                "start",
                f"overlaps {_WEEKDAY_NAMES[weekday]} {other_start:%H:%M}-{other_end:%H:%M}"
                f" on line {other_line}",
            )
            continue
        day.append((start, end, row.line))
        if kind is not None:
            windows.append(DutyFreeWindow(staff, weekday, start, end, kind))
    return windows


def read_sessions(table: CsvTable, problems: Problems, refs: References) -> list[Session]:
    sessions: list[Session] = []
    for row in table.rows:
        f = RowFields(table.file, row, problems)
        staff = f.text("staff_sourcedId")
        platform = f.parse("platform", parse_token)
        thread_id = f.text("thread_id")
        starts_at: datetime | None = f.parse("starts_at", parse_iso_datetime)
        ends_at: datetime | None = f.parse("ends_at", parse_iso_datetime)
        refs.check(f, "staff_sourcedId", staff, Needs.STAFF)
        if starts_at is not None and ends_at is not None and starts_at >= ends_at:
            f.fail("ends_at", f"{row.get('ends_at')} is not after starts_at {row.get('starts_at')}")
        if f.ok and staff and platform and thread_id and starts_at and ends_at:
            sessions.append(Session(staff, platform, thread_id, starts_at, ends_at))
    return sessions
