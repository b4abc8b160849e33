"""How large a Kafka record tapwatch writes may be, and what happens to a larger one.

Kafka refuses records over its `max.message.bytes` (about 1 MiB by default). A post
record over the limit is never sent: it becomes a dead letter saying why (the item's
JSON, cut to the dead-letter size), so nothing is silently lost and the producer
never fails on it. Raw responses (an audit copy of what the platform sent) go to a
topic created to take a whole response file line.
"""

from __future__ import annotations

from ingest.dead_letter import DeadLetter
from ingest.response_files import MAX_RESPONSE_BYTES

# Largest post or dead-letter record (bytes): under Kafka's default 1 MiB, with room
# for the record's key and headers.
MAX_RECORD_BYTES = 1_000_000
# Largest raw-response record (bytes): one whole response line, plus its envelope.
MAX_RAW_RECORD_BYTES = MAX_RESPONSE_BYTES + 64 * 1024
# The producer's request limit: one raw record and its batch overhead.
MAX_REQUEST_BYTES = MAX_RAW_RECORD_BYTES + 64 * 1024


def oversized_letter(
    what: str, value: bytes, limit: int, source: str | None, key: bytes | None
) -> DeadLetter:
    """The dead letter of a record too large to send."""
    reason = f"{what} record is {len(value):,} bytes, over the {limit:,}-byte limit of Kafka"
    return DeadLetter("ingest", reason, value, source=source, key=key)
