"""X (Twitter) API v2 responses, tweets and direct-message events, into posts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from ingest.errors import InvalidEvent
from ingest.html_text import html_to_text
from ingest.links import web_links
from ingest.parser import (
    ParseResult,
    check_id,
    json_type,
    optional_id,
    optional_list,
    optional_str,
    parse_items,
    raw_json,
    refuse_response,
    require_id,
    require_object,
    require_str,
)
from ingest.post import MAX_TEXT_CHARS, Post, PostKind, Visibility, parse_utc_timestamp
from ingest.x_ids import snowflake_time

PLATFORM = "twitter"

# Text longer than this is refused before any HTML parsing: several times the longest
# post X allows, and far past what Post accepts once decoded (characters).
MAX_SOURCE_TEXT_CHARS = 4 * MAX_TEXT_CHARS

# X usernames are letters, digits and underscores (at most 15; older ones may differ).
_USERNAME = re.compile(r"[A-Za-z0-9_]{1,50}")
# A 1:1 conversation is "<user id>-<user id>", a group conversation a plain id.
_DM_CONVERSATION_ID = re.compile(r"[0-9]{1,64}(-[0-9]{1,64})?")

_MESSAGE_CREATE = "MessageCreate"
# dm_events that are not messages: who joined or left a group conversation.
_PARTICIPANT_EVENTS = frozenset({"ParticipantsJoin", "ParticipantsLeave"})


@dataclass(frozen=True, slots=True)
class _Users:
    """The response's `includes.users`: usernames by id and ids by lower-cased username."""

    username_by_id: Mapping[str, str]
    id_by_username: Mapping[str, str]


def parse_x_response(response: object, district_id: str) -> ParseResult:
    """Posts from one X API v2 response: tweet lookup, timeline, search or dm_events.

    Both field vocabularies are read: the classic `referenced_tweets`/`note_tweet`
    (`tweet.fields`) and the newer `referenced_posts`/`note_post` (`post.fields`).

    `data` may be a list of items or a single item. Tweets become posts and replies,
    `MessageCreate` events direct messages; participant events are skipped. A
    response without `data` is an empty page (it has `meta`), an API error (it has
    `errors`) or not an X response at all; the last two are refused.
    """
    try:
        return _parse_response(response, district_id)
    except Exception as exc:  # the parser contract: refuse, never raise
        return refuse_response(response, f"internal parser error: {type(exc).__name__}: {exc}")


def _parse_response(response: object, district_id: str) -> ParseResult:
    if not isinstance(response, dict):
        return refuse_response(
            response, f"not an X API v2 response: expected a JSON object, got {json_type(response)}"
        )
    data = response.get("data")
    if data is None:
        if response.get("errors"):
            return refuse_response(response, f"X API error response: {_error_summary(response)}")
        if isinstance(response.get("meta"), dict):
            return ParseResult()
        return refuse_response(response, "not an X API v2 response: no 'data', 'meta' or 'errors'")
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return refuse_response(
            response, f"X API v2 response 'data' must be a list or an object, got {json_type(data)}"
        )
    users = _index_users(response.get("includes"))
    return parse_items(data, lambda item: _parse_item(item, district_id, users))


def _parse_item(item: object, district_id: str, users: _Users) -> Post | None:
    fields = require_object(item, "X item")
    if "event_type" in fields:
        return _parse_dm_event(fields, district_id, users)
    return _parse_tweet(fields, district_id, users)


