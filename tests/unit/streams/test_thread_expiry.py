"""The stream clock that says when a conversation is idle, and the cursor that walks the
table a slice at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from streams.thread_expiry import MAX_AHEAD, StreamClock, SweepCursor

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
DAY = timedelta(days=1)


class TestStreamClock:
    def test_a_partition_without_events_has_no_horizon(self):
        """Nothing is idle in a partition the worker has not written a state for."""
        clock = StreamClock()
        clock.advance(0, NOW, NOW)
        assert clock.horizon(1, DAY) is None
        assert StreamClock().oldest_horizon(DAY) is None

    def test_time_only_moves_forward_per_partition(self):
        """An older event (a late reply) does not pull the partition's time back."""
        clock = StreamClock()
        clock.advance(0, NOW - 3 * DAY, NOW)
        clock.advance(0, NOW - 5 * DAY, NOW)
        clock.advance(1, NOW - 10 * DAY, NOW)
        assert clock.horizon(0, DAY) == NOW - 4 * DAY
        assert clock.horizon(1, DAY) == NOW - 11 * DAY
        assert clock.oldest_horizon(DAY) == NOW - 11 * DAY

    def test_a_date_far_ahead_of_the_wall_clock_is_ignored(self):
        """A bogus future date must not make a partition's conversations look idle."""
        clock = StreamClock()
        clock.advance(0, NOW, NOW)
        clock.advance(0, NOW + MAX_AHEAD + timedelta(seconds=1), NOW)
        assert clock.horizon(0, DAY) == NOW - DAY
        clock.advance(0, NOW + MAX_AHEAD, NOW)
        assert clock.horizon(0, DAY) == NOW + MAX_AHEAD - DAY

    def test_a_state_without_items_does_not_move_the_clock(self):
        """An empty state has no event time to offer."""
        clock = StreamClock()
        clock.advance(0, None, NOW)
        assert clock.horizon(0, DAY) is None


class TestSweepCursor:
    def test_a_pass_hands_out_its_snapshot_in_slices(self):
        """Each call returns the next `budget` keys of the pass's snapshot, then the rest."""
        cursor = SweepCursor(interval_s=60)
        keys = [b"a", b"b", b"c", b"d", b"e"]
        assert cursor.next_slice(lambda: keys, 2, 0.0) == [b"a", b"b"]
        keys.append(b"f")  # added after the pass began: waits for the next pass
        assert cursor.next_slice(lambda: keys, 2, 1.0) == [b"c", b"d"]
        assert cursor.next_slice(lambda: keys, 2, 2.0) == [b"e"]

    def test_a_new_pass_waits_for_the_interval(self):
        """After a pass, nothing until `interval_s` after that pass began; then a fresh
        snapshot."""
        cursor = SweepCursor(interval_s=60)
        assert cursor.next_slice(lambda: [b"a"], 10, 100.0) == [b"a"]
        assert cursor.next_slice(lambda: [b"a", b"b"], 10, 159.0) == []
        assert cursor.next_slice(lambda: [b"a", b"b"], 10, 160.0) == [b"a", b"b"]

    def test_an_empty_table_still_waits_between_passes(self):
        """An empty snapshot counts as a pass: the table is not listed on every batch."""
        calls = []

        def snapshot():
            calls.append(1)
            return []

        cursor = SweepCursor(interval_s=60)
        assert cursor.next_slice(snapshot, 10, 0.0) == []
        assert cursor.next_slice(snapshot, 10, 30.0) == []
        assert len(calls) == 1
