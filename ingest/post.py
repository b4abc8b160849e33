"""The normalized post: one platform post, comment, reply or direct message, and its JSON codec."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import orjson

from ingest.errors import InvalidEvent

# Bumped when a field changes meaning or is removed; new optional fields keep the version.
POST_SCHEMA_VERSION = 1

# A normalized text longer than this is refused: no staff post is this long, and a
# megabyte "post" is an attack on the workers' memory (characters).
MAX_TEXT_CHARS = 100_000
# Links a post keeps (Post.links): at most this many, each at most this long (characters).
# A real post links a handful of pages; the bounds keep a hostile one from filling memory.
MAX_LINKS = 50
MAX_LINK_CHARS = 2048


class PostKind(StrEnum):
    POST = "post"
    COMMENT = "comment"
    REPLY = "reply"
    DIRECT_MESSAGE = "direct_message"


class Visibility(StrEnum):
    PUBLIC = "public"
    PRIVATE = "private"


@dataclass(frozen=True, slots=True)
class Post:
    """What every detector sees of a platform item, whatever the platform.

    Account ids are the platform's own ids (as in accounts.csv), never handles.
    `created_at` is timezone-aware UTC. `raw` is the platform's JSON for this item,
    kept verbatim as text so that a reviewer sees exactly what the platform said.
    `links` are the http(s) pages the item points to (HTML hrefs, the platform's URL
    entities), expanded where the platform gives the expansion, in first-seen order.
    """

    district_id: str
    platform: str
    post_id: str
    kind: PostKind
    author_account_id: str
    created_at: datetime
    text: str
    thread_id: str
    in_reply_to_post_id: str | None = None
    in_reply_to_account_id: str | None = None
    mentioned_account_ids: tuple[str, ...] = ()
    recipient_account_ids: tuple[str, ...] = ()
    visibility: Visibility = Visibility.PUBLIC
    url: str | None = None
    scheduled: bool = False
    raw: str = "{}"
    # When the platform says the item was last edited; None for an unedited item.
    edited_at: datetime | None = None
    links: tuple[str, ...] = ()
    schema_version: int = field(default=POST_SCHEMA_VERSION)

    def __post_init__(self) -> None:
        for name in ("district_id", "platform", "post_id", "author_account_id", "thread_id"):
            if not getattr(self, name):
                raise InvalidEvent(f"post field {name!r} is empty")
        if self.created_at.tzinfo is None or self.created_at.utcoffset() is None:
            raise InvalidEvent("post created_at has no time zone")
        if self.created_at.utcoffset() != UTC.utcoffset(None):
            object.__setattr__(self, "created_at", self.created_at.astimezone(UTC))
        if self.edited_at is not None:
            if self.edited_at.tzinfo is None or self.edited_at.utcoffset() is None:
                raise InvalidEvent("post edited_at has no time zone")
            object.__setattr__(self, "edited_at", self.edited_at.astimezone(UTC))
        if len(self.links) > MAX_LINKS:
            raise InvalidEvent(f"post has {len(self.links)} links, over {MAX_LINKS}")
        if any(len(link) > MAX_LINK_CHARS for link in self.links):
            raise InvalidEvent(f"post has a link over {MAX_LINK_CHARS} characters")
        if len(self.text) > MAX_TEXT_CHARS:
            raise InvalidEvent(f"post text has {len(self.text)} characters, over {MAX_TEXT_CHARS}")
        for name in ("text", "raw"):
            value: str = getattr(self, name)
            if value.isascii():  # a flag CPython keeps: no surrogate, nothing to encode
                continue
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: JSON allows it, UTF-8 does not
                raise InvalidEvent(f"post {name} holds an unpaired surrogate") from None

    @property
    def conversation_key(self) -> str:
        """The Kafka key: every item of one conversation lands in one partition."""
        return f"{self.district_id}:{self.platform}:{self.thread_id}"

    @property
    def version(self) -> str:
        """Names this version of the item: an edit (new text or edit time) is a new version."""
        edited = self.edited_at.isoformat() if self.edited_at else ""
        digest = hashlib.sha256(f"{edited}\x00{self.text}".encode())
        return digest.hexdigest()[:16]

    @property
    def addressed_account_ids(self) -> tuple[str, ...]:
        """Accounts this item is directed at: replied-to, mentioned, or messaged."""
        seen: dict[str, None] = {}
        if self.in_reply_to_account_id:
            seen[self.in_reply_to_account_id] = None
        for account in (*self.recipient_account_ids, *self.mentioned_account_ids):
            seen[account] = None
        seen.pop(self.author_account_id, None)
        return tuple(seen)


def post_to_dict(post: Post) -> dict[str, Any]:
    return {
        "schema_version": post.schema_version,
        "district_id": post.district_id,
        "platform": post.platform,
        "post_id": post.post_id,
        "kind": post.kind.value,
        "author_account_id": post.author_account_id,
        "created_at": _iso_utc(post.created_at),
        "text": post.text,
        "thread_id": post.thread_id,
        "in_reply_to_post_id": post.in_reply_to_post_id,
        "in_reply_to_account_id": post.in_reply_to_account_id,
        "mentioned_account_ids": list(post.mentioned_account_ids),
        "recipient_account_ids": list(post.recipient_account_ids),
        "visibility": post.visibility.value,
        "url": post.url,
        "scheduled": post.scheduled,
        "raw": post.raw,
        "edited_at": _iso_utc(post.edited_at) if post.edited_at else None,
        "links": list(post.links),
    }


def _iso_utc(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def post_to_json(post: Post) -> bytes:
    return json.dumps(post_to_dict(post), ensure_ascii=False, separators=(",", ":")).encode()


def _required_str(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise InvalidEvent(f"field {name!r} must be a non-empty string")
    return value


def _optional_str(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidEvent(f"field {name!r} must be a string or null")
    return value or None


def _str_tuple(data: dict[str, Any], name: str) -> tuple[str, ...]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidEvent(f"field {name!r} must be a list of strings")
    return tuple(value)


def parse_utc_timestamp(value: object, name: str = "created_at") -> datetime:
    """Parse an ISO 8601 timestamp with an offset into UTC; raise InvalidEvent otherwise."""
    if not isinstance(value, str):
        raise InvalidEvent(f"field {name!r} must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidEvent(f"field {name!r} is not an ISO 8601 time: {value[:40]!r}") from None
    if parsed.tzinfo is None:
        raise InvalidEvent(f"field {name!r} has no UTC offset: {value[:40]!r}")
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        raise InvalidEvent(f"field {name!r} is out of range: {value[:40]!r}") from None


def post_from_dict(data: object) -> Post:
    if not isinstance(data, dict):
        raise InvalidEvent("a post must be a JSON object")
    version = data.get("schema_version")
    if version != POST_SCHEMA_VERSION:
        raise InvalidEvent(f"unsupported post schema_version {version!r}")
    try:
        kind = PostKind(str(data.get("kind")))
    except ValueError:
        raise InvalidEvent(f"unknown post kind {data.get('kind')!r}") from None
    try:
        visibility = Visibility(str(data.get("visibility", "public")))
    except ValueError:
        raise InvalidEvent(f"unknown visibility {data.get('visibility')!r}") from None
    text = data.get("text", "")
    if not isinstance(text, str):
        raise InvalidEvent("field 'text' must be a string")
    scheduled = data.get("scheduled", False)
    if not isinstance(scheduled, bool):
        raise InvalidEvent("field 'scheduled' must be true or false")
    edited = data.get("edited_at")
    edited_at = None if edited is None else parse_utc_timestamp(edited, "edited_at")
    raw = data.get("raw", "{}")
    if not isinstance(raw, str):
        raise InvalidEvent("field 'raw' must be the platform JSON as a string")
    return Post(
        district_id=_required_str(data, "district_id"),
        platform=_required_str(data, "platform"),
        post_id=_required_str(data, "post_id"),
        kind=kind,
        author_account_id=_required_str(data, "author_account_id"),
        created_at=parse_utc_timestamp(data.get("created_at")),
        text=text,
        thread_id=_required_str(data, "thread_id"),
        in_reply_to_post_id=_optional_str(data, "in_reply_to_post_id"),
        in_reply_to_account_id=_optional_str(data, "in_reply_to_account_id"),
        mentioned_account_ids=_str_tuple(data, "mentioned_account_ids"),
        recipient_account_ids=_str_tuple(data, "recipient_account_ids"),
        visibility=visibility,
        url=_optional_str(data, "url"),
        scheduled=scheduled,
        raw=raw,
        edited_at=edited_at,
        links=_str_tuple(data, "links"),
        schema_version=version,
    )


def post_from_json(payload: bytes | str) -> Post:
    """Decode a post from Kafka; anything malformed raises InvalidEvent with the reason."""
    try:
        data = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:  # invalid UTF-8 and nesting over 1,024 too
        raise InvalidEvent(f"post is not valid JSON: {str(exc)[:80]}") from None
    return post_from_dict(data)
