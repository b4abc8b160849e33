"""Deletes expired posts from the posts index by id (no `_delete_by_query` needed)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from elasticsearch import Elasticsearch

from alerts.es_scan import scan
from alerts.retention import (
    POST_FIELDS,
    RetentionPolicy,
    alerts_touching_query,
    candidate_query,
    protected_keys,
)


@dataclass(slots=True)
class PurgeReport:
    """What one purge did (or, in a dry run, would do)."""

    cutoff: datetime
    dry_run: bool
    deleted: list[str] = field(default_factory=list)
    kept_for_alerts: int = 0
    # Changed between reading and deleting (a hold set meanwhile): left alone.
    skipped_changed: list[str] = field(default_factory=list)


def purge_posts(
    client: Elasticsearch,
    posts_index: str,
    alerts_index: str,
    policy: RetentionPolicy,
    now: datetime,
    dry_run: bool = False,
    on_delete: Callable[[str], None] | None = None,
) -> PurgeReport:
    """Delete posts past the policy's cutoff that no alert refers to and no hold keeps.

    Each page of candidates is checked against the alerts index just before its
    deletes, and every delete carries the `_seq_no` read with the candidate, so a
    post flagged for a legal hold after it was read is not deleted.
    """
    report = PurgeReport(policy.cutoff(now), dry_run)
    client.indices.refresh(index=alerts_index, ignore_unavailable=True, allow_no_indices=True)
    for page in scan(client, posts_index, candidate_query(report.cutoff), source=POST_FIELDS):
        protected = protected_keys(_alerts_touching(client, alerts_index, page))
        doomed = [hit for hit in page if not protected.covers(hit["_source"])]
        report.kept_for_alerts += len(page) - len(doomed)
        if dry_run:
            for hit in doomed:
                report.deleted.append(str(hit["_id"]))
                if on_delete:
                    on_delete(str(hit["_id"]))
            continue
        for doc_id, deleted in _delete(client, doomed):
            if deleted:
                report.deleted.append(doc_id)
                if on_delete:
                    on_delete(doc_id)
            else:
                report.skipped_changed.append(doc_id)
    return report


def _alerts_touching(
    client: Elasticsearch, alerts_index: str, page: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    touching: list[dict[str, Any]] = []
    for alerts in scan(
        client,
        alerts_index,
        alerts_touching_query(hit["_source"] for hit in page),
        source=["district_id", "platform", "post_id", "thread_id"],
    ):
        touching.extend(hit["_source"] for hit in alerts)
    return touching


def _delete(client: Elasticsearch, hits: list[dict[str, Any]]) -> Iterator[tuple[str, bool]]:
    if not hits:
        return
    operations = [
        {
            "delete": {
                "_index": hit["_index"],
                "_id": hit["_id"],
                "if_seq_no": hit["_seq_no"],
                "if_primary_term": hit["_primary_term"],
            }
        }
        for hit in hits
    ]
    response = client.bulk(operations=operations, refresh=True)
    for item in response["items"]:
        outcome = item["delete"]
        yield str(outcome["_id"]), int(outcome["status"]) in (200, 404)
