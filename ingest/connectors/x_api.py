"""X API v2 endpoints: a followed account's timeline, mentions, conversation replies and DMs.

    timeline       GET /2/users/:id/tweets         since_id cursor, pagination_token
    mentions       GET /2/users/:id/mentions       since_id cursor, pagination_token
    conversations  GET /2/tweets/search/recent     query=conversation_id:A OR ..., next_token
    dm_events      GET /2/dm_events                newest event id, pagination_token

Requests ask for the classic field names (`tweet.fields`, `referenced_tweets`); the
parser (`ingest.twitter`) reads those and the newer ones. Auth is a bearer token
(app-only for timelines, mentions and search; an OAuth 2.0 user access token for
`dm_events`), read from the environment variable connectors.yaml names. HTTP 429
raises RateLimited at `x-rate-limit-reset` (epoch seconds); a 401 or 403 raises
FetchFailed naming the credential and its variable (never its value).

Which conversations are followed: the account's own tweets of the last
`follow_days` (discovered through its timeline, ids only) start or join
conversations; each is searched for replies, by students among others, until it is
older than `follow_days` (recent search reaches back 7 days). Each followed
conversation keeps its own `since_id` in the cursor: its root id at first (every
reply is newer), then the snowflake of the moment, less a search-indexing lag, when
a search of it last completed. One query covers several conversations from the
smallest since_id among them; what it returns at or before a conversation's own
since_id (replies already read, the roots) is dropped before the page is yielded.
A poll killed mid-search repeats that search; the runner's known items drop what it
had already published.

First poll: timelines, mentions and DMs read back `backfill_days` (default 7).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Generator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from pydantic import SecretStr

from ingest.connectors.config import AccountConfig
from ingest.connectors.errors import ConnectorConfigError, FetchFailed
from ingest.connectors.http_client import get_json
from ingest.connectors.source import Cursor, Endpoint, FetchedPage

PLATFORM = "twitter"
BASE_URL = "https://api.x.com"
ENDPOINTS = ("timeline", "mentions", "conversations", "dm_events")
OPTIONS = ("backfill_days", "follow_days", "max_results")
CREDENTIALS = ("bearer_token", "user_token")

TWEET_FIELDS = (
    "id,text,author_id,created_at,conversation_id,in_reply_to_user_id,"
    "referenced_tweets,entities,edit_history_tweet_ids"
)
TWEET_EXPANSIONS = "author_id,in_reply_to_user_id,entities.mentions.username"
USER_FIELDS = "id,username,name"
DM_EVENT_FIELDS = (
    "id,event_type,text,sender_id,dm_conversation_id,created_at,participant_ids,referenced_tweets"
)
DM_EXPANSIONS = "sender_id,participant_ids"

# How far back the first poll of an endpoint reads (days).
DEFAULT_BACKFILL_DAYS = 7.0
# How long a conversation is searched for replies (days): recent search covers 7.
DEFAULT_FOLLOW_DAYS = 6.0
# Items per request: the API's maximum for these endpoints.
DEFAULT_MAX_RESULTS = 100
# Conversations per search query: 10 ids keep the query under 512 characters.
CONVERSATIONS_PER_QUERY = 10
# At most this many conversations are followed per account (the newest).
MAX_FOLLOWED_CONVERSATIONS = 200
# Recent search may index a reply this long after it was posted (seconds).
SEARCH_LAG_S = 60.0
# X snowflake ids: milliseconds since this epoch, shifted left 22 bits.
TWITTER_EPOCH_MS = 1288834974657

Clock = Callable[[], datetime]


def snowflake_at(moment: datetime) -> int:
    """The smallest X id created at `moment` (ids grow with time)."""
    return max(0, int(moment.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22


def snowflake_time(item_id: int) -> datetime:
    return datetime.fromtimestamp(((item_id >> 22) + TWITTER_EPOCH_MS) / 1000, tz=UTC)


@dataclass(frozen=True, slots=True)
class XSettings:
    """What every endpoint of one account shares."""

    account_id: str
    base_url: str
    token: SecretStr
    token_env: str
    now: Clock
    backfill: timedelta = timedelta(days=DEFAULT_BACKFILL_DAYS)
    follow: timedelta = timedelta(days=DEFAULT_FOLLOW_DAYS)
    max_results: int = DEFAULT_MAX_RESULTS
    credential: str = "bearer_token"

    async def get(
        self, client: httpx.AsyncClient, path: str, params: Mapping[str, str], what: str
    ) -> dict[str, object]:
        auth = _BearerAuth(self.token)
        try:
            reply = await get_json(
                client, f"{self.base_url}{path}", params=params, auth=auth, what=what
            )
        except FetchFailed as exc:
            if auth.status in (401, 403):
                # Say which variable to renew: "HTTP 401" alone does not tell IT which token.
                raise FetchFailed(
                    f"{exc.reason}: X refused the {self.credential} in environment variable "
                    f"{self.token_env} (expired, revoked or missing a scope); renew it"
                ) from None
            raise
        body = reply.body
        if not isinstance(body, dict):
            raise FetchFailed(f"{what}: response is not a JSON object")
        if "data" not in body and "meta" not in body:
            raise FetchFailed(f"{what}: API error: {_first_error(body)}")
        return body


class _BearerAuth(httpx.Auth):
    """Sends the token as a bearer and keeps the status it got (to explain a 401 or 403)."""

    def __init__(self, token: SecretStr) -> None:
        self._token = token
        self.status: int | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token.get_secret_value()}"
        response = yield request
        self.status = response.status_code


class _Base:
    platform = PLATFORM
    name = ""

    def __init__(self, settings: XSettings) -> None:
        self._x = settings

    @property
    def account_id(self) -> str:
        return self._x.account_id

    @property
    def _what(self) -> str:
        return f"twitter {self.name} of {self._x.account_id}"


class _TweetList(_Base):
    """A since_id-paged list of tweets: a user's timeline or mentions."""

    path_suffix = ""

    async def pages(self, client: httpx.AsyncClient, cursor: Cursor) -> AsyncIterator[FetchedPage]:
        since = cursor.get("since_id")
        token = cursor.get("pagination_token")
        newest = cursor.get("poll_newest")
        start_time = cursor.get("start_time")
        if since is None and start_time is None:
            start_time = _iso(self._x.now() - self._x.backfill)
        path = f"/2/users/{self._x.account_id}/{self.path_suffix}"
        while True:
            params = {
                "max_results": str(self._x.max_results),
                "tweet.fields": TWEET_FIELDS,
                "expansions": TWEET_EXPANSIONS,
                "user.fields": USER_FIELDS,
            }
            if since:
                params["since_id"] = since
            elif start_time:
                params["start_time"] = start_time
            if token:
                params["pagination_token"] = token
            body = await self._x.get(client, path, params, self._what)
            meta = _meta(body)
            newest = _max_id(newest, _str(meta.get("newest_id")))
            token = _str(meta.get("next_token"))
            if token:
                resume = {"pagination_token": token}
                if since:
                    resume["since_id"] = since
                if start_time and not since:
                    resume["start_time"] = start_time
                if newest:
                    resume["poll_newest"] = newest
                yield FetchedPage((body,), resume)
                continue
            done = {"since_id": newest} if newest else ({"since_id": since} if since else {})
            yield FetchedPage((body,), done, last_page=True)
            return


