"""A fake WordPress REST API (`/wp-json/wp/v2/posts`, `/comments`) in the real shape.

Lists newest first by the requested `orderby`, honours `modified_after` (posts) and
`after`, pages with `page`/`per_page` and answers `X-WP-Total`/`X-WP-TotalPages`
(and the real 400 for a page past the end). `edit_post` changes a post's content
and `modified_gmt`; `delete` removes an item as trashing does from the public list.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tests.fake_platforms.server import Reply, Request


def wp_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


@dataclass
class FakeWordPress:
    posts: dict[int, dict[str, object]] = field(default_factory=dict)
    comments: dict[int, dict[str, object]] = field(default_factory=dict)
    fail_next: deque[Reply] = field(default_factory=deque)
    require_auth: tuple[str, str] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _next_id: int = 100

    def add_post(self, author: int, html: str, *, age: timedelta = timedelta(hours=2)) -> int:
        with self._lock:
            self._next_id += 1
            moment = wp_time(datetime.now(UTC) - age)
            self.posts[self._next_id] = {
                "id": self._next_id,
                "date": moment,
                "date_gmt": moment,
                "modified": moment,
                "modified_gmt": moment,
                "status": "publish",
                "type": "post",
                "link": f"https://blog.example.org/?p={self._next_id}",
                "author": author,
                "title": {"rendered": "A post"},
                "content": {"rendered": html, "protected": False},
            }
            return self._next_id

    def add_comment(self, post: int, author_name: str, html: str) -> int:
        with self._lock:
            self._next_id += 1
            moment = wp_time(datetime.now(UTC) - timedelta(hours=1))
            self.comments[self._next_id] = {
                "id": self._next_id,
                "post": post,
                "parent": 0,
                "author": 0,
                "author_name": author_name,
                "date": moment,
                "date_gmt": moment,
                "content": {"rendered": html},
                "link": f"https://blog.example.org/?p={post}#comment-{self._next_id}",
                "status": "approved",
                "type": "comment",
            }
            return self._next_id

    def edit_post(self, post_id: int, html: str) -> None:
        with self._lock:
            post = self.posts[post_id]
            now = wp_time(datetime.now(UTC))
            post["content"] = {"rendered": html, "protected": False}
            post["modified"] = now
            post["modified_gmt"] = now

    def delete(self, item_id: int) -> None:
        with self._lock:
            self.posts.pop(item_id, None)
            self.comments.pop(item_id, None)

    def handle(self, request: Request) -> Reply:
        with self._lock:
            if self.fail_next:
                return self.fail_next.popleft()
            if self.require_auth and not _basic_ok(request, self.require_auth):
                return Reply.json(
                    {"code": "rest_not_logged_in", "message": "No.", "data": {"status": 401}}, 401
                )
            if request.path.endswith("/wp-json/wp/v2/posts"):
                items = list(self.posts.values())
            elif request.path.endswith("/wp-json/wp/v2/comments"):
                items = list(self.comments.values())
            else:
                return Reply.json({"code": "rest_no_route", "data": {"status": 404}}, 404)
            for param, column in (("modified_after", "modified_gmt"), ("after", "date_gmt")):
                bound = request.param(param)
                if bound:
                    items = [i for i in items if str(i[column]) > bound[:19]]
            orderby = request.param("orderby", "date")
            column = {"modified": "modified_gmt", "date": "date_gmt"}.get(orderby or "", "date_gmt")
            items.sort(key=lambda i: (str(i[column]), int(str(i["id"]))), reverse=True)
            per_page = int(request.param("per_page") or 10)
            page = int(request.param("page") or 1)
            total_pages = max(1, -(-len(items) // per_page))
            if page > total_pages:
                return Reply.json(
                    {"code": "rest_post_invalid_page_number", "data": {"status": 400}}, 400
                )
            chosen = items[(page - 1) * per_page : page * per_page]
            return Reply.json(
                chosen,
                headers={"X-WP-Total": str(len(items)), "X-WP-TotalPages": str(total_pages)},
            )


def _basic_ok(request: Request, expected: tuple[str, str]) -> bool:
    import base64

    header = request.headers.get("authorization", "")
    if not header.startswith("Basic "):
        return False
    return base64.b64decode(header[6:]).decode() == f"{expected[0]}:{expected[1]}"
