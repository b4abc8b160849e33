"""Pure wall-clock helpers: an event-time instant seen in the district's time zone."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

# date.weekday() order, as duty_free.csv's mon..fri and DutyFreeWindow.weekday use it.
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def to_local(moment: datetime, zone: ZoneInfo) -> datetime:
    """The local wall-clock time of an aware instant; zoneinfo applies the DST offset in force.

    Never add a fixed offset instead: in a DST change week the same UTC hour is a
    different local hour before and after the Sunday of the change.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an event time must be timezone-aware")
    return moment.astimezone(zone)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """The district's calendar date of an aware instant (late evening UTC-5 is still today)."""
    return to_local(moment, zone).date()


def hhmm(clock: time) -> str:
    """`HH:MM`, the way district files and principals write times."""
    return clock.strftime("%H:%M")
