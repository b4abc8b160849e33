"""Run one poll of a connector endpoint against a fake platform: every page, in order."""

from __future__ import annotations

import asyncio

import httpx

from ingest.connectors.source import Cursor, Endpoint, FetchedPage


def poll(endpoint: Endpoint, cursor: Cursor | None = None) -> list[FetchedPage]:
    """Every page of one poll from `cursor` (the first poll without one)."""

    async def run() -> list[FetchedPage]:
        async with httpx.AsyncClient() as client:
            return [page async for page in endpoint.pages(client, cursor or {})]

    return asyncio.run(run())
