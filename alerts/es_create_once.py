"""Writes documents to one Elasticsearch index in bulk, each document id at most once.

The worker's alerts, posts and deletion marks, and the mailer's ops alerts, go through
this writer. Every document is created with
`op_type=create`, so a replay after a crash finds it present (409) and leaves it
alone: a reviewer's later change to an alert, or a legal hold set on a post, is never
overwritten by a replay.

Bounded: a bulk request carries at most `max_bulk_bytes` (10 MB by default, a tenth
of Elasticsearch's http.max_content_length), so a batch of large posts becomes several
requests. A request Elasticsearch refuses as a whole for good (413 too large, 400) is
split in halves until the document at fault is alone; that document is rejected with
the reason (the caller dead-letters it) after at most log2(batch) + 1 requests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import orjson
from elasticsearch import AsyncElasticsearch, TransportError
from elasticsearch import ConnectionError as EsConnectionError
from elasticsearch.exceptions import ApiError
from elasticsearch.serializer import OrjsonSerializer

from alerts.composable_template import ComposableTemplate
from alerts.errors import AlertRejected, IndexUnavailable
from core.settings import ElasticsearchSettings

# The largest bulk request body written (bytes).
DEFAULT_MAX_BULK_BYTES = 10 * 1024 * 1024
# Per-item bulk statuses that a later retry can fix: overload and server trouble.
_RETRYABLE_ITEM_STATUSES = frozenset({429, 500, 502, 503, 504})
# The document already exists: a replay of a document already written, which is success.
_ALREADY_WRITTEN = 409
# What `summarize_bulk` reads of each item. Elasticsearch leaves out the rest (index,
# version, shards, sequence numbers): a 1,000-item response shrinks from about 240 kB to
# 100 kB, for it to encode and for the worker to parse (1.9 -> 1.2 ms with orjson).
BULK_RESPONSE_FILTER = (
    "items.*.status",
    "items.*._id",
    "items.*.error.type",
    "items.*.error.reason",
)


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What one bulk write did: new documents, replays already present, and refusals."""

    created: int
    already_present: int
    rejected: tuple[AlertRejected, ...]
    # The ids of the new documents, in the order written.
    created_ids: tuple[str, ...] = ()


class CreateOnceWriter:
    """Bulk-creates (document id, document) pairs in one index, each id at most once."""

    def __init__(
        self,
        client: AsyncElasticsearch,
        index: str,
        template: ComposableTemplate,
        noun: str,
        refresh: Literal["wait_for"] | None = None,
        max_bulk_bytes: int = DEFAULT_MAX_BULK_BYTES,
    ) -> None:
        self._client = client
        self._max_bulk_bytes = max_bulk_bytes
        self._index = index
        self._template = template
        self._noun = noun  # "alerts", "posts": named in errors
        # "wait_for": a write returns once its documents are searchable.
        self._refresh = refresh

    @classmethod
    def from_settings(
        cls, settings: ElasticsearchSettings, index: str, template: ComposableTemplate, noun: str
    ) -> CreateOnceWriter:
        # orjson parses the bulk responses (one item per document) several times faster.
        options: dict[str, Any] = {**settings.client_options(), "serializer": OrjsonSerializer()}
        client = AsyncElasticsearch(**options)
        return cls(client, index, template, noun)

    async def close(self) -> None:
        await self._client.close()

    async def ensure_template(self, *companions: ComposableTemplate) -> None:
        """Create or update the index template (and its companions': templates of indices
        other identities write, which only this one may install), then the index itself."""
        try:
            for template in (self._template, *companions):
                await self._client.indices.put_index_template(name=template.name, **template.body())
            if not await self._client.indices.exists(index=self._index):
                await self._client.indices.create(index=self._index)
        except ApiError as exc:
            if exc.meta.status == 400 and "resource_already_exists" in str(exc):
                return  # another worker created it between our check and our create
            raise _unavailable(exc) from exc
        except (EsConnectionError, TransportError) as exc:
            raise _unavailable(exc) from exc

    async def write(self, documents: Sequence[tuple[str, Mapping[str, Any]]]) -> WriteResult:
        """Bulk-create the documents; raise IndexUnavailable if any must be retried.

        Documents refused for good (a mapping error, say) come back in `rejected` by
        document id, so the caller can dead-letter them; the rest are durably written.
        """
        if not documents:
            return WriteResult(0, 0, ())
        pairs = bulk_create_pairs(self._index, documents)
        results = [
            await self._write_chunk(chunk) for chunk in split_by_bytes(pairs, self._max_bulk_bytes)
        ]
        return merge_results(results)

    async def _write_chunk(self, pairs: Sequence[tuple[str, bytes, bytes]]) -> WriteResult:
        """One bulk request; a refusal of the whole request is narrowed down by halves."""
        operations = [line for _, action, source in pairs for line in (action, source)]
        try:
            # The client's stubs want mappings; its NDJSON serializer takes bytes lines too.
            response = await self._client.bulk(
                operations=operations,  # type: ignore[arg-type]
                filter_path=BULK_RESPONSE_FILTER,
                refresh=self._refresh,  # None: not sent
            )
        except ApiError as exc:
            if exc.meta.status in _RETRYABLE_ITEM_STATUSES:
                raise _unavailable(exc) from exc
            if len(pairs) == 1:
                reason = f"HTTP {exc.meta.status}: {str(exc)[:300]}"
                return WriteResult(0, 0, (AlertRejected(pairs[0][0], reason),))
            half = len(pairs) // 2
            return merge_results(
                [await self._write_chunk(pairs[:half]), await self._write_chunk(pairs[half:])]
            )
        except (EsConnectionError, TransportError) as exc:
            raise _unavailable(exc) from exc
        return summarize_bulk(response.body, self._noun)


