"""Asks each local server a real question (metadata, cluster health, EHLO) and waits on it."""

from __future__ import annotations

import smtplib
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from kafka import KafkaAdminClient
from kafka.errors import KafkaError

HOST = "127.0.0.1"
# Per-probe network timeout (seconds).
PROBE_TIMEOUT_S = 5.0
# Pause between probes while waiting for a server to come up (seconds).
POLL_INTERVAL_S = 1.0


@dataclass(frozen=True, slots=True)
class Health:
    up: bool
    detail: str


def port_open(port: int, host: str = HOST, timeout_s: float = 1.0) -> bool:
    """True when something accepts a TCP connection on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False


def check_kafka(port: int, sasl: dict[str, object] | None = None) -> Health:
    """A metadata request (DescribeCluster) through kafka-python's admin client; `sasl` holds
    the security options of an authenticated broker."""
    # Without this, kafka-python would log reconnect warnings for a closed port.
    if not port_open(port):
        return Health(False, f"nothing listens on {HOST}:{port}")
    timeout_ms = int(PROBE_TIMEOUT_S * 1000)
    try:
        admin = KafkaAdminClient(
            bootstrap_servers=[f"{HOST}:{port}"],
            client_id="tapwatch-stack-health",
            request_timeout_ms=timeout_ms,
            bootstrap_timeout_ms=timeout_ms,
            **(sasl or {}),
        )
    except KafkaError as exc:
        return Health(False, f"no broker answered: {exc!r}")
    try:
        cluster = admin.describe_cluster()
    except KafkaError as exc:
        return Health(False, f"metadata request failed: {exc!r}")
    finally:
        admin.close()
    brokers = cluster.get("brokers") or []
    if not brokers:
        return Health(False, "metadata lists no broker yet")
    return Health(True, f"{len(brokers)} broker(s), cluster id {cluster.get('cluster_id')}")


def check_elasticsearch(port: int, auth: tuple[str, str] | None = None) -> Health:
    """GET /_cluster/health (as `auth`, a user and password, when security is on); green or
    yellow counts as up."""
    try:
        with httpx.Client(timeout=PROBE_TIMEOUT_S, auth=auth) as client:
            response = client.get(f"http://{HOST}:{port}/_cluster/health")
    except httpx.HTTPError as exc:
        return Health(False, f"no answer: {exc!r}")
    if response.status_code != 200:
        return Health(False, f"HTTP {response.status_code}: {response.text[:200]}")
    status = response.json().get("status")
    return Health(status in ("green", "yellow"), f"cluster status {status}")


def check_smtp(port: int) -> Health:
    """Connect, EHLO and NOOP."""
    try:
        with smtplib.SMTP(HOST, port, timeout=PROBE_TIMEOUT_S) as client:
            code, _ = client.ehlo()
            if code != 250:
                return Health(False, f"EHLO answered {code}")
            code, _ = client.noop()
    except (OSError, smtplib.SMTPException) as exc:
        return Health(False, f"no answer: {exc!r}")
    return Health(code == 250, f"EHLO and NOOP answered (NOOP {code})")


def check_keycloak(port: int, realm: str) -> Health:
    """GET the realm's OpenID discovery document (answers only once the realm is imported)."""
    url = f"http://{HOST}:{port}/realms/{realm}/.well-known/openid-configuration"
    try:
        with httpx.Client(timeout=PROBE_TIMEOUT_S) as client:
            response = client.get(url)
    except httpx.HTTPError as exc:
        return Health(False, f"no answer: {exc!r}")
    if response.status_code != 200:
        return Health(False, f"HTTP {response.status_code} for realm {realm}")
    return Health(True, f"realm {realm}, issuer {response.json().get('issuer')}")


def wait_until_up(
    check: Callable[[], Health], still_running: Callable[[], bool], timeout_s: float
) -> Health:
    """Probe until `check` says up, the process dies, or `timeout_s` passes."""
    deadline = time.monotonic() + timeout_s
    while True:
        health = check()
        if health.up:
            return health
        if not still_running():
            return Health(False, f"the process exited (last probe: {health.detail})")
        if time.monotonic() >= deadline:
            return Health(False, f"not healthy after {timeout_s:.0f}s (last: {health.detail})")
        time.sleep(POLL_INTERVAL_S)
