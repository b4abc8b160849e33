"""`tapwatch status`: the connecting line and the "unavailable" exit code."""

from __future__ import annotations

from core.errors import TransientError
from core.settings import KafkaSettings
from tapwatch.commands import status
from tapwatch.exit_codes import ExitCode


def test_kafka_unreachable_is_announced_then_exits_69(cli, monkeypatch):
    """`connecting to Kafka at HOST:PORT ...` comes first; an outage then exits 69, not 2."""
    monkeypatch.setenv("TAPWATCH_KAFKA_BOOTSTRAP", "127.0.0.1:1")

    def unreachable(settings: KafkaSettings, names: object) -> None:
        raise TransientError(f"Kafka at {settings.bootstrap} is unreachable: timed out")

    monkeypatch.setattr(status, "read_status_board", unreachable)
    run = cli("status")
    assert run.code == ExitCode.UNAVAILABLE
    lines = run.err.splitlines()
    assert lines[0] == "connecting to Kafka at 127.0.0.1:1 ..."
    assert lines[-1].startswith("error: cannot read the status from Kafka: Kafka at 127.0.0.1:1")
