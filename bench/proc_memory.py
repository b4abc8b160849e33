"""Resident memory of one process (now and peak) from Linux's /proc/<pid>/status."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_PROC = Path("/proc")
KIB_PER_MIB = 1024


@dataclass(frozen=True, slots=True)
class ProcessMemory:
    """VmRSS (resident now) and VmHWM (the most that was ever resident) of one process, in KiB."""

    rss_kib: int
    peak_rss_kib: int

    @property
    def rss_mib(self) -> float:
        return self.rss_kib / KIB_PER_MIB

    @property
    def peak_rss_mib(self) -> float:
        return self.peak_rss_kib / KIB_PER_MIB


def parse_status(text: str) -> ProcessMemory:
    """VmRSS and VmHWM of a /proc/<pid>/status text.

    Raises ValueError when either line is missing (a zombie or a kernel thread
    has neither) or is not in kB, the only unit the kernel writes there.
    """
    found: dict[str, int] = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            number, unit = value.split()
            if unit != "kB":
                raise ValueError(f"{name} is in {unit!r}, not kB")
            found[name] = int(number)
    missing = {"VmRSS", "VmHWM"} - found.keys()
    if missing:
        raise ValueError(f"no {' or '.join(sorted(missing))} line in the status text")
    return ProcessMemory(found["VmRSS"], found["VmHWM"])


def read_memory(pid: int) -> ProcessMemory | None:
    """The process's memory now; None when it has exited or shows no memory lines."""
    try:
        return parse_status((_PROC / str(pid) / "status").read_text())
    except (OSError, ValueError):
        return None
