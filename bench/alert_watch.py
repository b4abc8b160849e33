"""Watches the alerts index for newly searchable alerts: when each post's alert was first seen."""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch

from core.settings import ElasticsearchSettings

# Documents fetched per search page (ES's default max_result_window is 10,000).
PAGE_SIZE = 5_000
# Post ids per `terms` query of a sweep.
SWEEP_CHUNK = 5_000
# Only these two fields are fetched per hit, from doc values (no _source).
DOCVALUE_FIELDS: list[Mapping[str, Any]] = [
    {"field": "post_id"}, {"field": "detected_at", "format": "epoch_millis"},
]


@dataclass(frozen=True, slots=True)
class Sighting:
    """When the bench first found a post's alert (wall clock, s) and when the worker detected it."""

    seen_at: float
    detected_at: float | None


class AlertWatcher:
    """Polls the alerts index every `interval_s` in a background thread.

    Each poll asks only for documents newer than the last one seen: the index has
    one shard, whose `_seq_no` grows with every write, so a range query on it,
    sorted by it, returns each new document once and old ones never again. A
    document written concurrently with a lower `_seq_no` can become visible after
    a higher one (two workers' bulks interleaving); `sweep` finds such stragglers
    by post id at the end, and they are counted in `swept`.
    """

    def __init__(self, settings: ElasticsearchSettings, index: str, interval_s: float) -> None:
        self._client = Elasticsearch(**settings.client_options())  # type: ignore[arg-type]
        self._index = index
        self._interval_s = interval_s
        self._seen: dict[str, Sighting] = {}
        self._last_seq_no = -1
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="alert-watch", daemon=True)
        self.polls = 0
        self.errors = 0
        self.last_error = ""
        self.swept = 0

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        self._client.close()

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            try:
                self.poll_once()
            except Exception as exc:  # a slow or restarting ES: try again next poll
                self.errors += 1
                self.last_error = f"{type(exc).__name__}: {str(exc)[:200]}"

    def poll_once(self) -> int:
        """Fetch every document past the last `_seq_no` seen; return how many were new."""
        new = 0
        while True:
            response = self._client.search(
                index=self._index,
                query={"range": {"_seq_no": {"gt": self._last_seq_no}}},
                sort=[{"_seq_no": "asc"}],
                size=PAGE_SIZE,
                source=False,
                docvalue_fields=DOCVALUE_FIELDS,
                seq_no_primary_term=True,
                track_total_hits=False,
                ignore_unavailable=True,
            )
            seen_at = time.time()
            hits = response["hits"]["hits"]
            self.polls += 1
            new += self._record(hits, seen_at)
            if hits:
                self._last_seq_no = max(self._last_seq_no, int(hits[-1]["_seq_no"]))
            if len(hits) < PAGE_SIZE:
                return new

    def _record(self, hits: list[dict[str, Any]], seen_at: float) -> int:
        new = 0
        with self._lock:
            for hit in hits:
                fields = hit.get("fields", {})
                post_id = fields.get("post_id", [None])[0]
                if post_id is None or post_id in self._seen:
                    continue
                detected = fields.get("detected_at", [None])[0]
                detected_at = float(detected) / 1000 if detected is not None else None
                self._seen[post_id] = Sighting(seen_at, detected_at)
                new += 1
        return new

    def sweep(self, post_ids: Collection[str]) -> int:
        """Look the unseen ones of `post_ids` up by id; those found count as seen now."""
        with self._lock:
            missing = [p for p in post_ids if p not in self._seen]
        found = 0
        for start in range(0, len(missing), SWEEP_CHUNK):
            chunk = missing[start:start + SWEEP_CHUNK]
            response = self._client.search(
                index=self._index, query={"terms": {"post_id": chunk}}, size=len(chunk),
                source=False,
                docvalue_fields=DOCVALUE_FIELDS,
                track_total_hits=False, ignore_unavailable=True,
            )
            found += self._record(response["hits"]["hits"], time.time())
        self.swept += found
        return found

    def seen(self, post_id: str) -> Sighting | None:
        with self._lock:
            return self._seen.get(post_id)

    def sightings(self) -> dict[str, Sighting]:
        with self._lock:
            return dict(self._seen)

    def unseen(self, post_ids: Collection[str]) -> int:
        with self._lock:
            return sum(1 for p in post_ids if p not in self._seen)

    def index_count(self) -> int:
        response = self._client.count(index=self._index, ignore_unavailable=True)
        return int(response["count"])

    def refresh_interval(self) -> str:
        """The index's refresh interval as set, or ES's default of 1s."""
        settings = self._client.indices.get_settings(index=self._index)
        index = settings[self._index]["settings"]["index"]
        return str(index.get("refresh_interval", "1s (default)"))
