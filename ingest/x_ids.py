"""X ids (snowflakes): milliseconds since X's epoch, shifted left 22 bits, so they grow
with time and tell when their item was created."""

from __future__ import annotations

from datetime import UTC, datetime

# The epoch of X snowflake ids (ms since 1970).
TWITTER_EPOCH_MS = 1288834974657


def snowflake_at(moment: datetime) -> int:
    """The smallest X id created at `moment` (ids grow with time)."""
    return max(0, int(moment.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22


def snowflake_time(item_id: int) -> datetime:
    """When the item with this id was created (to the millisecond)."""
    return datetime.fromtimestamp(((item_id >> 22) + TWITTER_EPOCH_MS) / 1000, tz=UTC)
