"""Writes operational alerts to the ops index (`tapwatch-ops*`), once per overdue episode."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from elasticsearch import AsyncElasticsearch

from alerts.composable_template import ComposableTemplate
from alerts.errors import IndexUnavailable
from alerts.es_create_once import CreateOnceWriter
from alerts.ops_alerts import OpsAlert

OPS_INDEX_PATTERN = "tapwatch-ops*"
OPS_TEMPLATE_NAME = "tapwatch-ops"

OPS_MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "ops_alert_id": {"type": "keyword"},
        "kind": {"type": "keyword"},
        "component": {"type": "keyword"},
        "component_kind": {"type": "keyword"},
        "district_id": {"type": "keyword"},
        "overdue_since": {"type": "date"},
        "last_success_at": {"type": "date"},
        "last_error": {"type": "text"},
        "consecutive_failures": {"type": "integer"},
        "raised_at": {"type": "date"},
        "summary": {"type": "text"},
        "status": {"type": "keyword"},
    },
}

OPS_TEMPLATE = ComposableTemplate(
    name=OPS_TEMPLATE_NAME,
    pattern=OPS_INDEX_PATTERN,
    mappings=OPS_MAPPINGS,
    description="tapwatch: operational alerts (overdue components), one per episode",
)


class OpsAlertWriter:
    """Creates ops alerts once each: an episode already raised is left alone."""

    def __init__(self, client: AsyncElasticsearch, index: str) -> None:
        # wait_for: the mailer mails an ops alert once it is searchable in the ops index.
        self._writer = CreateOnceWriter(client, index, OPS_TEMPLATE, "ops alerts", "wait_for")

    async def ensure_index(self) -> None:
        await self._writer.ensure_template()

    async def create(self, alerts: Sequence[OpsAlert]) -> list[OpsAlert]:
        """Write the alerts; return those that were new (each episode is new only once)."""
        result = await self._writer.write([(a.ops_alert_id, a.to_document()) for a in alerts])
        if result.rejected:
            # Those created are create-once: retrying the whole list later is safe.
            failed = ", ".join(str(rejected) for rejected in result.rejected)
            raise IndexUnavailable(f"ops alerts not written: {failed[:300]}")
        new_ids = set(result.created_ids)
        return [alert for alert in alerts if alert.ops_alert_id in new_ids]
