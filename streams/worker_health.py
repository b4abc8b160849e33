"""The worker's health on the status board: alive, and not stuck retrying its work.

A worker whose Elasticsearch writes keep failing retries them forever (nothing is
skipped), so it stays up while it makes no progress; a worker whose event loop hangs
stops beating. Both go OVERDUE on `tapwatch status` (and so on the compose healthcheck):
the first once its work has failed for longer than `overdue_after_s`, the second once
its last heartbeat is that old.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from core.clock import Clock
from core.component_status import ComponentStatus
from core.retry import RetryPolicy

T = TypeVar("T")

KIND = "worker"


def worker_component(hostname: str | None = None, pid: int | None = None) -> str:
    """This worker's id on the board: `worker:<host>-<pid>` (in a container, the tapwatch
    entrypoint is PID 1, so `worker:<container hostname>-1`)."""
    return f"{KIND}:{hostname or socket.gethostname()}-{pid if pid is not None else os.getpid()}"


@dataclass(slots=True)
class _Failing:
    since: datetime
    error: str
    count: int = 1


@dataclass(slots=True)
class WorkerHealth:
    """What the worker's retried steps last reported, by step (`es.template`, ...)."""

    component: str
    overdue_after_s: float
    _failing: dict[str, _Failing] = field(default_factory=dict)

    def failed(self, what: str, exc: BaseException, now: datetime) -> None:
        """A retried step failed; it stays failing until it succeeds."""
        # The exception's type only: its text may quote a post or an alert.
        error = f"{what}: {type(exc).__name__}"
        current = self._failing.get(what)
        if current is None:
            self._failing[what] = _Failing(now, error)
        else:
            current.error, current.count = error, current.count + 1

    def succeeded(self, what: str) -> None:
        """A step completed: it no longer holds the worker back."""
        self._failing.pop(what, None)

    def status(self, now: datetime) -> ComponentStatus:
        """The heartbeat: last success is now, or when the oldest failing step began."""
        oldest = min(self._failing.values(), key=lambda f: f.since, default=None)
        return ComponentStatus(
            component=self.component,
            kind=KIND,
            updated_at=now,
            last_attempt_at=now,
            last_success_at=oldest.since if oldest else now,
            last_error=oldest.error if oldest else None,
            consecutive_failures=oldest.count if oldest else 0,
            max_interval_s=self.overdue_after_s,
        )


@dataclass(frozen=True, slots=True)
class ReportedRetry:
    """A retry policy whose steps report their failures and successes to the health."""

    policy: RetryPolicy
    health: WorkerHealth
    clock: Clock

    async def run_until_done(
        self,
        action: Callable[[], Awaitable[T]],
        what: str,
        give_up_on: tuple[type[BaseException], ...] = (),
    ) -> T:
        """`RetryPolicy.run_until_done`, with the step's health kept up to date."""

        def failed(exc: BaseException) -> None:
            self.health.failed(what, exc, self.clock.now())

        result = await self.policy.run_until_done(
            action, what, give_up_on=give_up_on, on_failure=failed
        )
        self.health.succeeded(what)
        return result
