"""Deadlines for every wait of a benchmark run, and the errors a run stops with."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


class BenchError(Exception):
    """A benchmark run cannot go on; the message says why and what to look at."""


class BenchTimeout(BenchError):
    """A wait passed its deadline."""


@dataclass(slots=True)
class Deadline:
    """A point in monotonic time that a wait must not pass."""

    seconds: float
    what: str
    _end: float = field(init=False)

    def __post_init__(self) -> None:
        self._end = time.monotonic() + self.seconds

    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())

    def passed(self) -> bool:
        return time.monotonic() >= self._end

    def check(self, progress: str = "") -> None:
        """Raise BenchTimeout naming the wait (and how far it got) once the deadline passed."""
        if self.passed():
            detail = f" ({progress})" if progress else ""
            raise BenchTimeout(
                f"timed out after {self.seconds:.0f}s waiting for {self.what}{detail}"
            )
