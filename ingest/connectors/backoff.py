"""How long an endpoint waits after a failed poll: exponential backoff with jitter.

Pure arithmetic: the caller passes the random draw (`rand`, in [0, 1)) and the clock,
so the waits are testable. Each endpoint keeps its own failure count; the others poll
on schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# First wait after a failure (seconds): long enough not to hammer a struggling API.
DEFAULT_INITIAL_S = 5.0
# The longest wait between two attempts (seconds): a platform outage is retried at
# least every 15 minutes, well inside any endpoint's overdue interval.
DEFAULT_MAX_S = 900.0
# Past a rate limit's reset time, wait this much more (seconds): clocks differ.
RATE_LIMIT_MARGIN_S = 1.0


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    """Wait `initial_s * multiplier**(failures-1)`, capped at `max_s`, minus random jitter.

    `jitter` is the fraction of the wait that is random (0.5: between half and all of
    it), so that endpoints failing together do not retry together.
    """

    initial_s: float = DEFAULT_INITIAL_S
    max_s: float = DEFAULT_MAX_S
    multiplier: float = 2.0
    jitter: float = 0.5

    def __post_init__(self) -> None:
        if self.initial_s <= 0 or self.max_s < self.initial_s:
            raise ValueError("backoff needs 0 < initial_s <= max_s")
        if self.multiplier < 1 or not 0 <= self.jitter <= 1:
            raise ValueError("backoff needs multiplier >= 1 and jitter in [0, 1]")

    @classmethod
    def for_poll_interval(cls, poll_interval_s: float) -> BackoffPolicy:
        """Never wait longer before the first retry than a normal poll would."""
        initial = min(DEFAULT_INITIAL_S, poll_interval_s)
        return cls(initial_s=initial, max_s=max(DEFAULT_MAX_S, initial))

    def delay_s(self, failures: int, rand: float) -> float:
        """The wait after the `failures`-th consecutive failure (failures >= 1)."""
        if failures < 1:
            raise ValueError("delay_s is for failures >= 1")
        exponent = min(failures - 1, 64)  # 2**64 seconds is past any cap already
        base = min(self.max_s, self.initial_s * self.multiplier**exponent)
        return base * (1.0 - self.jitter * min(max(rand, 0.0), 1.0))


def rate_limit_wait_s(retry_at: datetime, now: datetime) -> float:
    """Seconds until the platform's reset time, plus a margin; never less than the margin."""
    return max(0.0, (retry_at - now).total_seconds()) + RATE_LIMIT_MARGIN_S
