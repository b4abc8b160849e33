"""`tapwatch posts purge`: delete posts past retention that no alert or legal hold keeps."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime

from elasticsearch import ApiError, Elasticsearch, TransportError

from alerts.es_retention import purge_posts
from alerts.retention import RetentionPolicy
from streams.topics import PipelineNames
from tapwatch.settings import ElasticsearchSettings

# The environment variable that sets the retention when --older-than-days is not given (days).
RETENTION_ENV = "TAPWATCH_POSTS_RETENTION_DAYS"


def retention_days(option: int | None) -> int | None:
    """--older-than-days, else TAPWATCH_POSTS_RETENTION_DAYS, else None (no retention)."""
    if option is not None:
        return option
    configured = os.environ.get(RETENTION_ENV, "").strip()
    return int(configured) if configured else None


def purge_command(older_than_days: int | None, dry_run: bool) -> int:
    try:
        days = retention_days(older_than_days)
        if days is None:
            print(f"error: give --older-than-days or set {RETENTION_ENV}", file=sys.stderr)
            return 1
        policy = RetentionPolicy(days)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    names = PipelineNames.from_env()
    client = Elasticsearch(**ElasticsearchSettings().client_options())  # type: ignore[arg-type]
    verb = "would delete" if dry_run else "deleted"
    try:
        report = purge_posts(
            client,
            f"{names.posts_index}*",
            f"{names.alerts_index}*",
            policy,
            datetime.now(UTC),
            dry_run=dry_run,
            on_delete=lambda doc_id: print(f"{verb} {doc_id}"),
        )
    except (ApiError, TransportError) as exc:
        print(f"error: Elasticsearch: {str(exc)[:300]}", file=sys.stderr)
        return 2
    finally:
        client.close()
    for doc_id in report.skipped_changed:
        print(f"kept {doc_id} (changed while purging, e.g. a legal hold)")
    print(
        f"{verb} {len(report.deleted)} post document(s) older than "
        f"{report.cutoff.isoformat()}; kept {report.kept_for_alerts} that belong to an alert"
    )
    return 0
