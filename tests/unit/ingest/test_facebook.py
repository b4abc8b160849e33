"""Facebook Graph API feeds, conversations and webhooks into posts: links, kinds and refusals."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from ingest.facebook import parse_facebook_response, parse_facebook_webhook
from ingest.post import Post, PostKind, Visibility
from ingest.response_files import read_response_file
from tests.unit.ingest.conftest import SAMPLES_DIR

DISTRICT = "wilmington-209u"
HAS_EDITED_AT = "edited_at" in {field.name for field in dataclasses.fields(Post)}
PAGE = "2000000000001"
STUDENT = "2000000000011"
POST_ID = "2000000000001_3000000000000101"
SAMPLES = SAMPLES_DIR / "facebook"


def sample(name: str, line: int = 1) -> Any:
    return [r.payload for r in read_response_file(SAMPLES / name)][line - 1]


def by_id(posts: tuple[Post, ...]) -> dict[str, Post]:
    return {post.post_id: post for post in posts}


def comment(**fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "3000000000000101_4000000000000299",
        "message": "hello",
        "created_time": "2026-10-05T17:00:00+0000",
        "from": {"id": STUDENT},
    }
    item.update(fields)
    return item


def feed(*comments: dict[str, Any]) -> dict[str, Any]:
    return {
        "data": [
            {
                "id": POST_ID,
                "message": "post",
                "created_time": "2026-10-05T16:00:00+0000",
                "from": {"id": PAGE},
                "comments": {"data": list(comments)},
            }
        ]
    }


class TestFeed:
    def test_comment_answers_the_post_and_its_author(self):
        """A top-level comment is a comment on the post, addressed to the post's author."""
        post = by_id(parse_facebook_response(sample("feed.jsonl"), DISTRICT).posts)[
            "3000000000000101_4000000000000201"
        ]
        assert (post.kind, post.thread_id, post.in_reply_to_post_id) == (
            PostKind.COMMENT,
            POST_ID,
            POST_ID,
        )
        assert post.in_reply_to_account_id == PAGE

    def test_nested_reply_answers_its_comment(self):
        """A reply nested under a comment answers that comment and its author."""
        post = by_id(parse_facebook_response(sample("feed.jsonl"), DISTRICT).posts)[
            "3000000000000101_4000000000000202"
        ]
        assert post.kind is PostKind.REPLY
        assert post.in_reply_to_post_id == "3000000000000101_4000000000000201"
        assert (post.in_reply_to_account_id, post.thread_id) == (STUDENT, POST_ID)

    def test_message_tags_are_mentions(self):
        """Tagged users are the post's mentions."""
        post = by_id(parse_facebook_response(sample("feed.jsonl"), DISTRICT).posts)[
            "3000000000000101_4000000000000202"
        ]
        assert post.mentioned_account_ids == (STUDENT,)

    def test_flat_comment_with_parent_answers_the_parent(self):
        """A flat comment naming a parent answers it, with the author found in the response."""
        first = comment(id="3000000000000101_4000000000000291", **{"from": {"id": PAGE}})
        second = comment(parent={"id": "3000000000000101_4000000000000291"})
        posts = by_id(parse_facebook_response(feed(first, second), DISTRICT).posts)
        reply = posts["3000000000000101_4000000000000299"]
        assert (reply.kind, reply.in_reply_to_account_id) == (PostKind.REPLY, PAGE)

    def test_scheduled_post_is_marked(self):
        """An unpublished post with a scheduled time is marked scheduled."""
        (post,) = parse_facebook_response(sample("feed.jsonl", 2), DISTRICT).posts
        assert post.scheduled

    def test_single_post_by_id(self):
        """One post object (GET /{post-id}) is read like a feed of one."""
        (post,) = parse_facebook_response(sample("feed.jsonl", 2), DISTRICT).posts
        assert (post.post_id, post.kind) == ("2000000000001_3000000000000103", PostKind.POST)

    def test_raw_leaves_out_nested_comments(self):
        """A post's raw JSON is the post itself, not its whole comment tree."""
        posts = by_id(parse_facebook_response(sample("feed.jsonl"), DISTRICT).posts)
        assert "comments" not in posts[POST_ID].raw

    def test_comment_without_author_is_refused_alone(self):
        """A comment without `from` is refused; the post still parses."""
        result = parse_facebook_response(feed(comment(**{"from": None})), DISTRICT)
        assert [p.post_id for p in result.posts] == [POST_ID]
        assert result.refused[0].reason.endswith("from missing")

    def test_error_response_is_refused(self):
        """A Graph API error is one refusal carrying its message."""
        result = parse_facebook_response(sample("malformed.jsonl", 2), DISTRICT)
        assert "Invalid OAuth access token" in result.refused[0].reason


