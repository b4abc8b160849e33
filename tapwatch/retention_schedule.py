"""Retention on a schedule: a purge every N hours, its health on the status board.

`tapwatch posts purge --every-hours N` runs this. A purge that fails (Elasticsearch
down, say) is tried again sooner than the next scheduled round, and the board shows
its error; a run of failures longer than two intervals makes the component overdue,
so `tapwatch status` and the mailer's ops alerts tell IT that retention has stopped.
No I/O here: the purge and the publishing are passed in.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from alerts.es_retention import PurgeReport
from tapwatch.component_status import ComponentStatus, new_status

log = logging.getLogger(__name__)

# The component's id and kind on the status board.
COMPONENT = "retention"
KIND = "retention"
# After a failed round, the next attempt comes this much sooner than a full interval (s).
RETRY_AFTER_FAILURE_S = 600.0
# Overdue after two missed rounds, and an hour's slack for a long purge (s).
OVERDUE_SLACK_S = 3600.0


def overdue_after_s(interval_s: float) -> float:
    return 2 * interval_s + OVERDUE_SLACK_S


def round_status(
    status: ComponentStatus, now: datetime, report: PurgeReport | None, error: str | None
) -> ComponentStatus:
    """The status after one round: its counts on success, its error on failure."""
    if report is None:
        return status.failed(now, error or "purge failed")
    return status.succeeded(
        now,
        deleted=len(report.deleted),
        kept_for_alerts=report.kept_for_alerts,
        kept_changed=len(report.skipped_changed),
        cutoff=report.cutoff.isoformat(),
    )


def run_schedule(
    purge_once: Callable[[], PurgeReport],
    publish: Callable[[ComponentStatus], None],
    interval_s: float,
    stop: threading.Event,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ComponentStatus:
    """Purge, publish, wait; until `stop` is set. Returns the last status.

    A failed purge or publish never ends the schedule: the purge's error goes on the
    board, the publish's to the log (the board lives in Kafka, which may be the
    trouble).
    """
    status = new_status(COMPONENT, KIND, clock(), max_interval_s=overdue_after_s(interval_s))
    while not stop.is_set():
        report: PurgeReport | None = None
        error: str | None = None
        try:
            report = purge_once()
        except Exception as exc:  # a purge failure is shown and retried, never fatal
            error = f"{type(exc).__name__}: {exc}"
            log.warning("retention.failed error=%s", error[:300])
        status = round_status(status, clock(), report, error)
        if report is not None:
            log.info(
                "retention.done deleted=%d kept_for_alerts=%d cutoff=%s",
                len(report.deleted),
                report.kept_for_alerts,
                report.cutoff.isoformat(),
            )
        try:
            publish(status)
        except Exception as exc:  # the status board is best effort; the purge is done
            log.warning("retention.status_not_published error=%s", str(exc)[:300])
        stop.wait(interval_s if report is not None else min(interval_s, RETRY_AFTER_FAILURE_S))
    return status
