"""Publishes the worker's health to the status board on a timer, and takes it off at exit."""

from __future__ import annotations

import asyncio
import logging

import faust

from core.clock import Clock
from core.kafka_status_board import StatusBoardWriter
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings
from streams.worker_health import WorkerHealth

log = logging.getLogger(__name__)

# A beat every 30 s; four missed beats (or 2 minutes of failing work) is overdue.
HEARTBEAT_S = 30.0
OVERDUE_AFTER_S = 4 * HEARTBEAT_S


class HeartbeatPublisher:
    """The worker's line on the status board (a blocking producer, run off the loop)."""

    def __init__(self, kafka: KafkaSettings, names: PipelineNames, health: WorkerHealth) -> None:
        self._kafka = kafka
        self._names = names
        self.health = health
        self._board: StatusBoardWriter | None = None

    def beat(self, clock: Clock) -> None:
        """Publish the health now. The board is advisory: a failure is logged, not raised."""
        try:
            if self._board is None:
                self._board = StatusBoardWriter(self._kafka, self._names)
            self._board.publish(self.health.status(clock.now()))
        except Exception as exc:  # never let the heartbeat stop the worker
            log.warning("worker.heartbeat_failed reason=%s", type(exc).__name__)

    def remove(self) -> None:
        """Take this worker off the board (a clean stop is not an overdue worker)."""
        try:
            if self._board is None:
                self._board = StatusBoardWriter(self._kafka, self._names)
            self._board.remove(self.health.component)
        except Exception as exc:  # at exit: say so, and go on stopping
            log.warning("worker.heartbeat_remove_failed reason=%s", type(exc).__name__)
        finally:
            if self._board is not None:
                self._board.close()
                self._board = None


def install_heartbeat(app: faust.App, publisher: HeartbeatPublisher, clock: Clock) -> None:
    """Beat on a timer of the app (the first beat at start)."""

    async def beat() -> None:
        await asyncio.get_running_loop().run_in_executor(None, publisher.beat, clock)

    @app.task  # type: ignore[untyped-decorator]
    async def first_heartbeat() -> None:
        await beat()

    @app.timer(interval=HEARTBEAT_S, on_leader=False)  # type: ignore[untyped-decorator]
    async def heartbeat() -> None:
        await beat()
