"""Known items: duplicates, edits, window misses, bounds and the stored form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ingest.connectors.seen_items import KnownItems
from ingest.post import Post, PostKind

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


def make_post(post_id: str, text: str = "hello", age_days: float = 0) -> Post:
    return Post(
        district_id="d",
        platform="twitter",
        post_id=post_id,
        kind=PostKind.POST,
        author_account_id="1",
        created_at=NOW - timedelta(days=age_days),
        text=text,
        thread_id=f"t{post_id}",
    )


class TestKnownItems:
    def test_same_version_is_a_duplicate_and_an_edit_is_not(self) -> None:
        """Only the exact version already published is a duplicate."""
        known = KnownItems()
        known.remember(make_post("1"), NOW)
        assert known.is_duplicate(make_post("1"))
        assert not known.is_duplicate(make_post("1", text="hello (edited)"))
        assert not known.is_duplicate(make_post("2"))

    def test_missing_from_a_window_respects_its_start(self) -> None:
        """Items older than the window's start are not expected in it."""
        known = KnownItems()
        for post_id, age in (("old", 10), ("kept", 1), ("gone", 2)):
            known.remember(make_post(post_id, age_days=age), NOW)
        missing = known.missing_from({"kept"}, NOW - timedelta(days=7))
        assert [post_id for post_id, _ in missing] == ["gone"]
        assert missing[0][1].thread_id == "tgone"

    def test_thread_window_keeps_recent_comments_on_older_posts(self) -> None:
        """By thread: a new comment on a post outside the window is not taken for deleted."""
        known = KnownItems()
        for post_id, thread, age in (
            ("old", "old", 20),  # a post older than the window
            ("c-on-old", "old", 1),  # a recent comment on it: its thread is not listed
            ("new", "new", 1),  # a post in the window, listed again with its comments
            ("c-on-new", "new", 1),  # a comment on it, no longer listed: deleted
            ("gone", "gone", 2),  # a post in the window, no longer listed: deleted
            ("c-on-gone", "gone", 1),  # and its comment with it
        ):
            known.remember(_item(post_id, thread, age), NOW)
        start = NOW - timedelta(days=7)
        by_thread = known.missing_from({"new"}, start, by_thread=True)
        assert sorted(post_id for post_id, _ in by_thread) == ["c-on-gone", "c-on-new", "gone"]
        by_time = known.missing_from({"new"}, start)
        assert "c-on-old" in {post_id for post_id, _ in by_time}

    def test_pruning_bounds_age_and_count(self) -> None:
        """Old items go first, then the oldest beyond the count."""
        known = KnownItems()
        for n in range(5):
            known.remember(make_post(str(n), age_days=n), NOW)
        pruned = known.pruned(NOW, max_age_days=3.5, max_items=2)
        assert sorted(pruned) == ["0", "1"]

    def test_round_trip_through_the_stored_form(self) -> None:
        """What is stored with the cursor reads back the same."""
        known = KnownItems()
        known.remember(make_post("1"), NOW)
        again = KnownItems.from_dict(known.to_dict())
        assert again.is_duplicate(make_post("1"))

    def test_a_malformed_stored_form_is_refused(self) -> None:
        """A corrupted record raises ValueError (the endpoint restarts from scratch)."""
        with pytest.raises(ValueError):
            KnownItems.from_dict({"1": ["v", "t", "not a time", 0]})


def _item(post_id: str, thread_id: str, age_days: float) -> Post:
    post = make_post(post_id, age_days=age_days)
    return Post(
        district_id=post.district_id,
        platform=post.platform,
        post_id=post_id,
        kind=PostKind.POST if post_id == thread_id else PostKind.COMMENT,
        author_account_id=post.author_account_id,
        created_at=post.created_at,
        text=post.text,
        thread_id=thread_id,
    )
