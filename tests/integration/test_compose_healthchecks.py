"""The compose healthchecks' `tapwatch status --kind` commands, run under each service's own
identity on the secured stack: each reads its component back from the status board."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.component_status import new_status
from core.kafka_admin import ensure_topics
from core.kafka_status_board import StatusBoardWriter
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings, StackSettings
from deploy import credentials, provision
from tests.integration.conftest import REPO, TAPWATCH, identity_env

# The compose file's healthchecks: service identity -> the kind its check asks for.
CHECKS = {"mailer": "mailer", "connectors": "connector", "retention": "retention"}


@pytest.fixture(scope="module")
def board(names: PipelineNames) -> PipelineNames:
    """The namespace's status board holding one healthy component of each checked kind.

    The identities' ACLs are put in place first, as `tapwatch stack up` does (creating an
    ACL that exists is a no-op), so a stack started before a grant was added has it."""
    stack_dir = StackSettings().stack_dir.expanduser().resolve()
    creds = credentials.load_or_create(stack_dir)
    provision.provision_kafka(StackSettings().stack_kafka_port, creds, print)
    kafka = KafkaSettings()
    ensure_topics(kafka, names)
    now = datetime.now(UTC)
    writer = StatusBoardWriter(kafka, names)
    try:
        writer.publish(
            *(new_status(kind, kind, now).succeeded(now) for kind in set(CHECKS.values()))
        )
    finally:
        writer.close()
    return names


def _status_as(identity: str, names: PipelineNames, *args: str) -> subprocess.CompletedProcess[str]:
    """`tapwatch status ARGS` holding only `identity`'s credentials (none of the admin's)."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("TAPWATCH_KAFKA_", "TAPWATCH_ES_"))
    }
    env |= identity_env(identity) | {"TAPWATCH_NAMESPACE": names.namespace}
    return subprocess.run(
        [*TAPWATCH, "status", *args],
        cwd=Path(REPO),
        env=env,
        text=True,
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(("identity", "kind"), sorted(CHECKS.items()))
def test_each_service_reads_its_own_status(board: PipelineNames, identity: str, kind: str) -> None:
    """The healthcheck's command exits 0 and shows the component, under the service's identity."""
    run = _status_as(identity, board, "--kind", kind, "--json")
    assert run.returncode == 0, run.stderr
    assert [json.loads(line)["kind"] for line in run.stdout.splitlines()] == [kind]


def test_the_worker_check_signs_in_and_reads_the_board(board: PipelineNames) -> None:
    """The worker's credentials read the board (the mailer's status), and its own check,
    `--kind worker --missing-ok`, passes while the worker publishes no status."""
    seen = _status_as("worker", board, "--kind", "mailer", "--json")
    assert seen.returncode == 0, seen.stderr
    assert seen.stdout.strip()
    assert _status_as("worker", board, "--kind", "worker", "--missing-ok").returncode == 0


def test_the_webhook_cannot_read_the_board(board: PipelineNames) -> None:
    """The webhook only produces: the board reads as empty to it, so its compose
    healthcheck asks its own port instead of `tapwatch status`."""
    run = _status_as("webhook", board, "--kind", "mailer", "--json")
    assert run.returncode != 0
    assert run.stdout.strip() == ""
