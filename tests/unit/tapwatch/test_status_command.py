"""`tapwatch status`: the connecting line, the "unavailable" exit code and the filters."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from core.component_status import ComponentStatus, new_status
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


def _board(now: datetime) -> dict[str, ComponentStatus]:
    """A healthy mailer and an overdue connector (no success for two hours, one allowed)."""
    mailer = new_status("mailer", "mailer", now, max_interval_s=3600).succeeded(now)
    stale = now - timedelta(hours=2)
    connector = new_status(
        "connector:d1:x:1:timeline", "connector", stale, max_interval_s=3600
    ).succeeded(stale)
    return {status.component: status for status in (mailer, connector)}


@pytest.fixture
def board(monkeypatch: pytest.MonkeyPatch) -> None:
    """`tapwatch status` reads the board above and never the consumer groups."""
    now = datetime.now(UTC)
    monkeypatch.setattr(status, "read_status_board", lambda settings, names: _board(now))

    def no_backlog(*args: object) -> None:
        raise AssertionError("a filtered status must not read the consumer groups")

    monkeypatch.setattr(status, "_backlog", no_backlog)


@pytest.mark.usefixtures("board")
class TestFilteredStatus:
    def test_a_healthy_kind_exits_0(self, cli):
        """`--kind mailer` shows the mailer only and exits 0: the overdue connector is not its."""
        run = cli("status", "--kind", "mailer", "--json")
        assert run.code == ExitCode.OK
        assert [json.loads(line)["component"] for line in run.out.splitlines()] == ["mailer"]

    def test_an_overdue_kind_exits_1(self, cli):
        """`--kind connector` exits 1 when one of the connectors is overdue."""
        run = cli("status", "--kind", "connector")
        assert run.code == ExitCode.FOUND
        assert "OVERDUE" in run.out and "mailer" not in run.out

    def test_a_component_by_name(self, cli):
        """`--component mailer` selects that component alone."""
        run = cli("status", "--component", "mailer", "--json")
        assert run.code == ExitCode.OK
        assert len(run.out.splitlines()) == 1

    def test_a_kind_that_has_not_reported_exits_1(self, cli):
        """A selected kind with no component on the board is unhealthy, and says so."""
        run = cli("status", "--kind", "retention")
        assert run.code == ExitCode.FOUND
        assert "not reported yet: kind retention" in run.err

    def test_missing_ok_passes_a_kind_that_has_not_reported(self, cli):
        """`--missing-ok`: the board read, nothing selected is overdue, so exit 0."""
        run = cli("status", "--kind", "worker", "--missing-ok")
        assert run.code == ExitCode.OK

    def test_missing_ok_still_fails_an_overdue_component(self, cli):
        """`--missing-ok` forgives absence only, never an overdue component."""
        run = cli("status", "--kind", "connector", "--kind", "worker", "--missing-ok")
        assert run.code == ExitCode.FOUND

    def test_missing_ok_alone_is_a_usage_error(self, cli):
        """`--missing-ok` without a filter is refused before connecting."""
        run = cli("status", "--missing-ok")
        assert run.code == ExitCode.USAGE
        assert "--missing-ok needs --kind or --component" in run.err
