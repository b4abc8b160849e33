"""Tests of up, down and status against small stand-in servers (Python children on free ports)."""

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy import health, processes, stack
from deploy.errors import ArtifactFetchError
from deploy.health import Health
from deploy.layout import StackLayout
from deploy.processes import LaunchPlan
from deploy.services import Service

LISTEN = (
    "import socket, sys, time; s = socket.socket(); "
    "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); "
    "s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(); print('listening', flush=True); "
    "time.sleep(120)"
)
CRASH = "import sys; print('boom: bad config line 7', flush=True); sys.exit(3)"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _check(port: int) -> Health:
    return Health(health.port_open(port), f"port {port}")


def _service(layout: StackLayout, name: str, code: str, port: int) -> Service:
    marker = str(layout.service_dir(name))

    def prepare(_say) -> LaunchPlan:
        command = (sys.executable, "-c", code, str(port), marker)
        return LaunchPlan(command=command, env=dict(os.environ), marker=marker)

    return Service(
        name=name,
        version="0.0",
        ports=(port,),
        start_timeout_s=15.0,
        stop_timeout_s=5.0,
        prepare=prepare,
        check=lambda: _check(port),
    )


@pytest.fixture
def layout(tmp_path: Path) -> StackLayout:
    return StackLayout(stack_dir=tmp_path / "stack", cache_dir=tmp_path / "cache")


@pytest.fixture
def echo_stack(layout: StackLayout) -> Iterator[tuple[Service, ...]]:
    """One stand-in server that listens on a free port; stopped after the test."""
    services = (_service(layout, "echo", LISTEN, _free_port()),)
    yield services
    stack.bring_down(layout, services, lambda _message: None)


class TestUp:
    def test_up_starts_the_server_and_records_its_pid(self, layout, echo_stack):
        """After up returns 0 the server answers and its pid file names our process."""
        assert stack.bring_up(layout, echo_stack, lambda _message: None) == 0
        record = processes.read_pid_file(layout.pid_file("echo"))
        assert record is not None
        assert processes.is_ours(record)
        assert echo_stack[0].check().up

    def test_a_second_up_is_a_no_op(self, layout, echo_stack):
        """With the server healthy, up starts nothing new: the pid stays the same."""
        stack.bring_up(layout, echo_stack, lambda _message: None)
        first = processes.read_pid_file(layout.pid_file("echo"))
        messages: list[str] = []
        assert stack.bring_up(layout, echo_stack, messages.append) == 0
        assert processes.read_pid_file(layout.pid_file("echo")) == first
        assert any("already up" in message for message in messages)

    def test_a_port_held_by_a_stranger_fails_clearly(self, layout, echo_stack):
        """A port in use by a process we did not start makes up fail and name the port."""
        port = echo_stack[0].port
        with socket.socket() as stranger:
            stranger.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            stranger.bind(("127.0.0.1", port))
            stranger.listen()
            messages: list[str] = []
            assert stack.bring_up(layout, echo_stack, messages.append) == 1
        assert any(str(port) in message and "did not start" in message for message in messages)
        assert processes.read_pid_file(layout.pid_file("echo")) is None

    def test_a_crashing_server_is_named_with_its_log_and_tail(self, layout):
        """A server that exits at once fails up, with its log path and last lines printed."""
        services = (_service(layout, "crashy", CRASH, _free_port()),)
        messages: list[str] = []
        assert stack.bring_up(layout, services, messages.append) == 1
        text = "\n".join(messages)
        assert "crashy: FAILED: the process exited" in text
        assert str(layout.log_file("crashy")) in text
        assert "boom: bad config line 7" in text

    def test_a_stale_pid_file_is_replaced(self, layout, echo_stack):
        """A pid file left by a dead process does not stop up from starting a new one."""
        stale = processes.PidRecord(pid=2**22 - 1, start_ticks=1, marker="gone")
        processes.write_pid_file(layout.pid_file("echo"), stale)
        assert stack.bring_up(layout, echo_stack, lambda _message: None) == 0
        assert processes.read_pid_file(layout.pid_file("echo")) != stale


class TestDown:
    def test_down_stops_the_server_and_removes_the_pid_file(self, layout, echo_stack):
        """After down the port is closed and no pid file is left."""
        stack.bring_up(layout, echo_stack, lambda _message: None)
        assert stack.bring_down(layout, echo_stack, lambda _message: None) == 0
        assert not echo_stack[0].check().up
        assert not layout.pid_file("echo").exists()

    def test_down_leaves_a_process_it_did_not_start(self, layout, echo_stack):
        """A pid file pointing at someone else's process (here: pytest) kills nothing."""
        own = processes.read_stat(os.getpid())
        assert own is not None
        foreign = processes.PidRecord(os.getpid(), own.start_ticks, str(layout.stack_dir))
        processes.write_pid_file(layout.pid_file("echo"), foreign)
        messages: list[str] = []
        assert stack.bring_down(layout, echo_stack, messages.append) == 0
        assert any("was not running" in message for message in messages)


class TestStatus:
    def test_status_is_non_zero_when_a_server_is_down(self, layout, echo_stack):
        """Nothing started: status reports down and returns 1."""
        messages: list[str] = []
        assert stack.report_status(layout, echo_stack, messages.append) == 1
        assert any("down" in message for message in messages)

    def test_status_is_zero_and_shows_the_pid_when_up(self, layout, echo_stack):
        """A running server is listed as up with the pid from its pid file."""
        stack.bring_up(layout, echo_stack, lambda _message: None)
        record = processes.read_pid_file(layout.pid_file("echo"))
        assert record is not None
        messages: list[str] = []
        assert stack.report_status(layout, echo_stack, messages.append) == 0
        assert any(str(record.pid) in message and " up " in message for message in messages)


class TestLaunchErrors:
    def test_a_missing_executable_is_reported_not_raised(self, layout):
        """A server whose program does not exist fails up with a message, not a traceback."""
        marker = str(layout.service_dir("ghost"))
        service = Service(
            name="ghost",
            version="0.0",
            ports=(_free_port(),),
            start_timeout_s=1.0,
            stop_timeout_s=1.0,
            prepare=lambda _say: LaunchPlan(("/nonexistent/bin/java",), {}, marker),
            check=lambda: Health(False, "never"),
        )
        messages: list[str] = []
        assert stack.bring_up(layout, (service,), messages.append) == 1
        assert any("cannot run /nonexistent/bin/java" in message for message in messages)

    def test_a_failed_fetch_prints_mavens_output(self, layout):
        """When Maven fails, its last lines are shown so the cause is visible."""

        def prepare(_say) -> LaunchPlan:
            raise ArtifactFetchError("kafka", "mvn exited with 1", "[ERROR] Could not resolve")

        service = Service(
            name="kafka",
            version="0.0",
            ports=(_free_port(),),
            start_timeout_s=1.0,
            stop_timeout_s=1.0,
            prepare=prepare,
            check=lambda: Health(False, "never"),
        )
        messages: list[str] = []
        assert stack.bring_up(layout, (service,), messages.append) == 1
        assert any("[ERROR] Could not resolve" in message for message in messages)
