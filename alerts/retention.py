"""Which posts retention may delete: old, not under legal hold, and part of no alert.

Pure: the candidate query and the protection check. Retention itself runs in
alerts/es_retention.py, without `_delete_by_query` (the cluster may not offer it): it
reads candidates over a point in time, asks the alerts index which of their threads
and posts belong to an alert, and deletes the rest by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

# Fields of a post document that retention needs.
POST_FIELDS = ("district_id", "platform", "post_id", "thread_id", "doc_kind")


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """Posts older than `older_than_days` (by `created_at`; a deletion mark by
    `last_seen_at`) are deleted unless held or part of an alert."""

    older_than_days: int

    def __post_init__(self) -> None:
        if self.older_than_days < 1:
            raise ValueError("retention must keep posts at least 1 day")

    def cutoff(self, now: datetime) -> datetime:
        return now.astimezone(UTC) - timedelta(days=self.older_than_days)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def candidate_query(cutoff: datetime) -> dict[str, Any]:
    """Post versions made before the cutoff and deletion marks last seen before it, unheld."""
    before = {"lt": _iso(cutoff)}
    return {
        "bool": {
            "should": [
                {"range": {"created_at": before}},
                {
                    "bool": {
                        "filter": [{"term": {"deleted": True}}],
                        "must_not": [{"exists": {"field": "created_at"}}],
                        "must": [{"range": {"last_seen_at": before}}],
                    }
                },
            ],
            "minimum_should_match": 1,
            "must_not": [{"term": {"legal_hold": True}}],
        }
    }


def thread_key(doc: Mapping[str, Any]) -> tuple[str, str, str]:
    return (str(doc.get("district_id")), str(doc.get("platform")), str(doc.get("thread_id")))


def post_key(doc: Mapping[str, Any]) -> tuple[str, str, str]:
    return (str(doc.get("district_id")), str(doc.get("platform")), str(doc.get("post_id")))


def alerts_touching_query(posts: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Alerts whose thread or post is among these posts' (district and platform are
    checked afterwards by `protected_keys`, to keep the query small)."""
    docs = list(posts)
    threads = sorted({str(doc.get("thread_id")) for doc in docs})
    post_ids = sorted({str(doc.get("post_id")) for doc in docs})
    return {
        "bool": {
            "should": [
                {"terms": {"thread_id": threads}},
                {"terms": {"post_id": post_ids}},
            ],
            "minimum_should_match": 1,
        }
    }


@dataclass(frozen=True, slots=True)
class Protected:
    """Threads and posts that some alert (any status, held or not) refers to."""

    threads: frozenset[tuple[str, str, str]]
    posts: frozenset[tuple[str, str, str]]

    def covers(self, doc: Mapping[str, Any]) -> bool:
        return thread_key(doc) in self.threads or post_key(doc) in self.posts


def protected_keys(alerts: Iterable[Mapping[str, Any]]) -> Protected:
    threads: set[tuple[str, str, str]] = set()
    posts: set[tuple[str, str, str]] = set()
    for alert in alerts:
        posts.add(post_key(alert))
        if alert.get("thread_id"):
            threads.add(thread_key(alert))
    return Protected(frozenset(threads), frozenset(posts))
