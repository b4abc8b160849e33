"""Publishes the mailer's health to the status board when it changed or grew stale."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Protocol

from alerts.mail.mailer_status import Details, MailerHealth
from core.component_status import ComponentStatus
from core.errors import TransientError

log = logging.getLogger(__name__)


class StatusPublisher(Protocol):
    def publish(self, *statuses: ComponentStatus) -> None: ...


class StatusReporter:
    """Hands `health`'s status to the board (blocking, so in a worker thread)."""

    def __init__(self, health: MailerHealth, publisher: StatusPublisher | None) -> None:
        self._health = health
        self._publisher = publisher

    async def publish(self, now: datetime, details: Details, force: bool = False) -> None:
        """Publish if due; a board that cannot be reached is logged and tried next round."""
        status = self._health.to_publish(now, details, force)
        if self._publisher is None or status is None:
            return
        try:
            await asyncio.to_thread(self._publisher.publish, status)
        except TransientError as exc:
            log.warning("mail.status_unpublished reason=%s", str(exc)[:200])
            return
        self._health.published(now)
