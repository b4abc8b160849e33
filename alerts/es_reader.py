"""Reads alerts back from Elasticsearch with structured queries (never a raw query string)."""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from alerts.index_template import ALERTS_INDEX_PATTERN
from core.settings import ElasticsearchSettings

# The most alerts one listing returns.
MAX_PAGE = 1_000


def search_alerts(
    settings: ElasticsearchSettings,
    district_id: str | None = None,
    rule: str | None = None,
    size: int = 100,
) -> list[dict[str, Any]]:
    """Alerts matching the filters, newest event first."""
    filters: list[dict[str, Any]] = []
    if district_id:
        filters.append({"term": {"district_id": district_id}})
    if rule:
        filters.append({"term": {"rule": rule}})
    client = Elasticsearch(**settings.client_options())  # type: ignore[arg-type]
    try:
        response = client.search(
            index=ALERTS_INDEX_PATTERN,
            query={"bool": {"filter": filters}},
            sort=[{"event_time": "desc"}, {"alert_id": "asc"}],
            size=min(size, MAX_PAGE),
            ignore_unavailable=True,
            allow_no_indices=True,
        )
    finally:
        client.close()
    return [hit["_source"] for hit in response["hits"]["hits"]]
