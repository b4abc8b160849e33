"""The four local servers, each described once: version, ports, how to prepare and probe it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from importlib.metadata import version
from pathlib import Path

from core.settings import (
    LOCAL_ES_PORT,
    LOCAL_KAFKA_CONTROLLER_PORT,
    LOCAL_KAFKA_PORT,
    LOCAL_KEYCLOAK_PORT,
    LOCAL_SMTP_PORT,
)
from deploy import artifacts, es_server, health, kafka_server, keycloak_server
from deploy.java import (
    KEYCLOAK_MIN_JAVA,
    find_java_home,
    find_java_home_at_least,
    java_executable,
)
from deploy.layout import StackLayout
from deploy.processes import LaunchPlan

# Elasticsearch's node-to-node port; unused by a single node, but it must be free.
LOCAL_ES_TRANSPORT_PORT = 19300
# The directory holding the `deploy` package, so the SMTP sink child can import it.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent

Say = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Service:
    """One server of the stack. `ports[0]` is the one clients use; all must be free to start."""

    name: str
    version: str
    ports: tuple[int, ...]
    # How long `up` waits for the first healthy probe (seconds).
    start_timeout_s: float
    # How long `down` waits after SIGTERM before SIGKILL (seconds).
    stop_timeout_s: float
    prepare: Callable[[Say], LaunchPlan]
    check: Callable[[], health.Health]

    @property
    def port(self) -> int:
        return self.ports[0]


def local_services(layout: StackLayout) -> tuple[Service, ...]:
    """The stack, in start order (stop runs it backwards)."""
    return (
        Service(
            name="kafka",
            version=artifacts.KAFKA_VERSION,
            ports=(LOCAL_KAFKA_PORT, LOCAL_KAFKA_CONTROLLER_PORT),
            start_timeout_s=120.0,
            stop_timeout_s=30.0,
            prepare=partial(_prepare_kafka, layout),
            check=partial(health.check_kafka, LOCAL_KAFKA_PORT),
        ),
        Service(
            name="elasticsearch",
            version=artifacts.ES_VERSION,
            ports=(LOCAL_ES_PORT, LOCAL_ES_TRANSPORT_PORT),
            start_timeout_s=180.0,
            stop_timeout_s=30.0,
            prepare=partial(_prepare_elasticsearch, layout),
            check=partial(health.check_elasticsearch, LOCAL_ES_PORT),
        ),
        Service(
            name="smtp",
            version=f"aiosmtpd {version('aiosmtpd')}",
            ports=(LOCAL_SMTP_PORT,),
            start_timeout_s=30.0,
            stop_timeout_s=10.0,
            prepare=partial(_prepare_smtp, layout),
            check=partial(health.check_smtp, LOCAL_SMTP_PORT),
        ),
        # Launched with the others (it boots in ~50 s on 2 cores); healthy once the realm
        # is imported. Its management port (health, metrics) is the next one up.
        Service(
            name="keycloak",
            version=artifacts.KEYCLOAK_VERSION,
            ports=(LOCAL_KEYCLOAK_PORT, LOCAL_KEYCLOAK_PORT + 1),
            start_timeout_s=240.0,
            stop_timeout_s=30.0,
            prepare=partial(_prepare_keycloak, layout),
            check=partial(health.check_keycloak, LOCAL_KEYCLOAK_PORT, keycloak_server.REALM),
        ),
    )


def _prepare_kafka(layout: StackLayout, say: Say) -> LaunchPlan:
    libs_dir = artifacts.fetch_kafka(layout.cache_dir, say)
    return kafka_server.prepare(
        base=layout.service_dir("kafka"),
        java=java_executable(find_java_home()),
        libs_dir=libs_dir,
        port=LOCAL_KAFKA_PORT,
        controller_port=LOCAL_KAFKA_CONTROLLER_PORT,
        log_path=layout.log_file("kafka"),
    )


def _prepare_elasticsearch(layout: StackLayout, say: Say) -> LaunchPlan:
    es_home = artifacts.fetch_elasticsearch(layout.cache_dir, say)
    return es_server.prepare(
        base=layout.service_dir("elasticsearch"),
        es_home=es_home,
        java_home=find_java_home(),
        http_port=LOCAL_ES_PORT,
        transport_port=LOCAL_ES_TRANSPORT_PORT,
        say=say,
    )


def _prepare_keycloak(layout: StackLayout, say: Say) -> LaunchPlan:
    dist_home = artifacts.fetch_keycloak(layout.cache_dir, say)
    return keycloak_server.prepare(
        base=layout.service_dir("keycloak"),
        dist_home=dist_home,
        java_home=find_java_home_at_least(KEYCLOAK_MIN_JAVA),
        port=LOCAL_KEYCLOAK_PORT,
    )


def _prepare_smtp(layout: StackLayout, say: Say) -> LaunchPlan:
    del say  # nothing to fetch: aiosmtpd is a Python dependency
    layout.maildir.mkdir(parents=True, exist_ok=True)
    python_path = os.pathsep.join(
        part for part in (str(PACKAGE_ROOT), os.environ.get("PYTHONPATH", "")) if part
    )
    command = (
        sys.executable,
        "-m",
        "deploy.smtp_sink",
        "--host",
        health.HOST,
        "--port",
        str(LOCAL_SMTP_PORT),
        "--maildir",
        str(layout.maildir),
    )
    env = {**os.environ, "PYTHONPATH": python_path, "PYTHONUNBUFFERED": "1"}
    return LaunchPlan(command=command, env=env, marker=str(layout.maildir))
