"""Starts detached server processes and finds, verifies and stops them through pid files."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from deploy.errors import PidFileError

PROC = Path("/proc")
# How often stop() looks whether the processes are gone (seconds).
STOP_POLL_S = 0.2
# How long stop() waits after SIGKILL before giving up (seconds).
KILL_GRACE_S = 5.0
# How long start_detached() waits for the child's exec to show in /proc, and how often (seconds).
EXEC_WAIT_S = 5.0
EXEC_POLL_S = 0.005


@dataclass(frozen=True, slots=True)
class PidRecord:
    """What identifies a process we started: pid, start time, and a string in its command line.

    The start time (clock ticks after boot, field 22 of /proc/PID/stat) survives exec() and
    differs for any later process that reuses the pid; the marker (a path in the stack dir)
    rules out a process of another checkout's stack.
    """

    pid: int
    start_ticks: int
    marker: str

    def __post_init__(self) -> None:
        if self.pid <= 1:
            raise ValueError(f"refusing to track pid {self.pid}")
        if not self.marker:
            raise ValueError("a pid record needs a non-empty marker")

    def to_text(self) -> str:
        return json.dumps({"pid": self.pid, "start_ticks": self.start_ticks, "marker": self.marker})

    @classmethod
    def from_text(cls, text: str, path: Path) -> PidRecord:
        try:
            data = json.loads(text)
            return cls(
                pid=int(data["pid"]),
                start_ticks=int(data["start_ticks"]),
                marker=str(data["marker"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise PidFileError(path, str(exc)) from exc


@dataclass(frozen=True, slots=True)
class LaunchPlan:
    """How to start one server: argv, its whole environment, and the marker its cmdline holds."""

    command: tuple[str, ...]
    env: Mapping[str, str]
    marker: str


@dataclass(frozen=True, slots=True)
class ProcStat:
    """The fields of /proc/PID/stat that we use."""

    state: str
    pgrp: int
    start_ticks: int


def write_pid_file(path: Path, record: PidRecord) -> None:
    """Write atomically, so a reader never sees half a record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text(record.to_text() + "\n")
    os.replace(scratch, path)


def read_pid_file(path: Path) -> PidRecord | None:
    """The record in `path`, or None when there is no pid file."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    return PidRecord.from_text(text, path)


def remove_pid_file(path: Path) -> None:
    path.unlink(missing_ok=True)


def parse_stat(text: str) -> ProcStat:
    """Parse /proc/PID/stat; the command name in parentheses may itself hold spaces."""
    after_name = text[text.rindex(")") + 2 :].split()
    # after_name[0] is field 3 (state), so field N sits at index N - 3.
    return ProcStat(state=after_name[0], pgrp=int(after_name[2]), start_ticks=int(after_name[19]))


def read_stat(pid: int, proc: Path = PROC) -> ProcStat | None:
    try:
        return parse_stat((proc / str(pid) / "stat").read_text())
    except (OSError, ValueError, IndexError):
        return None


def read_cmdline(pid: int, proc: Path = PROC) -> str:
    """The command line with its NUL separators turned into spaces ('' when unreadable)."""
    try:
        raw = (proc / str(pid) / "cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def is_ours(record: PidRecord, proc: Path = PROC) -> bool:
    """True when record.pid is alive and still the process we started (not a reused pid)."""
    _reap_if_child(record.pid)
    stat = read_stat(record.pid, proc)
    if stat is None or stat.state in ("Z", "X"):
        return False
    return stat.start_ticks == record.start_ticks and record.marker in read_cmdline(
        record.pid, proc
    )


def our_processes(record: PidRecord, proc: Path = PROC) -> list[int]:
    """The live processes of the session we started: its leader and children like ES's server.

    A process counts when its process group is the recorded pid and its command line holds
    the marker; the leader must also have the recorded start time. Linux does not hand out
    a pid while a process group of that number exists, so the group id cannot be a stranger's.
    """
    found: list[int] = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        stat = read_stat(pid, proc)
        if stat is None or stat.pgrp != record.pid or stat.state in ("Z", "X"):
            continue
        if pid == record.pid and stat.start_ticks != record.start_ticks:
            continue
        if record.marker in read_cmdline(pid, proc):
            found.append(pid)
    return sorted(found)


def start_detached(plan: LaunchPlan, log_path: Path) -> PidRecord:
    """Start the plan's command in a new session, stdout and stderr going to `log_path`.

    The new session keeps the server alive after the CLI exits and away from the terminal's
    Ctrl-C. posix_spawn (not Popen) leaves no Popen object to warn about a running child.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    if log_path.exists():  # keep the previous run's log, so a crash loop leaves evidence
        os.replace(log_path, log_path.with_name(log_path.name + ".1"))
    executable = plan.command[0]
    pid = os.posix_spawn(
        executable,
        list(plan.command),
        dict(plan.env),
        file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, str(log_path), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644),
            (os.POSIX_SPAWN_DUP2, 1, 2),
        ],
        setsid=True,
        # Python ignores SIGPIPE and SIGXFSZ; a child must not inherit that.
        setsigdef=(signal.SIGPIPE, signal.SIGXFSZ),
    )
    stat = read_stat(pid)
    if stat is None:
        raise OSError(f"started {executable} as pid {pid} but cannot read /proc/{pid}/stat")
    _wait_for_exec(pid, plan.marker)
    return PidRecord(pid=pid, start_ticks=stat.start_ticks, marker=plan.marker)


def _wait_for_exec(pid: int, marker: str) -> None:
    """Wait until the new command line (with the marker) is visible in /proc.

    posix_spawn returns while the kernel is still inside exec, and for that instant
    /proc/PID/cmdline reads empty; an identity check right then would call the child dead.
    """
    deadline = time.monotonic() + EXEC_WAIT_S
    while marker not in read_cmdline(pid) and time.monotonic() < deadline:
        stat = read_stat(pid)
        if stat is None or stat.state in ("Z", "X"):
            return
        time.sleep(EXEC_POLL_S)


def stop(record: PidRecord, timeout_s: float) -> bool:
    """SIGTERM our processes, SIGKILL what is left after `timeout_s`; True when all are gone."""
    if not _signal_all(our_processes(record), signal.SIGTERM):
        return True
    if _wait_gone(record, timeout_s):
        return True
    _signal_all(our_processes(record), signal.SIGKILL)
    return _wait_gone(record, KILL_GRACE_S)


def _signal_all(pids: list[int], signum: signal.Signals) -> bool:
    """Send `signum` to each pid; False when there was none to signal."""
    for pid in pids:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            continue
    return bool(pids)


def _wait_gone(record: PidRecord, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while True:
        _reap_if_child(record.pid)
        if not our_processes(record):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(STOP_POLL_S)


def _reap_if_child(pid: int) -> None:
    """Collect the exit status when `pid` is our own child, so it does not linger as a zombie."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
