"""The posts index: every normalized post (each version) and deletion marks, `tapwatch-posts*`."""

from __future__ import annotations

from typing import Any

from alerts.composable_template import ComposableTemplate

POSTS_INDEX_PATTERN = "tapwatch-posts*"
POSTS_TEMPLATE_NAME = "tapwatch-posts"

POST_MAPPINGS: dict[str, Any] = {
    # Fields a later post schema adds are kept in _source but not indexed until mapped here.
    "dynamic": "false",
    "properties": {
        "doc_kind": {"type": "keyword"},  # "version" or "deletion"
        "district_id": {"type": "keyword"},
        "platform": {"type": "keyword"},
        "post_id": {"type": "keyword"},
        "version": {"type": "keyword"},
        "thread_id": {"type": "keyword"},
        "kind": {"type": "keyword"},
        "author_account_id": {"type": "keyword"},
        "in_reply_to_post_id": {"type": "keyword"},
        "in_reply_to_account_id": {"type": "keyword"},
        "mentioned_account_ids": {"type": "keyword"},
        "recipient_account_ids": {"type": "keyword"},
        "visibility": {"type": "keyword"},
        "scheduled": {"type": "boolean"},
        "text": {"type": "text"},
        "created_at": {"type": "date"},
        "edited_at": {"type": "date"},
        "indexed_at": {"type": "date"},
        "url": {"type": "keyword", "index": False, "doc_values": False},
        # The pages the post links to (Post.links): searchable, for site reviews.
        "links": {"type": "keyword", "ignore_above": 2048},
        # The platform's JSON verbatim: kept for records requests, never searched.
        "raw": {"type": "keyword", "index": False, "doc_values": False},
        "schema_version": {"type": "integer"},
        "deleted": {"type": "boolean"},
        "last_seen_at": {"type": "date"},
        "noticed_at": {"type": "date"},
        # Set on a held alert's thread (tapwatch incidents hold): retention skips it.
        "legal_hold": {"type": "boolean"},
    },
}


POSTS_TEMPLATE = ComposableTemplate(
    name=POSTS_TEMPLATE_NAME,
    pattern=POSTS_INDEX_PATTERN,
    mappings=POST_MAPPINGS,
    description="tapwatch: every normalized post version and deletion mark",
)
