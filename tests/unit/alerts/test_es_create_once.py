import asyncio

import orjson
import pytest
from elastic_transport import ApiResponseMeta, HttpHeaders, NodeConfig
from elasticsearch import ApiError

from alerts.errors import IndexUnavailable
from alerts.es_create_once import (
    DEFAULT_MAX_BULK_BYTES,
    CreateOnceWriter,
    bulk_create_pairs,
    split_by_bytes,
    summarize_bulk,
)


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


def _pairs(sizes):
    documents = [(f"d{i}", {"text": "x" * size}) for i, size in enumerate(sizes)]
    return bulk_create_pairs("tapwatch-posts", documents)


class TestBulkBytes:
    def test_a_batch_is_split_so_no_request_passes_the_limit(self):
        """1 MB posts under a 3 MB limit go two to a request."""
        chunks = split_by_bytes(_pairs([1_000_000] * 5), 3_000_000)
        assert [len(chunk) for chunk in chunks] == [2, 2, 1]

    def test_a_document_over_the_limit_goes_alone(self):
        """A document larger than the limit is its own request: Elasticsearch decides."""
        chunks = split_by_bytes(_pairs([10, 5_000_000, 10]), 1_000_000)
        assert [len(chunk) for chunk in chunks] == [1, 1, 1]

    def test_the_default_limit_is_ten_megabytes(self):
        """Well below Elasticsearch's 100 MB request limit."""
        assert DEFAULT_MAX_BULK_BYTES == 10 * 1024 * 1024


class _Refusing:
    """A bulk endpoint that answers 413 to any request holding the document `bad`."""

    def __init__(self) -> None:
        self.requests = 0

    async def bulk(self, operations, filter_path, refresh):  # type: ignore[no-untyped-def]
        self.requests += 1
        ids = [orjson.loads(line)["create"]["_id"] for line in operations[::2]]
        if "bad" in ids:
            meta = ApiResponseMeta(413, "1.1", HttpHeaders(), 0.0, NodeConfig("http", "h", 1))
            raise ApiError("Request Entity Too Large", meta, None)
        return type("R", (), {"body": {"items": [_item(201, i) for i in ids]}})()


class TestRefusedForGood:
    def test_a_413_is_narrowed_to_the_document_and_rejected(self):
        """The others are written; the refused one comes back to be dead-lettered."""
        client = _Refusing()
        writer = CreateOnceWriter(client, "tapwatch-posts", None, "posts")  # type: ignore[arg-type]
        documents = [(f"d{i}", {"n": i}) for i in range(7)] + [("bad", {"n": -1})]
        result = asyncio.run(writer.write(documents))
        assert result.created == 7 and [r.alert_id for r in result.rejected] == ["bad"]
        assert "413" in result.rejected[0].reason
        assert client.requests <= 2 * 4  # bounded: halves down to the one document
