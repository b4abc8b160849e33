"""Writes post versions and deletion marks to the posts index, once per document id, in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from elasticsearch import AsyncElasticsearch, TransportError
from elasticsearch import ConnectionError as EsConnectionError
from elasticsearch.exceptions import ApiError

from alerts.errors import AlertRejected, IndexUnavailable
from alerts.es_writer import WriteResult
from alerts.posts_index_template import POSTS_TEMPLATE_NAME, posts_index_template
from tapwatch.settings import ElasticsearchSettings

# Per-item bulk statuses that a later retry can fix: overload and server trouble.
_RETRYABLE = frozenset({429, 500, 502, 503, 504})
# Already indexed: a replay after a restart, which is success.
_ALREADY_WRITTEN = 409


class PostsIndexWriter:
    """Creates each (doc id, document) once (`op_type=create`): replays change nothing,
    and a legal-hold flag set on a document later is never overwritten by a replay."""

    def __init__(self, client: AsyncElasticsearch, index: str) -> None:
        self._client = client
        self._index = index

    @classmethod
    def from_settings(cls, settings: ElasticsearchSettings, index: str) -> PostsIndexWriter:
        client = AsyncElasticsearch(**settings.client_options())  # type: ignore[arg-type]
        return cls(client, index)

    async def close(self) -> None:
        await self._client.close()

    async def ensure_template(self) -> None:
        """Create or update the `tapwatch-posts*` template, then the index itself."""
        try:
            await self._client.indices.put_index_template(
                name=POSTS_TEMPLATE_NAME, **posts_index_template()
            )
            if not await self._client.indices.exists(index=self._index):
                await self._client.indices.create(index=self._index)
        except ApiError as exc:
            if exc.meta.status == 400 and "resource_already_exists" in str(exc):
                return  # another worker created it first
            raise _unavailable(exc) from exc
        except (EsConnectionError, TransportError) as exc:
            raise _unavailable(exc) from exc

    async def write(self, documents: Sequence[tuple[str, dict[str, Any]]]) -> WriteResult:
        """Bulk-create the documents; raise IndexUnavailable if any must be retried.

        Refused documents (a mapping error) come back in `rejected` by doc id.
        """
        if not documents:
            return WriteResult(0, 0, ())
        operations: list[dict[str, Any]] = []
        for doc_id, document in documents:
            operations.append({"create": {"_index": self._index, "_id": doc_id}})
            operations.append(document)
        try:
            response = await self._client.bulk(operations=operations)
        except ApiError as exc:
            if exc.meta.status in _RETRYABLE:
                raise _unavailable(exc) from exc
            raise
        except (EsConnectionError, TransportError) as exc:
            raise _unavailable(exc) from exc
        return _summarize(response.body)


def _summarize(body: dict[str, Any]) -> WriteResult:
    created = present = 0
    rejected: list[AlertRejected] = []
    retryable = 0
    for item in body.get("items", []):
        outcome = item.get("create", {})
        status = int(outcome.get("status", 0))
        if status in (200, 201):
            created += 1
        elif status == _ALREADY_WRITTEN:
            present += 1
        elif status in _RETRYABLE:
            retryable += 1
        else:
            error = outcome.get("error", {})
            reason = f"{error.get('type', 'error')}: {error.get('reason', 'unknown')}"[:500]
            rejected.append(AlertRejected(str(outcome.get("_id", "?")), reason))
    if retryable:
        # Documents that did go in are create-once, so retrying the whole batch is safe.
        raise IndexUnavailable(f"{retryable} posts need a retry (overloaded or failing)")
    return WriteResult(created, present, tuple(rejected))


def _unavailable(exc: Exception) -> IndexUnavailable:
    return IndexUnavailable(f"Elasticsearch unavailable: {type(exc).__name__}: {str(exc)[:200]}")
