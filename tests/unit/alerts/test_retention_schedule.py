"""The retention schedule: rounds, their status on the board, retries, and stopping."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from alerts.es_retention import PurgeReport
from alerts.retention_schedule import (
    COMPONENT,
    KIND,
    RETRY_AFTER_FAILURE_S,
    overdue_after_s,
    run_schedule,
)
from core.clock import ManualClock
from core.component_status import ComponentStatus, new_status

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
DAY_S = 24 * 3600.0


class _StopAfter(threading.Event):
    """Records each wait between rounds; sets itself after `rounds` of them."""

    def __init__(self, rounds: int) -> None:
        super().__init__()
        self.rounds = rounds
        self.waits: list[float | None] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout)
        if len(self.waits) >= self.rounds:
            self.set()
        return self.is_set()


def _report(deleted: int) -> PurgeReport:
    return PurgeReport(
        START - timedelta(days=30),
        False,
        deleted=[f"d:twitter:{n}:v" for n in range(deleted)],
        kept_for_alerts=2,
    )


def _run(outcomes: list[PurgeReport | Exception], publish_fails: bool = False):
    pending = list(outcomes)
    published: list[ComponentStatus] = []

    def purge_once() -> PurgeReport:
        outcome = pending.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def publish(status: ComponentStatus) -> None:
        if publish_fails:
            raise ConnectionError("Kafka down")
        published.append(status)

    stop = _StopAfter(len(outcomes))
    last = run_schedule(purge_once, publish, DAY_S, stop, ManualClock(START))
    return last, published, stop.waits


def test_each_round_publishes_its_counts_and_the_next_waits_a_full_interval():
    last, published, waits = _run([_report(3), _report(0)])
    assert [s.details["deleted"] for s in published] == [3, 0]
    assert published[0].component == COMPONENT and published[0].last_error is None
    assert published[0].details["kept_for_alerts"] == 2
    assert published[0].details["cutoff"] == (START - timedelta(days=30)).isoformat()
    assert waits == [DAY_S, DAY_S]
    assert last.max_interval_s == overdue_after_s(DAY_S) == 2 * DAY_S + 3600


def test_a_failed_round_is_shown_retried_sooner_and_cleared_by_a_success():
    _, published, waits = _run([OSError("Elasticsearch unreachable"), _report(1)])
    failed, recovered = published
    assert failed.last_error == "OSError: Elasticsearch unreachable"
    assert failed.consecutive_failures == 1 and failed.last_success_at is None
    assert recovered.last_error is None and recovered.consecutive_failures == 0
    assert waits == [RETRY_AFTER_FAILURE_S, DAY_S]


def test_failures_past_two_intervals_make_retention_overdue():
    failing = new_status(COMPONENT, KIND, START, max_interval_s=overdue_after_s(DAY_S))
    assert failing.overdue_since(START + timedelta(days=2)) is None
    assert failing.overdue_since(START + timedelta(days=2, hours=2)) is not None


def test_a_status_board_it_cannot_reach_does_not_end_the_schedule():
    last, published, waits = _run([_report(2), _report(1)], publish_fails=True)
    assert published == [] and waits == [DAY_S, DAY_S]
    assert last.details["deleted"] == 1


def test_a_stop_set_before_the_start_runs_no_round():
    stop = threading.Event()
    stop.set()
    calls: list[str] = []
    clock = ManualClock(START)
    run_schedule(lambda: calls.append("purge") or _report(0), calls.append, DAY_S, stop, clock)  # type: ignore[arg-type, func-returns-value]
    assert calls == []
