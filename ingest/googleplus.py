"""Archived Google+ API v1 activities and comments into posts.

Google+ closed in 2019; districts kept what the API returned. Accepted shapes, each
one decoded response:
- an activity feed (`kind: plus#activityFeed`, `items`: activities) or one
  activity (`kind: plus#activity`): `id, published, updated, url, verb, actor{id,
  displayName}, object{content (HTML), replies{totalItems}}, access{items[{type}]}`;
- a comment feed (`kind: plus#commentFeed`, `items`: comments) or one comment
  (`kind: plus#comment`): `id, published, updated, actor{id}, object{content},
  inReplyTo[{id, url}]`;
- a plain JSON list of activities and comments (an archive's concatenated items).

Ids are Google's. An activity is its own thread; a comment's thread is the activity it
answers (`inReplyTo[0].id`, else the part of its id before `#`). Mentions are the
`oid` attributes of the `+Name` profile links in the content. An activity is public
when its `access` names `public` (or has no `access`: the API returned public
activities only), private otherwise. `updated` later than `published` is the edit time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ingest.errors import InvalidEvent
from ingest.fields import (
    clean_text,
    guard_response,
    iso_time,
    optional_iso_time,
    parse_with_context,
    with_edit,
)
from ingest.links import html_links
from ingest.parser import (
    ParseResult,
    json_type,
    optional_list,
    optional_str,
    raw_json,
    refuse_response,
    require_object,
    require_str,
)
from ingest.post import Post, PostKind, Visibility

PLATFORM = "googleplus"

_ACTIVITY = "plus#activity"
_COMMENT = "plus#comment"
_FEEDS = frozenset({"plus#activityFeed", "plus#commentFeed"})

# Google+ object ids are URL-safe tokens; a comment's is "<activity id>#<number>".
_OBJECT_ID = re.compile(r"[A-Za-z0-9_.\-]{1,200}(#[A-Za-z0-9_.\-]{1,100})?")
# Profile ids are 21-digit numbers.
_PROFILE_ID = re.compile(r"[0-9]{1,40}")
# A +mention in content: <a ... oid="<profile id>" ...>.
_MENTION_OID = re.compile(r"""\boid\s*=\s*["']?([0-9]{1,40})""")


def parse_googleplus_response(response: object, district_id: str) -> ParseResult:
    """Posts from one archived Google+ response: a feed, one activity or comment, or a list."""
    return guard_response(_parse_response, response, district_id)


def _parse_response(response: object, district_id: str) -> ParseResult:
    if isinstance(response, list):
        items: list[object] = response
    elif isinstance(response, dict):
        kind = response.get("kind")
        kind = kind if isinstance(kind, str) else None
        if kind in _FEEDS:
            found = response.get("items", [])
            if not isinstance(found, list):
                return refuse_response(
                    response, f"Google+ feed 'items' must be a list, got {json_type(found)}"
                )
            items = found
        elif kind in (_ACTIVITY, _COMMENT):
            items = [response]
        elif "error" in response:
            return refuse_response(response, "Google+ API error response")
        else:
            return refuse_response(
                response, "not a Google+ API response: 'kind' is not a plus# feed or item"
            )
    else:
        return refuse_response(
            response,
            f"not a Google+ API response: expected an object or a list, got {json_type(response)}",
        )
    authors = _authors(items)
    return parse_with_context(
        ((item, None) for item in items), lambda item, _: _parse_item(item, district_id, authors)
    )


def _authors(items: list[object]) -> dict[str, str]:
    """Actor ids by activity id: whom a comment in the same response answers."""
    found: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict) and item.get("kind") == _ACTIVITY:
            item_id, actor = item.get("id"), item.get("actor")
            actor_id = actor.get("id") if isinstance(actor, dict) else None
            if isinstance(item_id, str) and isinstance(actor_id, str):
                found[item_id] = actor_id
    return found


def _parse_item(item: object, district_id: str, authors: Mapping[str, str]) -> Post:
    fields = require_object(item, "Google+ item")
    kind = fields.get("kind")
    if kind == _ACTIVITY:
        return _parse_activity(fields, district_id)
    if kind == _COMMENT:
        return _parse_comment(fields, district_id, authors)
    shown = kind[:40] if isinstance(kind, str) else json_type(kind)
    raise InvalidEvent(f"Google+ item: kind {shown!r} is neither an activity nor a comment")


