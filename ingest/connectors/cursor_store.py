"""Each endpoint's durable state (cursor + known items) in the compacted cursors topic.

One record per endpoint, keyed `district:platform:account:endpoint`, value JSON
`{"v": 1, "cursor": {...}, "known": {...}}`. Records are written inside the same
Kafka transaction as the page's posts (`kafka_page_writer`), so they are read with
`isolation_level=read_committed`: a state whose page was never committed is never
seen. Read the states only after the writer's `init_transactions()`: until then a
transaction left open by a killed process holds the read_committed end back.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError

from ingest.connectors.seen_items import KnownItems
from ingest.connectors.source import Cursor
from tapwatch.errors import TransientError
from tapwatch.settings import KafkaSettings

log = logging.getLogger(__name__)

STATE_VERSION = 1
# How long one poll of the reader waits for records (ms).
POLL_TIMEOUT_MS = 200


@dataclass(frozen=True, slots=True)
class EndpointState:
    """Where an endpoint resumes, and which items it already published."""

    cursor: Cursor = field(default_factory=dict)
    known: KnownItems = field(default_factory=KnownItems)


def state_key(district_id: str, platform: str, account_id: str, endpoint: str) -> str:
    return f"{district_id}:{platform}:{account_id}:{endpoint}"


def state_to_json(state: EndpointState) -> bytes:
    record = {"v": STATE_VERSION, "cursor": dict(state.cursor), "known": state.known.to_dict()}
    return json.dumps(record, separators=(",", ":"), sort_keys=True).encode()


def state_from_json(payload: bytes) -> EndpointState:
    """Decode a stored state; ValueError says why a record is not one."""
    try:
        data = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cursor record is not UTF-8 JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("v") != STATE_VERSION:
        raise ValueError("cursor record has an unknown format version")
    cursor = data.get("cursor")
    if not isinstance(cursor, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in cursor.items()
    ):
        raise ValueError("cursor must map strings to strings")
    return EndpointState(cursor=cursor, known=KnownItems.from_dict(data.get("known", {})))


def read_states(
    settings: KafkaSettings, topic: str, timeout_s: float = 60.0
) -> dict[str, EndpointState]:
    """Every endpoint's last committed state, by key; an unreadable record is logged.

    Raises TransientError when Kafka cannot be read to the end in time.
    """
    states: dict[str, EndpointState] = {}
    for key, value in _read_committed(settings, topic, timeout_s).items():
        try:
            states[key.decode()] = state_from_json(value)
        except (ValueError, UnicodeDecodeError) as exc:
            # Starting that endpoint from scratch re-reads, it never loses: the state
            # is only about what was already published.
            log.warning("connector.cursor_unreadable key=%r reason=%s", key[:120], exc)
    return states


def _read_committed(settings: KafkaSettings, topic: str, timeout_s: float) -> dict[bytes, bytes]:
    try:
        consumer = KafkaConsumer(
            enable_auto_commit=False,
            isolation_level="read_committed",
            **settings.kafka_python_options(),
        )
    except KafkaError as exc:
        raise TransientError(f"Kafka at {settings.bootstrap} is unreachable: {exc}") from exc
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        assigned = [TopicPartition(topic, partition) for partition in sorted(partitions)]
        if not assigned:
            return {}
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        # With read_committed, the end is the last stable offset.
        end = {tp: offset for tp, offset in consumer.end_offsets(assigned).items() if offset}
        values: dict[bytes, bytes] = {}
        deadline = time.monotonic() + timeout_s
        while any(consumer.position(tp) < offset for tp, offset in end.items()):
            if time.monotonic() > deadline:
                raise TransientError(f"reading {topic} did not reach its end in {timeout_s:.0f}s")
            for records in consumer.poll(timeout_ms=POLL_TIMEOUT_MS).values():
                for record in records:
                    if record.key is None:
                        continue
                    if record.value is None:
                        values.pop(record.key, None)
                    else:
                        values[record.key] = record.value
        return values
    except KafkaError as exc:
        raise TransientError(f"reading {topic} failed: {exc}") from exc
    finally:
        consumer.close()