def _parse_tweet(tweet: Mapping[str, object], district_id: str, users: _Users) -> Post:
    tweet_id = require_id(tweet, "id", "tweet")
    what = f"tweet {tweet_id}"
    author_id = require_id(tweet, "author_id", what)
    referenced = _referenced(tweet, what)
    replied_to = next((ref_id for kind, ref_id in referenced if kind == "replied_to"), None)
    username = users.username_by_id.get(author_id)
    original = _original_id(tweet, tweet_id)
    created_at = _created_at(tweet, what)
    return Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=original,
        kind=PostKind.REPLY if replied_to else PostKind.POST,
        author_account_id=author_id,
        created_at=created_at if original == tweet_id else snowflake_time(int(original)),
        edited_at=None if original == tweet_id else created_at,
        text=_text(tweet, what),
        thread_id=optional_id(tweet, "conversation_id", what) or tweet_id,
        in_reply_to_post_id=replied_to,
        in_reply_to_account_id=optional_id(tweet, "in_reply_to_user_id", what),
        mentioned_account_ids=_mentions(tweet, what, users),
        links=_links(tweet, what),
        visibility=Visibility.PUBLIC,
        url=(
            f"https://x.com/{username}/status/{tweet_id}"
            if username
            else f"https://x.com/i/web/status/{tweet_id}"
        ),
        raw=raw_json(tweet),
    )


def _parse_dm_event(event: Mapping[str, object], district_id: str, users: _Users) -> Post | None:
    event_id = require_id(event, "id", "dm event")
    what = f"dm event {event_id}"
    event_type = require_str(event, "event_type", what)
    if event_type in _PARTICIPANT_EVENTS:
        return None
    if event_type != _MESSAGE_CREATE:
        raise InvalidEvent(f"{what}: unknown event_type {event_type[:40]!r}")
    sender_id = require_id(event, "sender_id", what)
    conversation_id = require_str(event, "dm_conversation_id", what)
    if not _DM_CONVERSATION_ID.fullmatch(conversation_id):
        raise InvalidEvent(f"{what}: dm_conversation_id is not an X conversation id")
    return Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=event_id,
        kind=PostKind.DIRECT_MESSAGE,
        author_account_id=sender_id,
        created_at=_created_at(event, what),
        text=_text(event, what, required=False),
        thread_id=conversation_id,
        mentioned_account_ids=_mentions(event, what, users),
        links=_links(event, what),
        recipient_account_ids=_dm_recipients(event, what, sender_id, conversation_id),
        visibility=Visibility.PRIVATE,
        raw=raw_json(event),
    )


def _dm_recipients(
    event: Mapping[str, object], what: str, sender_id: str, conversation_id: str
) -> tuple[str, ...]:
    """participant_ids without the sender; else the other side of a 1:1 conversation id.

    X names a one-to-one conversation by its two user ids, "<id>-<id>"; a group
    conversation has a plain id, and without participant_ids its members are unknown.
    """
    participants = optional_list(event, "participant_ids", what)
    if participants:
        ids = []
        for participant in participants:
            if not isinstance(participant, str):
                raise InvalidEvent(f"{what}: participant_ids must hold strings")
            ids.append(check_id(participant, "participant_ids", what))
    else:
        parts = conversation_id.split("-")
        if len(parts) != 2:
            return ()
        ids = parts
    return tuple(dict.fromkeys(i for i in ids if i and i != sender_id))


def _referenced(tweet: Mapping[str, object], what: str) -> list[tuple[str, str]]:
    """(type, id) of each referenced tweet; the newer spec calls them referenced_posts."""
    key = "referenced_tweets" if tweet.get("referenced_tweets") is not None else "referenced_posts"
    found = []
    for ref in optional_list(tweet, key, what):
        fields = require_object(ref, f"{what}: {key} item")
        found.append(
            (require_str(fields, "type", f"{what}: {key} item"), require_id(fields, "id", what))
        )
    return found


def _mentions(item: Mapping[str, object], what: str, users: _Users) -> tuple[str, ...]:
    """Ids of the accounts mentioned, resolving a mention without id by its username.

    A long post's full text and entities live in `note_tweet`; both sets count.
    """
    found: dict[str, None] = {}
    for holder in (item, _note(item, what)):
        entities = holder.get("entities")
        if entities is None:
            continue
        entities = require_object(entities, f"{what}: entities")
        for mention in optional_list(entities, "mentions", f"{what}: entities"):
            fields = require_object(mention, f"{what}: mention")
            mention_id = optional_id(fields, "id", f"{what}: mention")
            if mention_id is None:
                username = optional_str(fields, "username", f"{what}: mention")
                mention_id = users.id_by_username.get(username.lower()) if username else None
            if mention_id:
                found[mention_id] = None
    return tuple(found)


