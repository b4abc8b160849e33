"""The normalized post's JSON codec and its version of an edited item."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ingest.errors import InvalidEvent
from ingest.post import post_from_json, post_to_json
from tests.builders import make_post


class TestEditedAt:
    def test_round_trip_keeps_the_edit_time(self) -> None:
        """An edited post decodes with the same edit time, in UTC."""
        edited = datetime(2026, 10, 5, 14, 30, tzinfo=timezone(timedelta(hours=-5)))
        post = make_post(edited_at=edited)
        decoded = post_from_json(post_to_json(post))
        assert decoded.edited_at == edited.astimezone(UTC)
        assert decoded == post

    def test_unedited_post_has_no_edit_time(self) -> None:
        """A post without an edit encodes edited_at as null and decodes to None."""
        assert post_from_json(post_to_json(make_post())).edited_at is None

    def test_edit_time_without_zone_is_refused(self) -> None:
        """A naive edit time is an invalid event, like a naive creation time."""
        with pytest.raises(InvalidEvent, match="edited_at"):
            make_post(edited_at=datetime(2026, 10, 5, 14, 30))

    def test_bad_edit_time_in_json_is_refused(self) -> None:
        """A record whose edited_at is not an ISO time is refused with the field's name."""
        payload = post_to_json(make_post()).replace(b'"edited_at":null', b'"edited_at":7')
        with pytest.raises(InvalidEvent, match="edited_at"):
            post_from_json(payload)


class TestVersion:
    def test_same_content_same_version(self) -> None:
        """Fetching the same item twice gives the same version."""
        assert make_post().version == make_post().version

    def test_new_text_is_a_new_version(self) -> None:
        """An edit of the text changes the version."""
        assert make_post(text="a").version != make_post(text="b").version

    def test_new_edit_time_is_a_new_version(self) -> None:
        """An edit that keeps the text but carries a new edit time is a new version."""
        edited = datetime(2026, 10, 6, tzinfo=UTC)
        assert make_post().version != make_post(edited_at=edited).version


class TestDecodingRefusals:
    """What the worker's decoder refuses is an InvalidEvent with a reason, never a crash."""

    @pytest.mark.parametrize(
        "payload",
        [
            b"{broken",
            b"\xff\xfe{}",  # not UTF-8
            b'{"text": "\\ud800"}',  # a lone surrogate escape
            b"[" * 5_000 + b"]" * 5_000,  # nested deeper than any parser allows
            b"NaN",
        ],
    )
    def test_unreadable_payload_is_an_invalid_event(self, payload: bytes) -> None:
        with pytest.raises(InvalidEvent, match="not valid JSON"):
            post_from_json(payload)

    @pytest.mark.parametrize("field", ["text", "raw"])
    def test_lone_surrogate_in_a_field_is_refused(self, field: str) -> None:
        with pytest.raises(InvalidEvent, match="unpaired surrogate"):
            make_post(**{field: "caf\u00e9 \ud800"})

    def test_non_ascii_text_round_trips(self) -> None:
        post = make_post(text="Caf\u00e9 night \u2014 \U0001f3ad tickets at the door")
        assert post_from_json(post_to_json(post)) == post
