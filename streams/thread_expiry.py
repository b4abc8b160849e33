"""When an idle conversation may be forgotten: a per-partition stream clock and a sweep cursor.

Pure bookkeeping, no Kafka: the conversation table (`streams/thread_table.py`) feeds the
clock with the states it writes and asks the cursor which keys to look at next.

Time is the posts' event time, per partition, not the wall clock: a replay of last
month's posts must not lose its threads halfway through because the wall clock says they
are old, and a partition that lags behind the others must not lose its threads because
the others have moved on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

# A post dated further ahead of the wall clock than this does not move the stream clock
# (a bogus date must not make every conversation of its partition look idle).
MAX_AHEAD = timedelta(days=1)


class StreamClock:
    """The newest event time written per partition, never beyond the wall clock + MAX_AHEAD."""

    def __init__(self) -> None:
        self._times: dict[int, datetime] = {}

    def advance(self, partition: int, event_time: datetime | None, now: datetime) -> None:
        if event_time is None or event_time > now + MAX_AHEAD:
            return
        current = self._times.get(partition)
        if current is None or event_time > current:
            self._times[partition] = event_time

    def horizon(self, partition: int, ttl: timedelta) -> datetime | None:
        """Conversations whose newest item is older than this are idle (None: no time yet)."""
        current = self._times.get(partition)
        return None if current is None else current - ttl

    def oldest_horizon(self, ttl: timedelta) -> datetime | None:
        """The earliest horizon over every partition with a time: a state at or after it is
        idle in no partition, so it can be kept without working out its partition."""
        return min(self._times.values()) - ttl if self._times else None


class SweepCursor:
    """Hands out the table's keys a slice at a time, one pass after another.

    A pass walks a snapshot of the keys taken when it starts (keys added later wait for
    the next pass), and a new pass starts at most every `interval_s` seconds.
    """

    def __init__(self, interval_s: float) -> None:
        self._interval_s = interval_s
        self._keys: list[bytes] = []
        self._next = 0
        self._pass_started_s: float | None = None

    def next_slice(
        self, snapshot: Callable[[], Iterable[bytes]], budget: int, monotonic_s: float
    ) -> list[bytes]:
        if self._next >= len(self._keys):
            started = self._pass_started_s
            if started is not None and monotonic_s - started < self._interval_s:
                return []
            self._keys = list(snapshot())
            self._next = 0
            self._pass_started_s = monotonic_s
        keys = self._keys[self._next : self._next + budget]
        self._next += len(keys)
        if self._next >= len(self._keys):
            self._keys = []  # do not hold the pass's keys until the next one
            self._next = 0
        return keys
