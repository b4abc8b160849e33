"""Writes operational alerts to the ops index (`tapwatch-ops*`), once per overdue episode."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from elasticsearch import AsyncElasticsearch, TransportError
from elasticsearch import ConnectionError as EsConnectionError
from elasticsearch.exceptions import ApiError

from alerts.errors import IndexUnavailable
from alerts.ops_alerts import OpsAlert

OPS_MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "ops_alert_id": {"type": "keyword"},
        "kind": {"type": "keyword"},
        "component": {"type": "keyword"},
        "component_kind": {"type": "keyword"},
        "district_id": {"type": "keyword"},
        "overdue_since": {"type": "date"},
        "last_success_at": {"type": "date"},
        "last_error": {"type": "text"},
        "consecutive_failures": {"type": "integer"},
        "raised_at": {"type": "date"},
        "summary": {"type": "text"},
        "status": {"type": "keyword"},
    },
}
_CREATED = (200, 201)
_ALREADY_RAISED = 409


class OpsAlertWriter:
    """Creates ops alerts with op_type=create: an episode already raised is left alone."""

    def __init__(self, client: AsyncElasticsearch, index: str) -> None:
        self._client = client
        self._index = index

    async def ensure_index(self) -> None:
        try:
            if not await self._client.indices.exists(index=self._index):
                await self._client.indices.create(index=self._index, mappings=OPS_MAPPINGS)
        except ApiError as exc:
            if exc.meta.status == 400 and "resource_already_exists" in str(exc):
                return
            raise IndexUnavailable(f"ops index {self._index}: {str(exc)[:200]}") from exc
        except (EsConnectionError, TransportError) as exc:
            raise IndexUnavailable(f"Elasticsearch unavailable: {str(exc)[:200]}") from exc

    async def create(self, alerts: Sequence[OpsAlert]) -> list[OpsAlert]:
        """Write the alerts; return those that were new (each episode is new only once)."""
        if not alerts:
            return []
        operations: list[dict[str, Any]] = []
        for alert in alerts:
            operations.append({"create": {"_index": self._index, "_id": alert.ops_alert_id}})
            operations.append(alert.to_document())
        try:
            response = await self._client.bulk(operations=operations, refresh="wait_for")
        except (ApiError, EsConnectionError, TransportError) as exc:
            raise IndexUnavailable(f"Elasticsearch unavailable: {str(exc)[:200]}") from exc
        new: list[OpsAlert] = []
        failed: list[str] = []
        for alert, item in zip(alerts, response.body.get("items", []), strict=True):
            status = int(item.get("create", {}).get("status", 0))
            if status in _CREATED:
                new.append(alert)
            elif status != _ALREADY_RAISED:
                failed.append(f"{alert.ops_alert_id}: HTTP {status}")
        if failed:
            # Those created are create-once: retrying the whole list later is safe.
            raise IndexUnavailable(f"ops alerts not written: {', '.join(failed)[:300]}")
        return new
