"""The Facebook field readers both parsers share: ids, authors and links."""

from __future__ import annotations

import pytest

from ingest.errors import InvalidEvent
from ingest.facebook_fields import author_id, error_summary, from_id, object_id, permalink


class TestIds:
    def test_object_ids_take_the_post_comment_shape(self) -> None:
        """A "page_post" id is read as it stands."""
        assert object_id({"id": "200_300"}, "id", "item") == "200_300"

    def test_a_malformed_object_id_is_refused_with_the_key(self) -> None:
        """An id that is not digits and underscores refuses the item, naming the key."""
        with pytest.raises(InvalidEvent, match="post_id is not a Facebook id"):
            object_id({"post_id": "../x"}, "post_id", "item")

    def test_a_missing_author_is_refused(self) -> None:
        """An item without `from` cannot be tied to anyone."""
        with pytest.raises(InvalidEvent, match="from missing"):
            author_id({}, "item")

    def test_from_id_never_refuses(self) -> None:
        """The lenient reader (who a reply answers) gives None for an unreadable author."""
        assert from_id({"from": {"id": "not digits"}}) is None
        assert from_id({"from": {"id": "42"}}) == "42"


class TestLinksAndErrors:
    def test_only_https_permalinks_are_kept(self) -> None:
        """A link that is not https is dropped rather than stored."""
        assert permalink({"permalink_url": "javascript:alert(1)"}, "item") is None
        assert permalink({"permalink_url": "https://fb.example/p"}, "item") == (
            "https://fb.example/p"
        )

    def test_error_summary_gives_type_and_message(self) -> None:
        """A Graph error response is summarised for the refusal's reason."""
        response = {"error": {"type": "OAuthException", "message": "expired", "code": 190}}
        assert error_summary(response) == "OAuthException; expired"
