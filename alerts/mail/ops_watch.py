"""Reads the status board and raises overdue components in the ops index (Kafka + Elasticsearch)."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from elasticsearch import AsyncElasticsearch

from alerts.errors import IndexUnavailable
from alerts.ops_alerts import OpsAlert, overdue_ops_alerts
from alerts.ops_writer import OpsAlertWriter
from core.kafka_status_board import read_status_board
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings

log = logging.getLogger(__name__)


class OpsWatch:
    """`overdue(now)`: every component overdue now, each episode written once to the ops index.

    The whole overdue list is returned, not only the episodes new to the index: the
    mailer's outbox decides what was already mailed, so an episode raised just before
    a crash is still mailed after the restart.
    """

    def __init__(
        self, kafka: KafkaSettings, es: ElasticsearchSettings, names: PipelineNames
    ) -> None:
        self._kafka = kafka
        self._names = names
        self._client = AsyncElasticsearch(**es.client_options())  # type: ignore[arg-type]
        self._writer = OpsAlertWriter(self._client, names.ops_index)
        self._index_ready = False

    async def overdue(self, now: datetime) -> list[OpsAlert]:
        board = await asyncio.to_thread(read_status_board, self._kafka, self._names)
        alerts = overdue_ops_alerts(board, now)
        try:
            if not self._index_ready:
                await self._writer.ensure_index()
                self._index_ready = True
            new = await self._writer.create(alerts)
        except IndexUnavailable as exc:
            log.warning("mail.ops_index_unavailable reason=%s", str(exc)[:200])
        else:
            for alert in new:
                log.info("mail.ops_alert_raised ops_alert_id=%s", alert.ops_alert_id)
        return alerts

    async def close(self) -> None:
        await self._client.close()
