"""Bluesky AppView feeds and threads into posts: URIs, DIDs, reply links and skipped views."""

from __future__ import annotations

from typing import Any

from ingest.bluesky import parse_bluesky_response
from ingest.post import Post, PostKind
from ingest.response_files import read_response_file
from tests.unit.ingest.conftest import SAMPLES_DIR

DISTRICT = "wilmington-209u"
STAFF = "did:plc:rbaptistehome7xq2k4mz"
STUDENT = "did:plc:caseym3v5n7p2q4r6s8t"
ROOT = f"at://{STUDENT}/app.bsky.feed.post/3l6oveex3ii2l"
REPLY = f"at://{STAFF}/app.bsky.feed.post/3l6ovf2ab5c2x"


def sample(name: str) -> Any:
    return next(r.payload for r in read_response_file(SAMPLES_DIR / "bluesky" / name))


def posts_of(response: Any) -> dict[str, Post]:
    return {p.post_id: p for p in parse_bluesky_response(response, DISTRICT).posts}


class TestAuthorFeed:
    def test_reply_links_to_root_and_parent(self):
        """A reply's thread is the root URI and it answers the parent URI."""
        post = posts_of(sample("author_feed.jsonl"))[REPLY]
        assert (post.kind, post.thread_id, post.in_reply_to_post_id) == (
            PostKind.REPLY,
            ROOT,
            ROOT,
        )

    def test_parent_author_from_the_parent_view(self):
        """The answered account is the parent view's author DID."""
        assert posts_of(sample("author_feed.jsonl"))[REPLY].in_reply_to_account_id == STUDENT

    def test_mention_facet_is_a_mention(self):
        """A mention facet's DID is a mentioned account."""
        assert posts_of(sample("author_feed.jsonl"))[REPLY].mentioned_account_ids == (STUDENT,)

    def test_context_parent_is_a_post_once(self):
        """The student's root post in reply context yields one post, the repeat is skipped."""
        result = parse_bluesky_response(sample("author_feed.jsonl"), DISTRICT)
        assert [p.post_id for p in result.posts].count(ROOT) == 1
        assert result.skipped == 1

    def test_url_uses_the_handle(self):
        """The web link is bsky.app's profile/post address."""
        post = posts_of(sample("author_feed.jsonl"))[REPLY]
        assert post.url == "https://bsky.app/profile/rbaptiste.bsky.social/post/3l6ovf2ab5c2x"

    def test_parent_author_from_uri_when_view_is_absent(self):
        """Without the parent view, the DID in the parent URI's authority is used."""
        feed = sample("author_feed.jsonl")
        feed["feed"][0].pop("reply")
        assert posts_of(feed)[REPLY].in_reply_to_account_id == STUDENT


class TestThread:
    def test_thread_walks_replies(self):
        """getPostThread yields the root, the reply and the reply to the reply."""
        posts = posts_of(sample("thread.jsonl"))
        assert len(posts) == 3 and {p.thread_id for p in posts.values()} == {ROOT}

    def test_not_found_and_blocked_are_skipped(self):
        """notFoundPost and blockedPost views are skipped and counted."""
        assert parse_bluesky_response(sample("thread.jsonl"), DISTRICT).skipped == 2

    def test_nested_reply_answers_the_staff_reply(self):
        """The student's answer to the staff reply is addressed to the staff DID."""
        answers = [
            p for p in posts_of(sample("thread.jsonl")).values() if p.in_reply_to_post_id == REPLY
        ]
        assert [p.in_reply_to_account_id for p in answers] == [STAFF]

    def test_parents_are_walked_up(self):
        """A thread opened at a reply includes its parent chain."""
        thread = sample("thread.jsonl")["thread"]
        reply_node = thread["replies"][0]
        reply_node["parent"] = {
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": thread["post"],
        }
        posts = posts_of({"thread": reply_node})
        assert ROOT in posts and REPLY in posts

    def test_getposts_list(self):
        """A getPosts response (posts list) is read."""
        view = sample("thread.jsonl")["thread"]["post"]
        assert list(posts_of({"posts": [view]})) == [ROOT]

    def test_deep_thread_is_refused_not_raised(self):
        """A thread nested past the depth limit refuses the rest instead of recursing on."""
        node: dict[str, Any] = {"post": sample("thread.jsonl")["thread"]["post"], "replies": []}
        for _ in range(300):
            node = {"post": node["post"], "replies": [node]}
        result = parse_bluesky_response({"thread": node}, DISTRICT)
        assert any("deeper" in r.reason for r in result.refused)
