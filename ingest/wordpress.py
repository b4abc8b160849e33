"""WordPress REST API responses (`/wp/v2/posts`, `/wp/v2/comments`) into posts.

Accepted shapes, each one decoded response: a JSON list of posts and/or comments
(what `/wp/v2/posts` and `/wp/v2/comments` return; both kinds may share one file),
or one post or comment object (`/wp/v2/posts/<id>`). A REST error object
(`{"code", "message", "data": {"status"}}`) is refused with its message.

Ids: WordPress numbers posts and comments separately, so a post is `post-<id>` and a
comment `comment-<id>`. A post is its own thread; a comment's thread is
`post-<post>`, and it answers its parent comment (`parent`, a reply) or the post (a
comment). Authors are WordPress user ids (`author`), as in accounts.csv; a guest
commenter (`author` 0) is `guest:<author_name>`. Ids are per site: files from two
blogs must be ingested with accounts of each blog in mind (the ids do not name the site).

Times: `date_gmt` (UTC without an offset). A post's `modified_gmt`, when later, is its
edit time. Status `future` is a scheduled post; drafts, pending and trashed posts are
skipped (not published); comments of any status are kept, since a held comment is
still a student writing to staff. `private` posts are private.
"""

from __future__ import annotations

from collections.abc import Mapping

from ingest.errors import InvalidEvent
from ingest.fields import (
    clean_text,
    guard_response,
    iso_time,
    numeric_id,
    optional_iso_time,
    optional_numeric_id,
    parse_with_context,
    with_edit,
)
from ingest.html_text import strip_control_chars
from ingest.links import html_links
from ingest.parser import (
    ParseResult,
    json_type,
    optional_str,
    raw_json,
    refuse_response,
    require_object,
)
from ingest.post import Post, PostKind, Visibility

PLATFORM = "wordpress"

# Post statuses that are not (yet) published: nothing anyone has read.
_UNPUBLISHED = frozenset({"draft", "pending", "auto-draft", "trash", "inherit"})

# A guest commenter's name is cut to this many characters in the account id.
_MAX_GUEST_NAME_CHARS = 100


def parse_wordpress_response(response: object, district_id: str) -> ParseResult:
    """Posts from one WordPress REST response: a list of posts/comments, or one of them."""
    return guard_response(_parse_response, response, district_id)


def post_key(post_id: str) -> str:
    return f"post-{post_id}"


def comment_key(comment_id: str) -> str:
    return f"comment-{comment_id}"


def _parse_response(response: object, district_id: str) -> ParseResult:
    if isinstance(response, dict):
        if "code" in response and "message" in response and "id" not in response:
            message = response.get("message")
            detail = message if isinstance(message, str) else "no detail"
            return refuse_response(response, f"WordPress REST error: {detail}")
        if "id" not in response:
            return refuse_response(response, "not a WordPress REST response: no 'id'")
        items: list[object] = [response]
    elif isinstance(response, list):
        items = response
    else:
        return refuse_response(
            response,
            "not a WordPress REST response: expected a list or an object, "
            f"got {json_type(response)}",
        )
    authors = _authors(items)
    return parse_with_context(
        ((item, None) for item in items), lambda item, _: _parse_item(item, district_id, authors)
    )


def _is_comment(item: Mapping[str, object]) -> bool:
    kind = item.get("type")
    if isinstance(kind, str) and kind in ("post", "page"):
        return False
    return kind == "comment" or "post" in item


def _authors(items: list[object]) -> dict[str, str]:
    """Author account ids by post/comment key, for what a comment answers."""
    found: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        try:
            key = _key(item)
            found[key] = _author(item, key)
        except InvalidEvent:
            continue
    return found


def _key(item: Mapping[str, object]) -> str:
    if _is_comment(item):
        return comment_key(numeric_id(item, "id", "WordPress comment"))
    return post_key(numeric_id(item, "id", "WordPress post"))


