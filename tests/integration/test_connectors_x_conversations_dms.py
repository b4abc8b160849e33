"""X conversations and dm_events over real HTTP (the fake X API) into real Kafka."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from core.pipeline_names import PipelineNames
from ingest.connectors.oauth1_signing import OAuth1Credentials
from tests.builders import SAMPLE_DISTRICT
from tests.fake_platforms.server import FakeServer
from tests.fake_platforms.x_api import DM_EVENTS_PATH, SEARCH_PATH, FakeX
from tests.integration.conftest import REPO, TAPWATCH, service_env
from tests.integration.test_connectors import _posts

# The connectors run as their own identity, on topics the admin created.
pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("admin_topics")]

ACCOUNT = "1500000000000000221"
STUDENTS = ("1500000000000000321", "1500000000000000322", "1500000000000000323")
BEARER_ENV = "TAPWATCH_CONNECTOR_TEST_X_BEARER"
USER_ENV = "TAPWATCH_CONNECTOR_TEST_X_USER"
# Connector credentials must carry a connector prefix (ingest/connectors/config.py).
ENV_PREFIX = "TAPWATCH_CONNECTOR_TEST_X_"
BEARER = "integration-app-token"
USER_TOKEN = "integration-user-token"


def _connectors_yaml(url: str) -> str:
    return (
        "defaults: {poll_interval: 1, max_interval: 60}\n"
        "twitter:\n"
        f"  base_url: {url}\n"
        f"  credentials: {{bearer_token: {BEARER_ENV}}}\n"
        "  accounts:\n"
        f'    - account_id: "{ACCOUNT}"\n'
        "      endpoints: [conversations, dm_events]\n"
        f"      credentials: {{user_token: {USER_ENV}}}\n"
    )


def _run_once(names: PipelineNames, district: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TAPWATCH, "ingest", "run", "--district", str(district), "--once"],
        cwd=REPO,
        env={**service_env(names, "connectors"), BEARER_ENV: BEARER, USER_ENV: USER_TOKEN},
        text=True,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_every_reply_and_dm_arrives_once_and_a_second_run_publishes_nothing(
    names: PipelineNames, tmp_path: Path
) -> None:
    """Replies over several search pages and DMs over several pages reach Kafka exactly once."""
    now = datetime.now(UTC)
    platform = FakeX(bearer_token=BEARER, user_token=USER_TOKEN)
    expected: list[str] = []
    for n in range(2):
        root = platform.add_tweet(ACCOUNT, f"Announcement {n}", at=now - timedelta(hours=5 - n))
        for k in range(4):
            student = STUDENTS[k % len(STUDENTS)]
            at = now - timedelta(hours=4 - n, minutes=10 - k)
            expected.append(platform.add_reply(student, f"Reply {n}.{k}", root, at=at))
    group = (ACCOUNT, *STUDENTS)
    platform.add_dm(
        STUDENTS[0], group, "", at=now - timedelta(hours=3), event_type="ParticipantsJoin"
    )
    for k in range(5):
        pair = (ACCOUNT, STUDENTS[k % 2])
        sender = ACCOUNT if k % 2 else pair[1]
        expected.append(
            platform.add_dm(sender, pair, f"DM {k}", at=now - timedelta(hours=2, minutes=k))
        )
    district = tmp_path / "district"
    shutil.copytree(SAMPLE_DISTRICT, district)

    with FakeServer(platform.handle) as server:
        (district / "connectors.yaml").write_text(_connectors_yaml(server.url))
        first = _run_once(names, district)
        assert first.returncode == 0, first.stdout + first.stderr
        assert len(server.requests_to(SEARCH_PATH)) >= 2  # paged
        assert len(server.requests_to(DM_EVENTS_PATH)) == 2  # 6 events, 3 a page
        published = sorted(str(p["post_id"]) for p in _posts(names))
        assert published == sorted(expected)  # each exactly once, no root, no join event

        second = _run_once(names, district)
        assert second.returncode == 0, second.stdout + second.stderr
        assert sorted(str(p["post_id"]) for p in _posts(names)) == published
        last_search = server.requests_to(SEARCH_PATH)[-1]
        assert int(last_search.param("since_id") or 0) > max(int(i) for i in expected[:8])


def test_dms_read_with_oauth1_keys_from_the_environment(
    names: PipelineNames, tmp_path: Path
) -> None:
    """The long-lived OAuth 1.0a user context: the CLI reads the four variables and signs
    every dm_events request; the fake X checks each HMAC-SHA1 signature."""
    keys = {
        "consumer_key": ("TAPWATCH_CONNECTOR_TEST_X_CONSUMER_KEY", "integration-consumer-key"),
        "consumer_secret": (
            "TAPWATCH_CONNECTOR_TEST_X_CONSUMER_SECRET",
            "integration-consumer-secret",
        ),
        "access_token": ("TAPWATCH_CONNECTOR_TEST_X_ACCESS_TOKEN", f"{ACCOUNT}-integration-token"),
        "access_token_secret": (
            "TAPWATCH_CONNECTOR_TEST_X_ACCESS_TOKEN_SECRET",
            "integration-token-secret",
        ),
    }
    account = "1500000000000000222"
    platform = FakeX(
        oauth1=OAuth1Credentials(
            keys["consumer_key"][1],
            SecretStr(keys["consumer_secret"][1]),
            keys["access_token"][1],
            SecretStr(keys["access_token_secret"][1]),
        )
    )
    now = datetime.now(UTC)
    expected = [
        platform.add_dm(
            STUDENTS[0] if k % 2 else account,
            (account, STUDENTS[0]),
            f"DM {k}",
            at=now - timedelta(hours=1, minutes=k),
        )
        for k in range(4)
    ]
    district = tmp_path / "district"
    shutil.copytree(SAMPLE_DISTRICT, district)
    credentials = ", ".join(f"{key}: {env}" for key, (env, _) in keys.items())
    with FakeServer(platform.handle) as server:
        (district / "connectors.yaml").write_text(
            "defaults: {poll_interval: 1, max_interval: 60}\n"
            "twitter:\n"
            f"  base_url: {server.url}\n"
            "  accounts:\n"
            f'    - account_id: "{account}"\n'
            "      endpoints: [dm_events]\n"
            f"      credentials: {{{credentials}}}\n"
        )
        result = subprocess.run(
            [*TAPWATCH, "ingest", "run", "--district", str(district), "--once"],
            cwd=REPO,
            env={**service_env(names, "connectors"), **dict(keys.values())},
            text=True,
            capture_output=True,
            timeout=120,
            check=False,
        )
        requests = server.requests_to(DM_EVENTS_PATH)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(requests) == 2 and all(
        r.headers["authorization"].startswith("OAuth ") for r in requests
    )
    published = {str(p["post_id"]) for p in _posts(names)}
    assert set(expected) <= published
    assert "integration-token-secret" not in result.stdout + result.stderr
