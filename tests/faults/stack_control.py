"""Stop and start one server of the shared local stack, for the fault cases only."""

from __future__ import annotations

from bench.proc_memory import read_memory
from core.settings import StackSettings
from deploy.layout import StackLayout
from deploy.services import Service, local_services
from deploy.stack import bring_down, bring_up


def _service(name: str) -> tuple[StackLayout, tuple[Service, ...]]:
    layout = StackLayout.from_settings(StackSettings())
    chosen = tuple(service for service in local_services(layout) if service.name == name)
    assert chosen, f"no local service named {name!r}"
    return layout, chosen


def stop_service(name: str) -> None:
    layout, service = _service(name)
    assert bring_down(layout, service, print) == 0, f"{name} did not stop"


def start_service(name: str) -> None:
    layout, service = _service(name)
    assert bring_up(layout, service, print) == 0, f"{name} did not start"


def rss_mib(pid: int) -> float:
    """Resident memory of a process (MiB), from /proc."""
    memory = read_memory(pid)
    assert memory is not None, f"process {pid} has no VmRSS"
    return memory.rss_mib
