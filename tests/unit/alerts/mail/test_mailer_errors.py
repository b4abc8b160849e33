"""The mailer's loop: an aiokafka error in a round is transient, never the end of the mailer."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.message import EmailMessage

from aiokafka.errors import KafkaConnectionError, KafkaError

from alerts.mail.mailer import Mailer, MailerConfig
from core.clock import ManualClock
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings

NOW = datetime(2026, 10, 5, 19, 0, tzinfo=UTC)


class _NoSender:
    sender = "tapwatch@example.org"

    def send(self, message: EmailMessage, recipient: str) -> None:
        raise AssertionError("no mail in this test")


async def _nothing(*args: object, **kwargs: object) -> None:
    return None


def test_a_kafka_error_in_a_round_is_retried_not_raised() -> None:
    """A KafkaError from the reference cache or a commit fails the round, which is retried."""
    mailer = Mailer(
        KafkaSettings(),
        PipelineNames("unit"),
        _NoSender(),
        ManualClock(NOW),
        config=MailerConfig(retry_pause_s=0.0),
    )
    stop = asyncio.Event()
    errors: list[KafkaError] = [KafkaConnectionError("reference cache down"), KafkaError("commit")]

    async def round_() -> None:
        if errors:
            raise errors.pop(0)
        stop.set()

    mailer._round = round_  # type: ignore[method-assign]
    mailer._feed.start = _nothing  # type: ignore[method-assign]
    mailer._feed.stop = _nothing  # type: ignore[method-assign]
    mailer._feed.rewind_to_committed = _nothing  # type: ignore[method-assign]
    mailer._status.publish = _nothing  # type: ignore[method-assign]
    asyncio.run(asyncio.wait_for(mailer._consume(stop), 10))
    assert errors == [] and stop.is_set()
