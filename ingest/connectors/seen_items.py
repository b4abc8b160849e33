"""The items one endpoint has already published: id -> version, bounded in age and count.

This is how the runner drops the duplicates a platform returns (overlapping
pages, `since_id` boundaries, re-read windows), notices edits (same id, new
version) and deletions (an id of a complete window that is no longer returned).
It is stored with the endpoint's cursor, in the same Kafka transaction as the
page's posts, so it always matches what the posts topic holds.

Bounded: items created more than `max_age_days` ago are forgotten, and at most
`max_items` (the newest by creation time) are kept, so that the cursor record
stays small (~100 bytes per item).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from ingest.post import Post


@dataclass(frozen=True, slots=True)
class KnownItem:
    """What is remembered of one published item (times are epoch seconds, UTC)."""

    version: str
    thread_id: str
    created_at: float
    last_seen_at: float

    def to_list(self) -> list[object]:
        return [self.version, self.thread_id, round(self.created_at), round(self.last_seen_at)]

    @classmethod
    def from_list(cls, value: object) -> KnownItem:
        if (
            not isinstance(value, list)
            or len(value) != 4
            or not isinstance(value[0], str)
            or not isinstance(value[1], str)
            or not all(isinstance(number, int | float) for number in value[2:])
        ):
            raise ValueError("a known item is [version, thread_id, created_at, last_seen_at]")
        return cls(value[0], value[1], float(value[2]), float(value[3]))


class KnownItems:
    """A post id -> KnownItem map; `copy()` before changing a committed one."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, KnownItem] | None = None) -> None:
        self._items: dict[str, KnownItem] = dict(items or {})

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, post_id: object) -> bool:
        return post_id in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def get(self, post_id: str) -> KnownItem | None:
        return self._items.get(post_id)

    def copy(self) -> KnownItems:
        return KnownItems(self._items)

    def is_duplicate(self, post: Post) -> bool:
        """True when this exact version of the item was already published."""
        known = self._items.get(post.post_id)
        return known is not None and known.version == post.version

    def remember(self, post: Post, now: datetime) -> None:
        self._items[post.post_id] = KnownItem(
            post.version, post.thread_id, post.created_at.timestamp(), now.timestamp()
        )

    def forget(self, post_id: str) -> None:
        self._items.pop(post_id, None)

    def missing_from(
        self,
        window_ids: Iterable[str],
        window_start: datetime | None,
        by_thread: bool = False,
    ) -> list[tuple[str, KnownItem]]:
        """Items of the window (created at or after `window_start`) not in `window_ids`.

        `by_thread`: a reply counts as part of the window only when its thread's root is in
        `window_ids` (its thread was listed whole) or the root itself is missing.
        """
        present = set(window_ids)
        start = window_start.timestamp() if window_start is not None else float("-inf")
        missing = {
            post_id: item
            for post_id, item in self._items.items()
            if post_id not in present and item.created_at >= start
        }
        if by_thread:
            gone_roots = {post_id for post_id, item in missing.items() if post_id == item.thread_id}
            missing = {
                post_id: item
                for post_id, item in missing.items()
                if post_id == item.thread_id
                or item.thread_id in present
                or item.thread_id in gone_roots
            }
        return sorted(missing.items(), key=lambda pair: pair[1].created_at)

    def pruned(self, now: datetime, max_age_days: float, max_items: int) -> KnownItems:
        """Without items older than `max_age_days`, keeping the newest `max_items`."""
        oldest = now.timestamp() - max_age_days * 86400.0
        young = [pair for pair in self._items.items() if pair[1].created_at >= oldest]
        young.sort(key=lambda pair: (pair[1].created_at, pair[0]), reverse=True)
        return KnownItems(dict(young[:max_items]))

    def to_dict(self) -> dict[str, list[object]]:
        return {post_id: item.to_list() for post_id, item in self._items.items()}

    @classmethod
    def from_dict(cls, value: object) -> KnownItems:
        """Decode a stored map; ValueError when it is not one."""
        if not isinstance(value, dict):
            raise ValueError("known items must be a JSON object")
        return cls({str(post_id): KnownItem.from_list(item) for post_id, item in value.items()})


def epoch_to_utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)
