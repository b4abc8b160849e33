"""A fake Facebook Graph API for one page: feed with comments, inbox, errors and rate limits.

It answers `GET /{version}/{page-id}/feed`, `/{post-id}/comments`,
`/{page-id}/conversations` and `/{conversation-id}/messages` in Graph's shapes, with
cursor paging (`paging.cursors.after` and a `paging.next` URL that carries an
access token, as Facebook's does), the `since` filter of the feed, and nested edges
cut short at `inline_cap` items, the way Graph returns fewer than asked. Tests
queue failures (`fail_next`) to get 429s, 500s and Graph error bodies. All people
and texts are invented.
"""

from __future__ import annotations

import base64
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tests.fake_platforms.server import Reply, Request

PAGE_TOKEN = "fake-page-token"
VERSION = "v23.0"

_LIMIT = re.compile(r"(comments|messages)[^{]*?\.limit\((\d+)\)")


def graph_time(moment: datetime) -> str:
    """Graph's time format: 2024-05-01T12:00:00+0000."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def graph_error(
    status: int,
    code: int,
    message: str,
    *,
    subcode: int | None = None,
    kind: str = "OAuthException",
) -> Reply:
    error: dict[str, object] = {
        "message": message,
        "type": kind,
        "code": code,
        "fbtrace_id": "AbCdEfGhIjK",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return Reply.json({"error": error}, status=status)


@dataclass
class FakeGraph:
    """One page's posts and conversations, served as Graph would; a FakeServer handler."""

    page_id: str
    token: str = PAGE_TOKEN
    # Nested comments/messages returned inline per object, at most (Graph may return fewer).
    inline_cap: int = 2
    # Items per page of a list or edge, at most, whatever `limit` asks (None: as asked).
    page_cap: int | None = None
    posts: list[dict[str, object]] = field(default_factory=list)
    comments: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    conversations: list[dict[str, object]] = field(default_factory=list)
    messages: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    _faults: list[tuple[str, Reply]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # Building the page's content -----------------------------------------------------

    def add_post(self, number: int, created: datetime, text: str, author: str | None = None) -> str:
        post_id = f"{self.page_id}_{number}"
        self.posts.append(
            {
                "id": post_id,
                "message": text,
                "created_time": graph_time(created),
                "updated_time": graph_time(created),
                "from": {"id": author or self.page_id, "name": "Invented Page"},
                "permalink_url": f"https://www.facebook.com/{post_id}",
            }
        )
        self.comments[post_id] = []
        return post_id

    def add_comment(
        self,
        post_id: str,
        number: int,
        created: datetime,
        text: str,
        author: str,
        parent: str | None = None,
    ) -> str:
        comment_id = f"{post_id.split('_')[1]}_{number}"
        comment: dict[str, object] = {
            "id": comment_id,
            "message": text,
            "created_time": graph_time(created),
            "from": {"id": author, "name": "Invented Person"},
        }
        if parent is not None:
            comment["parent"] = {"id": parent}
        self.comments[post_id].append(comment)
        return comment_id

    def edit_post(self, post_id: str, text: str, updated: datetime) -> None:
        for post in self.posts:
            if post["id"] == post_id:
                post["message"] = text
                post["updated_time"] = graph_time(updated)

    def delete(self, item_id: str) -> None:
        self.posts = [post for post in self.posts if post["id"] != item_id]
        for post_id, comments in self.comments.items():
            self.comments[post_id] = [c for c in comments if c["id"] != item_id]

    def add_conversation(self, token: str, updated: datetime, participants: list[str]) -> str:
        conversation_id = f"t_{token}"
        self.conversations.append(
            {
                "id": conversation_id,
                "updated_time": graph_time(updated),
                "participants": {"data": [{"id": p, "name": "Invented"} for p in participants]},
            }
        )
        self.messages[conversation_id] = []
        return conversation_id

    def add_message(
        self, conversation_id: str, token: str, created: datetime, text: str, sender: str, to: str
    ) -> str:
        message_id = f"m_{token}"
        self.messages[conversation_id].insert(
            0,
            {
                "id": message_id,
                "message": text,
                "created_time": graph_time(created),
                "from": {"id": sender, "name": "Invented"},
                "to": {"data": [{"id": to, "name": "Invented"}]},
            },
        )
        return message_id

    def fail_next(self, path_part: str, reply: Reply) -> None:
        """Answer the next request whose path contains `path_part` with `reply`, once."""
        with self._lock:
            self._faults.append((path_part, reply))

    # Serving -------------------------------------------------------------------------

    def __call__(self, request: Request) -> Reply:
        with self._lock:
            for index, (part, reply) in enumerate(self._faults):
                if part in request.path:
                    del self._faults[index]
                    return reply
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return graph_error(
                400,
                190,
                "Error validating access token: Session has expired.",
                subcode=463,
            )
        parts = request.path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != VERSION:
            return graph_error(400, 2500, "Unknown path components", kind="OAuthException")
        node, edge = parts[1], parts[2]
        if node == self.page_id and edge == "feed":
            return self._feed(request)
        if node == self.page_id and edge == "conversations":
            return self._conversations(request)
        if edge == "comments" and node in self.comments:
            return Reply.json(self._paged(request, self.comments[node], f"{node}/comments"))
        if edge == "messages" and node in self.messages:
            return Reply.json(self._paged(request, self.messages[node], f"{node}/messages"))
        return graph_error(400, 100, "Unsupported get request.", kind="GraphMethodException")

    def _feed(self, request: Request) -> Reply:
        since = int(request.param("since", "0") or 0)
        posts = sorted(
            (p for p in self.posts if _seconds(str(p["created_time"])) >= since),
            key=lambda p: str(p["created_time"]),
            reverse=True,
        )
        inline = self._inline_limit(request, "comments")
        body = self._paged(request, posts, f"{self.page_id}/feed")
        body["data"] = [
            {
                **post,
                **self._edge(self.comments[str(post["id"])], inline, f"{post['id']}/comments"),
            }
            for post in body["data"]
        ]
        return Reply.json(body)

    def _conversations(self, request: Request) -> Reply:
        conversations = sorted(
            self.conversations, key=lambda c: str(c["updated_time"]), reverse=True
        )
        inline = self._inline_limit(request, "messages")
        body = self._paged(request, conversations, f"{self.page_id}/conversations")
        body["data"] = [
            {
                **conversation,
                **self._edge(
                    self.messages[str(conversation["id"])],
                    inline,
                    f"{conversation['id']}/messages",
                    name="messages",
                ),
            }
            for conversation in body["data"]
        ]
        return Reply.json(body)

    def _inline_limit(self, request: Request, edge: str) -> int:
        fields = request.param("fields", "") or ""
        match = next((m for m in _LIMIT.finditer(fields) if m.group(1) == edge), None)
        asked = int(match.group(2)) if match else 25
        return min(asked, self.inline_cap)

    def _edge(
        self, items: list[dict[str, object]], limit: int, path: str, name: str = "comments"
    ) -> dict[str, object]:
        if not items:
            return {}
        edge: dict[str, object] = {"data": items[:limit]}
        edge["paging"] = _paging(path, 0, limit, len(items))
        return {name: edge}

    def _paged(
        self, request: Request, items: list[dict[str, object]], path: str
    ) -> dict[str, object]:
        start = _offset(request.param("after"))
        limit = int(request.param("limit", "25") or 25)
        if self.page_cap is not None:
            limit = min(limit, self.page_cap)
        return {
            "data": items[start : start + limit],
            "paging": _paging(path, start, limit, len(items)),
        }


def _paging(path: str, start: int, limit: int, total: int) -> dict[str, object]:
    end = min(start + limit, total)
    paging: dict[str, object] = {
        "cursors": {"before": _cursor(start), "after": _cursor(end)},
    }
    if end < total:
        paging["next"] = (
            f"https://graph.facebook.com/{VERSION}/{path}"
            f"?access_token=LEAKED-IF-USED&limit={limit}&after={_cursor(end)}"
        )
    return paging


def _cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    return int(base64.b64decode(cursor).decode().removeprefix("offset:"))


def _seconds(graph_moment: str) -> int:
    return int(datetime.strptime(graph_moment, "%Y-%m-%dT%H:%M:%S%z").timestamp())
