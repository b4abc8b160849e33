"""The deletion record a connector publishes when an item disappears from its platform."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest.errors import InvalidEvent
from ingest.post_deletion import PostDeletion, deletion_from_json, deletion_to_json

SEEN = datetime(2026, 10, 5, 19, 0, tzinfo=UTC)
NOTICED = datetime(2026, 10, 5, 20, 0, tzinfo=UTC)


def _deletion() -> PostDeletion:
    return PostDeletion("wilmington-209u", "facebook", "p_1", "p_1", SEEN, NOTICED)


class TestDeletionCodec:
    def test_round_trip(self) -> None:
        """A deletion decodes to an equal record."""
        assert deletion_from_json(deletion_to_json(_deletion())) == _deletion()

    def test_key_is_the_posts_conversation_key(self) -> None:
        """It is keyed like the post, so it lands in the post's partition."""
        assert _deletion().conversation_key == "wilmington-209u:facebook:p_1"

    @pytest.mark.parametrize(
        "payload",
        [b"not json", b"[]", b'{"district_id": "d"}', b"\xff\xfe"],
    )
    def test_malformed_records_are_invalid_events(self, payload: bytes) -> None:
        """Garbage raises InvalidEvent with a reason, never another error."""
        with pytest.raises(InvalidEvent):
            deletion_from_json(payload)
