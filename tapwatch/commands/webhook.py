"""`tapwatch ingest webhook --district DIR [--host H] [--port P]`: the Facebook webhook receiver."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from pydantic import ValidationError

from core.clock import SystemClock
from core.errors import TapwatchError
from core.kafka_admin import ensure_topics
from core.kafka_status_board import StatusBoardWriter
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings
from ingest.connectors.webhook import WEBHOOK_PATH, FacebookWebhookReceiver, KafkaDeliverySink
from ingest.connectors.webhook_settings import FacebookWebhookSettings
from ingest.kafka_publisher import PostPublisher
from tapwatch.commands.inputs import load_district_folder
from tapwatch.console import connecting
from tapwatch.exit_codes import ExitCode
from tapwatch.user_errors import CliError


def run_webhook(district_dir: Path, host: str, port: int) -> int:
    district_id = load_district_folder(district_dir).settings.id
    try:
        settings = FacebookWebhookSettings()  # type: ignore[call-arg]  # from the environment
    except ValidationError as exc:
        missing = ", ".join(
            f"TAPWATCH_FACEBOOK_{str(error['loc'][0]).upper()}" for error in exc.errors()
        )
        raise CliError(
            ExitCode.CONFIG, f"set {missing} (the app secret and the verify token)"
        ) from exc
    kafka = KafkaSettings()
    names = PipelineNames.from_env()
    clock = SystemClock()
    try:
        with connecting("Kafka", kafka.bootstrap):
            ensure_topics(kafka, names)
            publisher = PostPublisher(kafka, names, clock)
            board = StatusBoardWriter(kafka, names)
    except TapwatchError as exc:
        raise CliError(ExitCode.UNAVAILABLE, str(exc)) from exc
    receiver = FacebookWebhookReceiver(
        district_id,
        settings,
        KafkaDeliverySink(publisher, district_id),
        board,
        clock=clock,
    )
    try:
        print(
            f"Facebook webhook of {district_id} on http://{host}:{port}{WEBHOOK_PATH}", flush=True
        )
        web.run_app(receiver.app(), host=host, port=port, print=None)
    finally:
        board.close()
        publisher.close()
    return ExitCode.OK
