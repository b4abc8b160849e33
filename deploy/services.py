"""The four local servers, each described once: version, ports, how to prepare and probe it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from importlib.metadata import version
from pathlib import Path

from core.settings import StackSettings
from deploy import artifacts, credentials, es_server, health, kafka_server, keycloak_server
from deploy.credentials import StackCredentials
from deploy.identities import ADMIN, es_roles, es_users
from deploy.java import (
    KEYCLOAK_MIN_JAVA,
    find_java_home,
    find_java_home_at_least,
    java_executable,
)
from deploy.layout import StackLayout
from deploy.processes import LaunchPlan

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


def local_services(
    layout: StackLayout, settings: StackSettings | None = None
) -> tuple[Service, ...]:
    """The stack, in start order (stop runs it backwards), on the settings' ports."""
    ports = settings or StackSettings()
    creds = credentials.load_or_create(layout.stack_dir)
    kafka_ports = (ports.stack_kafka_port, ports.stack_kafka_controller_port)
    kafka_sasl = provision_options(creds)
    return (
        Service(
            name="kafka",
            version=artifacts.KAFKA_VERSION,
            ports=kafka_ports,
            start_timeout_s=120.0,
            stop_timeout_s=30.0,
            prepare=partial(_prepare_kafka, layout, kafka_ports, creds),
            check=partial(health.check_kafka, ports.stack_kafka_port, kafka_sasl),
        ),
        Service(
            name="elasticsearch",
            version=artifacts.ES_VERSION,
            ports=(ports.stack_es_port, ports.stack_es_transport_port),
            start_timeout_s=180.0,
            stop_timeout_s=30.0,
            prepare=partial(_prepare_elasticsearch, layout, ports, creds),
            check=partial(
                health.check_elasticsearch,
                ports.stack_es_port,
                (ADMIN.username, creds.password(ADMIN)),
            ),
        ),
        Service(
            name="smtp",
            version=f"aiosmtpd {version('aiosmtpd')}",
            ports=(ports.stack_smtp_port,),
            start_timeout_s=30.0,
            stop_timeout_s=10.0,
            prepare=partial(_prepare_smtp, layout, ports.stack_smtp_port),
            check=partial(health.check_smtp, ports.stack_smtp_port),
        ),
        # Launched with the others (it boots in ~50 s on 2 cores); healthy once the realm
        # is imported. Its management port (health, metrics) is the next one up.
        Service(
            name="keycloak",
            version=artifacts.KEYCLOAK_VERSION,
            ports=(ports.stack_keycloak_port, ports.stack_keycloak_port + 1),
            start_timeout_s=240.0,
            stop_timeout_s=30.0,
            prepare=partial(_prepare_keycloak, layout, ports.stack_keycloak_port),
            check=partial(health.check_keycloak, ports.stack_keycloak_port, keycloak_server.REALM),
        ),
    )


def provision_options(creds: StackCredentials) -> dict[str, object]:
    """The SASL options of the admin super user (health probes and provisioning)."""
    return {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": ADMIN.username,
        "sasl_plain_password": creds.password(ADMIN),
    }


def _prepare_kafka(
    layout: StackLayout, ports: tuple[int, int], creds: StackCredentials, say: Say
) -> LaunchPlan:
    libs_dir = artifacts.fetch_kafka(layout.cache_dir, say)
    return kafka_server.prepare(
        base=layout.service_dir("kafka"),
        java=java_executable(find_java_home()),
        libs_dir=libs_dir,
        ports=ports,
        log_path=layout.log_file("kafka"),
        admin=ADMIN.username,
        scram=creds.kafka_users(),
    )


def _prepare_elasticsearch(
    layout: StackLayout, ports: StackSettings, creds: StackCredentials, say: Say
) -> LaunchPlan:
    es_home = artifacts.fetch_elasticsearch(layout.cache_dir, say)
    return es_server.prepare(
        base=layout.service_dir("elasticsearch"),
        es_home=es_home,
        java_home=find_java_home(),
        http_port=ports.stack_es_port,
        transport_port=ports.stack_es_transport_port,
        say=say,
        roles=es_roles(),
        users=es_users(creds.passwords),
    )


def _prepare_keycloak(layout: StackLayout, port: int, say: Say) -> LaunchPlan:
    dist_home = artifacts.fetch_keycloak(layout.cache_dir, say)
    return keycloak_server.prepare(
        base=layout.service_dir("keycloak"),
        dist_home=dist_home,
        java_home=find_java_home_at_least(KEYCLOAK_MIN_JAVA),
        port=port,
    )


def _prepare_smtp(layout: StackLayout, port: int, say: Say) -> LaunchPlan:
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
        str(port),
        "--maildir",
        str(layout.maildir),
    )
    env = {**os.environ, "PYTHONPATH": python_path, "PYTHONUNBUFFERED": "1"}
    return LaunchPlan(command=command, env=env, marker=str(layout.maildir))
