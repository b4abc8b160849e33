"""`tapwatch mail run`: the flag-email process (principals' mails, digests, IT's ops mails)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from alerts.mail.clock import SystemClock
from alerts.mail.mailer import Mailer
from alerts.mail.ops_watch import OpsWatch
from alerts.mail.smtp_sender import SmtpSender
from streams.kafka_admin import ensure_topics
from streams.topics import PipelineNames
from tapwatch.errors import TransientError
from tapwatch.settings import ElasticsearchSettings, KafkaSettings, SmtpSettings
from tapwatch.status_board import StatusBoardWriter


async def _serve(kafka: KafkaSettings, names: PipelineNames) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    status = StatusBoardWriter(kafka, names)
    ops = OpsWatch(kafka, ElasticsearchSettings(), names)
    try:
        mailer = Mailer(kafka, names, SmtpSender(SmtpSettings()), SystemClock(), status, ops)
        await mailer.run(stop)
    finally:
        await ops.close()
        status.close()


def run_mail(loglevel: str = "info") -> int:
    logging.getLogger("alerts.mail").setLevel(loglevel.upper())
    kafka = KafkaSettings()
    names = PipelineNames.from_env()
    try:
        ensure_topics(kafka, names)
        asyncio.run(_serve(kafka, names))
    except TransientError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
