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
from datetime import datetime

from alerts.es_retention import PurgeReport
from core.clock import Clock
from core.component_status import ComponentStatus, new_status

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
    status: ComponentStatus, now: datetime, outcome: PurgeReport | str
) -> ComponentStatus:
    """The status after one round: its counts on success, its error (a str) on failure."""
    if isinstance(outcome, str):
        return status.failed(now, outcome)
    return status.succeeded(
        now,
        deleted=len(outcome.deleted),
        kept_for_alerts=outcome.kept_for_alerts,
        kept_changed=len(outcome.skipped_changed),
        cutoff=outcome.cutoff.isoformat(),
    )


def run_schedule(
    purge_once: Callable[[], PurgeReport],
    publish: Callable[[ComponentStatus], None],
    interval_s: float,
    stop: threading.Event,
    clock: Clock,
) -> ComponentStatus:
    """Purge, publish, wait; until `stop` is set. Returns the last status.

    A failed purge or publish never ends the schedule: the purge's error goes on the
    board, the publish's to the log (the board lives in Kafka, which may be the
    trouble).
    """
    status = new_status(COMPONENT, KIND, clock.now(), max_interval_s=overdue_after_s(interval_s))
    while not stop.is_set():
        outcome: PurgeReport | str
        wait_s = interval_s
        try:
            outcome = purge_once()
        except Exception as exc:  # a purge failure is shown and retried, never fatal
            outcome = f"{type(exc).__name__}: {exc}"
            wait_s = min(interval_s, RETRY_AFTER_FAILURE_S)
            log.warning("retention.failed error=%s", outcome[:300])
        else:
            log.info(
                "retention.done deleted=%d kept_for_alerts=%d cutoff=%s",
                len(outcome.deleted),
                outcome.kept_for_alerts,
                outcome.cutoff.isoformat(),
            )
        status = round_status(status, clock.now(), outcome)
        try:
            publish(status)
        except Exception as exc:  # the status board is best effort; the purge is done
            log.warning("retention.status_not_published error=%s", str(exc)[:300])
        stop.wait(wait_s)
    return status
