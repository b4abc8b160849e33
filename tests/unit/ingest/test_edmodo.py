"""Archived Edmodo messages and replies into posts: direct messages, group posts and replies."""

from __future__ import annotations

from typing import Any

from ingest.edmodo import parse_edmodo_response
from ingest.post import Post, PostKind, Visibility
from ingest.response_files import read_response_file
from tests.unit.ingest.conftest import SAMPLES_DIR

DISTRICT = "wilmington-209u"
TEACHER = "3001"


def responses() -> list[Any]:
    return [r.payload for r in read_response_file(SAMPLES_DIR / "edmodo" / "messages.jsonl")]


def posts_of(response: Any) -> dict[str, Post]:
    return {p.post_id: p for p in parse_edmodo_response(response, DISTRICT).posts}


class TestMessages:
    def test_group_message_is_a_post(self):
        """A message to a group is a public post in its own thread."""
        post = posts_of(responses()[0])["message-23"]
        assert (post.kind, post.visibility, post.thread_id) == (
            PostKind.POST,
            Visibility.PUBLIC,
            "message-23",
        )

    def test_user_message_is_a_direct_message(self):
        """A message to users only is a private direct message to them."""
        post = posts_of(responses()[0])["message-24"]
        assert (post.kind, post.visibility, post.recipient_account_ids) == (
            PostKind.DIRECT_MESSAGE,
            Visibility.PRIVATE,
            ("3012",),
        )

    def test_list_recipients_form(self):
        """The older [{type, id}] recipients: a group makes a post, users are recipients."""
        post = posts_of(responses()[2])["message-25"]
        assert (post.kind, post.recipient_account_ids) == (PostKind.POST, ("3011",))

    def test_naive_time_is_utc(self):
        """A created_at without an offset is read as UTC."""
        assert posts_of(responses()[2])["message-25"].created_at.isoformat() == (
            "2019-03-06T15:00:00+00:00"
        )

    def test_archive_object(self):
        """An archive object with messages and replies lists is read."""
        assert list(posts_of(responses()[3])) == ["message-26"]

    def test_message_without_recipients_is_refused(self):
        """A message with empty recipients is refused."""
        message = {"id": 1, "content": "x", "creator": {"id": 3001}, "recipients": {}}
        message["created_at"] = "2019-03-06T15:00:00Z"
        assert "no recipients" in parse_edmodo_response([message], DISTRICT).refused[0].reason


class TestReplies:
    def test_last_replies_are_comments_on_the_message(self):
        """A message's last_replies are comments in its thread, addressed to its creator."""
        post = posts_of(responses()[0])["reply-61"]
        assert (post.kind, post.thread_id, post.in_reply_to_post_id) == (
            PostKind.COMMENT,
            "message-23",
            "message-23",
        )
        assert post.in_reply_to_account_id == TEACHER

    def test_reply_to_a_direct_message_is_private_to_its_people(self):
        """A reply to a direct message in the same response goes to the message's people."""
        message = responses()[0][1]
        posts = posts_of([message, *responses()[1]])
        reply = posts["reply-63"]
        assert (reply.visibility, reply.recipient_account_ids) == (Visibility.PRIVATE, (TEACHER,))

    def test_standalone_reply_keeps_its_thread(self):
        """A reply listed without its message still names the message's thread."""
        assert posts_of(responses()[1])["reply-63"].thread_id == "message-24"

    def test_reply_with_message_object(self):
        """A reply naming its message as {id} is read too."""
        reply = {"id": 70, "message": {"id": 23}, "creator": {"id": 3011}, "text": "ok"}
        reply["created_at"] = "2019-03-06T15:00:00Z"
        assert posts_of([reply])["reply-70"].thread_id == "message-23"
