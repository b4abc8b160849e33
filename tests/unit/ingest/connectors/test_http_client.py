"""Byte limits on every HTTP read of the connectors, over real HTTP to a local server."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

import httpx
import pytest
from aiohttp import web
from pydantic import SecretStr

from core.clock import ManualClock
from ingest.connectors.errors import FetchFailed
from ingest.connectors.facebook_graph_client import GraphClient
from ingest.connectors.http_client import get_json, get_limited

NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
T = TypeVar("T")


async def _endless(request: web.Request) -> web.StreamResponse:
    """A chunked body without Content-Length that goes on for 8 MB."""
    response = web.StreamResponse()
    await response.prepare(request)
    for _ in range(128):
        await response.write(b"[" * 65_536)
    return response


async def _declared(request: web.Request) -> web.Response:
    return web.Response(body=b"[" * 300_000, content_type="application/json")


def serve(scenario: Callable[[httpx.AsyncClient, str], Awaitable[T]]) -> T:
    async def main() -> T:
        app = web.Application()
        app.router.add_get("/endless", _endless)
        app.router.add_get("/declared", _declared)
        app.router.add_get("/v1/endless", _endless)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        try:
            async with httpx.AsyncClient() as client:
                return await scenario(client, f"http://{host}:{port}")
        finally:
            await runner.cleanup()

    return asyncio.run(main())


class TestLimits:
    def test_a_chunked_body_is_cut_at_the_limit(self) -> None:
        """A body with no Content-Length is refused once it passes the limit, not read whole."""

        async def scenario(client: httpx.AsyncClient, url: str) -> None:
            await get_limited(client, f"{url}/endless", what="feed", limit=100_000)

        with pytest.raises(FetchFailed, match="over 100000 bytes"):
            serve(scenario)

    def test_a_declared_length_over_the_limit_is_refused_before_reading(self) -> None:
        """Content-Length over the limit is refused at the headers."""

        async def scenario(client: httpx.AsyncClient, url: str) -> None:
            await get_limited(client, f"{url}/declared", what="feed", limit=100_000)

        with pytest.raises(FetchFailed, match="300000 bytes is over"):
            serve(scenario)

    def test_get_json_reads_within_the_limit(self) -> None:
        """get_json streams through the same limit (8 MB is under the 32 MB default)."""

        async def scenario(client: httpx.AsyncClient, url: str) -> None:
            await get_json(client, f"{url}/endless", what="feed", clock=ManualClock(NOW))

        with pytest.raises(FetchFailed, match="not JSON"):
            serve(scenario)

    def test_the_graph_client_streams_its_reads_too(self, monkeypatch) -> None:
        """The Graph client's GET is bounded by the connectors' body limit."""
        monkeypatch.setattr("ingest.connectors.http_client.MAX_BODY_BYTES", 100_000)

        async def scenario(client: httpx.AsyncClient, url: str) -> None:
            graph = GraphClient(SecretStr("t"), "ENV", ManualClock(NOW), base_url=url, version="v1")
            await graph.get(client, "endless", {}, "feed")

        with pytest.raises(FetchFailed, match="over 100000 bytes"):
            serve(scenario)
