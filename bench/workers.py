"""`tapwatch` subprocesses of a benchmark run: the district load and the workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.deadline import BenchError

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DISTRICT = REPO / "samples" / "district"
TAPWATCH = [sys.executable, "-m", "tapwatch.cli"]
# How long `district load` may take (seconds).
LOAD_TIMEOUT_S = 120.0
# How long a worker gets to shut down cleanly after SIGTERM before it is killed (seconds).
STOP_TIMEOUT_S = 30.0
# Lines of a failed worker's log shown in the error.
LOG_TAIL_LINES = 30


def tapwatch_env(namespace: str, partitions: int) -> dict[str, str]:
    return {**os.environ, "TAPWATCH_NAMESPACE": namespace,
            "TAPWATCH_KAFKA_PARTITIONS": str(partitions)}


def load_district(env: dict[str, str], workdir: Path) -> str:
    """Publish the sample district into the namespace (this also creates its topics)."""
    try:
        done = subprocess.run([*TAPWATCH, "district", "load", str(SAMPLE_DISTRICT)], cwd=workdir,
                              env=env, text=True, capture_output=True, timeout=LOAD_TIMEOUT_S,
                              check=False)
    except subprocess.TimeoutExpired:
        raise BenchError(f"`tapwatch district load` took over {LOAD_TIMEOUT_S:.0f}s") from None
    if done.returncode != 0:
        raise BenchError(f"`tapwatch district load` failed ({done.returncode}): "
                         f"{(done.stdout + done.stderr).strip()[-2000:]}")
    return done.stdout.strip()


class WorkerProcess:
    """One `tapwatch worker --loglevel warning`, its output in a log file.

    It runs in `workdir`, not the repository, because Faust puts its data
    directory (`<app id>-data`) in the current directory.
    """

    def __init__(self, number: int, env: dict[str, str], workdir: Path) -> None:
        self.number = number
        self.log_path = workdir / f"worker-{number}.log"
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [*TAPWATCH, "worker", "--loglevel", "warning"], cwd=workdir, env=env,
            stdout=self._log, stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def check_alive(self) -> None:
        """Raise, with the end of its log, if the worker has exited."""
        code = self.process.poll()
        if code is not None:
            raise BenchError(f"worker {self.number} (pid {self.pid}) exited with {code}; "
                             f"log {self.log_path}:\n{self.log_tail()}")

    def log_tail(self) -> str:
        if not self._log.closed:
            self._log.flush()
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-LOG_TAIL_LINES:])

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after STOP_TIMEOUT_S; returns the exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT_S)
        self._log.close()
        return self.process.returncode


def start_workers(count: int, env: dict[str, str], workdir: Path) -> list[WorkerProcess]:
    return [WorkerProcess(number, env, workdir) for number in range(count)]


def check_all_alive(workers: list[WorkerProcess]) -> None:
    for worker in workers:
        worker.check_alive()
