"""`tapwatch posts purge`: delete posts past retention that no alert or legal hold keeps.

Once, or every N hours (`--every-hours`) until SIGTERM, with its health on the status
board (`tapwatch/retention_schedule.py`).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable

from elasticsearch import ApiError, Elasticsearch, TransportError

from alerts.es_retention import PurgeReport, purge_posts
from alerts.retention import RetentionPolicy
from alerts.retention_schedule import log as schedule_log
from alerts.retention_schedule import run_schedule
from core.clock import Clock, SystemClock
from core.errors import TransientError
from core.kafka_admin import ensure_topics
from core.kafka_status_board import StatusBoardWriter
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings
from tapwatch.console import connecting
from tapwatch.exit_codes import ExitCode
from tapwatch.user_errors import CliError, UsageError

# The environment variable that sets the retention when --older-than-days is not given (days).
RETENTION_ENV = "TAPWATCH_POSTS_RETENTION_DAYS"


def retention_days(option: int | None) -> int | None:
    """--older-than-days, else TAPWATCH_POSTS_RETENTION_DAYS, else None (no retention)."""
    if option is not None:
        return option
    configured = os.environ.get(RETENTION_ENV, "").strip()
    return int(configured) if configured else None


def _policy(older_than_days: int | None) -> RetentionPolicy:
    """The retention policy; CliError (usage, or configuration for the variable) if none."""
    try:
        days = retention_days(older_than_days)
    except ValueError as exc:
        raise CliError(ExitCode.CONFIG, f"{RETENTION_ENV}: {exc}") from exc
    if days is None:
        raise UsageError(f"give --older-than-days or set {RETENTION_ENV}")
    try:
        return RetentionPolicy(days)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _purge_once(
    policy: RetentionPolicy,
    dry_run: bool,
    on_delete: Callable[[str], None] | None,
    clock: Clock,
) -> PurgeReport:
    names = PipelineNames.from_env()
    client = Elasticsearch(**ElasticsearchSettings().client_options())  # type: ignore[arg-type]
    try:
        return purge_posts(
            client,
            names.posts_pattern,
            names.alerts_pattern,
            policy,
            clock.now(),
            dry_run=dry_run,
            on_delete=on_delete,
        )
    finally:
        client.close()


def purge_command(older_than_days: int | None, dry_run: bool, every_hours: float | None) -> int:
    policy = _policy(older_than_days)
    clock = SystemClock()
    if every_hours is not None:
        if dry_run:
            raise UsageError("--dry-run lists one purge; it does not repeat")
        return _purge_on_schedule(policy, every_hours, clock)
    verb = "would delete" if dry_run else "deleted"
    try:
        report = _purge_once(policy, dry_run, lambda doc_id: print(f"{verb} {doc_id}"), clock)
    except (ApiError, TransportError) as exc:
        print(f"error: Elasticsearch: {str(exc)[:300]}", file=sys.stderr)
        return ExitCode.UNAVAILABLE
    for doc_id in report.skipped_changed:
        print(f"kept {doc_id} (changed while purging, e.g. a legal hold)")
    print(
        f"{verb} {len(report.deleted)} post document(s) older than "
        f"{report.cutoff.isoformat()}; kept {report.kept_for_alerts} that belong to an alert"
    )
    return 0


def _purge_on_schedule(policy: RetentionPolicy, every_hours: float, clock: Clock) -> int:
    """Purge every `every_hours` hours until SIGTERM/SIGINT (exit 0); 69 when Kafka (the
    status board) cannot be reached at the start. Each round logs its counts, not the
    deleted ids, and publishes the `retention` status. A round under way when the stop
    comes is finished first."""
    if every_hours <= 0:
        raise UsageError("--every-hours must be positive")
    schedule_log.setLevel(logging.INFO)  # a line per round (the CLI's root is at WARNING)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    kafka, names = KafkaSettings(), PipelineNames.from_env()
    try:
        with connecting("Kafka", kafka.bootstrap):
            ensure_topics(kafka, names)
            board = StatusBoardWriter(kafka, names)
    except TransientError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.UNAVAILABLE
    try:
        run_schedule(
            lambda: _purge_once(policy, False, None, clock),
            board.publish,
            every_hours * 3600,
            stop,
            clock,
        )
    finally:
        board.close()
    return 0
