"""A fake X API v2 (timelines, mentions, recent search, dm_events) answering in the real shape.

Tweets are stored as API objects; the fake pages them newest first (`meta.next_token`,
given back as `pagination_token`, or `next_token` for search), honours `since_id`,
and answers recent search queries of `conversation_id:ID` terms joined by ` OR `
(400 for any other query, one over 512 characters or `max_results` outside 10-100,
as the real API does). `GET /2/dm_events` pages the DM events (MessageCreate,
ParticipantsJoin) newest first with `includes.users` and `meta.result_count` /
`next_token` only (no newest_id, no since_id: the real endpoint has neither).
`delete_tweet` and `edit_tweet` change what the lists return (an edit gets a new id,
with the earlier ones in `edit_history_tweet_ids`). Set `bearer_token` / `user_token`
to require those exact tokens (dm_events needs the user token, every other route the
bearer token); otherwise any bearer goes. With `oauth1` keys set, dm_events instead
requires an OAuth 1.0a header with those keys and a valid HMAC-SHA1 signature.
`fail_next` queues error replies (429 with `x-rate-limit-reset`, 500, ...) served
before the real answers of any route, `fail_next_on(path, reply)` before those of
one path, and `delay_s` slows every answer down.
"""

from __future__ import annotations

import hmac
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

from ingest.connectors.oauth1_signing import (
    OAuth1Credentials,
    signature,
    signature_base_string,
)
from ingest.x_ids import snowflake_at
from tests.fake_platforms.server import Reply, Request

