"""A component's status: success and failure transitions, lag, overdue, codec, table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.component_status import (
    MAX_ERROR_CHARS,
    InvalidStatusRecord,
    new_status,
    status_from_json,
    status_to_json,
)
from tapwatch.status_report import Health, PipelineBacklog, health, render_status, status_json

START = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)
COMPONENT = "connector:wilmington-209u:twitter:1500000000000000001:timeline"


def _connector(interval_s: float | None = 600.0):
    return new_status(
        COMPONENT, "connector", START, district_id="wilmington-209u", max_interval_s=interval_s
    )


class TestTransitions:
    def test_success_clears_the_error_and_counts(self):
        """A success after failures resets the failure count and keeps the counters."""
        status = _connector().failed(START, "HTTP 500", failed=1)
        status = status.succeeded(START + timedelta(seconds=5), fetched=12)
        assert status.last_error is None
        assert status.consecutive_failures == 0
        assert status.last_success_at == START + timedelta(seconds=5)
        assert status.details["fetched"] == 12
        assert status.details["failed"] == 1

    def test_failures_accumulate_with_the_last_reason(self):
        """Each failure counts, and the last reason is kept on one line."""
        status = _connector().failed(START, "first").failed(START, "HTTP 429\nwait")
        assert status.consecutive_failures == 2
        assert status.last_error == "HTTP 429 wait"

    def test_long_error_is_shortened(self):
        """An error longer than a table cell is cut."""
        assert len(_connector().failed(START, "x" * 5000).last_error or "") == MAX_ERROR_CHARS


class TestOverdue:
    def test_within_interval_is_not_overdue(self):
        """A success 5 minutes ago with a 10-minute interval is fine."""
        status = _connector().succeeded(START)
        assert status.overdue_since(START + timedelta(minutes=5)) is None
        assert health(status, START + timedelta(minutes=5)) is Health.OK

    def test_past_interval_is_overdue_from_the_deadline(self):
        """Overdue starts exactly one interval after the last success."""
        status = _connector().succeeded(START).failed(START + timedelta(minutes=1), "HTTP 500")
        now = START + timedelta(minutes=30)
        assert status.overdue_since(now) == START + timedelta(minutes=10)
        assert health(status, now) is Health.OVERDUE

    def test_never_succeeded_counts_from_first_report(self):
        """A component that never worked becomes overdue one interval after it started."""
        status = _connector().failed(START + timedelta(minutes=9), "token expired")
        assert status.overdue_since(START + timedelta(minutes=9)) is None
        assert status.overdue_since(START + timedelta(minutes=11)) == START + timedelta(minutes=10)

    def test_no_interval_is_never_overdue(self):
        """Components without an interval are only failing, never overdue."""
        status = _connector(None).failed(START, "down")
        assert health(status, START + timedelta(days=3)) is Health.FAILING


class TestCodec:
    def test_round_trip(self):
        """A status decodes to an equal status."""
        status = _connector().succeeded(START, fetched=3).failed(START, "HTTP 500")
        assert status_from_json(status_to_json(status)) == status

    @pytest.mark.parametrize(
        "payload",
        [b"\xff", b"[]", b'{"component": "c"}', b'{"component":"c","kind":"k","updated_at":"x"}'],
    )
    def test_bad_records_are_refused(self, payload: bytes):
        """Records that are not statuses raise InvalidStatusRecord."""
        with pytest.raises(InvalidStatusRecord):
            status_from_json(payload)


class TestReport:
    def test_table_names_the_overdue_component_and_its_error(self):
        """The table shows the component, OVERDUE, its lag and why it failed."""
        status = _connector().succeeded(START).failed(START, "HTTP 401: token expired")
        text = render_status(
            {COMPONENT: status},
            [PipelineBacklog("tapwatch-posts", "tapwatch", 7)],
            START + timedelta(hours=1),
        )
        [row] = [line for line in text.splitlines() if line.startswith(COMPONENT)]
        assert "OVERDUE" in row and "60m" in row and "token expired" in row
        assert "tapwatch-posts: 7 record(s) waiting for tapwatch" in text

    def test_json_has_state_and_overdue_time(self):
        """The JSON form carries the state and when the component became overdue."""
        now = START + timedelta(hours=1)
        shown = status_json(_connector().succeeded(START), now)
        assert shown["state"] == "OVERDUE"
        assert shown["overdue_since"] == (START + timedelta(minutes=10)).isoformat()
