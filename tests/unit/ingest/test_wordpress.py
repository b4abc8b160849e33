"""WordPress REST posts and comments into posts: id scheme, threads, authors and statuses."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from ingest.post import Post, PostKind, Visibility
from ingest.response_files import read_response_file
from ingest.wordpress import parse_wordpress_response
from tests.unit.ingest.conftest import SAMPLES_DIR

DISTRICT = "wilmington-209u"
HAS_EDITED_AT = "edited_at" in {field.name for field in dataclasses.fields(Post)}
SAMPLES = SAMPLES_DIR / "wordpress"


def sample(name: str) -> Any:
    return next(r.payload for r in read_response_file(SAMPLES / name))


def posts_of(response: Any) -> dict[str, Post]:
    return {post.post_id: post for post in parse_wordpress_response(response, DISTRICT).posts}


def blog_post(**fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": 12,
        "date_gmt": "2026-10-05T14:00:00",
        "status": "publish",
        "type": "post",
        "title": {"rendered": "Title"},
        "content": {"rendered": "<p>Body</p>"},
        "author": 101,
    }
    item.update(fields)
    return item


class TestIds:
    def test_posts_and_comments_have_distinct_prefixes(self):
        """Post 12 is post-12 and comment 40 is comment-40."""
        posts = posts_of(sample("posts.json") + sample("comments.jsonl"))
        assert {"post-12", "comment-40"} <= set(posts)

    def test_a_post_is_its_own_thread(self):
        """A blog post's thread is the post itself."""
        assert posts_of(sample("posts.json"))["post-12"].thread_id == "post-12"

    def test_author_is_the_user_id(self):
        """The author is the WordPress user id, as accounts.csv lists it."""
        assert posts_of(sample("posts.json"))["post-12"].author_account_id == "101"


class TestComments:
    def test_top_level_comment_answers_the_post(self):
        """A comment with parent 0 is a comment on its post."""
        post = posts_of(sample("comments.jsonl"))["comment-40"]
        assert (post.kind, post.thread_id, post.in_reply_to_post_id) == (
            PostKind.COMMENT,
            "post-12",
            "post-12",
        )

    def test_reply_answers_its_parent_and_its_author(self):
        """A comment with a parent answers that comment and, when known, its author."""
        post = posts_of(sample("comments.jsonl"))["comment-41"]
        assert (post.kind, post.in_reply_to_post_id, post.in_reply_to_account_id) == (
            PostKind.REPLY,
            "comment-40",
            "201",
        )

    def test_comment_answers_the_post_author_when_the_post_is_in_the_response(self):
        """Posts and comments in one file: a comment is addressed to its post's author."""
        post = posts_of(sample("posts.json") + sample("comments.jsonl"))["comment-40"]
        assert post.in_reply_to_account_id == "101"

    def test_embedded_post_author_is_used(self):
        """With `_embed`, the post's author comes from `_embedded.up`."""
        comment = sample("comments.jsonl")[0] | {"_embedded": {"up": [{"id": 12, "author": 101}]}}
        assert posts_of([comment])["comment-40"].in_reply_to_account_id == "101"

    def test_guest_comment_is_named_by_its_author_name(self):
        """A comment by a guest (author 0) is authored by guest:<name>."""
        assert (
            posts_of(sample("comments.jsonl"))["comment-42"].author_account_id == "guest:Robin Q."
        )


class TestPostDetails:
    def test_title_and_content_are_text(self):
        """The text is the title, then the content without markup or scripts."""
        text = posts_of(sample("posts.json"))["post-12"].text
        assert text == "Cell lab: what to bring\nBring goggles & your lab notebook."

    def test_date_gmt_is_utc(self):
        """date_gmt has no offset and is read as UTC."""
        created = posts_of(sample("posts.json"))["post-12"].created_at
        assert created == datetime(2026, 10, 5, 14, tzinfo=UTC)

    def test_future_post_is_scheduled(self):
        """Status future is a scheduled post."""
        assert posts_of(sample("posts.json"))["post-13"].scheduled

    def test_later_modified_is_the_edit_time(self):
        """modified_gmt after date_gmt is the edit time."""
        post = posts_of(sample("posts.json"))["post-14"]
        if HAS_EDITED_AT:
            assert post.edited_at == datetime(2026, 10, 7, 15, 30, tzinfo=UTC)

    def test_draft_is_skipped(self):
        """A draft is not published: it is skipped and counted."""
        result = parse_wordpress_response([blog_post(status="draft")], DISTRICT)
        assert (result.posts, result.skipped) == ((), 1)

    def test_private_post_is_private(self):
        """A private post has private visibility."""
        (post,) = parse_wordpress_response([blog_post(status="private")], DISTRICT).posts
        assert post.visibility is Visibility.PRIVATE

    def test_single_post_object(self):
        """One post object (GET /wp/v2/posts/12) parses like a list of one."""
        assert [p.post_id for p in parse_wordpress_response(blog_post(), DISTRICT).posts] == [
            "post-12"
        ]

    def test_rest_error_is_refused(self):
        """A REST error object is one refusal with its message."""
        result = parse_wordpress_response({"code": "rest_forbidden", "message": "Nope"}, DISTRICT)
        assert result.refused[0].reason == "WordPress REST error: Nope"

    def test_boolean_id_is_refused(self):
        """An id that is a boolean is not a numeric id."""
        result = parse_wordpress_response([blog_post(id=True)], DISTRICT)
        assert "must be a number" in result.refused[0].reason
