"""CPU seconds used by process trees and by the whole machine, from Linux's /proc."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from core.settings import StackSettings

_TICKS_PER_S = os.sysconf("SC_CLK_TCK")
_PROC = Path("/proc")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces; the fields after its closing parenthesis do not.
    return text[text.rindex(")") + 2:].split()


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in _PROC.iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def tree_cpu_s(roots: Iterable[int]) -> float:
    """User + system CPU seconds of the given processes and all their live descendants."""
    children = _children_by_parent()
    total = 0.0
    pending = list(roots)
    seen: set[int] = set()
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        fields = _stat_fields(pid)
        if fields is not None:
            # Fields 14 and 15 of /proc/PID/stat (utime, stime), counted from the state field (3).
            total += (int(fields[11]) + int(fields[12])) / _TICKS_PER_S
        pending.extend(children.get(pid, []))
    return total


def machine_cpu_s() -> tuple[float, float]:
    """(busy, total) CPU seconds of all cores since boot."""
    values = [int(v) for v in (_PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # guest time is already counted in user
    return (total - idle) / _TICKS_PER_S, total / _TICKS_PER_S


def stack_pids(repo: Path) -> dict[str, int]:
    """The local stack's Kafka and Elasticsearch pids, from the stack's pid files."""
    stack_dir = StackSettings().stack_dir.expanduser()
    if not stack_dir.is_absolute():
        stack_dir = repo / stack_dir
    pids: dict[str, int] = {}
    for service in ("kafka", "elasticsearch"):
        try:
            pid_file = stack_dir / service / f"{service}.pid"
            pids[service] = int(json.loads(pid_file.read_text())["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return pids


@dataclass(frozen=True, slots=True)
class CpuSnapshot:
    """CPU seconds so far of each named process tree, and of the machine."""

    by_name: Mapping[str, float]
    machine_busy: float
    machine_total: float


def snapshot(trees: Mapping[str, Iterable[int]], own_name: str = "bench") -> CpuSnapshot:
    """CPU of each named process tree, and of this process alone under `own_name`.

    This process is counted without its descendants: the workers are its children.
    """
    busy, total = machine_cpu_s()
    times = os.times()
    by_name = {name: tree_cpu_s(pids) for name, pids in trees.items()}
    by_name[own_name] = times.user + times.system
    return CpuSnapshot(by_name, busy, total)


def usage_between(before: CpuSnapshot, after: CpuSnapshot) -> dict[str, float]:
    """CPU seconds per group between two snapshots, plus `other` (everything else) and `idle`."""
    used = {name: after.by_name[name] - before.by_name.get(name, 0.0) for name in after.by_name}
    busy = after.machine_busy - before.machine_busy
    used["other"] = max(0.0, busy - sum(used.values()))
    used["idle"] = (after.machine_total - before.machine_total) - busy
    return used
