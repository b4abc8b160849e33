"""A fake Bluesky AppView: one account's author feed and the reply threads under its posts.

It answers `GET /xrpc/app.bsky.feed.getAuthorFeed` and `/xrpc/app.bsky.feed.getPostThread`
in the lexicons' shapes (feed view posts, thread view posts, an opaque `cursor`),
XRPC errors (`{"error": "NotFound", "message": ...}`) and, when queued with
`fail_next`, 429s with `ratelimit-*` headers or 500s. All people and texts are invented.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tests.fake_platforms.server import Reply, Request

_THREAD_VIEW = "app.bsky.feed.defs#threadViewPost"


def at_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def xrpc_error(
    status: int, error: str, message: str, headers: dict[str, str] | None = None
) -> Reply:
    return Reply.json({"error": error, "message": message}, status=status, headers=headers)


@dataclass
class FakeAppView:
    """Posts of several accounts, served as the public AppView would; a FakeServer handler."""

    # Feed items per page, at most, whatever `limit` asks (None: as asked).
    page_cap: int | None = None
    posts: dict[str, dict[str, object]] = field(default_factory=dict)
    replies: dict[str, list[str]] = field(default_factory=dict)
    reposts: list[tuple[str, str, datetime]] = field(default_factory=list)
    _faults: list[tuple[str, Reply]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add_post(
        self, did: str, rkey: str, created: datetime, text: str, parent: str | None = None
    ) -> str:
        uri = f"at://{did}/app.bsky.feed.post/{rkey}"
        record: dict[str, object] = {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": at_time(created),
            "langs": ["en"],
        }
        if parent is not None:
            root = self._root(parent)
            record["reply"] = {
                "root": {"uri": root, "cid": "bafyreiroot"},
                "parent": {"uri": parent, "cid": "bafyreiparent"},
            }
            self.replies.setdefault(parent, []).append(uri)
        self.posts[uri] = {
            "uri": uri,
            "cid": f"bafyrei{rkey}",
            "author": {"did": did, "handle": f"{did.split(':')[-1]}.bsky.social"},
            "record": record,
            "indexedAt": at_time(created),
            "likeCount": 0,
            "repostCount": 0,
        }
        return uri

    def add_repost(self, did: str, uri: str, at: datetime) -> None:
        self.reposts.append((did, uri, at))

    def delete(self, uri: str) -> None:
        self.posts.pop(uri, None)
        for children in self.replies.values():
            if uri in children:
                children.remove(uri)

    def fail_next(self, method: str, reply: Reply) -> None:
        """Answer the next call of `method` (e.g. "getPostThread") with `reply`, once."""
        with self._lock:
            self._faults.append((method, reply))

    def __call__(self, request: Request) -> Reply:
        with self._lock:
            for index, (method, reply) in enumerate(self._faults):
                if request.path.endswith(method):
                    del self._faults[index]
                    return reply
        if request.path == "/xrpc/app.bsky.feed.getAuthorFeed":
            return self._author_feed(request)
        if request.path == "/xrpc/app.bsky.feed.getPostThread":
            return self._thread(request)
        return xrpc_error(501, "MethodNotImplemented", "Method Not Implemented")

    def _view(self, uri: str) -> dict[str, object]:
        return {**self.posts[uri], "replyCount": len(self._live_replies(uri))}

    def _live_replies(self, uri: str) -> list[str]:
        return [child for child in self.replies.get(uri, []) if child in self.posts]

    def _root(self, uri: str) -> str:
        record = self.posts[uri]["record"]
        assert isinstance(record, dict)
        reply = record.get("reply")
        return reply["root"]["uri"] if isinstance(reply, dict) else uri

    def _author_feed(self, request: Request) -> Reply:
        actor = request.param("actor")
        if not actor or not actor.startswith("did:"):
            return xrpc_error(400, "InvalidRequest", "Error: actor must be a valid did or handle")
        items: list[tuple[str, dict[str, object]]] = []
        for uri, post in self.posts.items():
            author = post["author"]
            if isinstance(author, dict) and author["did"] == actor:
                item: dict[str, object] = {"post": self._view(uri)}
                record = post["record"]
                if isinstance(record, dict) and "reply" in record:
                    parent = record["reply"]["parent"]["uri"]
                    root = record["reply"]["root"]["uri"]
                    if parent in self.posts and root in self.posts:
                        item["reply"] = {"root": self._view(root), "parent": self._view(parent)}
                items.append((str(post["indexedAt"]), item))
        for did, uri, at in self.reposts:
            if did == actor and uri in self.posts:
                reason = {
                    "$type": "app.bsky.feed.defs#reasonRepost",
                    "by": {"did": did, "handle": "reposter.bsky.social"},
                    "indexedAt": at_time(at),
                }
                items.append((at_time(at), {"post": self._view(uri), "reason": reason}))
        items.sort(key=lambda pair: pair[0], reverse=True)
        start = int(request.param("cursor", "0") or 0)
        limit = int(request.param("limit", "50") or 50)
        if self.page_cap is not None:
            limit = min(limit, self.page_cap)
        body: dict[str, object] = {"feed": [item for _, item in items[start : start + limit]]}
        if start + limit < len(items):
            body["cursor"] = str(start + limit)
        return Reply.json(body)

    def _thread(self, request: Request) -> Reply:
        uri = request.param("uri") or ""
        if uri not in self.posts:
            return xrpc_error(400, "NotFound", f"Post not found: {uri}")
        depth = int(request.param("depth", "6") or 6)
        return Reply.json({"thread": self._thread_view(uri, depth)})

    def _thread_view(self, uri: str, depth: int) -> dict[str, object]:
        view: dict[str, object] = {"$type": _THREAD_VIEW, "post": self._view(uri)}
        if depth > 0:
            view["replies"] = [
                self._thread_view(child, depth - 1) for child in self._live_replies(uri)
            ]
        return view
