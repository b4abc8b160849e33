"""Reading Graph API list pages: their items, ids, times and nested child edges."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from ingest.connectors.errors import FetchFailed

# Ids that may go into a request path: Graph object ids ("123_456") and conversation ids ("t_...").
_PATH_ID = re.compile(r"[A-Za-z0-9_.:-]{1,200}")
_GRAPH_TIME = "%Y-%m-%dT%H:%M:%S%z"


def list_data(body: Mapping[str, object], what: str) -> list[object]:
    """The page's `data` list; FetchFailed when Graph answered something else."""
    data = body.get("data")
    if not isinstance(data, list):
        raise FetchFailed(f"{what}: Graph API response has no 'data' list")
    return data


def resume_pending(
    pending: list[tuple[Mapping[str, object], dict[str, str]]], item: str, item_page: dict[str, str]
) -> list[tuple[Mapping[str, object], dict[str, str]]]:
    """The overflow still to read after a restart at `item`'s `item_page`.

    An item that is gone since (deleted) leaves every overflow of the page to read again:
    duplicates are dropped by the runner, losses would not be.
    """
    for index, (candidate, _) in enumerate(pending):
        if path_id(candidate) == item:
            return [(candidate, item_page or pending[index][1]), *pending[index + 1 :]]
    return pending


def ids_within(item: Mapping[str, object], child_edge: str) -> set[str]:
    """The item's id and those of its children nested in the response."""
    found: set[str] = set()
    item_id = item.get("id")
    if isinstance(item_id, str):
        found.add(item_id)
    edge = item.get(child_edge)
    children = edge.get("data") if isinstance(edge, dict) else None
    if isinstance(children, list):
        for child in children:
            if isinstance(child, dict):
                found.update(ids_within(child, child_edge))
    return found


def child_ids(children: list[object]) -> set[str]:
    """The ids of a child-edge page's items (comments or messages)."""
    return {
        child["id"]
        for child in children
        if isinstance(child, dict) and isinstance(child.get("id"), str)
    }


def without(item: Mapping[str, object], key: str) -> dict[str, object]:
    """A copy of the item without `key` (its child edge, replaced by a continuation page)."""
    return {name: value for name, value in item.items() if name != key}


def path_id(item: Mapping[str, object]) -> str | None:
    """The item's id when it is safe to put in a request path, else None."""
    item_id = item.get("id")
    return item_id if isinstance(item_id, str) and _PATH_ID.fullmatch(item_id) else None


def graph_time(value: object) -> int | None:
    """Unix seconds of a Graph time ("2024-05-01T12:00:00+0000"); None when unreadable."""
    if not isinstance(value, str):
        return None
    try:
        return int(datetime.strptime(value, _GRAPH_TIME).timestamp())
    except ValueError:
        return None


def older(item: object, key: str, floor: int) -> bool:
    """Whether the item's time under `key` is readable and before `floor` (unix seconds)."""
    moment = graph_time(item.get(key)) if isinstance(item, dict) else None
    return moment is not None and moment < floor
