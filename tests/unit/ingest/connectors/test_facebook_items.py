"""Reading Graph API list pages: data lists, ids, times and the resume point."""

from __future__ import annotations

import pytest

from ingest.connectors.errors import FetchFailed
from ingest.connectors.facebook_items import (
    graph_time,
    ids_within,
    list_data,
    older,
    path_id,
    resume_pending,
)


class TestListPages:
    def test_a_body_without_a_data_list_fails_the_fetch(self) -> None:
        """An answer that is not a list page is a failed fetch, named by `what`."""
        with pytest.raises(FetchFailed, match="page feed"):
            list_data({"data": {}}, "page feed")

    def test_ids_within_collects_nested_children(self) -> None:
        """A post's id and every nested comment and reply id are collected."""
        item = {
            "id": "1_2",
            "comments": {"data": [{"id": "2_3", "comments": {"data": [{"id": "2_4"}]}}]},
        }
        assert ids_within(item, "comments") == {"1_2", "2_3", "2_4"}

    def test_a_path_id_must_be_safe_in_a_url_path(self) -> None:
        """An id holding a slash is never put into a request path."""
        assert path_id({"id": "t_abc.1"}) == "t_abc.1"
        assert path_id({"id": "1/../me"}) is None


class TestTimes:
    def test_graph_times_read_as_unix_seconds(self) -> None:
        """Graph's "+0000" times become unix seconds; anything else is None."""
        assert graph_time("1970-01-02T00:00:00+0000") == 86400
        assert graph_time("yesterday") is None

    def test_an_unreadable_time_is_never_older(self) -> None:
        """An item whose time cannot be read does not stop a poll early."""
        assert older({"updated_time": "1970-01-01T00:00:00+0000"}, "updated_time", 10)
        assert not older({"updated_time": "soon"}, "updated_time", 10)


class TestResume:
    def test_resume_starts_at_the_remembered_item_and_page(self) -> None:
        """The items before the restart point are skipped; its page is the remembered one."""
        pending = [({"id": "1"}, {"after": "a"}), ({"id": "2"}, {"after": "b"})]
        assert resume_pending(pending, "2", {"after": "z"}) == [({"id": "2"}, {"after": "z"})]

    def test_a_vanished_item_reads_the_whole_page_again(self) -> None:
        """When the remembered item is gone, nothing is skipped: duplicates beat losses."""
        pending = [({"id": "1"}, {"after": "a"})]
        assert resume_pending(pending, "9", {"after": "z"}) == pending
