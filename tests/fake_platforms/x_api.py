"""A fake X API v2 (timelines, mentions, recent search, dm_events) answering in the real shape.

Tweets are stored as API objects; the fake pages them newest first (`max_results`,
`meta.next_token`), honours `since_id`, and answers `conversation_id:` queries of
recent search. `fail_next` queues error replies (429 with `x-rate-limit-reset`,
500, ...) served before the real answers, and `delay_s` slows every answer down.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ingest.connectors.x_api import snowflake_at
from tests.fake_platforms.server import Reply, Request

PAGE_SIZE = 3


def tweet_id(moment: datetime, sequence: int) -> str:
    """A realistic snowflake id for a tweet created at `moment`."""
    return str(snowflake_at(moment) + sequence)


@dataclass
class FakeX:
    """The platform's state; `handle` is the FakeServer handler."""

    users: dict[str, str] = field(default_factory=dict)  # id -> username
    tweets: list[dict[str, object]] = field(default_factory=list)
    dm_events: list[dict[str, object]] = field(default_factory=list)
    page_size: int = PAGE_SIZE
    delay_s: float = 0.0
    fail_next: deque[Reply] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add_tweet(
        self,
        author: str,
        text: str,
        *,
        at: datetime | None = None,
        sequence: int = 0,
        **extra: object,
    ) -> str:
        moment = at or datetime.now(UTC) - timedelta(minutes=5)
        item_id = tweet_id(moment, sequence)
        tweet: dict[str, object] = {
            "id": item_id,
            "text": text,
            "author_id": author,
            "created_at": moment.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "conversation_id": item_id,
            "edit_history_tweet_ids": [item_id],
            **extra,
        }
        with self._lock:
            self.tweets.append(tweet)
        return item_id

    def handle(self, request: Request) -> Reply:
        if self.delay_s:
            time.sleep(self.delay_s)
        with self._lock:
            if self.fail_next:
                return self.fail_next.popleft()
            if not request.headers.get("authorization", "").startswith("Bearer "):
                return Reply.json({"title": "Unauthorized", "status": 401}, 401)
            parts = request.path.strip("/").split("/")
            if parts[:2] == ["2", "users"] and len(parts) == 4 and parts[3] == "tweets":
                items = [t for t in self.tweets if t["author_id"] == parts[2]]
            elif parts[:2] == ["2", "users"] and len(parts) == 4 and parts[3] == "mentions":
                items = [t for t in self.tweets if _mentions(t, parts[2])]
            elif request.path == "/2/tweets/search/recent":
                roots = _query_conversations(request.param("query") or "")
                items = [t for t in self.tweets if t.get("conversation_id") in roots]
            elif request.path == "/2/dm_events":
                return self._page(request, list(self.dm_events), "pagination_token", tweets=False)
            else:
                return Reply.json({"title": "Not Found Error", "status": 404}, 404)
            token_name = "next_token" if "search" in request.path else "pagination_token"
            return self._page(request, items, token_name, tweets=True)

    def _page(
        self, request: Request, items: list[dict[str, object]], token_name: str, *, tweets: bool
    ) -> Reply:
        since = request.param("since_id")
        if since:
            items = [t for t in items if int(str(t["id"])) > int(since)]
        items.sort(key=lambda t: int(str(t["id"])), reverse=True)
        offset = int(request.param(token_name) or request.param("pagination_token") or 0)
        page = items[offset : offset + self.page_size]
        meta: dict[str, object] = {"result_count": len(page)}
        if page:
            meta["newest_id"] = page[0]["id"]
            meta["oldest_id"] = page[-1]["id"]
        if offset + self.page_size < len(items):
            meta["next_token"] = str(offset + self.page_size)
        body: dict[str, object] = {"meta": meta}
        if page:
            body["data"] = page
            authors = {str(t.get("author_id") or t.get("sender_id")) for t in page}
            body["includes"] = {
                "users": [
                    {"id": a, "username": self.users.get(a, f"user{a[-4:]}"), "name": "N"}
                    for a in sorted(authors)
                ]
            }
        return Reply.json(body, headers={"x-rate-limit-remaining": "99"})


def rate_limited(reset_in_s: float) -> Reply:
    reset = int(time.time() + reset_in_s)
    return Reply.json(
        {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
        429,
        {
            "x-rate-limit-limit": "100",
            "x-rate-limit-remaining": "0",
            "x-rate-limit-reset": str(reset),
        },
    )


def server_error() -> Reply:
    return Reply.json({"title": "Internal Server Error", "status": 500}, 500)


def _mentions(tweet: dict[str, object], user_id: str) -> bool:
    entities = tweet.get("entities")
    if not isinstance(entities, dict):
        return False
    mentions = entities.get("mentions")
    return isinstance(mentions, list) and any(
        isinstance(m, dict) and m.get("id") == user_id for m in mentions
    )


def _query_conversations(query: str) -> set[str]:
    return {
        term.removeprefix("conversation_id:")
        for term in query.split(" OR ")
        if term.startswith("conversation_id:")
    }
