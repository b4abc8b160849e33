"""What happens to a Kafka record larger than tapwatch writes (sizes: core.record_sizes).

Kafka refuses records over its `max.message.bytes` (about 1 MiB by default). A post
record over the limit is never sent: it becomes a dead letter saying why (the item's
JSON, cut to the dead-letter size), so nothing is silently lost and the producer
never fails on it. Raw responses (an audit copy of what the platform sent) go to a
topic created to take a whole response file line.
"""

from __future__ import annotations

from ingest.dead_letter import DeadLetter


def oversized_letter(
    what: str, value: bytes, limit: int, source: str | None, key: bytes | None
) -> DeadLetter:
    """The dead letter of a record too large to send."""
    reason = f"{what} record is {len(value):,} bytes, over the {limit:,}-byte limit of Kafka"
    return DeadLetter("ingest", reason, value, source=source, key=key)
