"""Writes alert documents to Elasticsearch, once per alert id, in bulk."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from elasticsearch import AsyncElasticsearch, TransportError
from elasticsearch import ConnectionError as EsConnectionError
from elasticsearch.exceptions import ApiError

from alerts.errors import AlertRejected, IndexUnavailable
from alerts.index_template import ALERTS_TEMPLATE_NAME, alerts_index_template
from tapwatch.settings import ElasticsearchSettings

log = logging.getLogger(__name__)

# Per-item bulk statuses that a later retry can fix: overload and server trouble.
_RETRYABLE_ITEM_STATUSES = frozenset({429, 500, 502, 503, 504})
# The document already exists: a replay of an alert already written, which is success.
_ALREADY_WRITTEN = 409


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What one bulk write did: new alerts, replays already present, and refusals."""

    created: int
    already_present: int
    rejected: tuple[AlertRejected, ...]


class AlertIndexWriter:
    """Creates each alert at most once (`op_type=create` keyed by alert_id).

    A replay after a crash finds the alert present and leaves it alone, so a
    reviewer's later status change is never overwritten by the replay.
    """

    def __init__(self, client: AsyncElasticsearch, index: str) -> None:
        self._client = client
        self._index = index

    @classmethod
    def from_settings(cls, settings: ElasticsearchSettings, index: str) -> AlertIndexWriter:
        client = AsyncElasticsearch(**settings.client_options())  # type: ignore[arg-type]
        return cls(client, index)

    async def close(self) -> None:
        await self._client.close()

    async def ensure_template(self) -> None:
        """Create or update the `tapwatch-alerts*` template, then the index itself."""
        try:
            await self._client.indices.put_index_template(
                name=ALERTS_TEMPLATE_NAME, **alerts_index_template()
            )
            if not await self._client.indices.exists(index=self._index):
                await self._client.indices.create(index=self._index)
        except ApiError as exc:
            if exc.meta.status == 400 and "resource_already_exists" in str(exc):
                return  # another worker created it between our check and our create
            raise _unavailable(exc) from exc
        except (EsConnectionError, TransportError) as exc:
            raise _unavailable(exc) from exc

    async def write(self, alerts: Sequence[dict[str, Any]]) -> WriteResult:
        """Bulk-create the alerts; raise IndexUnavailable if any must be retried.

        Documents refused for good (a mapping error, say) come back in `rejected`
        so the caller can dead-letter them; the rest are durably written.
        """
        if not alerts:
            return WriteResult(0, 0, ())
        operations: list[dict[str, Any]] = []
        for alert in alerts:
            operations.append({"create": {"_index": self._index, "_id": alert["alert_id"]}})
            operations.append(alert)
        try:
            response = await self._client.bulk(operations=operations)
        except ApiError as exc:
            if exc.meta.status in _RETRYABLE_ITEM_STATUSES:
                raise _unavailable(exc) from exc
            raise
        except (EsConnectionError, TransportError) as exc:
            raise _unavailable(exc) from exc
        return _summarize(response.body)


def _summarize(body: dict[str, Any]) -> WriteResult:
    created = present = 0
    rejected: list[AlertRejected] = []
    retryable: list[str] = []
    for item in body.get("items", []):
        outcome = item.get("create", {})
        status = int(outcome.get("status", 0))
        doc_id = str(outcome.get("_id", "?"))
        if status in (200, 201):
            created += 1
        elif status == _ALREADY_WRITTEN:
            present += 1
        elif status in _RETRYABLE_ITEM_STATUSES:
            retryable.append(doc_id)
        else:
            error = outcome.get("error", {})
            reason = f"{error.get('type', 'error')}: {error.get('reason', 'unknown')}"[:500]
            rejected.append(AlertRejected(doc_id, reason))
    if retryable:
        # Items that did go in are create-once, so retrying the whole batch is safe.
        raise IndexUnavailable(f"{len(retryable)} alerts need a retry (overloaded or failing)")
    return WriteResult(created, present, tuple(rejected))


def _unavailable(exc: Exception) -> IndexUnavailable:
    return IndexUnavailable(f"Elasticsearch unavailable: {type(exc).__name__}: {str(exc)[:200]}")
