"""The Facebook page webhook receiver: an aiohttp app that turns signed deliveries into posts.

    GET  /webhooks/facebook   subscription handshake: `hub.mode=subscribe` and our
                              `hub.verify_token` -> 200 with `hub.challenge`; else 403
    POST /webhooks/facebook   one delivery:
         more deliveries in hand than the cap -> 503 at once (Facebook retries)
         body over the limit               -> 413 (read in chunks, never past the limit)
         no X-Hub-Signature-256            -> 401 (unsigned: nothing is kept)
         malformed or wrong signature      -> 403 (nothing is kept)
         not UTF-8 JSON, or JSON Python cannot hold (an integer of 4,300+ digits, nesting too
         deep), or a payload the parser cannot read -> 400, after a dead letter with the reason
         parsed: posts and refusals (dead letters) published, and Kafka acknowledged
                                           -> 200; Kafka failed -> 503, so Facebook retries

Only a signed body is parsed or stored. Deliveries are handed to Kafka one at a time
so that each answer reflects the acknowledgement of its own records.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from aiohttp import web

from core.clock import Clock
from core.component_status import ComponentStatus, new_status
from ingest.connectors.webhook_settings import FacebookWebhookSettings
from ingest.connectors.webhook_signature import (
    SIGNATURE_HEADER,
    SignatureCheck,
    check_signature,
    check_verify_token,
)
from ingest.dead_letter import DeadLetter
from ingest.facebook import parse_facebook_webhook
from ingest.kafka_publisher import PostPublisher
from ingest.parser import ParseResult, one_line
from ingest.post import Post

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/facebook"
PLATFORM = "facebook"
SOURCE = "webhook:facebook"


class DeliverySink(Protocol):
    """Where accepted deliveries go; `deliver` returns once Kafka acknowledged them all."""

    def deliver(
        self, raw: str | None, posts: Sequence[Post], letters: Sequence[DeadLetter]
    ) -> None:
        """Publish the raw body (None: not JSON), posts and dead letters; raise if not acked."""
        ...


class StatusSink(Protocol):
    def publish(self, *statuses: ComponentStatus) -> None: ...


class KafkaDeliverySink:
    """Delivers through the ingest PostPublisher (acks=all, idempotent)."""

    def __init__(self, publisher: PostPublisher, district_id: str) -> None:
        self._publisher = publisher
        self._district_id = district_id

    def deliver(
        self, raw: str | None, posts: Sequence[Post], letters: Sequence[DeadLetter]
    ) -> None:
        if raw is not None:
            self._publisher.publish_raw(self._district_id, PLATFORM, SOURCE, raw)
        self._publisher.publish_posts(posts)
        for letter in letters:
            self._publisher.publish_dead_letter(letter)
        self._publisher.flush()


@dataclass
class _Counters:
    deliveries: int = 0
    posts: int = 0
    refused: int = 0
    invalid: int = 0
    unsigned: int = 0
    bad_signature: int = 0
    busy: int = 0

    def details(self) -> dict[str, int | float | str]:
        return {
            "deliveries": self.deliveries,
            "posts": self.posts,
            "refused": self.refused,
            "invalid": self.invalid,
            "unsigned": self.unsigned,
            "bad_signature": self.bad_signature,
            "busy": self.busy,
        }


@dataclass
class FacebookWebhookReceiver:
    """The receiver of one district's page webhooks; `app()` builds the aiohttp application."""

    district_id: str
    settings: FacebookWebhookSettings
    sink: DeliverySink
    status_sink: StatusSink | None = None
    # Keyword-only and required: the entry point passes the one clock down.
    clock: Clock = field(kw_only=True)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _slots: asyncio.Semaphore | None = None
    _counters: _Counters = field(default_factory=_Counters)
    _status: ComponentStatus | None = None

    @property
    def component(self) -> str:
        return f"webhook:{self.district_id}:facebook"

    def app(self) -> web.Application:
        app = web.Application(client_max_size=self.settings.max_body_bytes)
        app.router.add_get(WEBHOOK_PATH, self.verify)
        app.router.add_post(WEBHOOK_PATH, self.receive)
        app.on_startup.append(self._started)
        return app

    async def _started(self, app: web.Application) -> None:
        self._status = new_status(
            self.component, "webhook", self.clock.now(), district_id=self.district_id
        )
        await self._publish_status()

    async def verify(self, request: web.Request) -> web.Response:
        """The subscription handshake Facebook makes when the webhook is set up."""
        query = request.query
        token = self.settings.verify_token.get_secret_value()
        if query.get("hub.mode") == "subscribe" and check_verify_token(
            query.get("hub.verify_token"), token
        ):
            log.info("webhook.subscription_verified component=%s", self.component)
            return web.Response(text=query.get("hub.challenge", ""), content_type="text/plain")
        log.warning("webhook.subscription_refused component=%s", self.component)
        return web.Response(status=403, text="verify token mismatch")

    async def receive(self, request: web.Request) -> web.Response:
        """One delivery: checked, parsed, published, and answered once Kafka has it."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.settings.max_concurrent_deliveries)
        if self._slots.locked():
            self._counters.busy += 1
            return web.Response(status=503, text="busy; retry")
        async with self._slots:
            return await self._receive(request)

    async def _receive(self, request: web.Request) -> web.Response:
        if (request.content_length or 0) > self.settings.max_body_bytes:
            return web.Response(status=413, text="body too large")
        body = await _read_bounded(request, self.settings.max_body_bytes)
        if body is None:
            return web.Response(status=413, text="body too large")
        secret = self.settings.app_secret.get_secret_value().encode()
        check = check_signature(body, request.headers.get(SIGNATURE_HEADER), secret)
        if check is SignatureCheck.MISSING:
            self._counters.unsigned += 1
            log.warning("webhook.unsigned_refused component=%s", self.component)
            return web.Response(status=401, text="missing X-Hub-Signature-256")
        if check is not SignatureCheck.VALID:
            self._counters.bad_signature += 1
            log.warning(
                "webhook.signature_refused component=%s check=%s", self.component, check.value
            )
            return web.Response(status=403, text="invalid signature")
        # Decoding and parsing are CPU work: off the loop, so other deliveries go on.
        result, problem = await asyncio.to_thread(read_delivery, body, self.district_id)
        if result is None:
            return await self._refuse(body, problem or "webhook body not readable")
        letters = [
            DeadLetter("ingest", refusal.reason, refusal.item.encode(), source=SOURCE)
            for refusal in result.refused
        ]
        if not await self._deliver(body.decode(), result.posts, letters):
            return web.Response(status=503, text="not stored; retry")
        return web.Response(text="EVENT_RECEIVED")

    async def _refuse(self, body: bytes, problem: str) -> web.Response:
        """400 for a signed body that is no delivery, once its dead letter is stored."""
        self._counters.invalid += 1
        letter = DeadLetter("ingest", problem, body, source=SOURCE)
        if not await self._deliver(None, (), (letter,)):
            return web.Response(status=503, text="not stored; retry")
        return web.Response(status=400, text=problem)

    async def _deliver(
        self, raw: str | None, posts: Sequence[Post], letters: Sequence[DeadLetter]
    ) -> bool:
        async with self._lock:
            try:
                await asyncio.to_thread(self.sink.deliver, raw, posts, letters)
            except Exception as exc:  # any failure to store means: answer so that Facebook retries
                log.error("webhook.delivery_failed component=%s error=%s", self.component, exc)
                self._record(error=f"Kafka did not acknowledge a delivery: {one_line(str(exc))}")
                await self._publish_status()
                return False
            self._counters.deliveries += 1
            self._counters.posts += len(posts)
            self._counters.refused += len(letters) if raw is not None else 0
            self._record(error=None)
            await self._publish_status()
            return True

    def _record(self, error: str | None) -> None:
        now = self.clock.now()
        status = self._status or new_status(
            self.component, "webhook", now, district_id=self.district_id
        )
        details = self._counters.details()
        self._status = (
            status.failed(now, error, **details) if error else status.succeeded(now, **details)
        )

    async def _publish_status(self) -> None:
        if self.status_sink is None or self._status is None:
            return
        try:
            await asyncio.to_thread(self.status_sink.publish, self._status)
        except Exception as exc:  # the status board is advisory: a delivery never fails for it
            log.warning("webhook.status_not_published component=%s error=%s", self.component, exc)


def read_delivery(body: bytes, district_id: str) -> tuple[ParseResult | None, str | None]:
    """The posts and refusals of a signed delivery body, or None and why it is none.

    Never raises: a body that is not JSON, holds JSON Python cannot convert, or that
    the parser cannot read is a reason (answered 400 with a dead letter), not a crash.
    """
    payload, problem = _decode(body)
    if problem is not None:
        return None, problem
    try:
        return parse_facebook_webhook(payload, district_id), None
    except Exception as exc:  # a payload the parser cannot read is bad input, not a crash
        return None, f"webhook payload not readable: {one_line(str(exc))[:200]}"


def _decode(body: bytes) -> tuple[object, str | None]:
    """The JSON value of a delivery body, or the reason it is none."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"webhook body is not UTF-8 (byte {exc.start})"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"webhook body is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
    except RecursionError:
        return None, "webhook body is nested too deeply"
    except ValueError as exc:  # e.g. an integer past Python's 4,300-digit conversion limit
        return None, f"webhook body is not readable JSON: {one_line(str(exc))[:200]}"


async def _read_bounded(request: web.Request, limit: int) -> bytes | None:
    """The body, read in chunks and never past `limit` bytes; None when it is longer."""
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.content.iter_chunked(64 * 1024):
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
    except web.HTTPRequestEntityTooLarge:
        return None
    return b"".join(chunks)
