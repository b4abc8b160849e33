"""Reading incidents from Elasticsearch: search alerts, get one as it is now, read its thread."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from alerts.errors import AlertNotFound
from alerts.incident_query import IncidentFilter, build_search
from core.pipeline_names import PipelineNames

# The most posts `show` and `export` read from one thread.
MAX_THREAD_POSTS = 1_000


@dataclass(frozen=True, slots=True)
class LocatedAlert:
    """An alert as read now, with what an optimistic-concurrency update needs."""

    index: str
    seq_no: int
    primary_term: int
    source: dict[str, Any]

    @property
    def alert_id(self) -> str:
        return str(self.source["alert_id"])


@dataclass(frozen=True, slots=True)
class Page:
    total: int
    alerts: list[dict[str, Any]]


class IncidentQueries:
    """Read-only access to the alerts and posts indices of one pipeline (namespace)."""

    def __init__(self, client: Elasticsearch, names: PipelineNames) -> None:
        self._client = client
        self._names = names

    @property
    def alerts_pattern(self) -> str:
        return self._names.alerts_pattern

    @property
    def posts_pattern(self) -> str:
        return self._names.posts_pattern

    def search(self, spec: IncidentFilter) -> Page:
        response = self._client.search(
            index=self.alerts_pattern,
            ignore_unavailable=True,
            allow_no_indices=True,
            **build_search(spec),
        )
        hits = response["hits"]
        return Page(int(hits["total"]["value"]), [hit["_source"] for hit in hits["hits"]])

    def get(self, alert_id: str) -> LocatedAlert:
        """The alert as it is now (a real-time get, not a search)."""
        for index in self._candidate_indices(alert_id):
            try:
                found = self._client.get(index=index, id=alert_id)
            except NotFoundError:
                continue
            return LocatedAlert(
                str(found["_index"]),
                int(found["_seq_no"]),
                int(found["_primary_term"]),
                dict(found["_source"]),
            )
        raise AlertNotFound(alert_id)

    def _candidate_indices(self, alert_id: str) -> Iterator[str]:
        yield self._names.alerts_index
        response = self._client.search(
            index=self.alerts_pattern,
            query={"ids": {"values": [alert_id]}},
            source=False,
            size=1,
            ignore_unavailable=True,
            allow_no_indices=True,
        )
        for hit in response["hits"]["hits"]:
            if hit["_index"] != self._names.alerts_index:
                yield str(hit["_index"])

    def thread(self, alert: dict[str, Any]) -> list[dict[str, Any]]:
        """Every indexed version and deletion mark of the alert's thread, oldest first."""
        response = self._client.search(
            index=self.posts_pattern,
            query={"bool": {"filter": thread_terms(alert)}},
            sort=[
                {"created_at": {"order": "asc", "missing": "_last", "unmapped_type": "date"}},
                {"post_id": {"order": "asc", "unmapped_type": "keyword"}},
                {"indexed_at": {"order": "asc", "unmapped_type": "date"}},
            ],
            size=MAX_THREAD_POSTS,
            ignore_unavailable=True,
            allow_no_indices=True,
        )
        return [hit["_source"] for hit in response["hits"]["hits"]]


def thread_terms(alert: dict[str, Any]) -> list[dict[str, Any]]:
    """The filter that finds the posts of the alert's thread (a post alone is its own thread)."""
    return [
        {"term": {"district_id": alert.get("district_id")}},
        {"term": {"platform": alert.get("platform")}},
        {"term": {"thread_id": alert.get("thread_id") or alert.get("post_id")}},
    ]
