"""A Facebook poll's cursor: where a poll starts, where it resumes and what it leaves behind."""

from __future__ import annotations

from ingest.connectors.facebook_poll import WATERMARK_SKEW_S, GraphPoll

NOW = 1_700_000_000
WEEK_S = 7 * 86400


class TestGraphPoll:
    def test_a_first_poll_reads_back_the_reread_window(self) -> None:
        """Without a stored watermark the poll's floor is the re-read window's start."""
        poll = GraphPoll.from_cursor({}, NOW, WEEK_S)
        assert (poll.started, poll.floor, poll.resumed) == (NOW, NOW - WEEK_S, False)

    def test_an_old_watermark_reaches_past_the_window(self) -> None:
        """A connector stopped longer than the window reads back to its watermark."""
        since = NOW - 3 * WEEK_S
        assert GraphPoll.from_cursor({"since": str(since)}, NOW, WEEK_S).floor == since

    def test_a_mid_poll_cursor_resumes_that_poll(self) -> None:
        """A cursor written inside a poll comes back as the same poll, marked resumed."""
        first = GraphPoll.from_cursor({"since": "100"}, NOW, WEEK_S)
        cursor = first.at({"after": "abc"}, "200_300", {"after": "def"})
        resumed = GraphPoll.from_cursor(cursor, NOW + 60, WEEK_S)
        assert (resumed.started, resumed.floor, resumed.since) == (NOW, first.floor, 100)
        assert (resumed.page, resumed.item, resumed.item_page) == (
            {"after": "abc"},
            "200_300",
            {"after": "def"},
        )
        assert resumed.resumed

    def test_the_end_cursor_holds_only_the_skewed_watermark(self) -> None:
        """After the last page the next poll starts a little before this one did."""
        poll = GraphPoll.from_cursor({}, NOW, WEEK_S)
        assert poll.end() == {"since": str(NOW - WATERMARK_SKEW_S)}

    def test_an_unreadable_watermark_counts_as_none(self) -> None:
        """A damaged `since` falls back to the re-read window instead of failing."""
        poll = GraphPoll.from_cursor({"since": "yesterday"}, NOW, WEEK_S)
        assert (poll.since, poll.floor) == (None, NOW - WEEK_S)