def _links(item: Mapping[str, object], what: str) -> tuple[str, ...]:
    """The pages of the URL entities (`unwound_url`, else `expanded_url`, else the t.co
    `url`), of the post and of a long post's note."""
    found: list[object] = []
    for holder in (item, _note(item, what)):
        entities = holder.get("entities")
        if entities is None:
            continue
        entities = require_object(entities, f"{what}: entities")
        for entity in optional_list(entities, "urls", f"{what}: entities"):
            fields = require_object(entity, f"{what}: url entity")
            found.append(
                fields.get("unwound_url") or fields.get("expanded_url") or fields.get("url")
            )
    return web_links(found)


def _note(item: Mapping[str, object], what: str) -> Mapping[str, object]:
    """A long post's full text and entities: `note_tweet`, or `note_post` in the newer names."""
    key = "note_tweet" if item.get("note_tweet") is not None else "note_post"
    note = item.get(key)
    return {} if note is None else require_object(note, f"{what}: {key}")


def _text(item: Mapping[str, object], what: str, *, required: bool = True) -> str:
    """Plain text: X escapes &, < and > as entities; markup and controls are removed.

    A long post's full text is in note_tweet (note_post); `text` holds its first 280
    characters.
    An empty text is a text; only an absent one is missing.
    """
    text = optional_str(_note(item, what), "text", f"{what}: note_tweet")
    if text is None:
        if item.get("text") is None and required:
            raise InvalidEvent(f"{what}: text missing")
        text = optional_str(item, "text", what) or ""
    if len(text) > MAX_SOURCE_TEXT_CHARS:
        raise InvalidEvent(f"{what}: text has {len(text)} characters")
    return html_to_text(text, keep_line_breaks=True)


def _original_id(tweet: Mapping[str, object], tweet_id: str) -> str:
    """The id of the tweet's first version. An edit gets a new id, and X lists every
    version's id, oldest first, in `edit_history_tweet_ids`: versions of one tweet are
    one post (post_id: the first id; the edit time as `edited_at`), as on the other
    platforms, while the URL still names the version read. A history that does not
    lead to this tweet is ignored (the tweet stands as its own post)."""
    history = tweet.get("edit_history_tweet_ids")
    if not isinstance(history, list) or tweet_id not in history:
        return tweet_id
    first = history[0]
    if not isinstance(first, str) or not first.isascii() or not first.isdigit():
        return tweet_id
    if len(first) > 20 or int(first) > int(tweet_id):
        return tweet_id
    return first


def _created_at(item: Mapping[str, object], what: str) -> datetime:
    if item.get("created_at") is None:
        raise InvalidEvent(f"{what}: created_at missing")
    try:
        return parse_utc_timestamp(item.get("created_at"))
    except InvalidEvent as exc:
        raise InvalidEvent(f"{what}: {exc.reason}") from None


def _index_users(includes: object) -> _Users:
    """Index includes.users; malformed entries are ignored, they only help name things."""
    username_by_id: dict[str, str] = {}
    id_by_username: dict[str, str] = {}
    users = includes.get("users") if isinstance(includes, dict) else None
    for user in users if isinstance(users, list) else []:
        if not isinstance(user, dict):
            continue
        user_id, username = user.get("id"), user.get("username")
        if (
            isinstance(user_id, str)
            and user_id.isascii()
            and user_id.isdigit()
            and isinstance(username, str)
            and _USERNAME.fullmatch(username)
        ):
            username_by_id[user_id] = username
            id_by_username[username.lower()] = user_id
    return _Users(username_by_id, id_by_username)


def _error_summary(response: Mapping[str, object]) -> str:
    """The first error's title and detail, as far as they are strings."""
    errors = response.get("errors")
    first = errors[0] if isinstance(errors, list) and errors else errors
    if isinstance(first, dict):
        parts = [first.get(key) for key in ("title", "detail", "message")]
        return "; ".join(part for part in parts if isinstance(part, str) and part) or "no detail"
    return "no detail"
