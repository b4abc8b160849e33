"""The worker's Elasticsearch sinks: alerts, post versions and deletion marks.

A sink separates accepting an item (`add`) from delivering a batch (`flush`), like a
quix-streams sink. `flush` writes every accepted document through one create-once bulk
writer (alerts/es_create_once.py), then dead-letters what could not be indexed: items
that did not decode, and documents Elasticsearch refused for good. A flush that fails
(Elasticsearch or Kafka unavailable) raises and keeps the whole batch, so the caller
retries the same flush, and acks its input only once a flush has returned. A document
written by a failed attempt is present on the retry, which create-once makes harmless.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import orjson

from alerts.alert_codec import alert_from_json
from alerts.es_create_once import WriteResult
from alerts.posts_index import deletion_doc_id, deletion_document, post_doc_id, post_document
from core.clock import Clock
from ingest.dead_letter import DeadLetter
from ingest.errors import InvalidEvent
from ingest.post import Post
from ingest.post_deletion import deletion_from_json
from streams.pipeline import RawRecord

# The `stage` of each sink's dead letters.
ALERTS_STAGE = "index"
POSTS_STAGE = "posts_index"


class DocumentWriter(Protocol):
    """Bulk-creates (document id, document) pairs; see CreateOnceWriter.write."""

    async def write(self, documents: Sequence[tuple[str, Mapping[str, Any]]]) -> WriteResult: ...


class DeadLetterPublisher(Protocol):
    """Sends dead letters and returns once they are in Kafka; see DeadLetterTopic."""

    async def publish(self, letters: Sequence[DeadLetter]) -> None: ...


class RecordSink(Protocol):
    """A sink fed Kafka records one at a time and flushed once per batch."""

    def add(self, record: RawRecord) -> None: ...

    async def flush(self) -> WriteResult: ...


class IndexSink:
    """Documents accepted one at a time, written as one batch, each id once (the first)."""

    def __init__(
        self,
        writer: DocumentWriter,
        dead_letters: DeadLetterPublisher,
        stage: str,
        source_topic: str,
    ) -> None:
        self._writer = writer
        self._dead_letters = dead_letters
        self._stage = stage
        self._source_topic = source_topic  # named in a refused document's dead letter
        self._documents: dict[str, Mapping[str, Any]] = {}
        self._refused: list[DeadLetter] = []

    def __len__(self) -> int:
        """Items accepted since the last flush, refused ones included."""
        return len(self._documents) + len(self._refused)

    def add_document(self, doc_id: str, document: Mapping[str, Any]) -> None:
        # A second document of the same id would be a replay, which create-once ignores.
        self._documents.setdefault(doc_id, document)

    def refuse(self, record: RawRecord, reason: str) -> None:
        """Dead-letter a record that is no document (with the next flush)."""
        self._refused.append(
            DeadLetter(
                self._stage,
                reason,
                record.value,
                record.topic,
                record.partition,
                record.offset,
                record.key,
            )
        )

    async def flush(self) -> WriteResult:
        """Write the batch, then dead-letter what was refused; on failure keep the batch."""
        result = await self._writer.write(list(self._documents.items()))
        letters = [*self._refused, *(self._rejected(r.alert_id, r.reason) for r in result.rejected)]
        await self._dead_letters.publish(letters)
        self._documents = {}
        self._refused = []
        return result

    def _rejected(self, doc_id: str, reason: str) -> DeadLetter:
        document = self._documents.get(doc_id, {})
        value = orjson.dumps(document, option=orjson.OPT_SERIALIZE_NUMPY)
        return DeadLetter(self._stage, reason, value, self._source_topic)


class AlertsIndexSink(IndexSink):
    """Alert records from the alerts topic into the alerts index."""

    def __init__(
        self, writer: DocumentWriter, dead_letters: DeadLetterPublisher, alerts_topic: str
    ) -> None:
        super().__init__(writer, dead_letters, ALERTS_STAGE, alerts_topic)

    def add(self, record: RawRecord) -> None:
        try:
            alert = alert_from_json(record.value)
        except ValueError as exc:
            self.refuse(record, f"invalid alert: {exc}")
            return
        self.add_document(alert.alert_id, alert.to_document())


class PostsIndexSink(IndexSink):
    """Decoded posts (every version) into the posts index, stamped with when indexed.

    Records that did not decode are the detect step's dead letters, not this sink's.
    """

    def __init__(
        self,
        writer: DocumentWriter,
        dead_letters: DeadLetterPublisher,
        posts_topic: str,
        clock: Clock,
    ) -> None:
        super().__init__(writer, dead_letters, POSTS_STAGE, posts_topic)
        self._clock = clock

    def add(self, post: Post) -> None:
        self.add_document(post_doc_id(post), post_document(post, self._clock.now()))


class PostDeletionsSink(IndexSink):
    """Post-deletion records into deletion marks of the posts index."""

    def __init__(
        self, writer: DocumentWriter, dead_letters: DeadLetterPublisher, deletions_topic: str
    ) -> None:
        super().__init__(writer, dead_letters, POSTS_STAGE, deletions_topic)

    def add(self, record: RawRecord) -> None:
        try:
            deletion = deletion_from_json(record.value or b"")
        except InvalidEvent as exc:
            self.refuse(record, f"invalid post deletion: {exc}")
            return
        self.add_document(deletion_doc_id(deletion), deletion_document(deletion))
