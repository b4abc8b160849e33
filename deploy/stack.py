"""`tapwatch stack up | down | status`: start, stop and report the local servers."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import httpx
from kafka.errors import KafkaError

from core.settings import StackSettings
from deploy import credentials, es_server, processes, provision
from deploy.credentials import admin_env_file
from deploy.errors import (
    ArtifactFetchError,
    PidFileError,
    PortBusyError,
    ServiceStartError,
    StackError,
)
from deploy.health import Health, port_open, wait_until_up
from deploy.identities import es_roles
from deploy.layout import StackLayout
from deploy.processes import PidRecord
from deploy.services import Service, local_services

# Lines of a failed server's log printed under the error.
LOG_TAIL_LINES = 30
# Elasticsearch's resource.reload.interval.high (5 s), with a margin.
ROLES_RELOAD_S = 6.0
# Bytes read from the end of a log to find those lines.
LOG_TAIL_BYTES = 64 * 1024

Say = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Started:
    """A server `up` launched (or found still starting) and must now wait for."""

    service: Service
    record: PidRecord
    started_at: float


def stack_up() -> int:
    """Start whatever is not running, wait until every server is healthy; 0 when all are."""
    layout = StackLayout.from_settings(StackSettings())
    return bring_up(layout, local_services(layout), _say, partial(_provision, layout, _say))


def stack_down() -> int:
    """Stop the servers this stack dir's `up` started; 0 when none is left running."""
    layout = StackLayout.from_settings(StackSettings())
    return bring_down(layout, local_services(layout), _say)


def stack_status() -> int:
    """Print version, port, pid and health of each server; 0 only when all are up."""
    layout = StackLayout.from_settings(StackSettings())
    return report_status(layout, local_services(layout), _say)


def bring_up(
    layout: StackLayout,
    services: tuple[Service, ...],
    say: Say,
    provision_all: Callable[[], bool] | None = None,
) -> int:
    """Start and wait for every service, then (all healthy) run `provision_all` once."""
    say(f"stack dir {layout.stack_dir}, cache {layout.cache_dir}")
    failed = False
    waiting: list[Started] = []
    # Launch all first, then wait: the JVMs boot in parallel.
    for service in services:
        try:
            started = _launch_unless_up(layout, service, say)
        except ArtifactFetchError as exc:
            say(f"{service.name}: FAILED: {exc}")
            for line in exc.output.splitlines():
                say(f"    {line}")
            failed = True
            continue
        except StackError as exc:
            _report_failure(layout, service, str(exc), say)
            failed = True
            continue
        if started is not None:
            waiting.append(started)
    # Wait for all at once, so each one's time-to-healthy is reported as it happens.
    with ThreadPoolExecutor(max_workers=max(1, len(waiting))) as pool:
        futures = {pool.submit(_wait_healthy, started): started for started in waiting}
        for future in as_completed(futures):
            started = futures[future]
            health, elapsed = future.result()
            if health.up:
                say(
                    f"{started.service.name}: up on port {started.service.port} "
                    f"after {elapsed:.1f}s ({health.detail})"
                )
            else:
                _report_failure(layout, started.service, health.detail, say)
                failed = True
    if not failed and provision_all is not None:
        failed = not provision_all()
    if failed:
        say("stack up: FAILED (see above)")
        return 1
    say(
        f"admin credentials in {admin_env_file(layout.stack_dir)} (mode 0600); "
        f"one env file per service in {layout.stack_dir / 'identities'}"
    )
    say(f"stack up: all servers healthy; mail lands in {layout.maildir}")
    return 0


def _provision(layout: StackLayout, say: Say) -> bool:
    """Create the identities' users, roles and ACLs, then write their env files."""
    settings = StackSettings()
    creds = credentials.load_or_create(layout.stack_dir)
    if es_server.update_roles(layout.service_dir("elasticsearch"), es_roles()):
        say("elasticsearch: the identities' roles changed; roles.yml rewritten")
        time.sleep(ROLES_RELOAD_S)  # the node's file watcher picks it up in 5 s
    try:
        provision.provision_kafka(settings.stack_kafka_port, creds, say)
    except (StackError, KafkaError, httpx.HTTPError) as exc:
        say(f"provisioning: FAILED: {exc!r}")
        return False
    credentials.write_env_files(layout.stack_dir, creds, settings)
    return True


