"""When the mailer asks for overdue components: every `interval_s` at most, never twice at once."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from alerts.ops_alerts import OpsAlert
from core.errors import TransientError

log = logging.getLogger(__name__)


class OpsSource(Protocol):
    async def overdue(self, now: datetime) -> list[OpsAlert]: ...


class OpsCheck:
    """Asks `source` for the overdue components when a check is due."""

    def __init__(self, source: OpsSource | None, interval_s: float) -> None:
        self._source = source
        self._interval_s = interval_s
        self._last_at: datetime | None = None

    async def overdue(self, now: datetime) -> list[OpsAlert] | None:
        """None when no check is due (or it failed: the next one catches up)."""
        if self._source is None or (
            self._last_at is not None and (now - self._last_at).total_seconds() < self._interval_s
        ):
            return None
        self._last_at = now
        try:
            return await self._source.overdue(now)
        except TransientError as exc:
            log.warning("mail.ops_check_failed reason=%s", str(exc)[:200])
            return None
