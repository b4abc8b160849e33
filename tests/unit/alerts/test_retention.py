"""Unit tests of what retention may delete (alerts/retention.py)."""

from datetime import UTC, datetime

import pytest

from alerts.retention import RetentionPolicy, candidate_query, protected_keys


class TestRetention:
    def test_cutoff_is_n_days_before_now(self):
        """The cutoff is now minus the retention days."""
        now = datetime(2026, 10, 31, tzinfo=UTC)
        assert RetentionPolicy(30).cutoff(now) == datetime(2026, 10, 1, tzinfo=UTC)

    def test_zero_days_is_refused(self):
        """Retention never deletes today's posts."""
        with pytest.raises(ValueError):
            RetentionPolicy(0)

    def test_candidates_exclude_held_posts(self):
        """Posts flagged for legal hold are never candidates."""
        query = candidate_query(datetime(2026, 1, 1, tzinfo=UTC))
        assert query["bool"]["must_not"] == [{"term": {"legal_hold": True}}]

    def test_alert_protects_its_thread_and_its_post(self):
        """Any post of an alert's thread, and the alert's own post, is protected."""
        keep = protected_keys(
            [{"district_id": "d", "platform": "x", "post_id": "p9", "thread_id": "t1"}]
        )
        assert keep.covers(
            {"district_id": "d", "platform": "x", "post_id": "p1", "thread_id": "t1"}
        )
        assert keep.covers(
            {"district_id": "d", "platform": "x", "post_id": "p9", "thread_id": "t7"}
        )

    def test_same_thread_id_elsewhere_is_not_protected(self):
        """Another platform's or district's thread with the same id is not covered."""
        keep = protected_keys(
            [{"district_id": "d", "platform": "x", "post_id": "p9", "thread_id": "t1"}]
        )
        assert not keep.covers(
            {"district_id": "d", "platform": "fb", "post_id": "p1", "thread_id": "t1"}
        )
        assert not keep.covers(
            {"district_id": "e", "platform": "x", "post_id": "p2", "thread_id": "t1"}
        )
