"""A post that disappeared from its platform between two fetches, and its JSON codec.

Archiving practice (records requests) keeps what was deleted: a connector that no
longer sees an item it saw before publishes one of these; the posts index keeps the
item's versions and marks it deleted, with when it was last seen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ingest.errors import InvalidEvent
from ingest.post import parse_utc_timestamp


@dataclass(frozen=True, slots=True)
class PostDeletion:
    """The platform no longer returns `post_id`; it was last seen at `last_seen_at`."""

    district_id: str
    platform: str
    post_id: str
    thread_id: str
    last_seen_at: datetime
    noticed_at: datetime

    def __post_init__(self) -> None:
        for name in ("district_id", "platform", "post_id", "thread_id"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise InvalidEvent(f"deletion field {name!r} must be a non-empty string")
        for name in ("last_seen_at", "noticed_at"):
            moment = getattr(self, name)
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise InvalidEvent(f"deletion {name} has no time zone")

    @property
    def conversation_key(self) -> str:
        """The same Kafka key as the post's, so it follows the post's versions in order."""
        return f"{self.district_id}:{self.platform}:{self.thread_id}"


def deletion_to_json(deletion: PostDeletion) -> bytes:
    record = {
        "district_id": deletion.district_id,
        "platform": deletion.platform,
        "post_id": deletion.post_id,
        "thread_id": deletion.thread_id,
        "last_seen_at": deletion.last_seen_at.isoformat(),
        "noticed_at": deletion.noticed_at.isoformat(),
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def deletion_from_json(payload: bytes | str) -> PostDeletion:
    """Decode a deletion record; anything malformed raises InvalidEvent with the reason."""
    try:
        data: Any = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InvalidEvent("deletion record is not valid UTF-8 JSON") from None
    if not isinstance(data, dict):
        raise InvalidEvent("a deletion record must be a JSON object")
    return PostDeletion(
        district_id=data.get("district_id"),  # type: ignore[arg-type]  # checked in __post_init__
        platform=data.get("platform"),  # type: ignore[arg-type]
        post_id=data.get("post_id"),  # type: ignore[arg-type]
        thread_id=data.get("thread_id"),  # type: ignore[arg-type]
        last_seen_at=parse_utc_timestamp(data.get("last_seen_at"), "last_seen_at"),
        noticed_at=parse_utc_timestamp(data.get("noticed_at"), "noticed_at"),
    )
