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
from dataclasses import dataclass, field

from core.kafka_compacted_topic import read_compacted
from core.settings import KafkaSettings
from ingest.connectors.seen_items import KnownItems
from ingest.connectors.source import Cursor

log = logging.getLogger(__name__)

STATE_VERSION = 1


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
    for key, value in read_compacted(settings, topic, timeout_s).items():
        try:
            states[key.decode()] = state_from_json(value)
        except (ValueError, UnicodeDecodeError) as exc:
            # Starting that endpoint from scratch re-reads, it never loses: the state
            # is only about what was already published.
            log.warning("connector.cursor_unreadable key=%r reason=%s", key[:120], exc)
    return states
