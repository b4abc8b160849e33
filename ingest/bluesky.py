"""Bluesky (AT Protocol AppView) feed and thread responses into posts.

Bluesky is not an approved platform in the sample district; its posts are read so that
staff-student exchanges there are raised as `unapproved_venue`. Accepted shapes, each
one decoded response:
- `app.bsky.feed.getAuthorFeed` (and other feeds): `{"feed": [{post, reply{root,
  parent}, reason}], "cursor"}`; the `reply.root`/`reply.parent` post views are posts
  too (the student's post a teacher answered is part of the exchange);
- `app.bsky.feed.getPostThread`: `{"thread": threadViewPost}`, walked up through
  `parent` and down through `replies`;
- `app.bsky.feed.getPosts` / `searchPosts`: `{"posts": [post view, ...]}`.
`notFoundPost`, `blockedPost` and other non-post views are skipped (counted). A post
that appears twice in one response (a parent that is also in the feed) yields once.

Ids: a post is its `at://` URI, an account its DID (`author.did`), as in accounts.csv.
A post's thread is its reply root's URI (its own for a top-level post). A reply
answers `record.reply.parent`; the parent's author is the DID of the parent view
when the response has it, else the authority of the parent URI when that is a DID.
Mentions are the DIDs of `app.bsky.richtext.facet#mention` facets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from ingest.errors import InvalidEvent
from ingest.fields import clean_text, guard_response, iso_time, parse_with_context
from ingest.links import web_links
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

PLATFORM = "bluesky"

_POST_RECORD = "app.bsky.feed.post"
_MENTION = "app.bsky.richtext.facet#mention"
_LINK = "app.bsky.richtext.facet#link"
_THREAD_VIEW = "app.bsky.feed.defs#threadViewPost"
_POST_VIEW = "app.bsky.feed.defs#postView"

_DID = re.compile(r"did:[a-z]{1,20}:[A-Za-z0-9._:%-]{1,2000}")
_POST_URI = re.compile(
    r"at://(did:[a-z]{1,20}:[A-Za-z0-9._:%-]{1,2000})/app\.bsky\.feed\.post/[A-Za-z0-9._~:-]{1,512}"
)
_HANDLE = re.compile(r"[A-Za-z0-9.-]{1,253}")

# Thread views nest one level per reply; past this depth the rest is refused (levels).
_MAX_THREAD_DEPTH = 200


def parse_bluesky_response(response: object, district_id: str) -> ParseResult:
    """Posts from one AppView response: an author feed, a post thread, or a list of posts."""
    return guard_response(_parse_response, response, district_id)


def _parse_response(response: object, district_id: str) -> ParseResult:
    if not isinstance(response, dict):
        return refuse_response(
            response, f"not an AppView response: expected a JSON object, got {json_type(response)}"
        )
    if "feed" in response:
        feed = response.get("feed")
        if not isinstance(feed, list):
            return refuse_response(
                response, f"AppView 'feed' must be a list, got {json_type(feed)}"
            )
        views = list(_feed_views(feed))
    elif "thread" in response:
        views = list(_thread_views(response.get("thread"), 0, up=True, down=True))
    elif "posts" in response:
        posts = response.get("posts")
        if not isinstance(posts, list):
            return refuse_response(
                response, f"AppView 'posts' must be a list, got {json_type(posts)}"
            )
        views = posts
    elif "error" in response:
        message = response.get("message")
        detail = message if isinstance(message, str) else "no detail"
        return refuse_response(response, f"AppView error response: {detail}")
    else:
        return refuse_response(response, "not an AppView response: no 'feed', 'thread' or 'posts'")
    authors = _authors(views)
    seen: set[str] = set()
    return parse_with_context(
        ((view, None) for view in views),
        lambda view, _: _parse_view(view, district_id, authors, seen),
    )


def _feed_views(feed: list[object]) -> Iterator[object]:
    """The post views of a feed: each item's reply root and parent, then its post."""
    for item in feed:
        if not isinstance(item, dict):
            yield item
            continue
        reply = item.get("reply")
        if isinstance(reply, dict):
            for key in ("root", "parent"):
                if isinstance(reply.get(key), dict):
                    yield reply[key]
        yield item.get("post", item)


def _thread_views(node: object, depth: int, *, up: bool, down: bool) -> Iterator[object]:
    """The posts of a thread view, parents first (oldest at the top), then replies."""
    if not isinstance(node, dict) or node.get("$type", _THREAD_VIEW) != _THREAD_VIEW:
        yield node  # not found, blocked, or garbage: the item parser decides
        return
    if depth >= _MAX_THREAD_DEPTH:
        yield {"$type": "tapwatch#tooDeep"}
        return
    parent = node.get("parent")
    if up and parent is not None:
        yield from _thread_views(parent, depth + 1, up=True, down=False)
    yield node.get("post")
    replies = node.get("replies")
    if down and isinstance(replies, list):
        for reply in replies:
            yield from _thread_views(reply, depth + 1, up=False, down=True)


