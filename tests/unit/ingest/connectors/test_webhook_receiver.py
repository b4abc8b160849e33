"""The Facebook webhook receiver over real HTTP, delivering into an in-memory sink."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

import httpx
from aiohttp import web
from pydantic import SecretStr

from core.clock import ManualClock
from core.component_status import ComponentStatus
from core.errors import TransientError
from ingest.connectors.webhook import WEBHOOK_PATH, FacebookWebhookReceiver
from ingest.connectors.webhook_settings import FacebookWebhookSettings
from ingest.connectors.webhook_signature import sign
from ingest.dead_letter import DeadLetter
from ingest.post import Post, PostKind

SECRET = "invented-app-secret"
VERIFY = "invented-verify-token"
NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
T = TypeVar("T")


class MemorySink:
    """Keeps what a Kafka sink would publish; `fail` makes Kafka refuse to acknowledge."""

    def __init__(self) -> None:
        self.raw: list[str] = []
        self.posts: list[Post] = []
        self.letters: list[DeadLetter] = []
        self.fail = False

    def deliver(
        self, raw: str | None, posts: Sequence[Post], letters: Sequence[DeadLetter]
    ) -> None:
        if self.fail:
            raise TransientError("1 records were not acknowledged by Kafka")
        if raw is not None:
            self.raw.append(raw)
        self.posts.extend(posts)
        self.letters.extend(letters)


class MemoryBoard:
    def __init__(self) -> None:
        self.statuses: list[ComponentStatus] = []

    def publish(self, *statuses: ComponentStatus) -> None:
        self.statuses.extend(statuses)


def settings(max_body_bytes: int = 1024 * 1024) -> FacebookWebhookSettings:
    return FacebookWebhookSettings(
        app_secret=SecretStr(SECRET), verify_token=SecretStr(VERIFY), max_body_bytes=max_body_bytes
    )


def run(
    scenario: Callable[[httpx.AsyncClient, str], Awaitable[T]],
    sink: MemorySink,
    board: MemoryBoard | None = None,
    max_body_bytes: int = 1024 * 1024,
) -> T:
    """Serve a receiver on a free port and run `scenario(client, url)` against it."""

    async def main() -> T:
        receiver = FacebookWebhookReceiver(
            "test-district", settings(max_body_bytes), sink, board, clock=ManualClock(NOW)
        )
        runner = web.AppRunner(receiver.app())
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        try:
            async with httpx.AsyncClient() as client:
                return await scenario(client, f"http://{host}:{port}{WEBHOOK_PATH}")
        finally:
            await runner.cleanup()

    return asyncio.run(main())


def delivery(message: str = "When is the quiz?", comment_id: str = "1_77") -> bytes:
    change = {
        "field": "feed",
        "value": {
            "item": "comment",
            "verb": "add",
            "post_id": "100200300_1",
            "comment_id": comment_id,
            "parent_id": "100200300_1",
            "created_time": 1714996800,
            "from": {"id": "555000111", "name": "Invented Student"},
            "message": message,
        },
    }
    entry = {"id": "100200300", "time": 1714996800, "changes": [change]}
    return json.dumps({"object": "page", "entry": [entry]}).encode()


def post_signed(
    body: bytes, signature: str | None = None
) -> Callable[[httpx.AsyncClient, str], Awaitable[httpx.Response]]:
    headers = {"Content-Type": "application/json"}
    headers["X-Hub-Signature-256"] = signature or sign(body, SECRET.encode())

    async def scenario(client: httpx.AsyncClient, url: str) -> httpx.Response:
        return await client.post(url, content=body, headers=headers)

    return scenario


def get(params: dict[str, str]) -> Callable[[httpx.AsyncClient, str], Awaitable[httpx.Response]]:
    async def scenario(client: httpx.AsyncClient, url: str) -> httpx.Response:
        return await client.get(url, params=params)

    return scenario


class TestHandshake:
    def test_the_right_verify_token_echoes_the_challenge(self) -> None:
        """hub.mode=subscribe with our token answers 200 with hub.challenge as the body."""
        params = {
            "hub.mode": "subscribe",
            "hub.verify_token": VERIFY,
            "hub.challenge": "1158201444",
        }
        response = run(get(params), MemorySink())
        assert response.status_code == 200
        assert response.text == "1158201444"

    def test_a_wrong_verify_token_is_forbidden(self) -> None:
        """Another token answers 403 without the challenge."""
        params = {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "42"}
        response = run(get(params), MemorySink())
        assert response.status_code == 403
        assert "42" not in response.text

    def test_another_mode_is_forbidden(self) -> None:
        """Only hub.mode=subscribe is answered."""
        params = {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY, "hub.challenge": "42"}
        assert run(get(params), MemorySink()).status_code == 403


class TestSignedDeliveries:
    def test_a_signed_delivery_is_published_and_acknowledged(self) -> None:
        """A right signature: 200 after the comment and the raw body were delivered."""
        sink = MemorySink()
        response = run(post_signed(delivery()), sink)
        assert response.status_code == 200
        assert [(p.post_id, p.kind, p.thread_id) for p in sink.posts] == [
            ("1_77", PostKind.COMMENT, "100200300_1")
        ]
        assert sink.raw == [delivery().decode()]

    def test_html_and_script_text_is_kept_as_text(self) -> None:
        """Markup in a message does not break the delivery; the post carries the words."""
        sink = MemorySink()
        body = delivery("<b>hi</b> <script>alert('x')</script> see you")
        assert run(post_signed(body), sink).status_code == 200
        assert len(sink.posts) == 1 and "see you" in sink.posts[0].text

    def test_a_refused_change_goes_to_the_dead_letters(self) -> None:
        """A change the parser refuses is dead-lettered with its reason; the answer is 200."""
        sink = MemorySink()
        response = run(post_signed(delivery(comment_id="not-an-id")), sink)
        assert response.status_code == 200
        assert sink.posts == []
        assert len(sink.letters) == 1 and "comment_id" in sink.letters[0].reason

    def test_kafka_not_acknowledging_answers_503(self) -> None:
        """Facebook retries a delivery that was not stored: the answer is not 200."""
        sink = MemorySink()
        sink.fail = True
        board = MemoryBoard()
        response = run(post_signed(delivery()), sink, board)
        assert response.status_code == 503
        assert board.statuses[-1].last_error is not None
        assert board.statuses[-1].consecutive_failures == 1


class TestRefusals:
    def test_an_unsigned_delivery_is_refused_401(self) -> None:
        """No X-Hub-Signature-256: 401 and nothing kept."""
        sink = MemorySink()

        async def scenario(client: httpx.AsyncClient, url: str) -> httpx.Response:
            return await client.post(url, content=delivery())

        assert run(scenario, sink).status_code == 401
        assert (sink.raw, sink.posts, sink.letters) == ([], [], [])

    def test_a_wrong_signature_is_refused_403(self) -> None:
        """Signed with another secret: 403 and nothing kept."""
        sink = MemorySink()
        response = run(post_signed(delivery(), sign(delivery(), b"guess")), sink)
        assert response.status_code == 403
        assert (sink.raw, sink.posts, sink.letters) == ([], [], [])

    def test_a_tampered_body_is_refused_403(self) -> None:
        """The signature of another body does not cover this one."""
        sink = MemorySink()
        signature = sign(delivery("original"), SECRET.encode())
        assert run(post_signed(delivery("changed"), signature), sink).status_code == 403
        assert sink.posts == []

    def test_a_malformed_signature_is_refused_403(self) -> None:
        """A header that is not sha256=<64 hex> is refused."""
        assert run(post_signed(delivery(), "sha256=nothex"), MemorySink()).status_code == 403

    def test_an_oversized_body_is_refused_413(self) -> None:
        """A body over the limit is refused before it is parsed."""
        sink = MemorySink()
        body = delivery("x" * 5000)
        assert run(post_signed(body), sink, max_body_bytes=2048).status_code == 413
        assert sink.posts == [] and sink.letters == []

    def test_signed_invalid_json_is_400_and_dead_lettered(self) -> None:
        """A signed body that is not JSON answers 400 and leaves a dead letter with the reason."""
        sink = MemorySink()
        body = b'{"object": "page", "entry": ['
        assert run(post_signed(body), sink).status_code == 400
        assert len(sink.letters) == 1
        assert sink.letters[0].reason.startswith("webhook body is not JSON")
        assert sink.letters[0].value == body

    def test_signed_invalid_utf8_is_400_and_dead_lettered(self) -> None:
        """A signed body with a byte that is not UTF-8 answers 400 with a dead letter."""
        sink = MemorySink()
        body = delivery().replace(b"quiz", b"qu\xffz")
        assert run(post_signed(body), sink).status_code == 400
        assert "not UTF-8" in sink.letters[0].reason

    def test_get_of_another_path_is_not_found(self) -> None:
        """Only the webhook path is served."""

        async def scenario(client: httpx.AsyncClient, url: str) -> httpx.Response:
            return await client.get(url.replace(WEBHOOK_PATH, "/admin"))

        assert run(scenario, MemorySink()).status_code == 404


class TestStatus:
    def test_the_status_board_shows_the_webhook_and_its_counts(self) -> None:
        """Start and each delivery publish `webhook:{district}:facebook` with counts."""
        board = MemoryBoard()
        run(post_signed(delivery()), MemorySink(), board)
        first, last = board.statuses[0], board.statuses[-1]
        assert first.component == "webhook:test-district:facebook" and first.kind == "webhook"
        assert last.last_success_at == NOW
        assert last.details["posts"] == 1 and last.details["deliveries"] == 1


class HoldingSink(MemorySink):
    """A sink whose Kafka is slow: each delivery waits until `release` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def deliver(
        self, raw: str | None, posts: Sequence[Post], letters: Sequence[DeadLetter]
    ) -> None:
        self.release.wait(5)
        super().deliver(raw, posts, letters)


