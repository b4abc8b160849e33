"""Documents of the posts index: one per post version, one deletion mark per deleted post.

A post's versions are `{district}:{platform}:{post_id}:{version}` (an edit is a new
version, `Post.version`); every version is kept. A post that disappeared from its
platform gets one more document, `{district}:{platform}:{post_id}:deleted`, with
`deleted: true`, `last_seen_at` and `noticed_at`. A separate mark rather than partial
updates of the versions: it needs no read before the write, it is create-once like
the versions (a replay changes nothing), and it holds even when the deletion is
indexed before the versions it marks (they travel on different topics).

Pure: no Elasticsearch here (alerts/es_create_once.py writes them).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ingest.post import Post, post_to_dict
from ingest.post_deletion import PostDeletion

VERSION_DOC = "version"
DELETION_DOC = "deletion"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def post_key(district_id: str, platform: str, post_id: str) -> str:
    return f"{district_id}:{platform}:{post_id}"


def post_doc_id(post: Post) -> str:
    return f"{post_key(post.district_id, post.platform, post.post_id)}:{post.version}"


def deletion_doc_id(deletion: PostDeletion) -> str:
    return f"{post_key(deletion.district_id, deletion.platform, deletion.post_id)}:deleted"


def post_document(post: Post, indexed_at: datetime) -> dict[str, Any]:
    """The indexed form of one post version: the normalized post, its version, when indexed."""
    document = post_to_dict(post)
    document.update(
        {
            "doc_kind": VERSION_DOC,
            "version": post.version,
            "indexed_at": _iso(indexed_at),
            "legal_hold": False,
        }
    )
    return document


def deletion_document(deletion: PostDeletion) -> dict[str, Any]:
    return {
        "doc_kind": DELETION_DOC,
        "district_id": deletion.district_id,
        "platform": deletion.platform,
        "post_id": deletion.post_id,
        "thread_id": deletion.thread_id,
        "deleted": True,
        "last_seen_at": _iso(deletion.last_seen_at),
        "noticed_at": _iso(deletion.noticed_at),
        "legal_hold": False,
    }
