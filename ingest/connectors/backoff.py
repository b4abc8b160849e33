"""How long an endpoint waits after a failed poll or a rate limit. Pure.

The retry arithmetic is core/retry.py's; this module sets the connectors' numbers. The
caller passes the random draw and the clock, so the waits are testable. Each endpoint
keeps its own failure count; the others poll on schedule.
"""

from __future__ import annotations

from datetime import datetime

from core.retry import RetryPolicy

# First wait after a failure (seconds): long enough not to hammer a struggling API.
DEFAULT_INITIAL_S = 5.0
# The longest wait between two attempts (seconds): a platform outage is retried at
# least every 15 minutes, well inside any endpoint's overdue interval.
DEFAULT_MAX_S = 900.0
# The fraction of a wait that is random, so that endpoints failing together do not
# retry together (0.5: between half and all of the wait).
POLL_JITTER = 0.5
# Past a rate limit's reset time, wait this much more (seconds): clocks differ.
RATE_LIMIT_MARGIN_S = 1.0


def poll_backoff(poll_interval_s: float) -> RetryPolicy:
    """The endpoint's retry policy: never wait longer before the first retry than a
    normal poll would."""
    initial = min(DEFAULT_INITIAL_S, poll_interval_s)
    return RetryPolicy(first_s=initial, max_s=max(DEFAULT_MAX_S, initial), jitter=POLL_JITTER)


# The longest a rate limit silences an endpoint (seconds): a reset time further out
# (year 9999, a clock gone wrong) is not believed; the endpoint asks again after this.
MAX_RATE_LIMIT_WAIT_S = 15 * 60.0


def rate_limit_wait_s(retry_at: datetime, now: datetime) -> float:
    """Seconds until the platform's reset time, plus a margin; at least the margin, at most
    MAX_RATE_LIMIT_WAIT_S."""
    wait = max(0.0, (retry_at - now).total_seconds()) + RATE_LIMIT_MARGIN_S
    return min(wait, MAX_RATE_LIMIT_WAIT_S)


def rate_limit_capped(retry_at: datetime, now: datetime) -> bool:
    """Whether the platform's reset time lies past the cap (worth a warning on the status)."""
    return (retry_at - now).total_seconds() + RATE_LIMIT_MARGIN_S > MAX_RATE_LIMIT_WAIT_S
