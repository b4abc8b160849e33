"""Reads every hit of a query from Elasticsearch, page by page, over a point in time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from elasticsearch import Elasticsearch

# Hits fetched per page.
SCAN_PAGE = 500
# How long the point in time is kept between two pages (Elasticsearch duration).
PIT_KEEP_ALIVE = "2m"


def scan(
    client: Elasticsearch,
    index: str,
    query: dict[str, Any],
    sort: Sequence[dict[str, Any]] = (),
    source: Sequence[str] | bool = True,
    page: int = SCAN_PAGE,
) -> Iterator[list[dict[str, Any]]]:
    """Pages of hits (each with `_index`, `_id`, `_seq_no`, `_primary_term`, `_source`).

    A point in time fixes what is read, so deleting hits between pages (retention)
    neither skips nor repeats any; `_shard_doc` breaks ties in the given sort.
    """
    opened = client.open_point_in_time(
        index=index, keep_alive=PIT_KEEP_ALIVE, ignore_unavailable=True
    )
    pit_id = str(opened["id"])
    after: list[Any] | None = None
    try:
        while True:
            response = client.search(
                query=query,
                sort=[*sort, {"_shard_doc": "asc"}],
                size=page,
                pit={"id": pit_id, "keep_alive": PIT_KEEP_ALIVE},
                seq_no_primary_term=True,
                source=source if isinstance(source, bool) else {"includes": list(source)},
                track_total_hits=False,
                search_after=after,
            )
            pit_id = str(response.get("pit_id", pit_id))
            hits: list[dict[str, Any]] = response["hits"]["hits"]
            if not hits:
                return
            yield hits
            after = hits[-1]["sort"]
            if len(hits) < page:
                return
    finally:
        client.close_point_in_time(id=pit_id)
