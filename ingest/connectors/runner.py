"""Polls every followed endpoint on its interval and writes what it finds to Kafka.

For each page an endpoint yields, in this order:

1. parse each response with the platform's parser (`ingest.parsers.parser_for`);
2. drop items already published with the same version (to this endpoint or a sibling
   of the same platform), keep new items and new versions (edits), dead-letter
   refusals with their reason, and, when the page closes a complete window, record
   a PostDeletion for each remembered item of the window that is gone;
3. write the raw responses, posts, dead letters, deletions AND the endpoint's new
   state (cursor + known items) in ONE Kafka transaction, and wait for its commit
   (`kafka_page_writer`);
4. only then go on to the next page.

Delivery guarantee, as built: every item the platform returns is published to the
posts topic exactly once per version for readers with `isolation_level=
read_committed`, across crashes at any moment. A process killed before step 3
commits leaves an open transaction that the next process aborts on start
(`init_transactions`), then it resumes from the last committed cursor and known
items, which always describe exactly the committed posts: there is no window
between "posts acknowledged" and "cursor stored", because they are one commit. A
reader with `read_uncommitted` (Kafka's default; the Faust worker today) may also
see the records of an aborted page once: harmless downstream (alert ids are
derived from the post, writes are create-once) but not exactly-once. Items the
platform never returned (deleted before the first poll) cannot be seen. Limits:
known items are bounded (`known_items_days`, `known_items_max`): an item older
than that which a platform returns again is published again.

Failures: RateLimited waits until the platform's reset time (never drops, never
hammers); FetchFailed, network and Kafka errors back off exponentially with jitter,
per endpoint, while the others keep polling. After every attempt the endpoint's
ComponentStatus goes to the status board (id `connector:{district}:{platform}:
{account}:{endpoint}`, details: counts of the last poll, `failed` since start). Logs
name the component and the reason, never post text, people or credentials.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from core.clock import Clock
from core.component_status import ComponentStatus, new_status
from core.errors import PermanentError, TransientError
from core.pipeline_names import PipelineNames
from ingest.connectors.backoff import poll_backoff, rate_limit_capped, rate_limit_wait_s
from ingest.connectors.cursor_store import EndpointState
from ingest.connectors.errors import FetchFailed, RateLimited
from ingest.connectors.kafka_page_writer import OutRecord, WriterUnusable
from ingest.connectors.page_processing import (
    EndpointIdentity,
    KnownItemsLimits,
    PageCounts,
    process_page,
)
from ingest.connectors.registry import FollowedEndpoint
from ingest.parser import ResponseParser
from ingest.parsers import parser_for

log = logging.getLogger(__name__)

# With --once, an endpoint is tried this many times (failures and rate limits) before
# the run reports it failed.
ONCE_MAX_ATTEMPTS = 3

Sleep = Callable[[float], Awaitable[None]]


class PageSink(Protocol):
    """Writes one page's records atomically (the transactional Kafka writer)."""

    def commit_page(self, records: Sequence[OutRecord]) -> None: ...


class StatusSink(Protocol):
    """Publishes component statuses (the status board)."""

    def publish(self, *statuses: ComponentStatus) -> None: ...


def component_id(who: EndpointIdentity) -> str:
    return f"connector:{who.key}"


@dataclass(slots=True)
class EndpointOutcome:
    """How one endpoint ended a --once run (or the run, when stopped)."""

    component: str
    ok: bool
    counts: PageCounts = field(default_factory=PageCounts)
    error: str | None = None