class XTimeline(_TweetList):
    name = "timeline"
    path_suffix = "tweets"


class XMentions(_TweetList):
    name = "mentions"
    path_suffix = "mentions"


class XConversations(_Base):
    """Replies in the conversations the account's recent tweets started or joined."""

    name = "conversations"

    async def pages(self, client: httpx.AsyncClient, cursor: Cursor) -> AsyncIterator[FetchedPage]:
        followed = _decode_conversations(cursor.get("conversations", ""))
        timeline_since = cursor.get("timeline_since")
        now = self._x.now()
        timeline_since = await self._discover(client, followed, timeline_since, now)
        oldest = snowflake_at(now - self._x.follow)
        kept = sorted((c for c in followed if c >= oldest), reverse=True)
        kept = kept[:MAX_FOLLOWED_CONVERSATIONS]
        followed = {c: followed[c] for c in kept}

        def state() -> dict[str, str]:
            resume = {"conversations": _encode_conversations(followed)}
            if timeline_since:
                resume["timeline_since"] = timeline_since
            return resume

        step = CONVERSATIONS_PER_QUERY
        chunks = [kept[i : i + step] for i in range(0, len(kept), step)]
        yield FetchedPage((), state(), last_page=not chunks)
        for index, chunk in enumerate(chunks):
            started = self._x.now()
            async for found, more in self._search(client, chunk, min(followed[c] for c in chunk)):
                body = _unread_only(found, followed)
                if not more:
                    covered = snowflake_at(started - timedelta(seconds=SEARCH_LAG_S))
                    for conversation in chunk:
                        followed[conversation] = max(followed[conversation], covered)
                yield FetchedPage((body,), state(), last_page=not more and index == len(chunks) - 1)

    async def _discover(
        self,
        client: httpx.AsyncClient,
        followed: dict[int, int],
        since: str | None,
        now: datetime,
    ) -> str | None:
        """Adds the conversations of the account's new tweets; returns the newest id read."""
        token: str | None = None
        newest = since
        path = f"/2/users/{self._x.account_id}/tweets"
        while True:
            params = {
                "max_results": str(self._x.max_results),
                "tweet.fields": "id,conversation_id,created_at",
            }
            if since:
                params["since_id"] = since
            else:
                params["start_time"] = _iso(now - self._x.follow)
            if token:
                params["pagination_token"] = token
            body = await self._x.get(client, path, params, f"{self._what} (discovery)")
            for item in _list(body.get("data")):
                if not isinstance(item, dict):
                    continue
                root = _int(item.get("conversation_id")) or _int(item.get("id"))
                if root is not None and root not in followed:
                    followed[root] = root  # every reply is newer than its root
            meta = _meta(body)
            newest = _max_id(newest, _str(meta.get("newest_id")))
            token = _str(meta.get("next_token"))
            if not token:
                return newest

    async def _search(
        self, client: httpx.AsyncClient, chunk: list[int], since_id: int
    ) -> AsyncIterator[tuple[dict[str, object], bool]]:
        query = " OR ".join(f"conversation_id:{conversation}" for conversation in chunk)
        token: str | None = None
        while True:
            params = {
                "query": query,
                "since_id": str(since_id),
                "max_results": str(max(10, self._x.max_results)),
                "tweet.fields": TWEET_FIELDS,
                "expansions": TWEET_EXPANSIONS,
                "user.fields": USER_FIELDS,
            }
            if token:
                params["next_token"] = token
            body = await self._x.get(client, "/2/tweets/search/recent", params, self._what)
            token = _str(_meta(body).get("next_token"))
            yield body, token is not None
            if token is None:
                return


