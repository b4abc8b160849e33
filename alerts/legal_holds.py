"""Legal holds on the posts index: flag (or unflag) every post of a held alert's thread."""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from alerts.errors import IndexUnavailable
from alerts.es_scan import scan
from alerts.incident_queries import thread_terms


class LegalHolds:
    """Sets `legal_hold` on a thread's posts so retention keeps them."""

    def __init__(self, client: Elasticsearch, alerts_pattern: str, posts_pattern: str) -> None:
        self._client = client
        self._alerts_pattern = alerts_pattern
        self._posts_pattern = posts_pattern

    def mark_thread(self, alert: dict[str, Any], held: bool) -> None:
        """Flag (or unflag) the thread's posts; a release keeps the flag while another
        alert of the same thread is still held."""
        if not held and self._thread_still_held(alert):
            return
        self._client.indices.refresh(
            index=self._posts_pattern, ignore_unavailable=True, allow_no_indices=True
        )
        for page in scan(
            self._client,
            self._posts_pattern,
            {"bool": {"filter": thread_terms(alert)}},
            source=False,
        ):
            operations: list[dict[str, Any]] = []
            for hit in page:
                operations.append({"update": {"_index": hit["_index"], "_id": hit["_id"]}})
                operations.append({"doc": {"legal_hold": held}})
            response = self._client.bulk(operations=operations, refresh=True)
            if response.get("errors"):
                failed = sum(1 for item in response["items"] if item["update"]["status"] >= 300)
                raise IndexUnavailable(
                    f"legal hold flag not set on {failed} posts of the thread; run it again"
                )

    def _thread_still_held(self, alert: dict[str, Any]) -> bool:
        self._client.indices.refresh(
            index=self._alerts_pattern, ignore_unavailable=True, allow_no_indices=True
        )
        others = self._client.count(
            index=self._alerts_pattern,
            query={"bool": {"filter": [*thread_terms(alert), {"term": {"legal_hold": True}}]}},
            ignore_unavailable=True,
            allow_no_indices=True,
        )
        return int(others["count"]) > 0
