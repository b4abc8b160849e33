"""The one retry policy: capped exponential backoff with optional jitter, on tenacity.

A `RetryPolicy` serves two kinds of caller:
- a loop that must not give up (the worker while Elasticsearch is down):
  `await policy.run_until_done(action, "es.write")` retries forever, logging each failure;
- a scheduler that keeps its own failure count (the mailer's SMTP retries, a connector's
  polls): `policy.delay_s(failures, rand)` is the pure wait after `failures` failures in a
  row, with the random draw passed in so that tests can choose it.
Both read the same tenacity wait strategy, so the arithmetic lives in one place.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_never,
    wait_exponential,
)
from tenacity.wait import wait_base

log = logging.getLogger(__name__)

T = TypeVar("T")

# A retry state only needs an owner to exist; the pure delay never runs it.
_NO_RETRYING = Retrying()


class _ShortenedByJitter(wait_base):
    """Takes a random fraction (up to `jitter`) off the inner wait, so that callers that
    failed together do not retry together."""

    def __init__(self, inner: wait_base, jitter: float, rand: Callable[[], float]) -> None:
        self._inner = inner
        self._jitter = jitter
        self._rand = rand

    def __call__(self, retry_state: RetryCallState) -> float:
        draw = min(max(self._rand(), 0.0), 1.0)
        return self._inner(retry_state) * (1.0 - self._jitter * draw)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Wait `first_s * multiplier**(failures-1)`, capped at `max_s` (seconds), minus jitter.

    `jitter` is the fraction of a wait that is random (0.5: between half and all of it).
    """

    first_s: float
    max_s: float
    multiplier: float = 2.0
    jitter: float = 0.0

    def __post_init__(self) -> None:
        if not 0 < self.first_s <= self.max_s:
            raise ValueError("a retry policy needs 0 < first_s <= max_s")
        if self.multiplier < 1 or not 0 <= self.jitter <= 1:
            raise ValueError("a retry policy needs multiplier >= 1 and jitter in [0, 1]")

    def wait(self, rand: Callable[[], float] = random.random) -> wait_base:
        """The tenacity wait strategy of this policy, drawing its jitter from `rand`."""
        exponential = wait_exponential(
            multiplier=self.first_s, max=self.max_s, exp_base=self.multiplier
        )
        if self.jitter == 0:
            return exponential
        return _ShortenedByJitter(exponential, self.jitter, rand)

    def delay_s(self, failures: int, rand: float = 0.0) -> float:
        """The wait after the `failures`-th failure in a row; none before any failure.

        `rand` is the random draw in [0, 1) that sets the jitter (unused without jitter).
        """
        if failures <= 0:
            return 0.0
        state = RetryCallState(_NO_RETRYING, None, (), {})
        state.attempt_number = failures
        return float(self.wait(lambda: rand)(state))

    def next_attempt(self, now: datetime, failures: int, rand: float = 0.0) -> datetime:
        """When to try again, `failures` failures in a row after `now`."""
        return now + timedelta(seconds=self.delay_s(failures, rand))

    async def run_until_done(
        self,
        action: Callable[[], Awaitable[T]],
        what: str,
        give_up_on: tuple[type[BaseException], ...] = (),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> T:
        """Run `action()` until it returns, retrying every failure but `give_up_on`.

        For work whose caller acks its input once it returns: it must not return (or
        raise) before the work is done, so a failure is retried, never skipped. A
        cancellation is never retried. `on_failure` hears of each failure that is retried
        (the worker's health, for one).
        """

        def worth_retrying(exc: BaseException) -> bool:
            return isinstance(exc, Exception) and not isinstance(exc, give_up_on)

        def log_failure(state: RetryCallState) -> None:
            failure = state.outcome.exception() if state.outcome else None
            log.error(
                "%s.failed retry_in=%.1fs",
                what,
                state.upcoming_sleep,
                exc_info=failure,
            )
            if on_failure is not None and failure is not None:
                on_failure(failure)

        retrying = AsyncRetrying(
            sleep=sleep,
            stop=stop_never,
            wait=self.wait(rand),
            retry=retry_if_exception(worth_retrying),
            before_sleep=log_failure,
            reraise=True,
        )
        return await retrying(action)