def _parse_activity(activity: Mapping[str, object], district_id: str) -> Post:
    activity_id = _object_id(activity, "id", "Google+ activity")
    what = f"Google+ activity {activity_id}"
    content = _content(activity, what)
    post = Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=activity_id,
        kind=PostKind.POST,
        author_account_id=_actor(activity, what),
        created_at=iso_time(activity, "published", what),
        text=clean_text(content, "object.content", what, markup=True),
        thread_id=activity_id,
        mentioned_account_ids=_mentions(content),
        links=html_links(content),
        visibility=_visibility(activity, what),
        url=_url(activity, "url", what),
        raw=raw_json(activity),
    )
    return with_edit(post, optional_iso_time(activity, "updated", what))


def _parse_comment(
    comment: Mapping[str, object], district_id: str, authors: Mapping[str, str]
) -> Post:
    comment_id = _object_id(comment, "id", "Google+ comment")
    what = f"Google+ comment {comment_id}"
    activity_id, activity_url = _in_reply_to(comment, comment_id, what)
    content = _content(comment, what)
    post = Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=comment_id,
        kind=PostKind.COMMENT,
        author_account_id=_actor(comment, what),
        created_at=iso_time(comment, "published", what),
        text=clean_text(content, "object.content", what, markup=True),
        thread_id=activity_id,
        in_reply_to_post_id=activity_id,
        in_reply_to_account_id=authors.get(activity_id),
        mentioned_account_ids=_mentions(content),
        links=html_links(content),
        visibility=Visibility.PUBLIC,
        url=activity_url,
        raw=raw_json(comment),
    )
    return with_edit(post, optional_iso_time(comment, "updated", what))


def _in_reply_to(
    comment: Mapping[str, object], comment_id: str, what: str
) -> tuple[str, str | None]:
    """The answered activity's id and url: inReplyTo[0], else the comment id's prefix."""
    targets = optional_list(comment, "inReplyTo", what)
    if targets:
        target = require_object(targets[0], f"{what}: inReplyTo item")
        return _object_id(target, "id", f"{what}: inReplyTo"), _url(target, "url", what)
    if "#" in comment_id:
        return comment_id.split("#", 1)[0], None
    raise InvalidEvent(f"{what}: inReplyTo missing")


def _actor(item: Mapping[str, object], what: str) -> str:
    actor = item.get("actor")
    if actor is None:
        raise InvalidEvent(f"{what}: actor missing")
    actor_id = require_str(require_object(actor, f"{what}: actor"), "id", f"{what}: actor")
    if not _PROFILE_ID.fullmatch(actor_id):
        raise InvalidEvent(f"{what}: actor id is not a profile id: {actor_id[:40]!r}")
    return actor_id


def _content(item: Mapping[str, object], what: str) -> str:
    body = item.get("object")
    if body is None:
        raise InvalidEvent(f"{what}: object missing")
    fields = require_object(body, f"{what}: object")
    content = optional_str(fields, "content", f"{what}: object")
    if content is None:
        content = optional_str(fields, "originalContent", f"{what}: object") or ""
    return content


def _mentions(content: str) -> tuple[str, ...]:
    # Only the first part of a huge text is searched; clean_text refuses those anyway.
    return tuple(dict.fromkeys(_MENTION_OID.findall(content[:400_000])))


def _visibility(activity: Mapping[str, object], what: str) -> Visibility:
    access = activity.get("access")
    if access is None:
        return Visibility.PUBLIC
    fields = require_object(access, f"{what}: access")
    types = {
        entry.get("type")
        for entry in optional_list(fields, "items", f"{what}: access")
        if isinstance(entry, dict) and isinstance(entry.get("type"), str)
    }
    return Visibility.PUBLIC if "public" in types or not types else Visibility.PRIVATE


def _object_id(item: Mapping[str, object], key: str, what: str) -> str:
    value = require_str(item, key, what)
    if not _OBJECT_ID.fullmatch(value):
        raise InvalidEvent(f"{what}: {key} is not a Google+ id: {value[:40]!r}")
    return value


def _url(item: Mapping[str, object], key: str, what: str) -> str | None:
    url = optional_str(item, key, what)
    return url if url and url.startswith("https://") and len(url) <= 2000 else None
