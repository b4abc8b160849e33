"""The worker's heartbeat: healthy while its steps succeed, overdue once one keeps failing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core.clock import ManualClock
from core.retry import RetryPolicy
from streams.worker_health import ReportedRetry, WorkerHealth, worker_component

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _health() -> WorkerHealth:
    return WorkerHealth("worker:host-1", overdue_after_s=120.0)


def test_the_component_names_host_and_process() -> None:
    """The board id is worker:<host>-<pid>, so replicas on one host stay apart."""
    assert worker_component("abc123", 1) == "worker:abc123-1"


def test_a_worker_with_no_failing_step_succeeded_just_now() -> None:
    """The beat of a healthy worker: last success now, no error, never overdue yet."""
    status = _health().status(START)
    assert status.kind == "worker"
    assert status.last_success_at == START and status.last_error is None
    assert status.max_interval_s == 120.0


def test_a_failing_step_holds_last_success_at_when_it_began() -> None:
    """While a step keeps failing, its beats keep the time the failing began."""
    health = _health()
    health.failed("index.batch", ConnectionError("es down"), START)
    health.failed("index.batch", ConnectionError("es down"), START + timedelta(seconds=30))
    status = health.status(START + timedelta(minutes=5))
    assert status.last_success_at == START
    assert status.consecutive_failures == 2
    assert status.last_error == "index.batch: ConnectionError"


def test_the_error_names_the_type_never_the_text() -> None:
    """An exception's text may quote a post: only its type goes on the board."""
    health = _health()
    health.failed("detect.batch", ValueError("Ms. Example wrote: meet me at 9"), START)
    assert "Example" not in str(health.status(START).last_error)


def test_a_step_that_succeeds_again_clears_its_failure() -> None:
    """The other steps' health is unaffected; the recovered one is forgotten."""
    health = _health()
    health.failed("index.batch", ConnectionError(), START)
    health.failed("posts_index.batch", TimeoutError(), START + timedelta(seconds=10))
    health.succeeded("index.batch")
    status = health.status(START + timedelta(minutes=1))
    assert status.last_error == "posts_index.batch: TimeoutError"
    health.succeeded("posts_index.batch")
    assert health.status(START + timedelta(minutes=2)).last_error is None


def test_reported_retry_records_failures_then_the_success() -> None:
    """A step retried after failures reports them while failing and clears on success."""
    health, clock = _health(), ManualClock(START)
    retry = ReportedRetry(RetryPolicy(first_s=0.01, max_s=0.01), health, clock)
    seen: list[str | None] = []
    calls = 0

    async def flaky() -> str:
        nonlocal calls
        calls += 1
        seen.append(health.status(START).last_error)
        if calls < 3:
            raise ConnectionError("refused")
        return "done"

    assert asyncio.run(retry.run_until_done(flaky, "index.batch")) == "done"
    assert seen == [None, "index.batch: ConnectionError", "index.batch: ConnectionError"]
    assert health.status(START).last_error is None
