"""What tapwatch remembers of one conversation: who wrote in it, when, and the staff items.

Pure data with a compact JSON form; the Faust table in streams/ stores it per
conversation key, so every worker and every restart sees the same thread.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import orjson

from ingest.errors import InvalidEvent

# The most entries one thread keeps; older ones (by event time) are forgotten first.
MAX_ENTRIES = 200
# Staff text kept for evidence of an alert raised later (characters).
EXCERPT_CHARS = 280


class Side(StrEnum):
    """Which side of the policy an author is on, as far as thread rules care."""

    STAFF = "staff"
    STUDENT = "student"
    PARENT = "parent"


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    """One item of the thread by staff, a student or a parent (others are not kept)."""

    post_id: str
    author_account_id: str
    side: Side
    created_at: datetime
    # Only for staff items, which a later student message can turn into two-way dialogue.
    is_reply: bool = False
    url: str | None = None
    excerpt: str = ""
    # The students an item by a student or parent stands for.
    student_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ThreadState:
    """The remembered items of one conversation, ordered by event time."""

    entries: tuple[ThreadEntry, ...] = ()

    @property
    def last_activity(self) -> datetime | None:
        """The event time of the newest remembered item (entries are kept in event order)."""
        return self.entries[-1].created_at if self.entries else None

    def has(self, post_id: str) -> bool:
        return any(entry.post_id == post_id for entry in self.entries)

    def with_entry(self, entry: ThreadEntry) -> ThreadState:
        """The state with the entry added (a repeat of a known post id changes nothing)."""
        if self.has(entry.post_id):
            return self
        ordered = sorted((*self.entries, entry), key=lambda e: (e.created_at, e.post_id))
        return replace(self, entries=tuple(ordered[-MAX_ENTRIES:]))

    def before(self, moment: datetime, side: Side) -> tuple[ThreadEntry, ...]:
        return tuple(e for e in self.entries if e.side is side and e.created_at < moment)

    def after(self, moment: datetime, side: Side) -> tuple[ThreadEntry, ...]:
        return tuple(e for e in self.entries if e.side is side and e.created_at > moment)


def _entry_to_dict(entry: ThreadEntry) -> dict[str, Any]:
    return {
        "p": entry.post_id,
        "a": entry.author_account_id,
        "s": entry.side.value,
        "t": entry.created_at.timestamp(),
        "r": entry.is_reply,
        "u": entry.url,
        "x": entry.excerpt,
        "st": list(entry.student_ids),
    }


def thread_state_to_json(state: ThreadState) -> bytes:
    encoded = orjson.dumps([_entry_to_dict(e) for e in state.entries])
    # orjson's bytes keep the whole buffer it wrote into (about 4 KiB); a state lives
    # in the conversation table for as long as its thread, so keep an exact-size copy.
    return bytes(memoryview(encoded))


def thread_state_from_json(payload: bytes | None) -> ThreadState:
    """Decode a stored thread; raise InvalidEvent if it is not one (never anything else)."""
    if not payload:
        return ThreadState()
    try:
        rows = orjson.loads(payload)
        entries = tuple(
            ThreadEntry(
                post_id=str(row["p"]),
                author_account_id=str(row["a"]),
                side=Side(row["s"]),
                created_at=datetime.fromtimestamp(float(row["t"]), UTC),
                is_reply=bool(row.get("r", False)),
                url=row.get("u"),
                excerpt=str(row.get("x", "")),
                student_ids=tuple(str(s) for s in row.get("st", [])),
            )
            for row in rows
        )
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise InvalidEvent(f"stored thread state is unreadable: {exc}") from None
    return ThreadState(entries)
