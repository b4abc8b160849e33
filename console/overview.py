"""The IT overview's figures: alerts over time by rule and building, open alerts by severity,
and each connector's health from the status board."""

from __future__ import annotations

import logging
from typing import Any

from kafka.errors import KafkaError

from alerts.incident_store import IncidentStore
from console.authz import Scope
from core.component_status import ComponentStatus
from core.errors import TransientError
from core.kafka_status_board import read_status_board
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings

log = logging.getLogger(__name__)
# How long the overview waits for the status board (seconds).
STATUS_BOARD_TIMEOUT_S = 5.0


def alert_figures(store: IncidentStore, scope: Scope) -> dict[str, Any]:
    """Weekly counts by rule and by building, and open alerts by severity."""
    weekly = {"date_histogram": {"field": "event_time", "calendar_interval": "week"}}
    response = store.client.search(
        index=store.alerts_pattern,
        query={"bool": {"filter": scope.query_filters()}},
        size=0,
        aggs={
            "by_rule": {"terms": {"field": "rule", "size": 50}, "aggs": {"weeks": weekly}},
            "by_building": {
                "terms": {"field": "building_id", "size": 100},
                "aggs": {"weeks": weekly},
            },
            "open": {
                "filter": {"term": {"status": "open"}},
                "aggs": {"by_severity": {"terms": {"field": "severity", "size": 10}}},
            },
        },
        ignore_unavailable=True,
        allow_no_indices=True,
    )
    aggs = response.get("aggregations") or {}

    def series(name: str) -> list[dict[str, Any]]:
        return [
            {
                "key": bucket["key"],
                "total": bucket["doc_count"],
                "weeks": [
                    (week["key_as_string"][:10], week["doc_count"])
                    for week in bucket["weeks"]["buckets"]
                ],
            }
            for bucket in aggs.get(name, {}).get("buckets", [])
        ]

    open_buckets = aggs.get("open", {}).get("by_severity", {}).get("buckets", [])
    return {
        "by_rule": series("by_rule"),
        "by_building": series("by_building"),
        "open_by_severity": {bucket["key"]: bucket["doc_count"] for bucket in open_buckets},
    }


def connector_health(district_id: str) -> list[ComponentStatus] | None:
    """The district's components from the status board; None when Kafka does not answer."""
    try:
        board = read_status_board(
            KafkaSettings(), PipelineNames.from_env(), timeout_s=STATUS_BOARD_TIMEOUT_S
        )
    except (KafkaError, TransientError, OSError) as exc:
        log.warning("overview: status board unreadable: %r", exc)
        return None
    return sorted(
        (s for s in board.values() if s.district_id in (None, district_id)),
        key=lambda s: s.component,
    )
