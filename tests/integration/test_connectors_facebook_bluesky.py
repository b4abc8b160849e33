"""The connector runner with the Facebook and Bluesky endpoints, over HTTP into real Kafka."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.pipeline_names import PipelineNames
from tests.builders import SAMPLE_DISTRICT
from tests.fake_platforms.bluesky_appview import FakeAppView, xrpc_error
from tests.fake_platforms.facebook_graph import PAGE_TOKEN, FakeGraph
from tests.fake_platforms.server import FakeServer, Reply
from tests.integration.conftest import REPO, TAPWATCH, read_topic, service_env

# The connectors run as their own identity, on topics the admin created.
pytestmark = pytest.mark.usefixtures("admin_topics")

PAGE = "100200300"
STUDENT_FB = "555000111"
STAFF_DID = "did:plc:staffteacher0001"
STUDENT_DID = "did:plc:student00000001"
TOKEN_ENV = "TAPWATCH_CONNECTOR_TEST_FB_TOKEN"


def _ago(hours: float) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)


@pytest.fixture
def platforms() -> Iterator[tuple[FakeGraph, FakeServer, FakeAppView, FakeServer]]:
    """A page with posts, overflowing comments and an inbox; a teacher on Bluesky."""
    graph = FakeGraph(PAGE, page_cap=2)
    for number in range(1, 4):
        post = graph.add_post(number, _ago(number * 5), f"Invented announcement {number}")
        for comment in range(1, 5):
            graph.add_comment(post, comment, _ago(number * 5 - comment / 10), "Hi", STUDENT_FB)
    talk = graph.add_conversation("talk1", _ago(1), [PAGE, STUDENT_FB])
    for number in range(1, 4):
        graph.add_message(talk, f"talk{number}", _ago(4 - number), "Hello", STUDENT_FB, PAGE)
    appview = FakeAppView(page_cap=2)
    for number in range(1, 4):
        appview.add_post(STAFF_DID, f"s{number}", _ago(number * 5), f"Invented post {number}")
    parent = f"at://{STAFF_DID}/app.bsky.feed.post/s1"
    appview.add_post(STUDENT_DID, "r1", _ago(4), "Question", parent=parent)
    with FakeServer(graph) as fb_server, FakeServer(appview) as bsky_server:
        yield graph, fb_server, appview, bsky_server


def _district(tmp_path: Path, fb_url: str, bsky_url: str) -> Path:
    district = tmp_path / "district"
    shutil.copytree(SAMPLE_DISTRICT, district)
    (district / "connectors.yaml").write_text(
        "defaults: {poll_interval: 1, max_interval: 60}\n"
        "facebook:\n"
        f"  base_url: {fb_url}\n"
        f"  credentials: {{page_token: {TOKEN_ENV}}}\n"
        "  accounts:\n"
        f'    - account_id: "{PAGE}"\n'
        "      endpoints: [feed, conversations]\n"
        "bluesky:\n"
        f"  base_url: {bsky_url}\n"
        "  accounts:\n"
        f'    - account_id: "{STAFF_DID}"\n'
        "      endpoints: [author_feed]\n"
    )
    return district


def _run_once(names: PipelineNames, district: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TAPWATCH, "ingest", "run", "--district", str(district), "--once"],
        cwd=REPO,
        env={**service_env(names, "connectors"), TOKEN_ENV: PAGE_TOKEN},
        text=True,
        capture_output=True,
        timeout=180,
        check=False,
    )


def _post_ids(names: PipelineNames) -> list[str]:
    return [json.loads(value or b"")["post_id"] for _, value in read_topic(names.posts)]


EXPECTED = (
    {f"{PAGE}_{n}" for n in range(1, 4)}
    | {f"{n}_{c}" for n in range(1, 4) for c in range(1, 5)}
    | {f"m_talk{n}" for n in range(1, 4)}
    | {f"at://{STAFF_DID}/app.bsky.feed.post/s{n}" for n in range(1, 4)}
    | {f"at://{STUDENT_DID}/app.bsky.feed.post/r1"}
)


def test_facebook_and_bluesky_posts_arrive_once_through_rate_limits_and_errors(
    names: PipelineNames,
    platforms: tuple[FakeGraph, FakeServer, FakeAppView, FakeServer],
    tmp_path: Path,
) -> None:
    """Every post, comment, message and reply lands in Kafka once, after a 429 and a 500."""
    graph, fb_server, appview, bsky_server = platforms
    district = _district(tmp_path, fb_server.url, bsky_server.url)
    throttled = {"error": {"message": "Page request limit reached", "code": 32}}
    graph.fail_next("/comments", Reply.json(throttled, status=429, headers={"Retry-After": "1"}))
    appview.fail_next("getPostThread", xrpc_error(500, "InternalServerError", "boom"))
    first = _run_once(names, district)
    assert first.returncode == 0, first.stdout + first.stderr
    ids = _post_ids(names)
    assert set(ids) == EXPECTED
    assert len(ids) == len(set(ids)), "a post was published twice"
    second = _run_once(names, district)
    assert second.returncode == 0, second.stdout + second.stderr
    assert sorted(_post_ids(names)) == sorted(ids), "a second poll published again"
