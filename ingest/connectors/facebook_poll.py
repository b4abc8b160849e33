"""Where one Facebook poll stands: the cursor it starts from, resumes at and leaves behind.

Every cursor value is a string:
- between polls, `since`: unix seconds, the watermark the next poll reads back to
  (or further, to the re-read window);
- within a poll, also `poll_started` and `poll_floor` (unix seconds), `page` (the
  pagination parameters of the list page being read, url-encoded) and, while a
  post's comments (a conversation's messages) are being paged, `item` and
  `item_page`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ingest.connectors.facebook_graph_client import decode_params, encode_params
from ingest.connectors.source import Cursor

# Taken off a poll's start time before it becomes the next `since`: posts and messages
# written while a poll runs, with clocks a little apart, are read again (seconds).
WATERMARK_SKEW_S = 300


@dataclass(frozen=True, slots=True)
class GraphPoll:
    """Where one poll stands: read from the stored cursor when the poll starts."""

    since: int | None  # the stored watermark (unix seconds), None before the first poll
    started: int  # when the poll started (unix seconds)
    floor: int  # the oldest creation or update time the poll reads (unix seconds)
    page: dict[str, str] = field(default_factory=dict)
    item: str | None = None
    item_page: dict[str, str] = field(default_factory=dict)
    resumed: bool = False

    @classmethod
    def from_cursor(cls, cursor: Cursor, now: int, reread_s: int) -> GraphPoll:
        """A resumed poll from a mid-poll cursor, else a new one starting `now`."""
        since = _int(cursor.get("since"))
        started, floor = _int(cursor.get("poll_started")), _int(cursor.get("poll_floor"))
        if started is not None and floor is not None:
            return cls(
                since=since,
                started=started,
                floor=floor,
                page=decode_params(cursor.get("page")),
                item=cursor.get("item") or None,
                item_page=decode_params(cursor.get("item_page")),
                resumed=True,
            )
        floor = now - reread_s if since is None else min(since, now - reread_s)
        return cls(since=since, started=now, floor=floor)

    def at(
        self,
        page: Mapping[str, str],
        item: str | None = None,
        item_page: Mapping[str, str] | None = None,
    ) -> dict[str, str]:
        """The cursor for resuming this poll at `page` (and at `item`'s `item_page`)."""
        cursor = {"poll_started": str(self.started), "poll_floor": str(self.floor)}
        if self.since is not None:
            cursor["since"] = str(self.since)
        if page:
            cursor["page"] = encode_params(page)
        if item is not None:
            cursor["item"] = item
            cursor["item_page"] = encode_params(item_page)
        return cursor

    def end(self) -> dict[str, str]:
        """The cursor after the poll's last page: where the next poll starts."""
        return {"since": str(self.started - WATERMARK_SKEW_S)}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
