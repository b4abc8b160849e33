"""Builders of one response per platform whose items carry given texts (invented people only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Each builder takes one entry per item: a text gives a valid item with that text,
# None an item whose author is missing (which the parser must refuse).
ResponseBuilder = Callable[[list[str | None]], Any]


def x_response(texts: list[str | None]) -> dict[str, Any]:
    items = []
    for index, text in enumerate(texts):
        tweet: dict[str, Any] = {
            "id": str(1600000000000100000 + index),
            "text": text if text is not None else "no author",
            "created_at": "2026-10-05T19:00:00.000Z",
            "conversation_id": str(1600000000000100000 + index),
        }
        if text is not None:
            tweet["author_id"] = "1500000000000000001"
        items.append(tweet)
    return {"data": items, "meta": {"result_count": len(items)}}


def facebook_response(texts: list[str | None]) -> dict[str, Any]:
    items = []
    for index, text in enumerate(texts):
        post: dict[str, Any] = {
            "id": f"2000000000001_30000000000{index:05d}",
            "message": text if text is not None else "no author",
            "created_time": "2026-10-05T16:00:00+0000",
        }
        if text is not None:
            post["from"] = {"id": "2000000000001", "name": "Wilmington High School"}
        items.append(post)
    return {"data": items}


def wordpress_response(texts: list[str | None]) -> list[dict[str, Any]]:
    items = []
    for index, text in enumerate(texts):
        comment: dict[str, Any] = {
            "id": 500 + index,
            "post": 12,
            "parent": 0,
            "date_gmt": "2026-10-05T23:00:00",
            "content": {"rendered": text if text is not None else "no author"},
            "type": "comment",
        }
        if text is not None:
            comment["author"] = 201
        items.append(comment)
    return items


def googleplus_response(texts: list[str | None]) -> dict[str, Any]:
    items = []
    for index, text in enumerate(texts):
        activity: dict[str, Any] = {
            "kind": "plus#activity",
            "id": f"z13gcase{index:04d}",
            "published": "2018-10-01T21:00:00.000Z",
            "object": {"objectType": "note", "content": text if text is not None else "x"},
        }
        if text is not None:
            activity["actor"] = {"id": "100000000000000000004", "displayName": "Coach Okafor"}
        items.append(activity)
    return {"kind": "plus#activityFeed", "items": items}


def edmodo_response(texts: list[str | None]) -> list[dict[str, Any]]:
    items = []
    for index, text in enumerate(texts):
        message: dict[str, Any] = {
            "id": 800 + index,
            "content": {"text": text if text is not None else "no creator"},
            "recipients": {"groups": [{"id": 700}]},
            "created_at": "2019-03-04T13:00:00-06:00",
        }
        if text is not None:
            message["creator"] = {"id": 3001, "user_type": "teacher"}
        items.append(message)
    return items


def bluesky_response(texts: list[str | None]) -> dict[str, Any]:
    feed = []
    for index, text in enumerate(texts):
        post: dict[str, Any] = {
            "uri": f"at://did:plc:rbaptistehome7xq2k4mz/app.bsky.feed.post/3l6case{index:04d}",
            "cid": "bafyreib2rxk3rybk3aobmv5cjuql3bm2twh4jo5uxgf5jnaqzz6ujhmi",
            "record": {
                "$type": "app.bsky.feed.post",
                "text": text if text is not None else "no author",
                "createdAt": "2026-10-08T21:00:00.000Z",
            },
            "indexedAt": "2026-10-08T21:00:00.000Z",
        }
        if text is not None:
            post["author"] = {"did": "did:plc:rbaptistehome7xq2k4mz", "handle": "rb.bsky.social"}
        feed.append({"post": post})
    return {"feed": feed}


BUILDERS: dict[str, ResponseBuilder] = {
    "twitter": x_response,
    "facebook": facebook_response,
    "wordpress": wordpress_response,
    "googleplus": googleplus_response,
    "edmodo": edmodo_response,
    "bluesky": bluesky_response,
}
