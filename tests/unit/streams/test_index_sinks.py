"""The index sinks: accept items, write a batch once each, dead-letter what cannot be indexed."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import orjson
import pytest

from alerts.errors import IndexUnavailable
from alerts.posts_index import deletion_doc_id, post_doc_id
from core.clock import ManualClock
from ingest.post_deletion import PostDeletion, deletion_to_json
from streams.index_sinks import AlertsIndexSink, PostDeletionsSink, PostsIndexSink
from streams.pipeline import RawRecord
from tests.builders import make_alert_document, make_post
from tests.unit.streams.sink_fakes import FakeDeadLetters, FakeWriter

NOW = datetime(2026, 10, 5, 23, 0, tzinfo=UTC)


def _record(value: bytes | None, offset: int = 0, topic: str = "tapwatch-alerts") -> RawRecord:
    return RawRecord(value=value, key=b"k", topic=topic, partition=2, offset=offset)


def _alert_record(alert_id: str, offset: int = 0) -> RawRecord:
    return _record(orjson.dumps(make_alert_document(alert_id)), offset)


def _deletion(post_id: str = "p1") -> PostDeletion:
    return PostDeletion("wilmington-209u", "twitter", post_id, "t1", NOW, NOW)


class TestAlertsIndexSink:
    def test_flush_writes_each_alert_id_once(self) -> None:
        """Two records of one alert id become one document, the first one."""
        writer = FakeWriter()
        sink = AlertsIndexSink(writer, FakeDeadLetters(), "tapwatch-alerts")
        sink.add(_alert_record("a1", 0))
        sink.add(_alert_record("a1", 1))
        sink.add(_alert_record("a2", 2))
        result = asyncio.run(sink.flush())
        assert [doc_id for doc_id, _ in writer.writes[0]] == ["a1", "a2"]
        assert result.created == 2

    def test_invalid_alert_is_dead_lettered_with_its_offset(self) -> None:
        """A record that is not an alert goes to the dead letters, not to the index."""
        writer, letters = FakeWriter(), FakeDeadLetters()
        sink = AlertsIndexSink(writer, letters, "tapwatch-alerts")
        sink.add(_record(b"{not json", 7))
        asyncio.run(sink.flush())
        [letter] = letters.letters
        assert (letter.stage, letter.offset, letter.value) == ("index", 7, b"{not json")
        assert letter.reason.startswith("invalid alert: not JSON")
        assert writer.stored == {}

    def test_refused_alert_is_dead_lettered_with_its_document(self) -> None:
        """An alert Elasticsearch refuses for good is a dead letter holding the alert."""
        letters = FakeDeadLetters()
        sink = AlertsIndexSink(FakeWriter({"a1": "mapper_parsing_exception"}), letters, "alerts-t")
        sink.add(_alert_record("a1"))
        asyncio.run(sink.flush())
        [letter] = letters.letters
        assert letter.reason == "mapper_parsing_exception" and letter.source_topic == "alerts-t"
        assert json.loads(letter.value or b"")["alert_id"] == "a1"

    def test_failed_flush_keeps_the_batch_for_the_retry(self) -> None:
        """After Elasticsearch was unavailable, the next flush writes the same batch."""
        writer = FakeWriter(outages=1)
        sink = AlertsIndexSink(writer, FakeDeadLetters(), "tapwatch-alerts")
        sink.add(_alert_record("a1"))
        with pytest.raises(IndexUnavailable):
            asyncio.run(sink.flush())
        asyncio.run(sink.flush())
        assert writer.writes[0] == writer.writes[1] and list(writer.stored) == ["a1"]

    def test_unsent_dead_letters_are_sent_by_the_retry(self) -> None:
        """When Kafka refuses the dead letters, the retried flush sends them again."""
        letters = FakeDeadLetters(outages=1)
        sink = AlertsIndexSink(FakeWriter(), letters, "tapwatch-alerts")
        sink.add(_record(None, 3))
        with pytest.raises(ConnectionError):
            asyncio.run(sink.flush())
        asyncio.run(sink.flush())
        assert [letter.offset for letter in letters.letters] == [3]

    def test_flush_empties_the_sink(self) -> None:
        """A successful flush starts the next batch empty."""
        writer = FakeWriter()
        sink = AlertsIndexSink(writer, FakeDeadLetters(), "tapwatch-alerts")
        sink.add(_alert_record("a1"))
        asyncio.run(sink.flush())
        assert len(sink) == 0
        asyncio.run(sink.flush())
        assert writer.writes[1] == []


class TestPostsIndexSink:
    def test_posts_are_written_as_version_documents_stamped_by_the_clock(self) -> None:
        """Each post becomes its version document, indexed_at from the sink's clock."""
        writer = FakeWriter()
        post = make_post()
        sink = PostsIndexSink(writer, FakeDeadLetters(), "tapwatch-posts", ManualClock(NOW))
        sink.add(post)
        asyncio.run(sink.flush())
        document = writer.stored[post_doc_id(post)]
        assert (document["doc_kind"], document["indexed_at"]) == ("version", "2026-10-05T23:00:00Z")

    def test_refused_post_is_dead_lettered_from_the_posts_topic(self) -> None:
        """A post version Elasticsearch refuses is a posts_index dead letter."""
        post = make_post()
        letters = FakeDeadLetters()
        writer = FakeWriter({post_doc_id(post): "illegal_argument_exception"})
        sink = PostsIndexSink(writer, letters, "tapwatch-posts", ManualClock(NOW))
        sink.add(post)
        asyncio.run(sink.flush())
        [letter] = letters.letters
        assert (letter.stage, letter.source_topic) == ("posts_index", "tapwatch-posts")
        assert json.loads(letter.value or b"")["post_id"] == post.post_id


class TestPostDeletionsSink:
    def test_deletion_becomes_a_deletion_mark(self) -> None:
        """A post-deletion record becomes the post's `deleted` document."""
        writer = FakeWriter()
        sink = PostDeletionsSink(writer, FakeDeadLetters(), "tapwatch-post-deletions")
        deletion = _deletion()
        sink.add(_record(deletion_to_json(deletion), topic="tapwatch-post-deletions"))
        asyncio.run(sink.flush())
        assert writer.stored[deletion_doc_id(deletion)]["deleted"] is True

    def test_invalid_deletion_is_dead_lettered(self) -> None:
        """A record that is not a post deletion is a posts_index dead letter with its offset."""
        letters = FakeDeadLetters()
        sink = PostDeletionsSink(FakeWriter(), letters, "tapwatch-post-deletions")
        sink.add(_record(b"[]", 5, "tapwatch-post-deletions"))
        asyncio.run(sink.flush())
        [letter] = letters.letters
        assert (letter.stage, letter.offset) == ("posts_index", 5)
        assert letter.reason.startswith("invalid post deletion")
