"""`tapwatch ingest run --district DIR [--once]`: the live connectors of one district."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from core.clock import Clock, SystemClock
from core.errors import TapwatchError
from core.kafka_admin import ensure_topics
from core.kafka_status_board import StatusBoardWriter
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings
from ingest.connectors.config import load_connectors_config
from ingest.connectors.cursor_store import read_states
from ingest.connectors.http_client import build_client
from ingest.connectors.kafka_page_writer import TransactionalPageWriter
from ingest.connectors.registry import FollowedEndpoint, build_endpoints
from ingest.connectors.runner import ConnectorRunner, EndpointOutcome
from tapwatch.commands.inputs import load_district_folder
from tapwatch.console import connecting
from tapwatch.exit_codes import ExitCode
from tapwatch.user_errors import CliError


def transactional_id(names: PipelineNames, district_id: str) -> str:
    """One per district and namespace: a second runner for the district fences the first."""
    return f"tapwatch-connectors-{names.namespace or 'default'}-{district_id}"


def run_connectors(district_dir: Path, once: bool) -> int:
    """Exit 0 when (with --once) every endpoint polled; 69 when Kafka or a platform API
    failed; 78 for a connectors.yaml that is refused (the CLI's error handler says why)."""
    clock = SystemClock()
    district_id = load_district_folder(district_dir).settings.id
    config = load_connectors_config(district_dir)
    if config is None or not config.accounts:
        raise CliError(ExitCode.CONFIG, f"{district_dir}/connectors.yaml follows no account")
    followed = build_endpoints(config, clock)
    try:
        outcomes = asyncio.run(_run(district_id, followed, once, clock))
    except TapwatchError as exc:  # WriterUnusable included: Kafka refused the writer
        raise CliError(ExitCode.UNAVAILABLE, str(exc)) from exc
    if outcomes is None:
        return ExitCode.OK
    for outcome in outcomes:
        counts = " ".join(f"{k}={v}" for k, v in outcome.counts.as_details().items())
        state = "ok" if outcome.ok else f"FAILED ({outcome.error})"
        print(f"{outcome.component}: {state} {counts}")
    return ExitCode.OK if all(outcome.ok for outcome in outcomes) else ExitCode.UNAVAILABLE


async def _run(
    district_id: str, followed: list[FollowedEndpoint], once: bool, clock: Clock
) -> list[EndpointOutcome] | None:
    settings = KafkaSettings()
    names = PipelineNames.from_env()
    with connecting("Kafka", settings.bootstrap):
        await asyncio.to_thread(ensure_topics, settings, names)
    # The writer first: its init_transactions aborts what a killed predecessor left
    # open, which read_committed reads of the cursors would otherwise wait behind.
    writer = await asyncio.to_thread(
        TransactionalPageWriter, settings, transactional_id(names, district_id)
    )
    status = None
    try:
        states = await asyncio.to_thread(read_states, settings, names.connector_cursors)
        status = await asyncio.to_thread(StatusBoardWriter, settings, names)
        async with build_client() as client:
            runner = ConnectorRunner(
                district_id,
                followed,
                client=client,
                writer=writer,
                status=status,
                names=names,
                states=states,
                clock=clock,
            )
            task = asyncio.ensure_future(runner.run(once=once))
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, task.cancel)
            try:
                return await task
            except asyncio.CancelledError:
                return None
    finally:
        if status is not None:
            status.close()
        writer.close()
