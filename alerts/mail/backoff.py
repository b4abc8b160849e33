"""Exponential backoff of SMTP retries: when to try again after n failures in a row. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class Backoff:
    """Waits base_s, 2*base_s, 4*base_s, ... capped at max_s (seconds)."""

    base_s: float = 2.0
    max_s: float = 300.0

    def __post_init__(self) -> None:
        if not 0 < self.base_s <= self.max_s:
            raise ValueError("backoff needs 0 < base_s <= max_s")

    def delay_s(self, failures: int) -> float:
        if failures <= 0:
            return 0.0
        growth = float(2 ** min(failures - 1, 30))
        return min(self.max_s, self.base_s * growth)

    def next_attempt(self, now: datetime, failures: int) -> datetime:
        return now + timedelta(seconds=self.delay_s(failures))
