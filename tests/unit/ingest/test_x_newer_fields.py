"""X API v2 responses in the newer field names (post.fields) read like the classic ones."""

from __future__ import annotations

from typing import Any

from ingest.post import PostKind
from ingest.twitter import parse_x_response

DISTRICT = "wilmington-209u"
TEACHER = "1500000000000000001"
STUDENT = "1500000000000000011"


def reply(**fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "1600000000000000700",
        "author_id": TEACHER,
        "text": "short",
        "created_at": "2026-10-05T19:00:00.000Z",
        "conversation_id": "1600000000000000699",
        "in_reply_to_user_id": STUDENT,
    }
    item.update(fields)
    return item


class TestNewerFieldNames:
    def test_referenced_posts_make_a_reply(self):
        """referenced_posts with replied_to makes a reply, as referenced_tweets does."""
        refs = [{"type": "replied_to", "id": "1600000000000000699"}]
        (post,) = parse_x_response({"data": [reply(referenced_posts=refs)]}, DISTRICT).posts
        assert (post.kind, post.in_reply_to_post_id) == (PostKind.REPLY, "1600000000000000699")

    def test_both_vocabularies_give_the_same_post_links(self):
        """A response in either vocabulary links the post identically."""
        refs = [{"type": "replied_to", "id": "1600000000000000699"}]
        (old,) = parse_x_response({"data": [reply(referenced_tweets=refs)]}, DISTRICT).posts
        (new,) = parse_x_response({"data": [reply(referenced_posts=refs)]}, DISTRICT).posts
        assert (old.kind, old.in_reply_to_post_id, old.thread_id) == (
            new.kind,
            new.in_reply_to_post_id,
            new.thread_id,
        )

    def test_note_post_holds_the_long_text(self):
        """A long post's full text and mentions are read from note_post."""
        note = {"text": "the full long text", "entities": {"mentions": [{"id": STUDENT}]}}
        (post,) = parse_x_response({"data": [reply(note_post=note)]}, DISTRICT).posts
        assert post.text == "the full long text"
        assert post.mentioned_account_ids == (STUDENT,)

    def test_note_tweet_wins_over_note_post(self):
        """When both are present the classic note_tweet is read."""
        data = reply(note_tweet={"text": "classic"}, note_post={"text": "newer"})
        (post,) = parse_x_response({"data": [data]}, DISTRICT).posts
        assert post.text == "classic"

    def test_bad_note_post_is_refused(self):
        """A note_post that is not an object refuses the item with its name."""
        result = parse_x_response({"data": [reply(note_post="x")]}, DISTRICT)
        assert "note_post" in result.refused[0].reason