class TestConversations:
    def test_messages_are_private_direct_messages(self):
        """Inbox messages are private direct messages in the conversation's thread."""
        posts = parse_facebook_response(sample("conversations.jsonl"), DISTRICT).posts
        assert {(p.kind, p.visibility, p.thread_id) for p in posts} == {
            (PostKind.DIRECT_MESSAGE, Visibility.PRIVATE, "t_5000000000000301")
        }

    def test_recipients_come_from_to(self):
        """The page's answer names the student as recipient."""
        posts = by_id(parse_facebook_response(sample("conversations.jsonl"), DISTRICT).posts)
        assert posts["m_Abc1DefGhiJklMnoPqr2StuVwx4"].recipient_account_ids == ("2000000000012",)

    def test_conversation_without_messages_is_skipped(self):
        """A conversation listed without its messages is counted as skipped, not refused."""
        result = parse_facebook_response({"data": [{"id": "t_1", "participants": {}}]}, DISTRICT)
        assert (result.posts, result.refused, result.skipped) == ((), (), 1)


class TestWebhook:
    def test_comment_add_is_a_comment(self):
        """An added comment becomes a comment on its post, timed from epoch seconds."""
        posts = by_id(parse_facebook_webhook(sample("webhook.jsonl"), DISTRICT).posts)
        post = posts["3000000000000101_4000000000000204"]
        assert (post.kind, post.thread_id) == (PostKind.COMMENT, POST_ID)
        assert post.created_at == datetime(2026, 10, 13, 17, 19, 50, tzinfo=UTC)

    def test_edit_is_a_post_with_its_edit_time(self):
        """An edited status is a post; the delivery time is its edit time."""
        posts = by_id(parse_facebook_webhook(sample("webhook.jsonl"), DISTRICT).posts)
        post = posts["2000000000001_3000000000000102"]
        assert post.text == "Picture day is Wednesday (moved)."
        if HAS_EDITED_AT:
            assert post.edited_at == datetime(2026, 10, 13, 17, 20, tzinfo=UTC)

    def test_removal_and_reaction_are_skipped(self):
        """A removed comment and a reaction are skipped and counted."""
        result = parse_facebook_webhook(sample("webhook.jsonl"), DISTRICT)
        assert (len(result.posts), result.skipped, result.refused) == (2, 2, ())

    def test_file_parser_reads_webhooks_too(self):
        """A saved webhook delivery ingests through the platform's file parser."""
        payload = sample("webhook.jsonl")
        assert parse_facebook_response(payload, DISTRICT) == parse_facebook_webhook(
            payload, DISTRICT
        )

    def test_other_objects_are_refused(self):
        """A delivery for another object type (not a page) is refused."""
        result = parse_facebook_webhook({"object": "user", "entry": []}, DISTRICT)
        assert len(result.refused) == 1

    def test_bad_epoch_is_refused(self):
        """A created_time that is not epoch seconds refuses that change only."""
        payload = sample("webhook.jsonl")
        payload["entry"][0]["changes"][0]["value"]["created_time"] = "soon"
        result = parse_facebook_webhook(payload, DISTRICT)
        assert len(result.posts) == 1
        assert "epoch seconds" in result.refused[0].reason
