"""`tapwatch ingest webhook --district DIR [--host H] [--port P]`: the Facebook webhook receiver."""

from __future__ import annotations

import sys
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
from policy.errors import DistrictValidationError
from policy.loader import load_district


def run_webhook(district_dir: Path, host: str, port: int) -> int:
    try:
        district_id = load_district(district_dir).settings.id
    except DistrictValidationError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    try:
        settings = FacebookWebhookSettings()  # type: ignore[call-arg]  # from the environment
    except ValidationError as exc:
        missing = ", ".join(
            f"TAPWATCH_FACEBOOK_{str(error['loc'][0]).upper()}" for error in exc.errors()
        )
        print(f"error: set {missing} (the app secret and the verify token)", file=sys.stderr)
        return 1
    kafka = KafkaSettings()
    names = PipelineNames.from_env()
    clock = SystemClock()
    try:
        ensure_topics(kafka, names)
        publisher = PostPublisher(kafka, names, clock)
        board = StatusBoardWriter(kafka, names)
    except TapwatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
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
    return 0