PAGE_SIZE = 3
SEARCH_PATH = "/2/tweets/search/recent"
DM_EVENTS_PATH = "/2/dm_events"
# Recent search refuses longer queries (characters, on the basic tiers).
MAX_QUERY_CHARS = 512
_CONVERSATION_TERM = re.compile(r"conversation_id:(\d{1,20})")


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
    bearer_token: str | None = None
    user_token: str | None = None
    oauth1: OAuth1Credentials | None = None
    fail_next: deque[Reply] = field(default_factory=deque)
    _fail_on: dict[str, deque[Reply]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next_on(self, path: str, reply: Reply) -> None:
        """Answer the next request to `path` with `reply` (queued after earlier ones)."""
        with self._lock:
            self._fail_on.setdefault(path, deque()).append(reply)

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

    def add_reply(
        self,
        author: str,
        text: str,
        to: str,
        *,
        at: datetime | None = None,
        sequence: int = 0,
    ) -> str:
        """A reply to tweet `to`, in `to`'s conversation."""
        with self._lock:
            parent = next(t for t in self.tweets if t["id"] == to)
        return self.add_tweet(
            author,
            text,
            at=at,
            sequence=sequence,
            conversation_id=parent["conversation_id"],
            in_reply_to_user_id=parent["author_id"],
            referenced_tweets=[{"type": "replied_to", "id": to}],
        )

    def delete_tweet(self, tweet_id: str) -> None:
        """The author deleted the tweet: no list returns it any more."""
        with self._lock:
            self.tweets = [t for t in self.tweets if t["id"] != tweet_id]

    def edit_tweet(self, original: str, text: str, *, at: datetime | None = None) -> str:
        """An edit: a new tweet id, created at the edit, whose `edit_history_tweet_ids`
        starts with the earlier ids; lists return only the latest version, as X's do."""
        moment = at or datetime.now(UTC) - timedelta(minutes=1)
        new_id = tweet_id(moment, 0)
        with self._lock:
            old = next(t for t in self.tweets if t["id"] == original)
            history = [str(i) for i in _list(old.get("edit_history_tweet_ids"))] or [original]
            edited = {
                **old,
                "id": new_id,
                "text": text,
                "created_at": moment.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "edit_history_tweet_ids": [*history, new_id],
            }
            self.tweets = [t for t in self.tweets if t["id"] != original] + [edited]
        return new_id

    def add_dm(
        self,
        sender: str,
        participants: tuple[str, ...],
        text: str,
        *,
        at: datetime | None = None,
        sequence: int = 0,
        event_type: str = "MessageCreate",
    ) -> str:
        """A DM event in the conversation of `participants` (1:1 ids "low-high")."""
        moment = at or datetime.now(UTC) - timedelta(minutes=5)
        item_id = tweet_id(moment, sequence)
        members = sorted(participants, key=int)
        event: dict[str, object] = {
            "id": item_id,
            "event_type": event_type,
            "dm_conversation_id": "-".join(members) if len(members) == 2 else f"9{item_id}",
            "created_at": moment.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "participant_ids": members,
        }
        if event_type == "MessageCreate":
            event.update(text=text, sender_id=sender)
        with self._lock:
            self.dm_events.append(event)
        return item_id

    def handle(self, request: Request) -> Reply:
        if self.delay_s:
            time.sleep(self.delay_s)
        with self._lock:
            queued = self._fail_on.get(request.path)
            if queued:
                return queued.popleft()
            if self.fail_next:
                return self.fail_next.popleft()
            if not self._authorized(request):
                return unauthorized()
            parts = request.path.strip("/").split("/")
            if parts[:2] == ["2", "users"] and len(parts) == 4 and parts[3] == "tweets":
                items = [t for t in self.tweets if t["author_id"] == parts[2]]
            elif parts[:2] == ["2", "users"] and len(parts) == 4 and parts[3] == "mentions":
                items = [t for t in self.tweets if _mentions(t, parts[2])]
            elif request.path == SEARCH_PATH:
                return self._search(request)
            elif request.path == DM_EVENTS_PATH:
                return self._dm_events(request)
            else:
                return Reply.json({"title": "Not Found Error", "status": 404}, 404)
            return self._page(request, items, "pagination_token", tweets=True)

    def _authorized(self, request: Request) -> bool:
        auth = request.headers.get("authorization", "")
        if request.path == DM_EVENTS_PATH and self.oauth1 is not None:
            return _valid_oauth1(request, self.oauth1)
        expected = self.user_token if request.path == DM_EVENTS_PATH else self.bearer_token
        return auth.startswith("Bearer ") and (not expected or auth == f"Bearer {expected}")

    def _search(self, request: Request) -> Reply:
        query = request.param("query") or ""
        count = request.param("max_results") or "10"
        if not count.isdigit() or not 10 <= int(count) <= 100:
            return invalid_request(f"max_results {count!r} is not between 10 and 100")
        if len(query) > MAX_QUERY_CHARS:
            return invalid_request(f"query is {len(query)} characters, over {MAX_QUERY_CHARS}")
        terms = query.split(" OR ")
        matches = [_CONVERSATION_TERM.fullmatch(term) for term in terms]
        if not query or not all(matches):
            return invalid_request("the fake X only answers conversation_id:ID queries")
        roots = {match.group(1) for match in matches if match}
        items = [t for t in self.tweets if t.get("conversation_id") in roots]
        return self._page(request, items, "next_token", tweets=True)

    def _dm_events(self, request: Request) -> Reply:
        offset = int(request.param("pagination_token") or 0)
        events = sorted(self.dm_events, key=lambda e: int(str(e["id"])), reverse=True)
        page = events[offset : offset + self.page_size]
        meta: dict[str, object] = {"result_count": len(page)}
        if offset + self.page_size < len(events):
            meta["next_token"] = str(offset + self.page_size)
        if offset:
            meta["previous_token"] = str(max(0, offset - self.page_size))
        body: dict[str, object] = {"meta": meta}
        if page:
            body["data"] = page
            people: set[str] = set()
            for event in page:
                people.update(str(p) for p in _list(event.get("participant_ids")))
                if event.get("sender_id"):
                    people.add(str(event["sender_id"]))
            body["includes"] = {"users": [self._user(p) for p in sorted(people)]}
        return Reply.json(body, headers={"x-rate-limit-remaining": "99"})

    def _user(self, user_id: str) -> dict[str, str]:
        return {
            "id": user_id,
            "username": self.users.get(user_id, f"user{user_id[-4:]}"),
            "name": "N",
        }

    def _page(
        self, request: Request, items: list[dict[str, object]], token_name: str, *, tweets: bool
    ) -> Reply:
        since = request.param("since_id")
        if since:
            items = [t for t in items if int(str(t["id"])) > int(since)]
        start = request.param("start_time")
        if start:
            floor = datetime.fromisoformat(start)
            items = [t for t in items if (created := _created(t)) is None or created >= floor]
        items.sort(key=lambda t: int(str(t["id"])), reverse=True)
        offset = int(request.param(token_name) or 0)
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
            body["includes"] = {"users": [self._user(a) for a in sorted(authors)]}
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


def unauthorized() -> Reply:
    """What X answers a missing, expired or revoked token."""
    return Reply.json(
        {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
        401,
    )


def invalid_request(message: str) -> Reply:
    """X's 400 for a request it will not run (bad query, out-of-range parameter)."""
    return Reply.json(
        {
            "errors": [{"parameters": {}, "message": message}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.twitter.com/2/problems/invalid-request",
        },
        400,
    )


def oauth1_header_fields(header: str) -> dict[str, str]:
    """The fields of an `OAuth k="v", ...` header, decoded, as X reads them."""
    if not header.startswith("OAuth "):
        return {}
    fields: dict[str, str] = {}
    for part in header[len("OAuth ") :].split(","):
        key, _, value = part.strip().partition("=")
        fields[unquote(key)] = unquote(value.strip('"'))
    return fields


def _valid_oauth1(request: Request, keys: OAuth1Credentials) -> bool:
    """An OAuth 1.0a header for these keys whose HMAC-SHA1 signature matches the request."""
    fields = oauth1_header_fields(request.headers.get("authorization", ""))
    if fields.get("oauth_consumer_key") != keys.consumer_key:
        return False
    if fields.get("oauth_token") != keys.access_token:
        return False
    url = f"http://{request.headers.get('host', '')}{request.path}"
    query = [(key, value) for key, values in request.query.items() for value in values]
    signed = [(key, value) for key, value in fields.items() if key != "oauth_signature"]
    base = signature_base_string(request.method, url, [*query, *signed])
    expected = signature(
        base, keys.consumer_secret.get_secret_value(), keys.access_token_secret.get_secret_value()
    )
    return hmac.compare_digest(expected, fields.get("oauth_signature", ""))


def _mentions(tweet: dict[str, object], user_id: str) -> bool:
    entities = tweet.get("entities")
    if not isinstance(entities, dict):
        return False
    mentions = entities.get("mentions")
    return isinstance(mentions, list) and any(
        isinstance(m, dict) and m.get("id") == user_id for m in mentions
    )


def _created(item: dict[str, object]) -> datetime | None:
    value = item.get("created_at")
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []
