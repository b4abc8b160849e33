"""`tapwatch sites check --district DIR [--every-hours H]`: the registered external sites.

Each round checks every site of external_sites.csv (alerts/site_checks.py), prints one
line (or JSON object) per site, and publishes the checker's status to the status board
as component `sites:<district>` (kind `sites`): its last success, its last error, and
its schedule (`details.every_hours`, `details.next_check_at`). With --every-hours the
component is overdue after two missed rounds, and the mailer's watchdog mails IT as for
any other component; a one-off run is never overdue.

A new alert also goes to the alerts topic (alerts/kafka_alert_publisher.py), so the
mailer mails the building's principal as for any other alert.

Exit codes: 0 every site complies; 1 a site fails a check; 69 Elasticsearch or Kafka
unreachable.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path

from elasticsearch import ApiError, Elasticsearch, TransportError

from alerts.kafka_alert_publisher import AlertPublisher
from alerts.site_checks import SiteAlerts, SiteOutcome, check_site
from core.clock import SystemClock
from core.component_status import ComponentStatus
from core.errors import TransientError
from core.kafka_status_board import StatusBoardWriter
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings
from ingest.site_client import SiteFetcher
from policy.context import DistrictContext
from tapwatch.commands.inputs import load_district_folder
from tapwatch.exit_codes import ExitCode
from tapwatch.user_errors import CliError


def check_command(district_dir: Path, every_hours: float | None, as_json: bool) -> int:
    """One round, or a round every `every_hours` hours until interrupted."""
    context = DistrictContext(load_district_folder(district_dir))
    names = PipelineNames.from_env()
    clock = SystemClock()
    es = Elasticsearch(**ElasticsearchSettings().client_options())  # type: ignore[arg-type]
    board = _board(names)
    publisher = _publisher(names)
    alerts = SiteAlerts(es, names, lambda alert: publisher.publish([alert]))
    status = sites_status(context.settings.id, every_hours, clock.now())
    try:
        with SiteFetcher.build_client() as client:
            fetcher = SiteFetcher(client)
            while True:
                now = clock.now()
                code, status = _round(fetcher, alerts, context, status, now, every_hours, as_json)
                if board is not None:
                    _publish(board, status)
                if every_hours is None:
                    return code
                time.sleep(every_hours * 3600)
                fetcher.forget_robots()
    finally:
        es.close()
        publisher.close()
        if board is not None:
            board.close()


def sites_status(district_id: str, every_hours: float | None, now: datetime) -> ComponentStatus:
    """The checker's status-board entry: overdue after two missed rounds when scheduled,
    so the mailer's watchdog mails IT; a one-off run is never overdue."""
    return ComponentStatus(
        f"sites:{district_id}",
        "sites",
        now,
        district_id=district_id,
        max_interval_s=every_hours * 3600 * 2 if every_hours else None,
    )


def _round(
    fetcher: SiteFetcher,
    alerts: SiteAlerts,
    context: DistrictContext,
    status: ComponentStatus,
    now: datetime,
    every_hours: float | None,
    as_json: bool,
) -> tuple[int, ComponentStatus]:
    schedule: dict[str, int | float | str] = {"sites": len(context.data.external_sites)}
    if every_hours:
        schedule["every_hours"] = every_hours
        next_at = now + timedelta(hours=every_hours)
        schedule["next_check_at"] = next_at.isoformat(timespec="seconds")
    try:
        alerts.ensure_template()
        outcomes = [
            alerts.record(site, check_site(fetcher, site, context.settings.seal), context, now)
            for site in context.data.external_sites
        ]
    except (ApiError, TransportError) as exc:
        error = f"Elasticsearch: {str(exc)[:200]}"
        print(f"error: {error}")
        return ExitCode.UNAVAILABLE, status.failed(now, error, **schedule)
    except TransientError as exc:  # the alerts topic: the next round announces it again
        error = f"Kafka: {str(exc)[:200]}"
        print(f"error: {error}")
        return ExitCode.UNAVAILABLE, status.failed(now, error, **schedule)
    for outcome in outcomes:
        _print(outcome, as_json)
    failing = sum(1 for outcome in outcomes if outcome.failed_checks)
    return (
        ExitCode.FOUND if failing else ExitCode.OK,
        status.succeeded(now, failing=failing, **schedule),
    )


def _print(outcome: SiteOutcome, as_json: bool) -> None:
    if as_json:
        print(json.dumps(asdict(outcome)))
        return
    checks = ", ".join(outcome.failed_checks) or "all checks pass"
    print(f"{outcome.url} ({outcome.staff_id}): {checks} [{outcome.action}]")


def _board(names: PipelineNames) -> StatusBoardWriter | None:
    try:
        return StatusBoardWriter(KafkaSettings(), names)
    except TransientError as exc:
        raise CliError(ExitCode.UNAVAILABLE, f"cannot reach Kafka for the status: {exc}") from exc


def _publisher(names: PipelineNames) -> AlertPublisher:
    try:
        return AlertPublisher(KafkaSettings(), names)
    except TransientError as exc:
        raise CliError(ExitCode.UNAVAILABLE, f"cannot reach Kafka for the alerts: {exc}") from exc


def _publish(board: StatusBoardWriter, status: ComponentStatus) -> None:
    try:
        board.publish(status)
    except TransientError as exc:  # the check is done; only its status is late
        print(f"warning: status not published ({exc})")
