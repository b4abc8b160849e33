"""Facebook Graph API responses (page feed with comments, page inbox) and feed webhooks into posts.

Accepted shapes, each one decoded response:
- a page's `/feed` (or `/posts`): `{"data": [post, ...], "paging": ...}`, each post
  `{id, message, created_time, from{id,name}, permalink_url, message_tags,
  scheduled_publish_time, is_published, comments{data: [comment, ...]}}`, each
  comment `{id, message, created_time, from, parent{id}, message_tags, comments{...}}`
  (replies nested under their comment, or flat with `parent`);
- one post as fetched by id (the same object without `data`);
- a page's `/conversations`: `{"data": [{id: "t_...", participants{data}, messages{data:
  [{id, message, created_time, from{id}, to{data: [{id}]}}]}}]}`, or one conversation;
- a webhook delivery `{"object": "page", "entry": [...]}` (see parse_facebook_webhook).

Ids: Facebook's own. A feed post's thread is its own id; a comment's thread is its
post, and it answers its parent comment (a reply) or the post (a comment). A
message's thread is its conversation id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ingest.errors import InvalidEvent
from ingest.fields import (
    clean_text,
    epoch_time,
    guard_response,
    iso_time,
    merge,
    parse_with_context,
    with_edit,
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

PLATFORM = "facebook"

# Posts and comments are "<digits>" or "<digits>_<digits>"; conversations "t_<token>";
# messages "m_<token>" (mid tokens are base64-like and long).
_OBJECT_ID = re.compile(r"[0-9]{1,40}(_[0-9]{1,40}){0,2}")
_ACCOUNT_ID = re.compile(r"[0-9]{1,40}")
_CONVERSATION_ID = re.compile(r"t_[A-Za-z0-9_.:-]{1,200}")
_MESSAGE_ID = re.compile(r"m_[A-Za-z0-9_.$:+/=-]{1,300}")

# Nested comments deeper than this are refused: Facebook shows two levels (characters).
_MAX_COMMENT_DEPTH = 20

# Webhook feed items that are reactions, not writing.
_REACTION_ITEMS = frozenset({"reaction", "like"})
_WRITING_VERBS = frozenset({"add", "edited"})


@dataclass(frozen=True, slots=True)
class _Place:
    """Where the walk found an item: its thread, and the item it hangs under (None: top)."""

    thread_id: str | None
    parent_id: str | None
    parent_author: str | None


def parse_facebook_response(response: object, district_id: str) -> ParseResult:
    """Posts from one Graph API response: feed, post, conversations, or a webhook delivery."""
    return guard_response(_parse_response, response, district_id)


def parse_facebook_webhook(payload: object, district_id: str) -> ParseResult:
    """Posts from one page webhook delivery (`object: page`, `entry[].changes[]`).

    Only `feed` changes that add or edit a post, status or comment become posts;
    removals, hides, reactions and other fields are skipped (and counted). An
    `edited` change carries the delivery time as the edit time. The signature of the
    delivery is checked by the receiver before this is called.
    """
    return guard_response(_parse_webhook, payload, district_id)


def _parse_response(response: object, district_id: str) -> ParseResult:
    if not isinstance(response, dict):
        return refuse_response(
            response, f"not a Graph API response: expected a JSON object, got {json_type(response)}"
        )
    if response.get("object") == "page" and "entry" in response:
        return _parse_webhook(response, district_id)
    if "error" in response:
        return refuse_response(response, f"Graph API error response: {_error_summary(response)}")
    data = response.get("data")
    if data is None:
        if "id" in response:
            data = [response]
        elif "paging" in response:
            return ParseResult()
        else:
            return refuse_response(response, "not a Graph API response: no 'data', 'id' or 'error'")
    if not isinstance(data, list):
        return refuse_response(
            response, f"Graph API response 'data' must be a list, got {json_type(data)}"
        )
    tasks = list(_walk(data))
    authors = _authors(item for item, _ in tasks)
    return parse_with_context(
        tasks, lambda item, place: _parse_item(item, place, district_id, authors)
    )


def _walk(items: list[object]) -> Iterator[tuple[object, _Place]]:
    """Every post, comment, reply and message, with where each was found.

    A conversation is a container: its messages are the items. A conversation
    listed without its messages is checked and skipped. A post whose id is unreadable
    is refused with its comments inside it (in the dead-letter item).
    """
    for item in items:
        if isinstance(item, dict) and _is_conversation(item):
            edge = item.get("messages")
            messages = edge.get("data") if isinstance(edge, dict) else None
            if isinstance(messages, list):
                conversation_id = item.get("id")
                thread = conversation_id if isinstance(conversation_id, str) else ""
                for message in messages:
                    yield message, _Place(thread, None, None)
                continue
        yield item, _Place(None, None, None)
        if isinstance(item, dict):
            post_id = item.get("id")
            if isinstance(post_id, str) and _OBJECT_ID.fullmatch(post_id):
                yield from _comments(item, post_id, 1)


def _comments(
    parent: Mapping[str, object], thread_id: str, depth: int
) -> Iterator[tuple[object, _Place]]:
    edge = parent.get("comments")
    comments = edge.get("data") if isinstance(edge, dict) else None
    if not isinstance(comments, list):
        return
    parent_id = parent.get("id")
    author = _from_id(parent)
    for comment in comments:
        yield comment, _Place(thread_id, parent_id if isinstance(parent_id, str) else None, author)
        if isinstance(comment, dict) and depth < _MAX_COMMENT_DEPTH:
            yield from _comments(comment, thread_id, depth + 1)


def _is_conversation(item: Mapping[str, object]) -> bool:
    item_id = item.get("id")
    return (
        "participants" in item
        or "messages" in item
        or (isinstance(item_id, str) and item_id.startswith("t_"))
    )


def _authors(items: Iterator[object]) -> dict[str, str]:
    """Author ids by item id, where both are readable: who a reply answers."""
    found: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict):
            item_id, author = item.get("id"), _from_id(item)
            if isinstance(item_id, str) and author:
                found[item_id] = author
    return found


def _from_id(item: Mapping[str, object]) -> str | None:
    sender = item.get("from")
    account = sender.get("id") if isinstance(sender, dict) else None
    return account if isinstance(account, str) and _ACCOUNT_ID.fullmatch(account) else None


def _parse_item(
    item: object, place: _Place, district_id: str, authors: Mapping[str, str]
) -> Post | None:
    fields = require_object(item, "Facebook item")
    if place.thread_id is None:
        if _is_conversation(fields):
            _conversation_id(fields)
            if fields.get("messages") is not None:
                raise InvalidEvent("Facebook conversation: messages must be an object with 'data'")
            return None
        return _parse_post(fields, district_id)
    if place.parent_id is None:
        return _parse_message(fields, place.thread_id, district_id)
    return _parse_comment(fields, place, district_id, authors)


def _parse_post(post: Mapping[str, object], district_id: str) -> Post:
    post_id = _object_id(post, "id", "Facebook post")
    what = f"Facebook post {post_id}"
    created_at = iso_time(post, "created_time", what)
    scheduled = post.get("scheduled_publish_time") is not None or post.get("is_published") is False
    return Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=post_id,
        kind=PostKind.POST,
        author_account_id=_author(post, what),
        created_at=created_at,
        text=clean_text(post.get("message"), "message", what, markup=False),
        thread_id=post_id,
        mentioned_account_ids=_tags(post, what),
        visibility=Visibility.PUBLIC,
        url=_url(post, what),
        scheduled=scheduled,
        raw=raw_json({key: value for key, value in post.items() if key != "comments"}),
    )


def _parse_comment(
    comment: Mapping[str, object], place: _Place, district_id: str, authors: Mapping[str, str]
) -> Post:
    comment_id = _object_id(comment, "id", "Facebook comment")
    what = f"Facebook comment {comment_id}"
    assert place.thread_id is not None and place.parent_id is not None
    parent = comment.get("parent")
    parent_id = place.parent_id
    parent_author = place.parent_author
    if parent is not None:
        parent_fields = require_object(parent, f"{what}: parent")
        parent_id = _object_id(parent_fields, "id", f"{what}: parent")
        parent_author = _from_id(parent_fields) or authors.get(parent_id)
    return Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=comment_id,
        kind=PostKind.COMMENT if parent_id == place.thread_id else PostKind.REPLY,
        author_account_id=_author(comment, what),
        created_at=iso_time(comment, "created_time", what),
        text=clean_text(comment.get("message"), "message", what, markup=False),
        thread_id=place.thread_id,
        in_reply_to_post_id=parent_id,
        in_reply_to_account_id=parent_author,
        mentioned_account_ids=_tags(comment, what),
        visibility=Visibility.PUBLIC,
        url=_url(comment, what),
        raw=raw_json({key: value for key, value in comment.items() if key != "comments"}),
    )


def _parse_message(message: Mapping[str, object], conversation_id: str, district_id: str) -> Post:
    message_id = optional_str(message, "id", "Facebook message")
    if message_id is None:
        raise InvalidEvent("Facebook message: id missing")
    if not _MESSAGE_ID.fullmatch(message_id):
        raise InvalidEvent(f"Facebook message: id is not a message id: {message_id[:40]!r}")
    what = f"Facebook message {message_id[:40]}"
    if not _CONVERSATION_ID.fullmatch(conversation_id):
        raise InvalidEvent(f"{what}: conversation id is not a conversation id")
    sender = _author(message, what)
    return Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=message_id,
        kind=PostKind.DIRECT_MESSAGE,
        author_account_id=sender,
        created_at=iso_time(message, "created_time", what),
        text=clean_text(message.get("message"), "message", what, markup=False),
        thread_id=conversation_id,
        recipient_account_ids=tuple(a for a in _accounts(message.get("to"), what) if a != sender),
        visibility=Visibility.PRIVATE,
        raw=raw_json(message),
    )


def _conversation_id(conversation: Mapping[str, object]) -> str:
    conversation_id = optional_str(conversation, "id", "Facebook conversation")
    if conversation_id is None or not _CONVERSATION_ID.fullmatch(conversation_id):
        raise InvalidEvent("Facebook conversation: id missing or not a conversation id")
    return conversation_id


def _accounts(edge: object, what: str) -> tuple[str, ...]:
    """Account ids of a `{data: [{id}, ...]}` edge (`to`, `participants`)."""
    if edge is None:
        return ()
    fields = require_object(edge, f"{what}: recipients")
    found: dict[str, None] = {}
    for entry in optional_list(fields, "data", f"{what}: recipients"):
        found[_account_id(require_object(entry, f"{what}: recipient"), "id", what)] = None
    return tuple(found)


def _tags(item: Mapping[str, object], what: str) -> tuple[str, ...]:
    """Ids of the users and pages tagged in the message (`message_tags`)."""
    found: dict[str, None] = {}
    for tag in optional_list(item, "message_tags", what):
        fields = require_object(tag, f"{what}: message_tags item")
        found[_account_id(fields, "id", f"{what}: message_tags item")] = None
    return tuple(found)


def _author(item: Mapping[str, object], what: str) -> str:
    sender = item.get("from")
    if sender is None:
        raise InvalidEvent(f"{what}: from missing")
    return _account_id(require_object(sender, f"{what}: from"), "id", f"{what}: from")


def _account_id(item: Mapping[str, object], key: str, what: str) -> str:
    value = optional_str(item, key, what)
    if value is None:
        raise InvalidEvent(f"{what}: {key} missing")
    if not _ACCOUNT_ID.fullmatch(value):
        raise InvalidEvent(f"{what}: {key} is not an account id: {value[:40]!r}")
    return value


def _object_id(item: Mapping[str, object], key: str, what: str) -> str:
    value = optional_str(item, key, what)
    if value is None:
        raise InvalidEvent(f"{what}: {key} missing")
    if not _OBJECT_ID.fullmatch(value):
        raise InvalidEvent(f"{what}: {key} is not a Facebook id: {value[:40]!r}")
    return value


def _url(item: Mapping[str, object], what: str) -> str | None:
    url = optional_str(item, "permalink_url", what)
    return url if url and url.startswith("https://") and len(url) <= 2000 else None


def _error_summary(response: Mapping[str, object]) -> str:
    error = response.get("error")
    if isinstance(error, dict):
        parts = [error.get(key) for key in ("type", "message")]
        return "; ".join(str(part) for part in parts if isinstance(part, str | int)) or "no detail"
    return "no detail"


# Webhooks ---------------------------------------------------------------------------------


def _parse_webhook(payload: object, district_id: str) -> ParseResult:
    if not isinstance(payload, dict) or payload.get("object") != "page":
        return refuse_response(payload, "not a Facebook page webhook: 'object' is not 'page'")
    entries = payload.get("entry")
    if not isinstance(entries, list):
        return refuse_response(payload, "Facebook webhook 'entry' must be a list")
    results = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("changes", []), list):
            results.append(
                refuse_response(entry, "Facebook webhook entry: not an object with 'changes'")
            )
            continue
        changes = entry.get("changes", [])
        assert isinstance(changes, list)
        results.append(
            parse_with_context(
                ((change, entry.get("time")) for change in changes),
                lambda change, time: _parse_change(change, time, district_id),
            )
        )
    return merge(results)


def _parse_change(change: object, entry_time: object, district_id: str) -> Post | None:
    fields = require_object(change, "Facebook webhook change")
    if fields.get("field") != "feed":
        return None
    value = require_object(fields.get("value"), "Facebook webhook feed change: value")
    item = optional_str(value, "item", "Facebook webhook feed change")
    verb = optional_str(value, "verb", "Facebook webhook feed change")
    if item in _REACTION_ITEMS or verb not in _WRITING_VERBS:
        return None
    post_id = _object_id(value, "post_id", "Facebook webhook feed change")
    if item == "comment":
        comment_id = _object_id(value, "comment_id", f"Facebook webhook comment on {post_id}")
        what = f"Facebook webhook comment {comment_id}"
        parent_id = _object_id(value, "parent_id", what) if value.get("parent_id") else post_id
        kind, item_id, thread_id = (
            PostKind.COMMENT if parent_id == post_id else PostKind.REPLY,
            comment_id,
            post_id,
        )
        reply_to: str | None = parent_id
    else:
        what = f"Facebook webhook post {post_id}"
        kind, item_id, thread_id, reply_to = PostKind.POST, post_id, post_id, None
    created_at = epoch_time(value.get("created_time"), "created_time", what)
    post = Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=item_id,
        kind=kind,
        author_account_id=_author(value, what),
        created_at=created_at,
        text=clean_text(value.get("message"), "message", what, markup=False),
        thread_id=thread_id,
        in_reply_to_post_id=reply_to,
        visibility=Visibility.PUBLIC,
        scheduled=kind is PostKind.POST and value.get("published") == 0,
        raw=raw_json(value),
    )
    if verb == "edited" and entry_time is not None:
        return with_edit(post, epoch_time(entry_time, "time", what))
    return post
