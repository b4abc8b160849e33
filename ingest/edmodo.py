"""Archived Edmodo API messages and replies into posts.

Edmodo closed in 2022; districts kept what its API returned. The shape followed is
the Edmodo Connect API's documented message (`POST /messages` response, partnerships
.edmodo.com): `{id, content_type, content{text}, creator{id, user_type},
recipients{users[{id}], groups[{id}], parent_groups[{id}]}, last_replies[...],
created_at}`. The older list form of recipients, `[{type: user|group, id}]`, and a
plain-string `content`/`text` are read too. Replies were never documented publicly;
assumed (from `replies_url: /replies?message_id=<id>`) to be `{id, message_id (or
message{id}, parent), creator{id}, content or text, created_at}`.

Accepted responses: a JSON list of messages and/or replies (`GET /messages`, `GET
/replies`), one message or reply, or an archive object `{"messages": [...],
"replies": [...]}`. A message's `last_replies` are read as replies to it.

Ids: messages and replies are numbered separately, so a message is `message-<id>`
and a reply `reply-<id>`; a message is its own thread, a reply's thread is its
message. A message to users only is a direct message to them (private); to a
group or a group's parents it is a post, and any users named beside the groups are
its recipients. Times need an offset or are read as UTC; a date alone is refused
(the time rules need a time of day).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from ingest.errors import InvalidEvent
from ingest.fields import (
    clean_text,
    guard_response,
    iso_time,
    numeric_id,
    optional_numeric_id,
    parse_with_context,
)
from ingest.parser import (
    ParseResult,
    json_type,
    optional_list,
    optional_str,
    raw_json,
    refuse_response,
    require_object,
)
from ingest.post import Post, PostKind, Visibility

PLATFORM = "edmodo"

_DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_USER_RECIPIENTS = frozenset({"user", "users"})
_GROUP_RECIPIENTS = frozenset({"group", "groups", "parent_group", "parent_groups"})


@dataclass(frozen=True, slots=True)
class _Message:
    """What a reply needs of its message when both are in the response."""

    author: str
    recipients: tuple[str, ...]
    private: bool


def parse_edmodo_response(response: object, district_id: str) -> ParseResult:
    """Posts from one archived Edmodo response: messages, replies, or an archive object."""
    return guard_response(_parse_response, response, district_id)


def message_key(message_id: str) -> str:
    return f"message-{message_id}"


def reply_key(reply_id: str) -> str:
    return f"reply-{reply_id}"


def _parse_response(response: object, district_id: str) -> ParseResult:
    if isinstance(response, list):
        items: list[object] = response
    elif isinstance(response, dict):
        if "messages" in response or "replies" in response:
            items = []
            for key in ("messages", "replies"):
                found = response.get(key, [])
                if not isinstance(found, list):
                    return refuse_response(
                        response, f"Edmodo archive '{key}' must be a list, got {json_type(found)}"
                    )
                items.extend(found)
        elif "id" in response:
            items = [response]
        elif "error" in response:
            return refuse_response(response, "Edmodo API error response")
        else:
            return refuse_response(response, "not an Edmodo response: no 'id' or 'messages'")
    else:
        return refuse_response(
            response,
            f"not an Edmodo response: expected a list or an object, got {json_type(response)}",
        )
    tasks = list(_walk(items))
    messages = _messages(item for item, _ in tasks)
    return parse_with_context(
        tasks, lambda item, parent: _parse_item(item, parent, district_id, messages)
    )


def _walk(items: list[object]) -> Iterator[tuple[object, str | None]]:
    """Each item, then each of a message's `last_replies` with the message's id."""
    for item in items:
        yield item, None
        if isinstance(item, dict) and not _is_reply(item):
            message_id = item.get("id")
            replies = item.get("last_replies")
            if isinstance(replies, list):
                for reply in replies:
                    yield reply, str(message_id)


def _is_reply(item: Mapping[str, object]) -> bool:
    return "recipients" not in item and any(
        key in item for key in ("message_id", "message", "parent", "parent_id")
    )


def _messages(items: Iterator[object]) -> dict[str, _Message]:
    found: dict[str, _Message] = {}
    for item in items:
        if isinstance(item, dict) and not _is_reply(item):
            try:
                message_id = numeric_id(item, "id", "Edmodo message")
                users, groups = _recipients(item, "Edmodo message")
                found[message_id] = _Message(_creator(item, "Edmodo message"), users, not groups)
            except InvalidEvent:
                continue
    return found


def _parse_item(
    item: object, parent: str | None, district_id: str, messages: Mapping[str, _Message]
) -> Post:
    fields = require_object(item, "Edmodo item")
    if parent is not None or _is_reply(fields):
        return _parse_reply(fields, parent, district_id, messages)
    if "recipients" not in fields:
        raise InvalidEvent("Edmodo item: neither a message (recipients) nor a reply (message_id)")
    return _parse_message(fields, district_id)


def _parse_message(message: Mapping[str, object], district_id: str) -> Post:
    key = message_key(numeric_id(message, "id", "Edmodo message"))
    what = f"Edmodo {key}"
    author = _creator(message, what)
    users, groups = _recipients(message, what)
    if not users and not groups:
        raise InvalidEvent(f"{what}: no recipients")
    direct = not groups
    return Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=key,
        kind=PostKind.DIRECT_MESSAGE if direct else PostKind.POST,
        author_account_id=author,
        created_at=_time(message, what),
        text=clean_text(_text(message, what), "content", what, markup=False),
        thread_id=key,
        recipient_account_ids=tuple(user for user in users if user != author),
        visibility=Visibility.PRIVATE if direct else Visibility.PUBLIC,
        raw=raw_json({k: v for k, v in message.items() if k != "last_replies"}),
    )


def _parse_reply(
    reply: Mapping[str, object],
    parent: str | None,
    district_id: str,
    messages: Mapping[str, _Message],
) -> Post:
    key = reply_key(numeric_id(reply, "id", "Edmodo reply"))
    what = f"Edmodo {key}"
    message_id = _reply_message_id(reply, what) or parent
    if message_id is None:
        raise InvalidEvent(f"{what}: message_id missing")
    thread = message_key(numeric_id({"message_id": message_id}, "message_id", what))
    author = _creator(reply, what)
    message = messages.get(message_id)
    others: tuple[str, ...] = ()
    if message is not None and message.private:
        others = tuple(a for a in (message.author, *message.recipients) if a != author)
    return Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=key,
        kind=PostKind.COMMENT,
        author_account_id=author,
        created_at=_time(reply, what),
        text=clean_text(_text(reply, what), "content", what, markup=False),
        thread_id=thread,
        in_reply_to_post_id=thread,
        in_reply_to_account_id=message.author if message else None,
        recipient_account_ids=tuple(dict.fromkeys(others)),
        visibility=Visibility.PRIVATE if message and message.private else Visibility.PUBLIC,
        raw=raw_json(reply),
    )


def _reply_message_id(reply: Mapping[str, object], what: str) -> str | None:
    for key in ("message_id", "parent_id", "parent"):
        value = reply.get(key)
        if isinstance(value, dict):
            return optional_numeric_id(value, "id", f"{what}: {key}")
        found = optional_numeric_id(reply, key, what)
        if found:
            return found
    message = reply.get("message")
    if message is not None:
        return optional_numeric_id(require_object(message, f"{what}: message"), "id", what)
    return None


def _creator(item: Mapping[str, object], what: str) -> str:
    creator = item.get("creator")
    if creator is None:
        raise InvalidEvent(f"{what}: creator missing")
    return numeric_id(require_object(creator, f"{what}: creator"), "id", f"{what}: creator")


def _recipients(message: Mapping[str, object], what: str) -> tuple[tuple[str, ...], bool]:
    """(user ids, whether any group is a recipient), from either recipients form."""
    recipients = message.get("recipients")
    users: dict[str, None] = {}
    groups = False
    if isinstance(recipients, list):
        for entry in recipients:
            fields = require_object(entry, f"{what}: recipient")
            kind = optional_str(fields, "type", f"{what}: recipient")
            if kind in _USER_RECIPIENTS:
                users[numeric_id(fields, "id", f"{what}: recipient")] = None
            elif kind in _GROUP_RECIPIENTS:
                numeric_id(fields, "id", f"{what}: recipient")
                groups = True
            else:
                raise InvalidEvent(f"{what}: recipient type must be user or group")
        return tuple(users), groups
    fields = require_object(recipients, f"{what}: recipients")
    for kind in ("users", "groups", "parent_groups"):
        for entry in optional_list(fields, kind, f"{what}: recipients"):
            entry_id = numeric_id(require_object(entry, f"{what}: {kind}"), "id", f"{what}: {kind}")
            if kind == "users":
                users[entry_id] = None
            else:
                groups = True
    return tuple(users), groups


def _text(item: Mapping[str, object], what: str) -> object:
    """The message text: `content.text`, a string `content`, or `text`."""
    content = item.get("content")
    if isinstance(content, dict):
        return content.get("text")
    if content is not None:
        return content
    return item.get("text")


def _time(item: Mapping[str, object], what: str) -> datetime:
    value = item.get("created_at")
    if isinstance(value, str) and _DATE_ONLY.fullmatch(value):
        raise InvalidEvent(f"{what}: created_at is a date without a time of day")
    return iso_time(item, "created_at", what, naive_is_utc=True)