def _parse_item(item: object, district_id: str, authors: Mapping[str, str]) -> Post | None:
    fields = require_object(item, "WordPress item")
    if _is_comment(fields):
        return _parse_comment(fields, district_id, authors)
    return _parse_post(fields, district_id)


def _parse_post(post: Mapping[str, object], district_id: str) -> Post | None:
    key = post_key(numeric_id(post, "id", "WordPress post"))
    what = f"WordPress {key}"
    status = optional_str(post, "status", what)
    if status in _UNPUBLISHED:
        return None
    created_at = iso_time(post, "date_gmt", what, naive_is_utc=True)
    title = clean_text(_rendered(post, "title", what), "title", what, markup=True)
    content = _rendered(post, "content", what)
    body = clean_text(content, "content", what, markup=True)
    result = Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=key,
        kind=PostKind.POST,
        author_account_id=_author(post, what),
        created_at=created_at,
        text="\n".join(part for part in (title, body) if part),
        thread_id=key,
        visibility=Visibility.PRIVATE if status == "private" else Visibility.PUBLIC,
        url=_link(post, what),
        scheduled=status == "future",
        raw=raw_json(post),
        links=html_links(content),
    )
    return with_edit(result, optional_iso_time(post, "modified_gmt", what, naive_is_utc=True))


def _parse_comment(
    comment: Mapping[str, object], district_id: str, authors: Mapping[str, str]
) -> Post:
    key = comment_key(numeric_id(comment, "id", "WordPress comment"))
    what = f"WordPress {key}"
    thread = post_key(numeric_id(comment, "post", what))
    parent_id = optional_numeric_id(comment, "parent", what)
    answers = comment_key(parent_id) if parent_id else thread
    content = _rendered(comment, "content", what)
    return Post(
        district_id=district_id,
        platform=PLATFORM,
        post_id=key,
        kind=PostKind.REPLY if parent_id else PostKind.COMMENT,
        author_account_id=_author(comment, what),
        created_at=iso_time(comment, "date_gmt", what, naive_is_utc=True),
        text=clean_text(content, "content", what, markup=True),
        links=html_links(content),
        thread_id=thread,
        in_reply_to_post_id=answers,
        in_reply_to_account_id=authors.get(answers) or _embedded_author(comment, parent_id),
        visibility=Visibility.PUBLIC,
        url=_link(comment, what),
        raw=raw_json(comment),
    )


def _author(item: Mapping[str, object], what: str) -> str:
    """The WordPress user id; a guest's name when the author is 0."""
    user = optional_numeric_id(item, "author", what)
    if user is not None:
        return user
    name = optional_str(item, "author_name", what)
    name = strip_control_chars(name).strip()[:_MAX_GUEST_NAME_CHARS] if name else None
    if not name:
        raise InvalidEvent(f"{what}: author missing")
    return f"guest:{name}"


def _embedded_author(comment: Mapping[str, object], parent_id: str | None) -> str | None:
    """The answered item's author from `_embedded` (`?_embed`), when the response has it.

    A reply's parent comment is `_embedded["in-reply-to"][0]`, a comment's post
    `_embedded["up"][0]`; only a numeric user id is taken.
    """
    embedded = comment.get("_embedded")
    if not isinstance(embedded, dict):
        return None
    entries = embedded.get("in-reply-to" if parent_id else "up")
    first = entries[0] if isinstance(entries, list) and entries else None
    if not isinstance(first, dict):
        return None
    try:
        return optional_numeric_id(first, "author", "WordPress embedded item")
    except InvalidEvent:
        return None


def _rendered(item: Mapping[str, object], key: str, what: str) -> object:
    """`item[key].rendered`; a plain string is accepted too (context=edit exports `raw`)."""
    value = item.get(key)
    if value is None or isinstance(value, str):
        return value
    fields = require_object(value, f"{what}: {key}")
    return fields.get("rendered", fields.get("raw"))


def _link(item: Mapping[str, object], what: str) -> str | None:
    link = optional_str(item, "link", what)
    if link and link.startswith(("https://", "http://")) and len(link) <= 2000:
        return link
    return None
