"""Property tests of the policy parsers: they return a value or raise our error, nothing else."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy import (
    DistrictValidationError,
    InvalidValue,
    Role,
)
from policy.calendar_ics import read_calendar
from policy.csv_rows import CsvTable, read_csv
from policy.district_yaml import read_district_yaml
from policy.references import References
from policy.schedule_csv import read_duty_free
from policy.source import Problems, decode_utf8
from policy.values import (
    enum_parser,
    parse_bool,
    parse_hhmm,
    parse_id_list,
    parse_iso_date,
    parse_iso_datetime,
    parse_timezone,
    parse_weekday,
)

# Generous for a 2-core box; the parsers themselves take microseconds.
PROFILE = settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])

TEXT_PARSERS = (
    parse_hhmm,
    parse_iso_date,
    parse_iso_datetime,
    parse_weekday,
    parse_bool,
    parse_id_list,
    parse_timezone,
    enum_parser(Role, "role"),
)

# Text that looks like what the parsers expect, so the checks past the format are reached too.
timeish = st.from_regex(r"\A[0-9]{1,3}:[0-9]{1,3}\Z")
dateish = st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
datetimeish = st.from_regex(
    r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?\Z"
)
anything = st.one_of(st.text(), timeish, dateish, datetimeish)


@PROFILE
@given(st.sampled_from(TEXT_PARSERS), anything)
def test_parsers_return_or_raise_invalid_value(parser, text):
    """Any text gives a value or InvalidValue with a reason."""
    try:
        parser(text)
    except InvalidValue as exc:
        assert exc.reason


@PROFILE
@given(st.times().map(lambda t: t.replace(second=0, microsecond=0)))
def test_hhmm_round_trip(moment):
    """A time written HH:MM reads back as itself."""
    assert parse_hhmm(moment.strftime("%H:%M")) == moment


@PROFILE
@given(st.dates(min_value=date(1000, 1, 1)))
def test_iso_date_round_trip(day):
    """A date written ISO reads back as itself."""
    assert parse_iso_date(day.isoformat()) == day


offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@PROFILE
@given(st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30)), offsets)
def test_iso_datetime_round_trip_in_utc(moment, offset):
    """A time with any offset reads back as the same instant, in UTC."""
    aware = moment.replace(tzinfo=offset)
    parsed = parse_iso_datetime(aware.isoformat())
    assert parsed == aware
    assert parsed.tzinfo is UTC


@PROFILE
@given(st.text(), st.lists(st.sampled_from(["a", "b", "sourcedId"]), max_size=3))
def test_csv_reader_returns_table_or_refuses(text, required):
    """Any text gives a table or DistrictValidationError carrying positioned problems."""
    try:
        table = read_csv("x.csv", text, required)
    except DistrictValidationError as exc:
        assert exc.problems and all(p.file == "x.csv" and p.line >= 1 for p in exc.problems)
    else:
        assert isinstance(table, CsvTable)
        assert all(row.line >= 2 for row in table.rows)


cell = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=8)


@PROFILE
@given(st.lists(st.tuples(cell, cell), max_size=6))
def test_csv_rows_keep_cells_and_lines(rows):
    """Rows written by a CSV writer read back stripped, each at its own line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["a", "b"])
    writer.writerows(rows)
    table = read_csv("x.csv", buffer.getvalue(), ["a", "b"])
    kept = [(a.strip(), b.strip()) for a, b in rows if a.strip() or b.strip()]
    assert [(row.get("a"), row.get("b")) for row in table.rows] == kept
    lines = [row.line for row in table.rows]
    assert lines == sorted(set(lines))


@PROFILE
@given(st.binary(max_size=64))
def test_utf8_decoding_returns_or_refuses(raw):
    """Any bytes decode or are refused with the line of the bad byte."""
    try:
        decode_utf8("x.csv", raw)
    except DistrictValidationError as exc:
        [problem] = exc.problems
        assert problem.column == "(encoding)"
        assert 1 <= problem.line <= raw.count(b"\n") + 1


@PROFILE
@given(st.text())
def test_calendar_reader_never_raises(text):
    """Any text gives a set of dates, and every problem is recorded with a line."""
    problems = Problems()
    days = read_calendar(text, problems)
    assert isinstance(days, frozenset)
    assert all(problem.line >= 1 for problem in problems)


@PROFILE
@given(st.one_of(st.text(), st.from_regex(r"\A(id|name|school_day|buildings): .{0,20}\Z")))
def test_district_yaml_reader_never_raises(text):
    """Any text gives settings or None with at least one problem."""
    problems = Problems()
    result = read_district_yaml(text, problems)
    assert (result is None) == (len(problems) > 0)


window_rows = st.lists(
    st.tuples(
        st.sampled_from(["mon", "tue"]),
        st.integers(min_value=0, max_value=23),
        st.integers(min_value=1, max_value=120),
    ),
    max_size=8,
)


@PROFILE
@given(window_rows, st.integers(min_value=0, max_value=24 * 60 - 1))
def test_accepted_duty_free_windows_never_overlap(rows, minute):
    """A local time falls in at most one accepted duty-free window."""
    lines = ["staff_sourcedId,weekday,start,end,kind"]
    for weekday, hour, length in rows:
        end = min(hour * 60 + length, 24 * 60 - 1)
        lines.append(f"t-1,{weekday},{hour:02d}:00,{end // 60:02d}:{end % 60:02d},lunch")
    table = read_csv("duty_free.csv", "\n".join(lines), ())
    windows = read_duty_free(table, Problems(), References(None))
    local = datetime(2026, 10, 5, minute // 60, minute % 60)  # a Monday
    assert sum(window.covers(local) for window in windows) <= 1