class ConnectorRunner:
    """Runs every endpoint as its own task; one Kafka transaction at a time."""

    def __init__(
        self,
        district_id: str,
        followed: Sequence[FollowedEndpoint],
        *,
        client: httpx.AsyncClient,
        writer: PageSink,
        status: StatusSink,
        names: PipelineNames,
        states: dict[str, EndpointState],
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        parsers: Callable[[str], ResponseParser] = parser_for,
        once_attempts: int = ONCE_MAX_ATTEMPTS,
    ) -> None:
        self._district_id = district_id
        self._followed = tuple(followed)
        self._client = client
        self._writer = writer
        self._status = status
        self._names = names
        self._states = states
        self._clock = clock
        self._sleep = sleep
        self._rand = rand
        self._parsers = parsers
        self._once_attempts = once_attempts
        self._commit_lock = asyncio.Lock()
        self.outcomes: dict[str, EndpointOutcome] = {}

    async def run(self, *, once: bool) -> list[EndpointOutcome]:
        """Poll until cancelled, or (once) one successful poll of each endpoint.

        Raises WriterUnusable (the Kafka producer was fenced or broke) and
        PermanentError from a parser lookup: both stop every endpoint.
        """
        try:
            async with asyncio.TaskGroup() as group:
                for followed in self._followed:
                    group.create_task(self._follow(followed, once))
        except BaseExceptionGroup as failed:
            raise failed.exceptions[0] from None
        return list(self.outcomes.values())

    def _identity(self, followed: FollowedEndpoint) -> EndpointIdentity:
        endpoint = followed.endpoint
        return EndpointIdentity(
            self._district_id, endpoint.platform, endpoint.account_id, endpoint.name
        )

    async def _follow(self, followed: FollowedEndpoint, once: bool) -> None:
        who = self._identity(followed)
        timing = followed.account.timing
        component = component_id(who)
        outcome = EndpointOutcome(component, ok=False)
        self.outcomes[component] = outcome
        status = new_status(
            component,
            "connector",
            self._clock.now(),
            district_id=self._district_id,
            max_interval_s=timing.max_interval_s,
        )
        backoff = poll_backoff(timing.poll_interval_s)
        failures = attempts = failed_total = 0
        while True:
            attempts += 1
            counts = PageCounts()
            wait_s = timing.poll_interval_s
            try:
                await self._poll(followed, who, counts)
            except RateLimited as exc:
                error = f"rate limited until {exc.retry_at.isoformat()}"
                wait_s = rate_limit_wait_s(exc.retry_at, self._clock.now())
                if rate_limit_capped(exc.retry_at, self._clock.now()):
                    # Shown by `tapwatch status`: the platform's reset time is not believed.
                    error += f"; wait capped at {wait_s / 60:.0f} minutes (warning)"
            except (FetchFailed, TransientError) as exc:
                failures += 1
                error = _reason(exc)
                wait_s = backoff.delay_s(failures, self._rand())
            except (WriterUnusable, PermanentError):
                raise
            except Exception as exc:  # an endpoint bug fails this endpoint, not the others
                failures += 1
                error = f"internal error: {type(exc).__name__}"
                wait_s = backoff.delay_s(failures, self._rand())
            else:
                failures = 0
                outcome.ok, outcome.error, outcome.counts = True, None, counts
                status = status.succeeded(
                    self._clock.now(), **counts.as_details(), failed=failed_total
                )
                await self._publish(status)
                log.info("connector.polled component=%s %s", component, _counts_text(counts))
                if once:
                    return
                await self._sleep(wait_s)
                continue
            failed_total += 1
            outcome.ok, outcome.error, outcome.counts = False, error, counts
            status = status.failed(
                self._clock.now(), error, **counts.as_details(), failed=failed_total
            )
            await self._publish(status)
            log.warning(
                "connector.poll_failed component=%s attempt=%d retry_in_s=%.1f reason=%s",
                component,
                attempts,
                wait_s,
                error,
            )
            if once and attempts >= self._once_attempts:
                return
            await self._sleep(wait_s)

    async def _poll(
        self, followed: FollowedEndpoint, who: EndpointIdentity, counts: PageCounts
    ) -> None:
        """One poll: every page, each committed with its cursor before the next is read."""
        parse = self._parsers(who.platform)
        timing = followed.account.timing
        limits = KnownItemsLimits(timing.known_items_days, timing.known_items_max)
        state = self._states.get(who.key, EndpointState())
        pages = followed.endpoint.pages(self._client, state.cursor)
        async with contextlib.aclosing(pages):  # type: ignore[type-var]
            async for page in pages:
                # Parsing (HTML for WordPress) is CPU work: off the loop, so other
                # endpoints' requests and the status board keep moving meanwhile.
                outcome = await asyncio.to_thread(
                    process_page,
                    page,
                    state,
                    who,
                    parse,
                    self._names,
                    limits,
                    self._clock.now(),
                    known_elsewhere=self._sibling_lookup(who),
                )
                async with self._commit_lock:
                    await asyncio.to_thread(self._writer.commit_page, outcome.records)
                state = outcome.state
                self._states[who.key] = state
                counts.add(outcome.counts)

    def _sibling_lookup(self, who: EndpointIdentity) -> Callable[[str, str], bool]:
        prefix = f"{who.district_id}:{who.platform}:"
        siblings = [
            state
            for key, state in self._states.items()
            if key.startswith(prefix) and key != who.key
        ]

        def known_elsewhere(post_id: str, version: str) -> bool:
            for state in siblings:
                item = state.known.get(post_id)
                if item is not None and item.version == version:
                    return True
            return False

        return known_elsewhere

    async def _publish(self, status: ComponentStatus) -> None:
        try:
            await asyncio.to_thread(self._status.publish, status)
        except TransientError as exc:
            # The status board is best effort; the posts are what must not be lost.
            log.warning(
                "connector.status_unpublished component=%s reason=%s", status.component, exc
            )


def _reason(exc: Exception) -> str:
    return exc.reason if isinstance(exc, FetchFailed) else str(exc) or type(exc).__name__


def _counts_text(counts: PageCounts) -> str:
    return " ".join(f"{name}={value}" for name, value in counts.as_details().items())
