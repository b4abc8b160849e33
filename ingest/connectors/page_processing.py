"""One fetched page into the records to write and the endpoint's next state (pure).

For each response of the page: parse it with the platform's parser; drop items
whose exact version is already known (to this endpoint or a sibling endpoint of the
same platform: X mentions and conversation replies overlap); keep new items and new
versions (edits); turn refusals into dead letters; and, when the page closes a
complete window, turn each known item of the window that is missing into a
PostDeletion and forget it. Nothing here touches Kafka, HTTP or the clock.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from core.pipeline_names import PipelineNames
from ingest.connectors.cursor_store import EndpointState, state_to_json
from ingest.connectors.kafka_page_writer import OutRecord
from ingest.connectors.seen_items import epoch_to_utc
from ingest.connectors.source import FetchedPage
from ingest.dead_letter import DeadLetter
from ingest.parser import ResponseParser, item_text
from ingest.post import post_to_json
from ingest.post_deletion import PostDeletion, deletion_to_json

# A raw response is kept in the raw topic up to this size (characters); bigger ones
# are cut (the posts themselves carry their item's JSON in full).
MAX_RAW_RESPONSE_CHARS = 900_000

# Whether `post_id` at `version` is already published by another endpoint of the platform.
SiblingLookup = Callable[[str, str], bool]


@dataclass(slots=True)
class PageCounts:
    """What one page (or one poll, summed) gave."""

    responses: int = 0
    fetched: int = 0
    published: int = 0
    duplicates: int = 0
    skipped: int = 0
    refused: int = 0
    deleted: int = 0

    def add(self, other: PageCounts) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_details(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class EndpointIdentity:
    """Who the page belongs to: names the state key, the raw source and the status."""

    district_id: str
    platform: str
    account_id: str
    endpoint: str

    @property
    def key(self) -> str:
        return f"{self.district_id}:{self.platform}:{self.account_id}:{self.endpoint}"

    @property
    def source(self) -> str:
        return f"{self.platform}:{self.account_id}:{self.endpoint}"


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """The records to write in one transaction, and the state they commit."""

    records: tuple[OutRecord, ...]
    state: EndpointState
    counts: PageCounts = field(default_factory=PageCounts)


@dataclass(frozen=True, slots=True)
class KnownItemsLimits:
    max_age_days: float
    max_items: int


def process_page(
    page: FetchedPage,
    previous: EndpointState,
    who: EndpointIdentity,
    parse: ResponseParser,
    names: PipelineNames,
    limits: KnownItemsLimits,
    now: datetime,
    known_elsewhere: SiblingLookup = lambda post_id, version: False,
) -> PageOutcome:
    """Records and next state for one page; `now` is when the page was fetched."""
    known = previous.known.copy()
    counts = PageCounts(responses=len(page.responses))
    records: list[OutRecord] = []
    for response in page.responses:
        records.append(_raw_record(response, who, names, now))
        result = parse(response, who.district_id)
        counts.fetched += len(result.posts) + len(result.refused) + result.skipped
        counts.skipped += result.skipped
        for post in result.posts:
            if known.is_duplicate(post):
                counts.duplicates += 1
                known.remember(post, now)  # refreshes last seen
                continue
            known.remember(post, now)
            if post.post_id not in previous.known and known_elsewhere(post.post_id, post.version):
                counts.duplicates += 1
                continue
            records.append(
                OutRecord(names.posts, post.conversation_key.encode(), post_to_json(post))
            )
            counts.published += 1
        for refusal in result.refused:
            letter = DeadLetter("ingest", refusal.reason, refusal.item.encode(), source=who.source)
            records.append(OutRecord(names.posts_deadletter, letter.key, letter.to_json(now)))
            counts.refused += 1
    if page.complete_window:
        for post_id, item in known.missing_from(
            page.window_ids, page.window_start, page.window_by_thread
        ):
            deletion = PostDeletion(
                district_id=who.district_id,
                platform=who.platform,
                post_id=post_id,
                thread_id=item.thread_id,
                last_seen_at=epoch_to_utc(item.last_seen_at),
                noticed_at=now.astimezone(UTC),
            )
            records.append(
                OutRecord(
                    names.post_deletions,
                    deletion.conversation_key.encode(),
                    deletion_to_json(deletion),
                )
            )
            known.forget(post_id)
            counts.deleted += 1
    state = EndpointState(
        cursor=dict(page.cursor), known=known.pruned(now, limits.max_age_days, limits.max_items)
    )
    records.append(OutRecord(names.connector_cursors, who.key.encode(), state_to_json(state)))
    return PageOutcome(tuple(records), state, counts)


def _raw_record(
    response: object, who: EndpointIdentity, names: PipelineNames, now: datetime
) -> OutRecord:
    """The response as received, in the same envelope `ingest file` writes."""
    try:
        # ASCII escapes: a lone surrogate from a JSON escape still travels as UTF-8.
        text = json.dumps(response, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        text = item_text(response)
    if len(text) > MAX_RAW_RESPONSE_CHARS:
        text = text[:MAX_RAW_RESPONSE_CHARS] + "...[truncated]"
    envelope = {
        "district_id": who.district_id,
        "platform": who.platform,
        "source": who.source,
        "received_at": now.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "response": text,
    }
    return OutRecord(
        names.raw_posts,
        f"{who.district_id}:{who.platform}".encode(),
        json.dumps(envelope).encode(),
    )