def _authors(views: list[object]) -> dict[str, str]:
    """Author DIDs by post URI, for whom a reply answers."""
    found: dict[str, str] = {}
    for view in views:
        if isinstance(view, dict):
            uri, author = view.get("uri"), view.get("author")
            did = author.get("did") if isinstance(author, dict) else None
            if isinstance(uri, str) and isinstance(did, str) and _DID.fullmatch(did):
                found[uri] = did
    return found


def _parse_view(
    view: object, district_id: str, authors: Mapping[str, str], seen: set[str]
) -> Post | None:
    fields = require_object(view, "Bluesky post view")
    kind = fields.get("$type")
    if kind == "tapwatch#tooDeep":
        raise InvalidEvent(f"Bluesky thread is nested deeper than {_MAX_THREAD_DEPTH} levels")
    if kind not in (None, _POST_VIEW) or fields.get("notFound") or fields.get("blocked"):
        return None  # notFoundPost, blockedPost, or another view without a post
    uri = _post_uri(require_str(fields, "uri", "Bluesky post"), "uri", "Bluesky post")
    if uri in seen:
        return None
    what = f"Bluesky post {uri}"
    author = require_object(fields.get("author"), f"{what}: author")
    did = _did(require_str(author, "did", f"{what}: author"), f"{what}: author")
    record = require_object(fields.get("record"), f"{what}: record")
    record_type = optional_str(record, "$type", f"{what}: record")
    if record_type not in (None, _POST_RECORD):
        raise InvalidEvent(f"{what}: record $type is not {_POST_RECORD}")
    root, parent = _reply_refs(record, what)
    post = Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=uri,
        kind=PostKind.REPLY if parent else PostKind.POST,
        author_account_id=did,
        created_at=iso_time(record, "createdAt", what),
        text=clean_text(record.get("text"), "text", what, markup=False),
        thread_id=root or uri,
        in_reply_to_post_id=parent,
        in_reply_to_account_id=_parent_author(parent, authors),
        mentioned_account_ids=_mentions(record, what),
        links=_links(record, what),
        visibility=Visibility.PUBLIC,
        url=_web_url(uri, did, author),
        raw=raw_json(fields),
    )
    seen.add(uri)
    return post


def _reply_refs(record: Mapping[str, object], what: str) -> tuple[str | None, str | None]:
    reply = record.get("reply")
    if reply is None:
        return None, None
    refs = require_object(reply, f"{what}: record.reply")
    found = []
    for key in ("root", "parent"):
        ref = require_object(refs.get(key), f"{what}: record.reply.{key}")
        found.append(_post_uri(require_str(ref, "uri", f"{what}: reply.{key}"), key, what))
    return found[0], found[1]


def _parent_author(parent: str | None, authors: Mapping[str, str]) -> str | None:
    if parent is None:
        return None
    if parent in authors:
        return authors[parent]
    match = _POST_URI.fullmatch(parent)
    return match.group(1) if match else None


def _mentions(record: Mapping[str, object], what: str) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for facet in optional_list(record, "facets", what):
        fields = require_object(facet, f"{what}: facet")
        for feature in optional_list(fields, "features", f"{what}: facet"):
            feature_fields = require_object(feature, f"{what}: facet feature")
            if feature_fields.get("$type") == _MENTION:
                mention = require_str(feature_fields, "did", f"{what}: mention")
                found[_did(mention, f"{what}: mention")] = None
    return tuple(found)


def _links(record: Mapping[str, object], what: str) -> tuple[str, ...]:
    """The `uri` of each `#link` facet, and of an `external` embed (a link card)."""
    found: list[object] = []
    for facet in optional_list(record, "facets", what):
        fields = require_object(facet, f"{what}: facet")
        for feature in optional_list(fields, "features", f"{what}: facet"):
            feature_fields = require_object(feature, f"{what}: facet feature")
            if feature_fields.get("$type") == _LINK:
                found.append(feature_fields.get("uri"))
    embed = record.get("embed")
    if isinstance(embed, Mapping) and isinstance(embed.get("external"), Mapping):
        found.append(embed["external"].get("uri"))
    return web_links(found)


def _post_uri(value: str, key: str, what: str) -> str:
    if not _POST_URI.fullmatch(value):
        raise InvalidEvent(f"{what}: {key} is not an at:// post URI: {value[:60]!r}")
    return value


def _did(value: str, what: str) -> str:
    if not _DID.fullmatch(value):
        raise InvalidEvent(f"{what}: did is not a DID: {value[:60]!r}")
    return value


def _web_url(uri: str, did: str, author: Mapping[str, object]) -> str:
    handle = author.get("handle")
    profile = handle if isinstance(handle, str) and _HANDLE.fullmatch(handle) else did
    return f"https://bsky.app/profile/{profile}/post/{uri.rsplit('/', 1)[1]}"
