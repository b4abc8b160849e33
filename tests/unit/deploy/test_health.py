"""Tests of the health probes against closed ports and the deadline-bound wait."""

import socket
from collections.abc import Iterator

import pytest

from deploy import health, smtp_sink
from deploy.health import Health


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def listening_port() -> Iterator[int]:
    """A loopback port that accepts connections but never speaks."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield int(server.getsockname()[1])


class TestProbes:
    def test_kafka_on_a_closed_port_is_down(self, closed_port: int):
        """No listener means down, reported without an exception."""
        result = health.check_kafka(closed_port)
        assert not result.up
        assert str(closed_port) in result.detail

    def test_elasticsearch_on_a_closed_port_is_down(self, closed_port: int):
        """A refused connection is reported as down."""
        assert not health.check_elasticsearch(closed_port).up

    def test_smtp_on_a_closed_port_is_down(self, closed_port: int):
        """A refused connection is reported as down."""
        assert not health.check_smtp(closed_port).up

    def test_port_open_tells_listening_from_closed(self, listening_port: int, closed_port: int):
        """port_open is true only where something accepts connections."""
        assert health.port_open(listening_port)
        assert not health.port_open(closed_port)

    def test_smtp_sink_answers_ehlo_and_noop(self, closed_port: int, tmp_path):
        """A real SMTP server on the port is reported up."""
        controller = smtp_sink.make_controller("127.0.0.1", closed_port, tmp_path / "mail")
        controller.start()
        try:
            assert health.check_smtp(closed_port).up
        finally:
            controller.stop()


class TestWaitUntilUp:
    def test_returns_as_soon_as_the_check_passes(self):
        """The third probe succeeds, so the wait ends there with that result."""
        answers = iter([Health(False, "1"), Health(False, "2"), Health(True, "3")])
        result = health.wait_until_up(lambda: next(answers), lambda: True, timeout_s=30)
        assert result == Health(True, "3")

    def test_a_dead_process_ends_the_wait_early(self, monkeypatch: pytest.MonkeyPatch):
        """When the process has exited, the wait stops and says so, before any deadline."""
        monkeypatch.setattr(health, "POLL_INTERVAL_S", 0.0)
        result = health.wait_until_up(lambda: Health(False, "refused"), lambda: False, 600)
        assert not result.up
        assert "exited" in result.detail
        assert "refused" in result.detail

    def test_the_deadline_ends_the_wait(self, monkeypatch: pytest.MonkeyPatch):
        """A process that never gets healthy is reported down once the timeout passes."""
        monkeypatch.setattr(health, "POLL_INTERVAL_S", 0.01)
        result = health.wait_until_up(lambda: Health(False, "starting"), lambda: True, 0.05)
        assert not result.up
        assert "not healthy after" in result.detail
