"""Stand-ins for the sinks' outside world: a bulk writer and a dead-letter topic in memory."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from alerts.errors import AlertRejected, IndexUnavailable
from alerts.es_create_once import WriteResult
from ingest.dead_letter import DeadLetter


class FakeWriter:
    """Keeps what it is asked to write; refuses the ids in `refused` for good, and is
    unavailable for its first `outages` writes."""

    def __init__(self, refused: Mapping[str, str] | None = None, outages: int = 0) -> None:
        self.refused = dict(refused or {})
        self.outages = outages
        self.writes: list[list[tuple[str, Mapping[str, Any]]]] = []
        self.stored: dict[str, Mapping[str, Any]] = {}

    async def write(self, documents: Sequence[tuple[str, Mapping[str, Any]]]) -> WriteResult:
        self.writes.append(list(documents))
        if self.outages:
            self.outages -= 1
            raise IndexUnavailable("Elasticsearch unavailable: test outage")
        created: list[str] = []
        rejected = []
        for doc_id, document in documents:
            if doc_id in self.refused:
                rejected.append(AlertRejected(doc_id, self.refused[doc_id]))
            elif doc_id not in self.stored:
                self.stored[doc_id] = document
                created.append(doc_id)
        present = len(documents) - len(created) - len(rejected)
        return WriteResult(len(created), present, tuple(rejected), tuple(created))


class FakeDeadLetters:
    """Collects published dead letters; unavailable for its first `outages` publishes."""

    def __init__(self, outages: int = 0) -> None:
        self.outages = outages
        self.letters: list[DeadLetter] = []

    async def publish(self, letters: Sequence[DeadLetter]) -> None:
        if self.outages:
            self.outages -= 1
            raise ConnectionError("Kafka unavailable: test outage")
        self.letters.extend(letters)
