"""Tests of pid files, the pid identity check, and starting and stopping detached processes."""

import os
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy import processes
from deploy.errors import PidFileError
from deploy.processes import LaunchPlan, PidRecord

# How long a test waits for a process to come up or go away (seconds).
WAIT_S = 10.0


def _python_plan(code: str, marker: str) -> LaunchPlan:
    """A Python child running `code`; the marker rides along as an ignored argument."""
    return LaunchPlan(
        command=(sys.executable, "-c", code, marker), env=dict(os.environ), marker=marker
    )


def _wait_for(predicate, timeout_s: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.fixture
def started(tmp_path: Path) -> Iterator[list[PidRecord]]:
    """Records of the processes a test starts; whatever is left is killed afterwards."""
    records: list[PidRecord] = []
    yield records
    for record in records:
        processes.stop(record, timeout_s=1.0)


def _start(started: list[PidRecord], tmp_path: Path, code: str) -> PidRecord:
    marker = f"tapwatch-test-{uuid.uuid4()}"
    record = processes.start_detached(_python_plan(code, marker), tmp_path / "child.log")
    started.append(record)
    # The marker is in the cmdline once exec has happened.
    assert _wait_for(lambda: marker in processes.read_cmdline(record.pid))
    return record


SLEEP = "import time; time.sleep(60)"


class TestPidFile:
    def test_record_survives_a_write_and_read(self, tmp_path: Path):
        """What write_pid_file stores, read_pid_file gives back."""
        record = PidRecord(pid=4321, start_ticks=987654, marker="/stack/kafka/server.properties")
        path = tmp_path / "kafka" / "kafka.pid"
        processes.write_pid_file(path, record)
        assert processes.read_pid_file(path) == record

    def test_missing_pid_file_reads_as_none(self, tmp_path: Path):
        """No pid file means nothing was started, not an error."""
        assert processes.read_pid_file(tmp_path / "absent.pid") is None

    def test_malformed_pid_file_raises_pid_file_error(self, tmp_path: Path):
        """A pid file with a bare number (not our format) is refused with its path."""
        path = tmp_path / "odd.pid"
        path.write_text("1234\n")
        with pytest.raises(PidFileError) as caught:
            processes.read_pid_file(path)
        assert caught.value.path == path

    def test_record_refuses_init_and_an_empty_marker(self):
        """Pid 1 and a record that could match any cmdline are rejected up front."""
        with pytest.raises(ValueError):
            PidRecord(pid=1, start_ticks=1, marker="x")
        with pytest.raises(ValueError):
            PidRecord(pid=100, start_ticks=1, marker="")


class TestParseStat:
    def test_command_names_with_spaces_and_parentheses_are_skipped(self):
        """Fields are counted after the last ')' so an odd process name cannot shift them."""
        fields_after_name = ["S", "1", "4242", "4242"] + ["0"] * 15 + ["777"] + ["0"] * 10
        text = "4242 (java (odd) name) " + " ".join(fields_after_name)
        stat = processes.parse_stat(text)
        assert (stat.state, stat.pgrp, stat.start_ticks) == ("S", 4242, 777)

    def test_own_process_stat_is_read(self):
        """The test process's own stat names its own process group."""
        stat = processes.read_stat(os.getpid())
        assert stat is not None
        assert stat.pgrp == os.getpgrp()


class TestIdentity:
    def test_a_process_we_started_is_ours(self, started: list[PidRecord], tmp_path: Path):
        """Pid, start time and marker all match for a freshly started child."""
        record = _start(started, tmp_path, SLEEP)
        assert processes.is_ours(record)

    def test_a_child_is_ours_immediately_after_start(self, started, tmp_path: Path):
        """No race with exec: the identity check passes the moment start_detached returns."""
        for attempt in range(50):
            marker = f"tapwatch-test-{uuid.uuid4()}"
            plan = _python_plan(SLEEP, marker)
            record = processes.start_detached(plan, tmp_path / f"child-{attempt}.log")
            started.append(record)
            assert processes.is_ours(record), f"attempt {attempt}"

    def test_a_reused_pid_is_not_ours(self, started: list[PidRecord], tmp_path: Path):
        """The same pid with another start time (pid reuse) is someone else's process."""
        record = _start(started, tmp_path, SLEEP)
        reused = PidRecord(pid=record.pid, start_ticks=record.start_ticks + 1, marker=record.marker)
        assert not processes.is_ours(reused)

    def test_a_process_without_the_marker_is_not_ours(self, started: list[PidRecord], tmp_path):
        """A live pid whose command line lacks the marker (another stack's server) is not ours."""
        record = _start(started, tmp_path, SLEEP)
        other = PidRecord(pid=record.pid, start_ticks=record.start_ticks, marker="/other/stack")
        assert not processes.is_ours(other)

    def test_an_exited_process_is_not_ours(self, started: list[PidRecord], tmp_path: Path):
        """Once the child exits (and is reaped), the record no longer matches."""
        record = _start(started, tmp_path, "import time; time.sleep(0.3)")
        assert _wait_for(lambda: not processes.is_ours(record))

    def test_the_test_runner_itself_is_never_ours(self):
        """Our own pid with a made-up record does not match (start time differs)."""
        stat = processes.read_stat(os.getpid())
        assert stat is not None
        fake = PidRecord(pid=os.getpid(), start_ticks=stat.start_ticks + 5, marker="python")
        assert not processes.is_ours(fake)


class TestStartDetached:
    def test_output_goes_to_the_log_file(self, started: list[PidRecord], tmp_path: Path):
        """stdout and stderr of the child both land in the log file."""
        code = "import sys; print('to-out', flush=True); print('to-err', file=sys.stderr)"
        record = _start(started, tmp_path, code + "; import time; time.sleep(60)")
        log = tmp_path / "child.log"
        assert _wait_for(lambda: "to-err" in log.read_text())
        assert "to-out" in log.read_text()
        assert record.pid > 1

    def test_child_leads_its_own_session(self, started: list[PidRecord], tmp_path: Path):
        """The child is in a new session and process group, so it outlives our CLI."""
        record = _start(started, tmp_path, SLEEP)
        assert os.getsid(record.pid) == record.pid
        assert os.getpgid(record.pid) == record.pid

    def test_previous_log_is_kept_as_dot_one(self, started: list[PidRecord], tmp_path: Path):
        """A restart moves the old log aside instead of appending to or erasing it."""
        (tmp_path / "child.log").write_text("previous run\n")
        _start(started, tmp_path, SLEEP)
        assert (tmp_path / "child.log.1").read_text() == "previous run\n"


class TestStop:
    def test_sigterm_stops_a_cooperative_process(self, started: list[PidRecord], tmp_path: Path):
        """A process that exits on SIGTERM is gone after stop()."""
        record = _start(started, tmp_path, SLEEP)
        assert processes.stop(record, timeout_s=5.0)
        assert not processes.is_ours(record)

    def test_sigkill_follows_when_sigterm_is_ignored(self, started: list[PidRecord], tmp_path):
        """A process ignoring SIGTERM is killed once the timeout passes."""
        code = (
            "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            "print('ready', flush=True); time.sleep(60)"
        )
        record = _start(started, tmp_path, code)
        assert _wait_for(lambda: "ready" in (tmp_path / "child.log").read_text())
        assert processes.stop(record, timeout_s=0.5)
        assert not processes.is_ours(record)

    def test_children_in_the_session_are_stopped_too(self, started: list[PidRecord], tmp_path):
        """A grandchild carrying the marker (like Elasticsearch's server JVM) is stopped."""
        marker = f"tapwatch-test-{uuid.uuid4()}"
        code = (
            "import subprocess, sys, time; "
            f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', {marker!r}]); "
            "time.sleep(60)"
        )
        record = processes.start_detached(_python_plan(code, marker), tmp_path / "child.log")
        started.append(record)
        assert _wait_for(lambda: len(processes.our_processes(record)) == 2)
        children = [pid for pid in processes.our_processes(record) if pid != record.pid]
        assert processes.stop(record, timeout_s=5.0)
        assert _wait_for(lambda: not any(processes.read_stat(pid) for pid in children))

    def test_a_reused_pid_is_not_signalled(self, started: list[PidRecord], tmp_path: Path):
        """stop() on a record whose start time does not match leaves the live process alone."""
        record = _start(started, tmp_path, SLEEP)
        stale = PidRecord(pid=record.pid, start_ticks=record.start_ticks - 1, marker=record.marker)
        assert processes.stop(stale, timeout_s=0.5)
        assert processes.is_ours(record)
