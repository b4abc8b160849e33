"""When the mailer asks for overdue components, and which districts' IT may hear of them."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from aiokafka.errors import KafkaError

from alerts.ops_alerts import OpsAlert
from core.errors import TransientError
from policy.context import DistrictContext

log = logging.getLogger(__name__)


class OpsSource(Protocol):
    async def overdue(self, now: datetime) -> list[OpsAlert]: ...


class DistrictContexts(Protocol):
    async def refresh(self) -> None: ...

    def districts(self) -> tuple[str, ...]: ...

    def context(self, district_id: str) -> DistrictContext | None: ...


class OpsCheck:
    """Every `interval_s` at most: the overdue components and every loaded district."""

    def __init__(
        self, source: OpsSource | None, interval_s: float, districts: DistrictContexts
    ) -> None:
        self._source = source
        self._interval_s = interval_s
        self._districts = districts
        self._last_at: datetime | None = None

    async def overdue(
        self, now: datetime
    ) -> tuple[list[OpsAlert], dict[str, DistrictContext]] | None:
        """None when no check is due (or it failed: the next one catches up)."""
        if self._source is None or (
            self._last_at is not None and (now - self._last_at).total_seconds() < self._interval_s
        ):
            return None
        self._last_at = now
        try:
            overdue = await self._source.overdue(now)
        except TransientError as exc:
            log.warning("mail.ops_check_failed reason=%s", str(exc)[:200])
            return None
        # Every loaded district, not only those whose alerts the mailer has seen: a
        # district's connector may stall before it raised a single alert.
        try:
            await self._districts.refresh()
        except KafkaError as exc:
            # The districts loaded so far still get their mails; the next check catches up.
            log.warning("mail.reference_refresh_failed reason=%s", str(exc)[:200])
        contexts = {
            district: context
            for district in self._districts.districts()
            if (context := self._districts.context(district)) is not None
        }
        return overdue, contexts
