"""How large a platform response line and a Kafka record tapwatch writes may be (bytes).

Kafka refuses records over its `max.message.bytes` (about 1 MiB by default); the raw
responses topic is created to take a whole response file line (core.kafka_admin).
"""

from __future__ import annotations

# One response (a .jsonl line or a whole .json file) larger than this is refused
# unread: X pages hold at most 100 tweets, far below it.
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
# Largest post or dead-letter record: under Kafka's default 1 MiB, with room for the
# record's key and headers.
MAX_RECORD_BYTES = 1_000_000
# Largest raw-response record: one whole response line, plus its envelope.
MAX_RAW_RECORD_BYTES = MAX_RESPONSE_BYTES + 64 * 1024
# The producer's request limit: one raw record and its batch overhead.
MAX_REQUEST_BYTES = MAX_RAW_RECORD_BYTES + 64 * 1024
