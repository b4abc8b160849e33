"""Facebook page webhook deliveries (`object: page`, feed changes) into posts."""

from __future__ import annotations

from ingest.facebook_fields import PLATFORM, author_id, object_id
from ingest.fields import (
    clean_text,
    epoch_time,
    guard_response,
    merge,
    parse_with_context,
    with_edit,
)
from ingest.parser import ParseResult, optional_str, raw_json, refuse_response, require_object
from ingest.post import Post, PostKind, Visibility

# Webhook feed items that are reactions, not writing.
_REACTION_ITEMS = frozenset({"reaction", "like"})
_WRITING_VERBS = frozenset({"add", "edited"})


def parse_facebook_webhook(payload: object, district_id: str) -> ParseResult:
    """Posts from one page webhook delivery (`object: page`, `entry[].changes[]`).

    Only `feed` changes that add or edit a post, status or comment become posts;
    removals, hides, reactions and other fields are skipped (and counted). An
    `edited` change carries the delivery time as the edit time. The signature of the
    delivery is checked by the receiver before this is called.
    """
    return guard_response(parse_webhook, payload, district_id)


def parse_webhook(payload: object, district_id: str) -> ParseResult:
    """The delivery's posts, without the guard (the response parser calls it guarded)."""
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
    post_id = object_id(value, "post_id", "Facebook webhook feed change")
    if item == "comment":
        comment_id = object_id(value, "comment_id", f"Facebook webhook comment on {post_id}")
        what = f"Facebook webhook comment {comment_id}"
        parent_id = object_id(value, "parent_id", what) if value.get("parent_id") else post_id
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
        author_account_id=author_id(value, what),
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
