"""`tapwatch mail run`: the flag-email process (principals' mails, digests, IT's ops mails)."""

from __future__ import annotations

import asyncio
import logging
import signal
from types import FrameType

from alerts.mail.mailer import Mailer
from alerts.mail.mailer_settings import MailerSettings
from alerts.mail.ops_watch import OpsWatch
from alerts.mail.smtp_sender import SmtpSender
from core.clock import SystemClock
from core.errors import TransientError
from core.kafka_admin import ensure_topics
from core.kafka_status_board import StatusBoardWriter
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings, SmtpSettings
from tapwatch.console import connecting
from tapwatch.exit_codes import ExitCode
from tapwatch.user_errors import CliError


async def _serve(kafka: KafkaSettings, names: PipelineNames) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    status = StatusBoardWriter(kafka, names)
    ops = OpsWatch(kafka, ElasticsearchSettings(), names)
    try:
        config = MailerSettings().mailer_config()
        sender = SmtpSender(SmtpSettings())
        mailer = Mailer(kafka, names, sender, SystemClock(), status, ops, config)
        await mailer.run(stop)
    finally:
        await ops.close()
        status.close()


class _StopRequested(BaseException):
    """SIGTERM or SIGINT before the event loop took the signals over: not an error."""


def _stop_at_once(signum: int, frame: FrameType | None) -> None:
    raise _StopRequested


def run_mail(loglevel: str = "info") -> int:
    """Run the mailer until SIGTERM/SIGINT (exit 0); 69 when Kafka cannot be reached.

    Until `_serve` hands the signals to the event loop (which ends the current round
    and closes every client), a signal interrupts start-up at once: waiting for an
    unreachable Kafka must not turn a requested stop into a kill.
    """
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _stop_at_once)
    logging.getLogger("alerts.mail").setLevel(loglevel.upper())
    kafka = KafkaSettings()
    names = PipelineNames.from_env()
    try:
        with connecting("Kafka", kafka.bootstrap):
            ensure_topics(kafka, names)
        asyncio.run(_serve(kafka, names))
    except _StopRequested:
        return ExitCode.OK
    except TransientError as exc:
        raise CliError(ExitCode.UNAVAILABLE, str(exc)) from exc
    return ExitCode.OK
