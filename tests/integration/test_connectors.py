"""Live connectors over real HTTP (local fake X and WordPress servers) into real Kafka."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.kafka_status_board import read_status_board
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings
from ingest.x_ids import snowflake_at
from tests.builders import SAMPLE_DISTRICT
from tests.fake_platforms.server import FakeServer, Reply
from tests.fake_platforms.wordpress_api import FakeWordPress
from tests.fake_platforms.x_api import FakeX, rate_limited, server_error
from tests.integration.conftest import REPO, TAPWATCH, env_for, read_topic, service_env

# The connectors run as their own identity, on topics the admin created.
pytestmark = pytest.mark.usefixtures("admin_topics")

TOKEN_ENV = "TAPWATCH_CONNECTOR_TEST_X_BEARER"
WP_PASSWORD_ENV = "TAPWATCH_CONNECTOR_TEST_WP_PASSWORD"


@pytest.fixture(scope="module")
def fake_x() -> Iterator[tuple[FakeX, FakeServer]]:
    """One fake X API for the module; each test uses accounts of its own."""
    platform = FakeX()
    with FakeServer(platform.handle) as server:
        yield platform, server


def _district(tmp_path: Path, connectors_yaml: str) -> Path:
    district = tmp_path / "district"
    shutil.copytree(SAMPLE_DISTRICT, district)
    (district / "connectors.yaml").write_text(connectors_yaml)
    return district


def _x_yaml(url: str, *accounts: str, endpoints: str = "[timeline]", options: str = "") -> str:
    lines = [
        "defaults: {poll_interval: 1, max_interval: 60}",
        "twitter:",
        f"  base_url: {url}",
        f"  credentials: {{bearer_token: {TOKEN_ENV}}}",
        "  accounts:",
    ]
    for account in accounts:
        lines += [f'    - account_id: "{account}"', f"      endpoints: {endpoints}"]
        lines += [f"      {option.strip()}" for option in options.split(";") if option.strip()]
    return "\n".join(lines) + "\n"


def _env(names: PipelineNames) -> dict[str, str]:
    """The connectors' own identity (docs/security.md), and the platforms' test credentials."""
    return {
        **service_env(names, "connectors"),
        TOKEN_ENV: "test-token",
        WP_PASSWORD_ENV: "abcd efgh ijkl",
    }


def _run_once(
    names: PipelineNames, district: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TAPWATCH, "ingest", "run", "--district", str(district), "--once"],
        cwd=REPO,
        env=_env(names),
        text=True,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def _posts(names: PipelineNames, author: str | None = None) -> list[dict[str, object]]:
    posts = [json.loads(value) for _, value in read_topic(names.posts)]
    return [p for p in posts if author is None or p["author_account_id"] == author]


def _dead_letters(names: PipelineNames, source: str) -> list[dict[str, object]]:
    letters = [json.loads(value) for _, value in read_topic(names.posts_deadletter)]
    return [letter for letter in letters if letter.get("source") == source]


class TestXConnector:
    """The X connector: pages, retries, failures and crashes, over HTTP into Kafka."""

    def test_several_pages_arrive_once_and_a_second_poll_adds_nothing(
        self, names: PipelineNames, fake_x: tuple[FakeX, FakeServer], tmp_path: Path
    ) -> None:
        """Seven tweets over three pages are published once; polling again publishes none."""
        platform, server = fake_x
        account = "1500000000000000101"
        ids = {platform.add_tweet(account, f"Lab notes {n}", sequence=n) for n in range(7)}
        district = _district(tmp_path, _x_yaml(server.url, account))
        first = _run_once(names, district)
        assert first.returncode == 0, first.stdout + first.stderr
        assert len(server.requests_to(f"/2/users/{account}/tweets")) == 3
        assert sorted(p["post_id"] for p in _posts(names, account)) == sorted(ids)
        second = _run_once(names, district)
        assert second.returncode == 0, second.stdout + second.stderr
        assert len(_posts(names, account)) == 7
        last = server.requests_to(f"/2/users/{account}/tweets")[-1]
        assert last.param("since_id") == max(ids, key=int)
        board = read_status_board(KafkaSettings(), names)
        status = board[f"connector:wilmington-209u:twitter:{account}:timeline"]
        assert status.last_error is None and status.last_success_at is not None

    def test_a_429_is_waited_out_until_the_reset_time(
        self, names: PipelineNames, fake_x: tuple[FakeX, FakeServer], tmp_path: Path
    ) -> None:
        """A 429 with x-rate-limit-reset makes the connector wait until then and succeed."""
        platform, server = fake_x
        account = "1500000000000000102"
        tweet = platform.add_tweet(account, "Field trip forms due")
        platform.fail_next.append(rate_limited(reset_in_s=2))
        started = time.monotonic()
        result = _run_once(names, _district(tmp_path, _x_yaml(server.url, account)))
        assert result.returncode == 0, result.stdout + result.stderr
        calls = server.requests_to(f"/2/users/{account}/tweets")
        assert len(calls) == 2
        assert time.monotonic() - started >= 2
        assert [p["post_id"] for p in _posts(names, account)] == [tweet]

    def test_an_implausible_reset_is_capped_and_shown_as_a_warning_on_status(
        self, names: PipelineNames, fake_x: tuple[FakeX, FakeServer], tmp_path: Path
    ) -> None:
        """A 429 whose reset is in year 9999 waits 15 minutes at most, said on `tapwatch status`."""
        platform, server = fake_x
        account = "1500000000000000106"
        platform.add_tweet(account, "Choir practice moved")
        soon = rate_limited(reset_in_s=0)
        year_9999 = {**soon.headers, "x-rate-limit-reset": "253402300799"}
        platform.fail_next.append(dataclasses.replace(soon, headers=year_9999))
        district = _district(tmp_path, _x_yaml(server.url, account))
        component = f"connector:wilmington-209u:twitter:{account}:timeline"
        runner = subprocess.Popen(
            [*TAPWATCH, "ingest", "run", "--district", str(district)],
            cwd=REPO,
            env=_env(names),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            error = None
            while time.monotonic() < deadline and not error:
                status = read_status_board(KafkaSettings(), names).get(component)
                error = status.last_error if status else None
                time.sleep(0.5)
        finally:
            runner.send_signal(signal.SIGTERM)
            runner.wait(timeout=30)
        assert error is not None and "wait capped at 15 minutes (warning)" in error
        # District IT reads the board (the admin's identity): the connectors' may not read
        # the pipeline's consumer groups.
        shown = subprocess.run(
            [*TAPWATCH, "status"], cwd=REPO, env=env_for(names), text=True, capture_output=True
        )
        assert "wait capped at 15 minutes (warning)" in shown.stdout

    def test_a_500_is_retried_with_backoff(
        self, names: PipelineNames, fake_x: tuple[FakeX, FakeServer], tmp_path: Path
    ) -> None:
        """A server error is retried after a backoff and the posts still arrive."""
        platform, server = fake_x
        account = "1500000000000000103"
        tweet = platform.add_tweet(account, "Quiz moved to Friday")
        platform.fail_next.append(server_error())
        result = _run_once(names, _district(tmp_path, _x_yaml(server.url, account)))
        assert result.returncode == 0, result.stdout + result.stderr
        assert [p["post_id"] for p in _posts(names, account)] == [tweet]

    def test_one_failing_account_does_not_stop_the_others_and_says_why(
        self, names: PipelineNames, tmp_path: Path
    ) -> None:
        """An account whose API always fails is reported with its reason; the other is read."""
        good, bad = "1500000000000000104", "1500000000000000105"
        platform = FakeX()
        tweet = platform.add_tweet(good, "Science fair winners")

        def handle(request):  # type: ignore[no-untyped-def]
            if f"/users/{bad}/" in request.path:
                return Reply.json({"title": "Service Unavailable"}, 503)
            return platform.handle(request)

        with FakeServer(handle) as server:
            result = _run_once(names, _district(tmp_path, _x_yaml(server.url, good, bad)))
        assert result.returncode == 69, result.stdout + result.stderr  # EX_UNAVAILABLE
        assert f"twitter:{bad}:timeline: FAILED" in result.stdout
        assert [p["post_id"] for p in _posts(names, good)] == [tweet]
        board = read_status_board(KafkaSettings(), names)
        failing = board[f"connector:wilmington-209u:twitter:{bad}:timeline"]
        assert failing.last_error is not None and "HTTP 503" in failing.last_error
        assert bad in failing.last_error
        assert failing.consecutive_failures == 3
        assert board[f"connector:wilmington-209u:twitter:{good}:timeline"].last_error is None

    def test_killed_mid_poll_and_restarted_publishes_every_post_exactly_once(
        self, names: PipelineNames, tmp_path: Path
    ) -> None:
        """SIGKILL while pages are being written, then a restart: no loss, no duplicate."""
        account = "1500000000000000106"
        platform = FakeX(delay_s=0.1)
        ids = {platform.add_tweet(account, f"Homework {n}", sequence=n) for n in range(24)}
        with FakeServer(platform.handle) as server:
            district = _district(tmp_path, _x_yaml(server.url, account))
            for _ in range(2):
                before = len(read_topic(names.posts, committed=False))
                process = subprocess.Popen(
                    [*TAPWATCH, "ingest", "run", "--district", str(district), "--once"],
                    cwd=REPO,
                    env=_env(names),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                deadline = time.monotonic() + 60
                # Kill as soon as records of this run reach the topic (committed or not).
                while len(read_topic(names.posts, committed=False)) == before:
                    assert time.monotonic() < deadline and process.poll() is None
                    time.sleep(0.05)
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
            result = _run_once(names, district)
        assert result.returncode == 0, result.stdout + result.stderr
        published = [p["post_id"] for p in _posts(names, account)]
        assert sorted(published) == sorted(ids)  # each exactly once

    def test_bad_items_are_refused_with_a_reason_and_the_rest_published(
        self, names: PipelineNames, tmp_path: Path
    ) -> None:
        """Missing fields, wrong types and huge texts are dead-lettered; HTML is cleaned."""
        account = "1500000000000000107"
        platform = FakeX()
        good = platform.add_tweet(account, "<script>alert(1)</script>Read <b>chapter 3</b>")
        platform.add_tweet(account, "x" * 500_000, sequence=1)
        platform.tweets.append({"id": str(snowflake_at_now() + 2), "author_id": account})
        platform.tweets.append(
            {"id": str(snowflake_at_now() + 3), "author_id": account, "text": ["not", "text"]}
        )
        with FakeServer(platform.handle) as server:
            result = _run_once(names, _district(tmp_path, _x_yaml(server.url, account)))
        assert result.returncode == 0, result.stdout + result.stderr
        posts = _posts(names, account)
        assert [p["post_id"] for p in posts] == [good]
        assert "<script>" not in str(posts[0]["text"])
        letters = _dead_letters(names, f"twitter:{account}:timeline")
        assert len(letters) == 3
        assert all(letter["reason"] for letter in letters)

    def test_a_deleted_tweet_is_recorded_and_an_edited_one_is_a_second_version(
        self, names: PipelineNames, fake_x: tuple[FakeX, FakeServer], tmp_path: Path
    ) -> None:
        """The timeline's deletion window: after window_every, a poll lists the last
        window_days; a tweet gone from it is a deletion record. An edited tweet (a new
        id, the old one first in its edit history) is a second version of the same post."""
        platform, server = fake_x
        account = "1500000000000000109"
        kept, deleted, edited = (
            platform.add_tweet(account, f"Field trip note {n}", sequence=n) for n in range(3)
        )
        yaml_text = _x_yaml(server.url, account, options="window_every: 1s")
        district = _district(tmp_path, yaml_text)
        first = _run_once(names, district)
        assert first.returncode == 0, first.stdout + first.stderr
        time.sleep(1.1)  # the window is due again
        platform.delete_tweet(deleted)
        new_id = platform.edit_tweet(edited, "Field trip note 2: bring a packed lunch")
        second = _run_once(names, district)
        assert second.returncode == 0, second.stdout + second.stderr

        published = _posts(names, account)
        assert sorted(p["post_id"] for p in published) == sorted([kept, deleted, edited, edited])
        first, second = (p for p in published if p["post_id"] == edited)
        assert first["edited_at"] is None and second["edited_at"] is not None
        assert "packed lunch" in str(second["text"]) and str(second["url"]).endswith(new_id)
        deletions = [json.loads(value) for _, value in read_topic(names.post_deletions)]
        mine = [d for d in deletions if d["post_id"] in {kept, deleted, edited, new_id}]
        assert [d["post_id"] for d in mine] == [deleted]
        assert mine[0]["platform"] == "twitter" and mine[0]["thread_id"] == deleted
        board = read_status_board(KafkaSettings(), names)
        status = board[f"connector:wilmington-209u:twitter:{account}:timeline"]
        assert status.last_error is None

    def test_an_invalid_utf8_body_is_cleaned_not_fatal(
        self, names: PipelineNames, tmp_path: Path
    ) -> None:
        """A response with invalid UTF-8 bytes is decoded with replacement characters."""
        account = "1500000000000000108"
        item_id = str(snowflake_at_now())
        body = (
            b'{"data":[{"id":"'
            + item_id.encode()
            + b'","author_id":"'
            + account.encode()
            + b'","text":"caf\xe9 \xff menu","created_at":"2026-09-01T12:00:00.000Z",'
            + b'"conversation_id":"'
            + item_id.encode()
            + b'"}],"meta":{"result_count":1}}'
        )
        with FakeServer(lambda request: Reply.raw(body)) as server:
            result = _run_once(names, _district(tmp_path, _x_yaml(server.url, account)))
        assert result.returncode == 0, result.stdout + result.stderr
        [post] = _posts(names, account)
        assert post["text"] == "caf\ufffd \ufffd menu"


def snowflake_at_now() -> int:
    from datetime import UTC, datetime

    return snowflake_at(datetime.now(UTC))


class TestWordPressConnector:
    """The WordPress connector: edits become versions, deletions are recorded."""

    def test_an_edited_post_is_a_second_version_and_a_deleted_comment_is_recorded(
        self, names: PipelineNames, tmp_path: Path
    ) -> None:
        """A post edited between polls is published again; a trashed comment is a deletion."""
        blog = FakeWordPress(require_auth=("tapwatch-reader", "abcd efgh ijkl"))
        post = blog.add_post(7, "<p>Welcome back, biology students!</p>")
        comment = blog.add_comment(post, "A Parent", "<p>Thank you!</p>")
        with FakeServer(blog.handle) as server:
            yaml_text = (
                "defaults: {poll_interval: 1, max_interval: 60}\n"
                "wordpress:\n"
                "  accounts:\n"
                "    - account_id: ayers-bio\n"
                f"      url: {server.url}\n"
                "      user: tapwatch-reader\n"
                f"      credentials: {{app_password: {WP_PASSWORD_ENV}}}\n"
                "      endpoints: [posts, comments]\n"
                "      per_page: 1\n"
            )
            district = _district(tmp_path, yaml_text)
            first = _run_once(names, district)
            assert first.returncode == 0, first.stdout + first.stderr
            time.sleep(1.1)  # a new modified_gmt second
            blog.edit_post(post, "<p>Welcome back, biology students! Labs start Monday.</p>")
            blog.delete(comment)
            second = _run_once(names, district)
            assert second.returncode == 0, second.stdout + second.stderr
        versions = [p for p in _posts(names) if p["post_id"] == f"post-{post}"]
        assert len(versions) == 2
        assert "Labs start Monday" not in str(versions[0]["text"])
        assert "Labs start Monday" in str(versions[1]["text"])
        assert len([p for p in _posts(names) if p["post_id"] == f"comment-{comment}"]) == 1
        records = [json.loads(value) for _, value in read_topic(names.post_deletions)]
        deletions = [d for d in records if d["platform"] == "wordpress"]  # the module's topic
        assert [d["post_id"] for d in deletions] == [f"comment-{comment}"]
        assert deletions[0]["thread_id"] == f"post-{post}"
