"""One page into records and next state: duplicates, edits, refusals, deletions, cursor."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from core.pipeline_names import PipelineNames
from ingest.connectors.cursor_store import EndpointState, state_from_json
from ingest.connectors.page_processing import EndpointIdentity, KnownItemsLimits, process_page
from ingest.connectors.source import FetchedPage
from ingest.twitter import parse_x_response

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
NAMES = PipelineNames("unit")
WHO = EndpointIdentity("d", "twitter", "1", "timeline")
LIMITS = KnownItemsLimits(max_age_days=30, max_items=100)


def tweet(item_id: str, text: str = "hello") -> dict[str, object]:
    return {
        "id": item_id,
        "text": text,
        "author_id": "1",
        "created_at": "2026-09-01T11:00:00.000Z",
        "conversation_id": item_id,
    }


def page(*items: object, **extra: object) -> FetchedPage:
    return FetchedPage(({"data": list(items), "meta": {}},), {"since_id": "9"}, **extra)  # type: ignore[arg-type]


def topics(records: tuple[object, ...]) -> list[str]:
    return [record.topic for record in records]  # type: ignore[attr-defined]


class TestProcessPage:
    def test_new_items_are_published_with_the_raw_response_and_the_state_last(self) -> None:
        """Raw response, posts, then the cursor record holding the new known items."""
        outcome = process_page(
            page(tweet("10"), tweet("11")),
            EndpointState(),
            WHO,
            parse_x_response,
            NAMES,
            LIMITS,
            NOW,
        )
        assert topics(outcome.records) == [
            NAMES.raw_posts,
            NAMES.posts,
            NAMES.posts,
            NAMES.connector_cursors,
        ]
        stored = state_from_json(outcome.records[-1].value)
        assert dict(stored.cursor) == {"since_id": "9"} and sorted(stored.known) == ["10", "11"]

    def test_a_replayed_page_publishes_nothing_but_an_edit_publishes_a_version(self) -> None:
        """Same id and text is a duplicate; same id with new text is a new version."""
        first = process_page(
            page(tweet("10")), EndpointState(), WHO, parse_x_response, NAMES, LIMITS, NOW
        )
        again = process_page(
            page(tweet("10"), tweet("10", "hello!")),
            first.state,
            WHO,
            parse_x_response,
            NAMES,
            LIMITS,
            NOW,
        )
        assert again.counts.duplicates == 1 and again.counts.published == 1
        [post] = [r for r in again.records if r.topic == NAMES.posts]
        assert json.loads(post.value)["text"] == "hello!"

    def test_an_item_a_sibling_endpoint_published_is_not_published_again(self) -> None:
        """Mentions and conversation replies overlap: one publication per version."""
        outcome = process_page(
            page(tweet("10")),
            EndpointState(),
            WHO,
            parse_x_response,
            NAMES,
            LIMITS,
            NOW,
            known_elsewhere=lambda post_id, version: post_id == "10",
        )
        assert outcome.counts.duplicates == 1 and NAMES.posts not in topics(outcome.records)
        assert "10" in outcome.state.known

    def test_a_refused_item_goes_to_the_dead_letter_topic_with_its_reason(self) -> None:
        """An item without text is dead-lettered with the endpoint as its source."""
        outcome = process_page(
            page({"id": "12", "author_id": "1"}),
            EndpointState(),
            WHO,
            parse_x_response,
            NAMES,
            LIMITS,
            NOW,
        )
        [letter] = [r for r in outcome.records if r.topic == NAMES.posts_deadletter]
        body = json.loads(letter.value)
        assert body["source"] == "twitter:1:timeline" and body["reason"]

    def test_an_item_missing_from_a_complete_window_is_recorded_deleted_and_forgotten(self) -> None:
        """A complete window without a known id yields a PostDeletion for it."""
        first = process_page(
            page(tweet("10"), tweet("11")),
            EndpointState(),
            WHO,
            parse_x_response,
            NAMES,
            LIMITS,
            NOW,
        )
        later = process_page(
            page(tweet("10"), complete_window=True, window_ids=frozenset({"10"})),
            first.state,
            WHO,
            parse_x_response,
            NAMES,
            LIMITS,
            NOW,
        )
        [deletion] = [r for r in later.records if r.topic == NAMES.post_deletions]
        assert json.loads(deletion.value)["post_id"] == "11"
        assert deletion.key == b"d:twitter:11"
        assert "11" not in later.state.known
