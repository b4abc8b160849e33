"""The dead-letter record: what failed, where it came from, and why."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime

# A dead-letter record keeps at most this much of the original value (bytes); the
# original stays in its source topic, found by partition and offset.
MAX_KEPT_VALUE_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """One refused record, with enough to find the original and to understand the refusal."""

    stage: str  # "ingest", "detect", "index": which step refused it
    reason: str
    value: bytes | None
    source_topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    key: bytes | None = None
    source: str | None = None  # file:line for file ingest

    def to_json(self, failed_at: datetime) -> bytes:
        body: dict[str, object] = {
            "stage": self.stage,
            "reason": self.reason,
            "failed_at": failed_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "source_topic": self.source_topic,
            "partition": self.partition,
            "offset": self.offset,
            "source": self.source,
            "key": self.key.decode("utf-8", "replace") if self.key is not None else None,
        }
        body.update(_encode_value(self.value))
        return json.dumps(body, ensure_ascii=False).encode()


def _encode_value(value: bytes | None) -> dict[str, object]:
    if value is None:
        return {"value": None, "value_encoding": None, "value_truncated": False}
    kept = value[:MAX_KEPT_VALUE_BYTES]
    truncated = len(value) > MAX_KEPT_VALUE_BYTES
    try:
        return {
            "value": kept.decode("utf-8"),
            "value_encoding": "utf-8",
            "value_truncated": truncated,
        }
    except UnicodeDecodeError:
        return {
            "value": base64.b64encode(kept).decode(),
            "value_encoding": "base64",
            "value_truncated": truncated,
        }
