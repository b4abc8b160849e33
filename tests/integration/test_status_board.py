"""The status board in real Kafka, `tapwatch status`, and ops alerts in real Elasticsearch."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from elasticsearch import AsyncElasticsearch

from alerts.ops_alerts import overdue_ops_alerts
from alerts.ops_writer import OpsAlertWriter
from core.component_status import new_status
from core.kafka_admin import ensure_topics
from core.kafka_status_board import StatusBoardWriter, read_status_board
from core.settings import ElasticsearchSettings, KafkaSettings
from tests.integration.conftest import run_tapwatch

NOW = datetime.now(UTC)
HEALTHY = "connector:wilmington-209u:twitter:1500000000000000001:timeline"
STALLED = "connector:wilmington-209u:wordpress:7:comments"


def _publish_board(names) -> None:
    ensure_topics(KafkaSettings(), names)
    writer = StatusBoardWriter(KafkaSettings(), names)
    try:
        healthy = new_status(HEALTHY, "connector", NOW, max_interval_s=900)
        stalled = new_status(STALLED, "connector", NOW - timedelta(hours=2), max_interval_s=900)
        writer.publish(healthy.failed(NOW, "first try failed"))
        writer.publish(healthy.succeeded(NOW, fetched=4))  # the latest record wins
        writer.publish(
            stalled.succeeded(NOW - timedelta(hours=2)).failed(NOW, "HTTP 401: token expired")
        )
    finally:
        writer.close()


def test_board_keeps_the_latest_status_per_component(names):
    """Reading the compacted topic gives each component's last published status."""
    _publish_board(names)
    board = read_status_board(KafkaSettings(), names)
    assert set(board) == {HEALTHY, STALLED}
    assert board[HEALTHY].last_error is None
    assert board[HEALTHY].details["fetched"] == 4
    assert board[STALLED].consecutive_failures == 1


def test_status_command_shows_overdue_and_exits_1(names):
    """`tapwatch status --json` names the stalled connector as OVERDUE, with its error."""
    _publish_board(names)
    done = run_tapwatch(names, "status", "--json", timeout=120)
    assert done.returncode == 1, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    by_component = {row["component"]: row for row in rows if "component" in row}
    assert by_component[HEALTHY]["state"] == "ok"
    assert by_component[STALLED]["state"] == "OVERDUE"
    assert by_component[STALLED]["last_error"] == "HTTP 401: token expired"
    backlogs = [row for row in rows if "topic" in row]
    assert {row["topic"] for row in backlogs} == {names.posts, names.alerts}


def test_ops_alert_is_raised_once_per_episode(names):
    """The watchdog's alert is written once; checking again creates nothing new."""
    _publish_board(names)
    board = read_status_board(KafkaSettings(), names)

    async def raise_twice() -> tuple[int, int, dict]:
        client = AsyncElasticsearch(**ElasticsearchSettings().client_options())
        try:
            writer = OpsAlertWriter(client, names.ops_index)
            await writer.ensure_index()
            first = await writer.create(overdue_ops_alerts(board, NOW))
            again = await writer.create(overdue_ops_alerts(board, NOW + timedelta(minutes=5)))
            found = await client.search(index=names.ops_index, query={"match_all": {}})
            return len(first), len(again), found.body
        finally:
            await client.close()

    first, again, found = asyncio.run(raise_twice())
    assert (first, again) == (1, 0)
    [hit] = found["hits"]["hits"]
    assert hit["_source"]["component"] == STALLED
    assert hit["_source"]["last_error"] == "HTTP 401: token expired"


def test_forget_takes_a_gone_component_off_the_board(names):
    """`tapwatch status --forget` removes a killed replica's overdue line; an unknown name
    is a usage error that removes nothing."""
    _publish_board(names)
    unknown = run_tapwatch(names, "status", "--forget", "worker:never-was-1")
    assert unknown.returncode == 2, unknown.stdout + unknown.stderr
    assert STALLED in read_status_board(KafkaSettings(), names)
    forgotten = run_tapwatch(names, "status", "--forget", STALLED)
    assert forgotten.returncode == 0, forgotten.stdout + forgotten.stderr
    board = read_status_board(KafkaSettings(), names)
    assert STALLED not in board and HEALTHY in board