class TestHostileDeliveries:
    def test_an_integer_of_5000_digits_is_400_and_dead_lettered(self) -> None:
        """JSON Python refuses to convert is bad input: 400 and a dead letter, not a 500."""
        sink = MemorySink()
        body = b'{"object": "page", "entry": [{"id": ' + b"9" * 5_000 + b"}]}"
        response = run(post_signed(body), sink)
        assert response.status_code == 400
        assert len(sink.letters) == 1 and "4300" in sink.letters[0].reason.replace(",", "")

    def test_deliveries_beyond_the_cap_are_answered_503_at_once(self) -> None:
        """With every slot waiting on Kafka, one more delivery is turned away, not queued."""
        sink = HoldingSink()

        async def scenario(client: httpx.AsyncClient, url: str) -> list[int]:
            headers = {"X-Hub-Signature-256": sign(delivery(), SECRET.encode())}
            held = [
                asyncio.create_task(client.post(url, content=delivery(), headers=headers))
                for _ in range(8)
            ]
            await asyncio.sleep(0.5)
            extra = await client.post(url, content=delivery(), headers=headers)
            sink.release.set()
            return [extra.status_code] + [(await task).status_code for task in held]

        statuses = run(scenario, sink)
        assert statuses[0] == 503 and statuses[1:] == [200] * 8

    def test_a_chunked_body_over_the_limit_is_refused_413(self) -> None:
        """A body without Content-Length is read in chunks and refused past the limit."""

        async def chunks():  # type: ignore[no-untyped-def]
            for _ in range(40):
                yield b"x" * 1024

        async def scenario(client: httpx.AsyncClient, url: str) -> httpx.Response:
            return await client.post(url, content=chunks(), headers={"X-Hub-Signature-256": "x"})

        response = run(scenario, MemorySink(), max_body_bytes=16 * 1024)
        assert response.status_code == 413
