"""Archived Google+ activities and comments into posts: threads, mentions and visibility."""

from __future__ import annotations

from typing import Any

from ingest.googleplus import parse_googleplus_response
from ingest.post import Post, PostKind, Visibility
from ingest.response_files import read_response_file
from tests.unit.ingest.conftest import SAMPLES_DIR

DISTRICT = "wilmington-209u"
COACH = "100000000000000000004"
STUDENT = "100000000000000000012"
ACTIVITY = "z13gtennisfieldhouse01"


def responses() -> list[Any]:
    return [r.payload for r in read_response_file(SAMPLES_DIR / "googleplus" / "activities.jsonl")]


def posts_of(response: Any) -> dict[str, Post]:
    return {p.post_id: p for p in parse_googleplus_response(response, DISTRICT).posts}


class TestActivities:
    def test_activity_is_a_post_in_its_own_thread(self):
        """An activity is a post by its actor, in its own thread."""
        post = posts_of(responses()[0])[ACTIVITY]
        assert (post.kind, post.author_account_id, post.thread_id) == (
            PostKind.POST,
            COACH,
            ACTIVITY,
        )

    def test_plus_mention_is_a_mention(self):
        """A +Name profile link in the content names that profile as mentioned."""
        assert posts_of(responses()[0])[ACTIVITY].mentioned_account_ids == (STUDENT,)

    def test_content_html_becomes_text(self):
        """Content HTML becomes text; <br> is a line break."""
        assert posts_of(responses()[0])["z13gteamroster02"].text == "Roster is posted\nin the gym."

    def test_circle_activity_is_private(self):
        """An activity shared with a circle only is private."""
        assert posts_of(responses()[0])["z13gteamroster02"].visibility is Visibility.PRIVATE

    def test_public_activity_is_public(self):
        """An activity whose access names public is public."""
        assert posts_of(responses()[0])[ACTIVITY].visibility is Visibility.PUBLIC

    def test_single_activity(self):
        """One activity object parses on its own."""
        assert list(posts_of(responses()[2])) == ["z13gsingle03"]


class TestComments:
    def test_comment_answers_its_activity(self):
        """A comment's thread and reply target are the activity of inReplyTo."""
        post = posts_of(responses()[1])[f"{ACTIVITY}#1538431200000000"]
        assert (post.kind, post.thread_id, post.in_reply_to_post_id) == (
            PostKind.COMMENT,
            ACTIVITY,
            ACTIVITY,
        )

    def test_comment_is_addressed_to_the_actor_when_known(self):
        """With the activity in the same list, the comment answers the activity's actor."""
        items = responses()[0]["items"] + responses()[1]["items"]
        post = posts_of(items)[f"{ACTIVITY}#1538431200000000"]
        assert post.in_reply_to_account_id == COACH

    def test_comment_without_in_reply_to_uses_its_id_prefix(self):
        """Without inReplyTo, the activity is the part of the comment id before '#'."""
        comment = dict(responses()[1]["items"][0])
        del comment["inReplyTo"]
        assert posts_of(comment)[f"{ACTIVITY}#1538431200000000"].thread_id == ACTIVITY

    def test_unknown_kind_is_refused(self):
        """An item of another kind (a person) is refused with its kind."""
        result = parse_googleplus_response([{"kind": "plus#person", "id": "1"}], DISTRICT)
        assert "plus#person" in result.refused[0].reason