class XDirectMessages(_Base):
    """The account's direct-message events, newest first, back to the last one read."""

    name = "dm_events"

    async def pages(self, client: httpx.AsyncClient, cursor: Cursor) -> AsyncIterator[FetchedPage]:
        stop_at = _int(cursor.get("newest"))
        token = cursor.get("pagination_token")
        newest = cursor.get("poll_newest")
        floor = self._x.now() - self._x.backfill
        while True:
            params = {
                "max_results": str(self._x.max_results),
                "dm_event.fields": DM_EVENT_FIELDS,
                "expansions": DM_EXPANSIONS,
                "user.fields": USER_FIELDS,
            }
            if token:
                params["pagination_token"] = token
            body = await self._x.get(client, "/2/dm_events", params, self._what)
            events = [item for item in _list(body.get("data")) if isinstance(item, dict)]
            ids = [i for i in (_int(event.get("id")) for event in events) if i is not None]
            if ids:
                newest = _max_id(newest, str(max(ids)))
            reached = any(
                (stop_at is not None and i <= stop_at) or snowflake_time(i) < floor for i in ids
            )
            token = _str(_meta(body).get("next_token"))
            if token and not reached:
                resume = {"pagination_token": token}
                if stop_at is not None:
                    resume["newest"] = str(stop_at)
                if newest:
                    resume["poll_newest"] = newest
                yield FetchedPage((body,), resume)
                continue
            final = newest or (str(stop_at) if stop_at is not None else None)
            yield FetchedPage((body,), {"newest": final} if final else {}, last_page=True)
            return


