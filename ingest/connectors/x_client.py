"""The X API v2 client that every X endpoint shares: settings, bearer auth, GET, ids, fields.

Each request is signed with the endpoint's credential (`ingest.connectors.x_credentials`).
A 401 or 403 raises FetchFailed naming the credential and its variables (never a
value); HTTP 429 and other failures are `get_json`'s (`ingest.connectors.http_client`).
The helpers read X's response shapes without trusting them: a field of the wrong
type reads as absent, and the parser (`ingest.twitter`) refuses the item with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from core.clock import Clock
from ingest.connectors.errors import FetchFailed
from ingest.connectors.http_client import get_json
from ingest.connectors.x_credentials import XCredential

PLATFORM = "twitter"
BASE_URL = "https://api.x.com"
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


@dataclass(frozen=True, slots=True)
class XSettings:
    """What every endpoint of one account shares."""

    account_id: str
    base_url: str
    credential: XCredential
    clock: Clock
    backfill: timedelta = timedelta(days=DEFAULT_BACKFILL_DAYS)
    follow: timedelta = timedelta(days=DEFAULT_FOLLOW_DAYS)
    max_results: int = DEFAULT_MAX_RESULTS

    async def get(
        self, client: httpx.AsyncClient, path: str, params: Mapping[str, str], what: str
    ) -> dict[str, object]:
        auth = self.credential.auth(self.clock)
        try:
            reply = await get_json(
                client,
                f"{self.base_url}{path}",
                params=params,
                auth=auth,
                what=what,
                clock=self.clock,
            )
        except FetchFailed as exc:
            if auth.status in (401, 403):
                # Say which variable to renew: "HTTP 401" alone does not tell IT which token.
                raise FetchFailed(
                    f"{exc.reason}: X refused {self.credential.describe()} "
                    "(expired, revoked or missing a scope); renew it"
                ) from None
            raise
        body = reply.body
        if not isinstance(body, dict):
            raise FetchFailed(f"{what}: response is not a JSON object")
        if "data" not in body and "meta" not in body:
            raise FetchFailed(f"{what}: API error: {_first_error(body)}")
        return body


class XEndpoint:
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


def response_meta(body: Mapping[str, object]) -> Mapping[str, object]:
    meta = body.get("meta")
    return meta if isinstance(meta, dict) else {}


def as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def as_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def as_int(value: object) -> int | None:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20:
        return int(value)
    return None


def max_id(a: str | None, b: str | None) -> str | None:
    """The larger of two numeric ids (X ids grow with time); non-numeric ones are ignored."""
    candidates = [(number, value) for value in (a, b) if (number := as_int(value)) is not None]
    return max(candidates)[1] if candidates else None


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _first_error(body: Mapping[str, object]) -> str:
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        for key in ("title", "type", "detail"):
            value = errors[0].get(key)
            if isinstance(value, str):
                return value[:120]
    return "no data, meta or errors"
