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
- a webhook delivery `{"object": "page", "entry": [...]}` (`ingest.facebook_webhook`).

Ids: Facebook's own. A feed post's thread is its own id; a comment's thread is its
post, and it answers its parent comment (a reply) or the post (a comment). A
message's thread is its conversation id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ingest.errors import InvalidEvent
from ingest.facebook_fields import (
    OBJECT_ID,
    PLATFORM,
    account_list,
    author_id,
    error_summary,
    from_id,
    object_id,
    permalink,
    tagged_accounts,
)
from ingest.facebook_webhook import parse_facebook_webhook, parse_webhook
from ingest.fields import clean_text, guard_response, iso_time, parse_with_context
from ingest.links import links_in_text, web_links
from ingest.parser import (
    ParseResult,
    json_type,
    optional_str,
    raw_json,
    refuse_response,
    require_object,
)
from ingest.post import Post, PostKind, Visibility

# The webhook parser is part of this platform's public surface (the receiver and
# the property tests take it from here).
__all__ = ["PLATFORM", "parse_facebook_response", "parse_facebook_webhook"]

# Conversations are "t_<token>"; messages "m_<token>" (mid tokens are base64-like and long).
_CONVERSATION_ID = re.compile(r"t_[A-Za-z0-9_.:-]{1,200}")
_MESSAGE_ID = re.compile(r"m_[A-Za-z0-9_.$:+/=-]{1,300}")

# Nested comments deeper than this are refused: Facebook shows two levels (characters).
_MAX_COMMENT_DEPTH = 20


@dataclass(frozen=True, slots=True)
class _Place:
    """Where the walk found an item: its thread, and the item it hangs under (None: top)."""

    thread_id: str | None
    parent_id: str | None
    parent_author: str | None


def parse_facebook_response(response: object, district_id: str) -> ParseResult:
    """Posts from one Graph API response: feed, post, conversations, or a webhook delivery."""
    return guard_response(_parse_response, response, district_id)


def _parse_response(response: object, district_id: str) -> ParseResult:
    if not isinstance(response, dict):
        return refuse_response(
            response, f"not a Graph API response: expected a JSON object, got {json_type(response)}"
        )
    if response.get("object") == "page" and "entry" in response:
        return parse_webhook(response, district_id)
    if "error" in response:
        return refuse_response(response, f"Graph API error response: {error_summary(response)}")
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
            if isinstance(post_id, str) and OBJECT_ID.fullmatch(post_id):
                yield from _comments(item, post_id, 1)


def _comments(
    parent: Mapping[str, object], thread_id: str, depth: int
) -> Iterator[tuple[object, _Place]]:
    edge = parent.get("comments")
    comments = edge.get("data") if isinstance(edge, dict) else None
    if not isinstance(comments, list):
        return
    parent_id = parent.get("id")
    author = from_id(parent)
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
            item_id, author = item.get("id"), from_id(item)
            if isinstance(item_id, str) and author:
                found[item_id] = author
    return found


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
    post_id = object_id(post, "id", "Facebook post")
    what = f"Facebook post {post_id}"
    created_at = iso_time(post, "created_time", what)
    scheduled = post.get("scheduled_publish_time") is not None or post.get("is_published") is False
    return Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=post_id,
        kind=PostKind.POST,
        author_account_id=author_id(post, what),
        created_at=created_at,
        text=clean_text(post.get("message"), "message", what, markup=False),
        links=_links(post),
        thread_id=post_id,
        mentioned_account_ids=tagged_accounts(post, what),
        visibility=Visibility.PUBLIC,
        url=permalink(post, what),
        scheduled=scheduled,
        raw=raw_json({key: value for key, value in post.items() if key != "comments"}),
    )


def _parse_comment(
    comment: Mapping[str, object], place: _Place, district_id: str, authors: Mapping[str, str]
) -> Post:
    comment_id = object_id(comment, "id", "Facebook comment")
    what = f"Facebook comment {comment_id}"
    assert place.thread_id is not None and place.parent_id is not None
    parent = comment.get("parent")
    parent_id = place.parent_id
    parent_author = place.parent_author
    if parent is not None:
        parent_fields = require_object(parent, f"{what}: parent")
        parent_id = object_id(parent_fields, "id", f"{what}: parent")
        parent_author = from_id(parent_fields) or authors.get(parent_id)
    return Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=comment_id,
        kind=PostKind.COMMENT if parent_id == place.thread_id else PostKind.REPLY,
        author_account_id=author_id(comment, what),
        created_at=iso_time(comment, "created_time", what),
        text=clean_text(comment.get("message"), "message", what, markup=False),
        links=_links(comment),
        thread_id=place.thread_id,
        in_reply_to_post_id=parent_id,
        in_reply_to_account_id=parent_author,
        mentioned_account_ids=tagged_accounts(comment, what),
        visibility=Visibility.PUBLIC,
        url=permalink(comment, what),
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
    sender = author_id(message, what)
    return Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=message_id,
        kind=PostKind.DIRECT_MESSAGE,
        author_account_id=sender,
        created_at=iso_time(message, "created_time", what),
        text=clean_text(message.get("message"), "message", what, markup=False),
        links=_links(message),
        thread_id=conversation_id,
        recipient_account_ids=tuple(
            a for a in account_list(message.get("to"), what) if a != sender
        ),
        visibility=Visibility.PRIVATE,
        raw=raw_json(message),
    )


def _links(item: Mapping[str, object]) -> tuple[str, ...]:
    """The Graph API has no URL entities: a post's shared `link`, and the web addresses
    written in the message (Facebook turns them into links when it shows them)."""
    message = item.get("message")
    written = links_in_text(message[:100_000]) if isinstance(message, str) else ()
    return web_links((item.get("link"), *written))


def _conversation_id(conversation: Mapping[str, object]) -> str:
    conversation_id = optional_str(conversation, "id", "Facebook conversation")
    if conversation_id is None or not _CONVERSATION_ID.fullmatch(conversation_id):
        raise InvalidEvent("Facebook conversation: id missing or not a conversation id")
    return conversation_id