def x_endpoints(
    account: AccountConfig, now: Clock, environ: Mapping[str, str] = os.environ
) -> list[Endpoint]:
    """The configured endpoints of one X account; ConnectorConfigError names what is missing."""
    base = account.base_url or BASE_URL
    backfill, follow, max_results = _options(account)
    endpoints: list[Endpoint] = []
    for name in account.endpoints:
        credential = "user_token" if name == "dm_events" else "bearer_token"
        env_name = account.credentials.get(credential)
        if env_name is None:
            raise ConnectorConfigError(
                f"{account.where}: twitter account {account.account_id}: endpoint {name} "
                f"needs credentials.{credential} (the name of an environment variable)"
            )
        secret = environ.get(env_name, "").strip()
        if not secret:
            raise ConnectorConfigError(
                f"{account.where}: twitter account {account.account_id}: "
                f"environment variable {env_name} ({credential}) is not set"
            )
        settings = XSettings(
            account.account_id,
            base,
            SecretStr(secret),
            env_name,
            now,
            backfill=backfill,
            follow=follow,
            max_results=max_results,
            credential=credential,
        )
        kinds: dict[str, Callable[[XSettings], Endpoint]] = {
            "timeline": XTimeline,
            "mentions": XMentions,
            "conversations": XConversations,
            "dm_events": XDirectMessages,
        }
        endpoints.append(kinds[name](settings))
    return endpoints


def _options(account: AccountConfig) -> tuple[timedelta, timedelta, int]:
    """backfill, follow and max_results from the account's options (or the defaults)."""
    options = account.options
    try:
        backfill = timedelta(days=float(options.get("backfill_days", DEFAULT_BACKFILL_DAYS)))
        follow_days = float(options.get("follow_days", DEFAULT_FOLLOW_DAYS))
        if not 0 < follow_days <= 7:
            raise ValueError("follow_days must be in (0, 7]: recent search covers 7 days")
        count = int(options.get("max_results", DEFAULT_MAX_RESULTS))
        if not 5 <= count <= 100:
            raise ValueError("max_results must be between 5 and 100")
    except ValueError as exc:
        raise ConnectorConfigError(
            f"{account.where}: twitter account {account.account_id}: {exc}"
        ) from None
    return backfill, timedelta(days=follow_days), count


def _meta(body: Mapping[str, object]) -> Mapping[str, object]:
    meta = body.get("meta")
    return meta if isinstance(meta, dict) else {}


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: object) -> int | None:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20:
        return int(value)
    return None


def _max_id(a: str | None, b: str | None) -> str | None:
    """The larger of two numeric ids (X ids grow with time); non-numeric ones are ignored."""
    candidates = [(number, value) for value in (a, b) if (number := _int(value)) is not None]
    return max(candidates)[1] if candidates else None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _first_error(body: Mapping[str, object]) -> str:
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        for key in ("title", "type", "detail"):
            value = errors[0].get(key)
            if isinstance(value, str):
                return value[:120]
    return "no data, meta or errors"


def _unread_only(body: dict[str, object], followed: Mapping[int, int]) -> dict[str, object]:
    """The search response without the tweets at or before their conversation's since_id.

    One query searches up to CONVERSATIONS_PER_QUERY conversations from the smallest
    since_id among them, so it also returns what the others had already read, and the
    roots themselves (the account's own tweets). Dropping those here keeps each
    conversation at its own since_id: without it they would be published again once
    the runner's known items had forgotten them.
    """
    data = body.get("data")
    if not isinstance(data, list):
        return body
    kept = [item for item in data if not _already_read(item, followed)]
    if len(kept) == len(data):
        return body
    trimmed = {key: value for key, value in body.items() if key != "data"}
    if kept:
        trimmed["data"] = kept
    return trimmed


def _already_read(item: object, followed: Mapping[int, int]) -> bool:
    if not isinstance(item, dict):
        return False  # the parser refuses it, with its reason
    conversation, tweet = _int(item.get("conversation_id")), _int(item.get("id"))
    since = followed.get(conversation) if conversation is not None else None
    return since is not None and tweet is not None and tweet <= since


def _decode_conversations(text: str) -> dict[int, int]:
    followed: dict[int, int] = {}
    for pair in text.split(","):
        root, _, since = pair.partition(":")
        root_id, since_id = _int(root), _int(since)
        if root_id is not None:
            followed[root_id] = since_id if since_id is not None else root_id
    return followed


def _encode_conversations(followed: Mapping[int, int]) -> str:
    return ",".join(f"{root}:{since}" for root, since in sorted(followed.items()))