def _wait_healthy(started: Started) -> tuple[Health, float]:
    """Wait for one server; return its last health and the seconds since it was launched."""
    service = started.service
    health = wait_until_up(
        service.check, partial(processes.is_ours, started.record), service.start_timeout_s
    )
    return health, time.monotonic() - started.started_at


def bring_down(layout: StackLayout, services: tuple[Service, ...], say: Say) -> int:
    failed = False
    for service in reversed(services):
        pid_file = layout.pid_file(service.name)
        try:
            record = processes.read_pid_file(pid_file)
        except PidFileError as exc:
            say(f"{service.name}: {exc}; not touching anything")
            failed = True
            continue
        if record is None:
            say(f"{service.name}: not started by this stack (no pid file)")
            continue
        if not processes.our_processes(record):
            processes.remove_pid_file(pid_file)
            say(f"{service.name}: was not running (pid {record.pid} gone); removed pid file")
            continue
        say(f"{service.name}: stopping pid {record.pid}")
        if processes.stop(record, service.stop_timeout_s):
            processes.remove_pid_file(pid_file)
            say(f"{service.name}: stopped")
        else:
            say(f"{service.name}: still running after SIGKILL; pid file kept")
            failed = True
    return 1 if failed else 0


def report_status(layout: StackLayout, services: tuple[Service, ...], say: Say) -> int:
    say(f"stack dir {layout.stack_dir}")
    say(f"{'service':<14} {'version':<16} {'port':>5}  {'pid':>7}  health")
    all_up = True
    for service in services:
        record = _read_record(layout, service)
        ours = record is not None and processes.is_ours(record)
        pid = str(record.pid) if ours and record is not None else "-"
        health = service.check()
        state = "up" if health.up else "down"
        note = health.detail
        if health.up and not ours:
            note += "; not started by this stack"
        all_up = all_up and health.up
        columns = f"{service.name:<14} {service.version:<16} {service.port:>5}  {pid:>7}"
        say(f"{columns}  {state} ({note})")
    return 0 if all_up else 1


def _launch_unless_up(layout: StackLayout, service: Service, say: Say) -> Started | None:
    """None when the service is already ours and healthy; else what to wait for."""
    pid_file = layout.pid_file(service.name)
    record = _read_record(layout, service)
    if record is not None and processes.is_ours(record):
        health = service.check()
        if health.up:
            say(f"{service.name}: already up (pid {record.pid}, {health.detail})")
            return None
        say(f"{service.name}: pid {record.pid} is running but not healthy yet; waiting")
        return Started(service, record, time.monotonic())
    if record is not None:
        processes.remove_pid_file(pid_file)
    busy = [port for port in service.ports if port_open(port)]
    if busy:
        raise PortBusyError(
            service.name,
            f"port(s) {', '.join(map(str, busy))} already in use by a process this stack did "
            f"not start (no live pid in {pid_file}); find it with `ss -ltnp`",
        )
    plan = service.prepare(say)
    started_at = time.monotonic()
    log_path = layout.log_file(service.name)
    try:
        record = processes.start_detached(plan, log_path)
    except OSError as exc:
        raise ServiceStartError(service.name, f"cannot run {plan.command[0]}: {exc}") from exc
    processes.write_pid_file(pid_file, record)
    say(f"{service.name} {service.version}: starting, pid {record.pid}, log {log_path}")
    return Started(service, record, started_at)


def _read_record(layout: StackLayout, service: Service) -> PidRecord | None:
    """The pid record, treating a corrupt pid file as absent (it will be rewritten)."""
    try:
        return processes.read_pid_file(layout.pid_file(service.name))
    except PidFileError:
        return None


def _report_failure(layout: StackLayout, service: Service, reason: str, say: Say) -> None:
    log_path = layout.log_file(service.name)
    say(f"{service.name}: FAILED: {reason}")
    say(f"{service.name}: log file {log_path}")
    tail = tail_lines(log_path, LOG_TAIL_LINES)
    if tail:
        say(f"--- last {len(tail)} lines of {log_path} ---")
        for line in tail:
            say(f"    {line}")
        say("---")


def tail_lines(path: Path, count: int) -> list[str]:
    """The last `count` lines of a text file ([] when it does not exist)."""
    try:
        with path.open("rb") as log:
            size = log.seek(0, 2)
            log.seek(max(0, size - LOG_TAIL_BYTES))
            text = log.read().decode(errors="replace")
    except FileNotFoundError:
        return []
    return text.splitlines()[-count:]


def _say(message: str) -> None:
    print(message, flush=True)