def bulk_create_lines(
    index: str, documents: Sequence[tuple[str, Mapping[str, Any]]]
) -> list[bytes]:
    """The bulk body's NDJSON lines, encoded here: the client passes bytes lines through."""
    lines: list[bytes] = []
    for doc_id, document in documents:
        lines.append(orjson.dumps({"create": {"_index": index, "_id": doc_id}}))
        lines.append(orjson.dumps(document, option=orjson.OPT_SERIALIZE_NUMPY))
    return lines


def bulk_create_pairs(
    index: str, documents: Sequence[tuple[str, Mapping[str, Any]]]
) -> list[tuple[str, bytes, bytes]]:
    """(document id, action line, source line) of each document, encoded once."""
    return [
        (
            doc_id,
            orjson.dumps({"create": {"_index": index, "_id": doc_id}}),
            orjson.dumps(document, option=orjson.OPT_SERIALIZE_NUMPY),
        )
        for doc_id, document in documents
    ]


def split_by_bytes(
    pairs: Sequence[tuple[str, bytes, bytes]], max_bytes: int
) -> list[Sequence[tuple[str, bytes, bytes]]]:
    """Consecutive runs of `pairs` whose NDJSON body is at most `max_bytes` each.

    A document larger than `max_bytes` on its own goes alone: Elasticsearch decides.
    """
    chunks: list[Sequence[tuple[str, bytes, bytes]]] = []
    start = size = 0
    for i, (_, action, source) in enumerate(pairs):
        lines = len(action) + len(source) + 2  # two newlines
        if i > start and size + lines > max_bytes:
            chunks.append(pairs[start:i])
            start, size = i, 0
        size += lines
    if start < len(pairs):
        chunks.append(pairs[start:])
    return chunks


def merge_results(results: Sequence[WriteResult]) -> WriteResult:
    """One WriteResult of several requests' results, in order."""
    return WriteResult(
        sum(r.created for r in results),
        sum(r.already_present for r in results),
        tuple(rejected for r in results for rejected in r.rejected),
        tuple(doc_id for r in results for doc_id in r.created_ids),
    )


def summarize_bulk(body: Mapping[str, Any], noun: str) -> WriteResult:
    """Count a bulk-create response's items; raise IndexUnavailable if any needs a retry."""
    created: list[str] = []
    present = 0
    rejected: list[AlertRejected] = []
    retryable = 0
    for item in body.get("items", []):
        outcome = item.get("create", {})
        status = int(outcome.get("status", 0))
        if status in (200, 201):
            created.append(str(outcome.get("_id", "?")))
        elif status == _ALREADY_WRITTEN:
            present += 1
        elif status in _RETRYABLE_ITEM_STATUSES:
            retryable += 1
        else:
            error = outcome.get("error", {})
            reason = f"{error.get('type', 'error')}: {error.get('reason', 'unknown')}"[:500]
            rejected.append(AlertRejected(str(outcome.get("_id", "?")), reason))
    if retryable:
        # Items that did go in are create-once, so retrying the whole batch is safe.
        raise IndexUnavailable(f"{retryable} {noun} need a retry (overloaded or failing)")
    return WriteResult(len(created), present, tuple(rejected), tuple(created))


def _unavailable(exc: Exception) -> IndexUnavailable:
    return IndexUnavailable(f"Elasticsearch unavailable: {type(exc).__name__}: {str(exc)[:200]}")
