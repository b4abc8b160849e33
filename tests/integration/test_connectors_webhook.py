"""`tapwatch ingest webhook` as a process: signed Facebook deliveries into real Kafka."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.kafka_status_board import read_status_board
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings
from ingest.connectors.webhook import WEBHOOK_PATH
from ingest.connectors.webhook_signature import sign
from policy.loader import load_district
from tests.builders import SAMPLE_DISTRICT
from tests.integration.conftest import REPO, TAPWATCH, read_topic, service_env

SECRET = "integration-app-secret"
VERIFY = "integration-verify-token"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def webhook_url(
    admin_topics: PipelineNames, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A running receiver in the module's namespace, as its own identity (no Elasticsearch
    credential, no topic creation: the admin made the topics); stopped afterwards."""
    names = admin_topics
    port = _free_port()
    log = (tmp_path_factory.mktemp("webhook") / "webhook.log").open("w")
    env = {
        **service_env(names, "webhook"),
        "TAPWATCH_FACEBOOK_APP_SECRET": SECRET,
        "TAPWATCH_FACEBOOK_VERIFY_TOKEN": VERIFY,
    }
    process = subprocess.Popen(
        [*TAPWATCH, "ingest", "webhook", "--district", str(SAMPLE_DISTRICT), "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    deadline = time.monotonic() + 60
    try:
        while True:
            assert process.poll() is None, "the webhook receiver exited at start"
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the webhook receiver did not start"
                time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _delivery(comment_id: str) -> bytes:
    value = {
        "item": "comment",
        "verb": "add",
        "post_id": "100200300_1",
        "comment_id": comment_id,
        "parent_id": "100200300_1",
        "created_time": 1714996800,
        "from": {"id": "555000111", "name": "Invented Student"},
        "message": "When is the quiz?",
    }
    entry = {"id": "100200300", "time": 1714996800, "changes": [{"field": "feed", "value": value}]}
    return json.dumps({"object": "page", "entry": [entry]}).encode()


def _post_ids(topic: str) -> list[str]:
    records = read_topic(topic, committed=False)
    return [json.loads(value or b"")["post_id"] for _, value in records]


def test_the_handshake_echoes_the_challenge(webhook_url: str) -> None:
    """The running receiver answers Facebook's subscription check."""
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "987"}
    response = httpx.get(webhook_url, params=params)
    assert (response.status_code, response.text) == (200, "987")
    params["hub.verify_token"] = "wrong"
    assert httpx.get(webhook_url, params=params).status_code == 403


def test_a_signed_delivery_is_in_kafka_when_answered(
    webhook_url: str, names: PipelineNames
) -> None:
    """200 comes after Kafka acknowledged: the comment is readable right away."""
    body = _delivery("1_501")
    response = httpx.post(
        webhook_url, content=body, headers={"X-Hub-Signature-256": sign(body, SECRET.encode())}
    )
    assert response.status_code == 200
    assert "1_501" in _post_ids(names.posts)


def test_wrongly_signed_and_unsigned_deliveries_leave_nothing(
    webhook_url: str, names: PipelineNames
) -> None:
    """403 and 401, and neither comment reaches Kafka."""
    wrong = _delivery("1_502")
    headers = {"X-Hub-Signature-256": sign(wrong, b"not-the-secret")}
    assert httpx.post(webhook_url, content=wrong, headers=headers).status_code == 403
    assert httpx.post(webhook_url, content=_delivery("1_503")).status_code == 401
    ids = _post_ids(names.posts)
    assert "1_502" not in ids and "1_503" not in ids


def test_the_status_board_shows_the_webhook(webhook_url: str, names: PipelineNames) -> None:
    """The receiver's component is on the status board with its last success."""
    body = _delivery("1_504")
    httpx.post(
        webhook_url, content=body, headers={"X-Hub-Signature-256": sign(body, SECRET.encode())}
    )
    district_id = load_district(Path(SAMPLE_DISTRICT)).settings.id
    board = read_status_board(KafkaSettings(), names)
    status = board[f"webhook:{district_id}:facebook"]
    assert status.kind == "webhook" and status.last_success_at is not None
