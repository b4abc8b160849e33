"""`tapwatch status`: every component's last success, lag and error, and the backlogs."""

from __future__ import annotations

import json
import sys

from kafka.errors import KafkaError

from core.clock import SystemClock
from core.errors import TransientError
from core.kafka_status_board import StatusBoardWriter, read_status_board
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings
from streams.kafka_progress import PipelineProgress
from tapwatch.console import connecting
from tapwatch.exit_codes import ExitCode
from tapwatch.status_report import (
    Health,
    PipelineBacklog,
    StatusFilter,
    health,
    render_status,
    status_json,
)
from tapwatch.user_errors import CliError


def _backlog(settings: KafkaSettings, topic: str, group_id: str) -> PipelineBacklog:
    progress = PipelineProgress(settings, group_id)
    try:
        committed = progress.committed()
        ends = progress.end_offsets(topic)
    finally:
        progress.close()
    waiting = sum(max(0, end - committed.get(tp, 0)) for tp, end in ends.items())
    return PipelineBacklog(topic, group_id, waiting)


def show_status(as_json: bool, selection: StatusFilter | None = None) -> int:
    """Print the status board. Exit 1 when a component is overdue (or, with a filter, when
    a selected one has not reported), 69 when Kafka is down."""
    selection = selection or StatusFilter()
    if selection.missing_ok and not selection.active:
        raise CliError(ExitCode.USAGE, "--missing-ok needs --kind or --component")
    settings, names = KafkaSettings(), PipelineNames.from_env()
    now = SystemClock().now()
    backlogs: list[PipelineBacklog] = []
    try:
        with connecting("Kafka", settings.bootstrap):
            full_board = read_status_board(settings, names)
            # A filtered check is a container's healthcheck: its identity may not read
            # the consumer groups' offsets, and the backlogs are no single service's health.
            if not selection.active:
                backlogs = [
                    _backlog(settings, names.posts, names.group_id),
                    _backlog(settings, names.alerts, names.mailer_group_id),
                ]
    except (TransientError, KafkaError) as exc:
        raise CliError(ExitCode.UNAVAILABLE, f"cannot read the status from Kafka: {exc}") from exc
    board = selection.select(full_board)
    if as_json:
        for status in sorted(board.values(), key=lambda s: s.component):
            print(json.dumps(status_json(status, now), sort_keys=True))
        for backlog in backlogs:
            record = {"topic": backlog.topic, "group_id": backlog.group_id}
            print(json.dumps({**record, "waiting": backlog.waiting}, sort_keys=True))
    else:
        print(render_status(board, backlogs, now))
    overdue = any(health(status, now) is Health.OVERDUE for status in board.values())
    missing = [] if selection.missing_ok else selection.missing(full_board)
    if missing:
        print(f"not reported yet: {', '.join(missing)}", file=sys.stderr)
    return ExitCode.FOUND if overdue or missing else ExitCode.OK


def forget_components(components: list[str]) -> int:
    """Take components off the board (tombstones); an unknown name is a usage error."""
    settings, names = KafkaSettings(), PipelineNames.from_env()
    try:
        with connecting("Kafka", settings.bootstrap):
            board = read_status_board(settings, names)
            unknown = sorted(set(components) - set(board))
            if unknown:
                raise CliError(ExitCode.USAGE, f"not on the status board: {', '.join(unknown)}")
            writer = StatusBoardWriter(settings, names)
            try:
                for component in components:
                    writer.remove(component)
            finally:
                writer.close()
    except (TransientError, KafkaError) as exc:
        raise CliError(ExitCode.UNAVAILABLE, f"cannot change the status board: {exc}") from exc
    for component in components:
        print(f"removed {component} from the status board")
    return ExitCode.OK
