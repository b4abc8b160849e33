"""The create-once writer against a real Elasticsearch: new, replayed and refused documents
are told apart from the (filtered) bulk response."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from alerts.composable_template import ComposableTemplate
from alerts.es_create_once import CreateOnceWriter, WriteResult
from core.settings import ElasticsearchSettings


def _template(index: str) -> ComposableTemplate:
    return ComposableTemplate(
        name=index,
        pattern=index,
        mappings={"dynamic": "false", "properties": {"at": {"type": "date"}}},
        description="create-once writer test",
        priority=500,
    )


@pytest.fixture()
def index(stack: None) -> Iterator[str]:
    name = f"tapwatch-create-once-{uuid.uuid4().hex[:8]}"
    yield name
    es = Elasticsearch(**ElasticsearchSettings().client_options())
    es.options(ignore_status=404).indices.delete(index=name)
    es.options(ignore_status=404).indices.delete_index_template(name=name)
    es.close()


def _write(index: str, documents: list[tuple[str, dict[str, Any]]]) -> WriteResult:
    async def write() -> WriteResult:
        template = _template(index)
        writer = CreateOnceWriter.from_settings(ElasticsearchSettings(), index, template, "docs")
        try:
            await writer.ensure_template()
            return await writer.write(documents)
        finally:
            await writer.close()

    return asyncio.run(write())


def test_new_replayed_and_refused_documents_are_counted_apart(index: str) -> None:
    first = _write(index, [("a", {"at": "2026-01-05T10:00:00Z"}), ("b", {"at": "2026-01-05"})])
    assert (first.created, first.already_present, first.rejected) == (2, 0, ())

    again = _write(
        index,
        [
            ("a", {"at": "2026-02-01T00:00:00Z"}),  # a replay: the first version stays
            ("c", {"at": "2026-01-06T08:00:00Z"}),
            ("bad", {"at": "not a date"}),
        ],
    )
    assert (again.created, again.already_present) == (1, 1)
    assert [r.alert_id for r in again.rejected] == ["bad"]
    assert "parse" in again.rejected[0].reason

    es = Elasticsearch(**ElasticsearchSettings().client_options())
    try:
        assert es.get(index=index, id="a")["_source"]["at"] == "2026-01-05T10:00:00Z"
    finally:
        es.close()


# aiohttp warns of any request body over 1 MiB (ResourceWarning, ignored outside tests).
@pytest.mark.filterwarnings("ignore:Sending a large body:ResourceWarning")
def test_a_batch_over_the_byte_limit_is_written_in_several_requests(index: str) -> None:
    """Twelve 1 MB documents under a 3 MB request limit all go in (four requests)."""

    async def write() -> WriteResult:
        settings = ElasticsearchSettings()
        client = CreateOnceWriter.from_settings(settings, index, _template(index), "docs")
        writer = CreateOnceWriter(
            client._client, index, _template(index), "docs", max_bulk_bytes=3_000_000
        )
        try:
            await writer.ensure_template()
            documents = [(f"d{i}", {"text": "x" * 1_000_000}) for i in range(12)]
            return await writer.write(documents)
        finally:
            await client.close()

    result = asyncio.run(write())
    assert (result.created, result.rejected) == (12, ())
