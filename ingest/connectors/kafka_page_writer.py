"""Writes one page's records and the endpoint's new state in one Kafka transaction.

    begin_transaction
      -> raw responses, posts, dead letters, deletions   (their topics)
      -> the endpoint's state: cursor + known items       (the cursors topic)
    flush, check every acknowledgement, commit_transaction

Either all of a page's records and its cursor become visible to read_committed
readers, or none do. A process killed mid-page leaves an open transaction; the next
process with the same `transactional_id` aborts it in `init_transactions()` and
resumes from the last committed cursor, so the page is published once. One
transactional id per district and namespace also fences a second runner started
for the same district: the older one gets ProducerFencedError and stops.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaError, ProducerFencedError

from core.errors import PermanentError, TransientError
from core.settings import KafkaSettings

log = logging.getLogger(__name__)

# How long a page's records may take to be acknowledged (seconds).
ACK_TIMEOUT_S = 60.0
# The broker aborts a transaction left open longer than this (ms); a restarted
# runner aborts its predecessor's at once, so this only matters if none restarts.
TRANSACTION_TIMEOUT_MS = 60_000
# A cursor record holds up to a few thousand known items (bytes); gzip keeps it small.
MAX_REQUEST_BYTES = 4 * 1024 * 1024


class WriterUnusable(PermanentError):
    """The transactional producer cannot go on; the runner stops (and is restarted)."""


class WriterFenced(WriterUnusable):
    """Another runner with the same transactional id took over; this one must stop."""


@dataclass(frozen=True, slots=True)
class OutRecord:
    """One record to write: topic, key and value bytes."""

    topic: str
    key: bytes | None
    value: bytes


class TransactionalPageWriter:
    """One transactional producer; `commit_page` is called for one page at a time."""

    def __init__(self, settings: KafkaSettings, transactional_id: str) -> None:
        try:
            self._producer = KafkaProducer(
                acks="all",
                enable_idempotence=True,
                transactional_id=transactional_id,
                transaction_timeout_ms=TRANSACTION_TIMEOUT_MS,
                compression_type="gzip",
                max_request_size=MAX_REQUEST_BYTES,
                **settings.kafka_python_options(),
            )
        except KafkaError as exc:
            raise TransientError(f"Kafka at {settings.bootstrap} is unreachable: {exc}") from exc
        try:
            # Aborts whatever a killed predecessor left open, and fences it.
            self._producer.init_transactions()
        except KafkaError as exc:
            self._producer.close(timeout=5)
            raise TransientError(f"Kafka transactions could not start: {exc}") from exc

    def commit_page(self, records: Sequence[OutRecord]) -> None:
        """Write `records` atomically; TransientError (nothing visible) or WriterFenced."""
        try:
            self._producer.begin_transaction()
            futures: list[Any] = [
                self._producer.send(record.topic, key=record.key, value=record.value)
                for record in records
            ]
            self._producer.flush(timeout=ACK_TIMEOUT_S)
            for future in futures:
                future.get(timeout=ACK_TIMEOUT_S)
            self._producer.commit_transaction()
        except ProducerFencedError as exc:
            raise WriterFenced(
                f"another `tapwatch ingest run` for this district took over: this one stops ({exc})"
            ) from exc
        except KafkaError as exc:
            self._abort()
            raise TransientError(f"Kafka did not accept the page: {exc}") from exc

    def _abort(self) -> None:
        try:
            self._producer.abort_transaction()
        except ProducerFencedError as exc:
            raise WriterFenced(f"fenced while aborting: {exc}") from exc
        except KafkaError as exc:
            # A producer that cannot abort is in a fatal state. Nothing of the page is
            # visible; a new process (new producer, same id) resumes from the cursor.
            log.warning("connector.abort_failed reason=%s", type(exc).__name__)
            raise WriterUnusable(f"Kafka producer unusable after a failed page: {exc}") from exc

    def close(self) -> None:
        self._producer.close(timeout=10)
