"""Alert documents on the alerts topic: JSON bytes, checked on the way back in."""

from __future__ import annotations

from typing import Any

import orjson

# Fields an alert must carry to be indexed (district-data contract, section 3).
REQUIRED_FIELDS = frozenset(
    {
        "alert_id",
        "district_id",
        "rule",
        "severity",
        "status",
        "platform",
        "post_id",
        "staff_id",
        "student_ids",
        "event_time",
        "detected_at",
        "summary",
        "evidence",
    }
)


def alert_to_json(alert: dict[str, Any]) -> bytes:
    # Model scores may be numpy floats.
    return orjson.dumps(alert, option=orjson.OPT_SERIALIZE_NUMPY)


def alert_from_json(payload: bytes | None) -> dict[str, Any]:
    """Decode an alert; raise ValueError naming what is wrong."""
    if payload is None:
        raise ValueError("record has no value")
    try:
        decoded = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:  # invalid UTF-8 and nesting over 1,024 too
        raise ValueError(f"not JSON: {str(exc)[:80]}") from None
    if not isinstance(decoded, dict):
        raise ValueError("an alert must be a JSON object")
    missing = REQUIRED_FIELDS - decoded.keys()
    if missing:
        raise ValueError(f"missing fields: {', '.join(sorted(missing))}")
    return decoded
