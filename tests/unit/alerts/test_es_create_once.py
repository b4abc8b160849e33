import pytest

from alerts.errors import IndexUnavailable
from alerts.es_create_once import summarize_bulk


def _item(status, doc_id="a1", error=None):
    body = {"_id": doc_id, "status": status}
    if error:
        body["error"] = error
    return {"create": body}


class TestBulkSummary:
    def test_conflict_counts_as_already_present(self):
        """A 409 on create means the alert was written before: success, not an error."""
        result = summarize_bulk({"items": [_item(201, "a"), _item(409, "b")]}, "alerts")
        assert (result.created, result.already_present, result.rejected) == (1, 1, ())

    def test_mapping_error_is_rejected_with_reason(self):
        """A 400 item comes back as a rejection naming the alert and the reason."""
        error = {"type": "mapper_parsing_exception", "reason": "failed to parse [event_time]"}
        result = summarize_bulk({"items": [_item(400, "bad", error)]}, "alerts")
        [rejected] = result.rejected
        assert rejected.alert_id == "bad"
        assert "mapper_parsing_exception" in rejected.reason

    def test_overloaded_item_asks_for_retry(self):
        """A 429 item makes the whole write retryable."""
        with pytest.raises(IndexUnavailable):
            summarize_bulk({"items": [_item(201, "a"), _item(429, "b")]}, "alerts")

    def test_created_ids_are_reported_in_order(self):
        """The ids of new documents come back, replays and refusals left out."""
        items = [_item(201, "a"), _item(409, "b"), _item(400, "c"), _item(201, "d")]
        assert summarize_bulk({"items": items}, "alerts").created_ids == ("a", "d")
