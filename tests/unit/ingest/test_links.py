"""Post.links: the pages a post points to, from HTML hrefs and the platforms' URL entities."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest.bluesky import parse_bluesky_response
from ingest.errors import InvalidEvent
from ingest.facebook import parse_facebook_response
from ingest.googleplus import parse_googleplus_response
from ingest.html_text import extract_links
from ingest.links import links_in_text, web_links
from ingest.post import MAX_LINKS, Post, PostKind, post_from_json, post_to_json
from ingest.twitter import parse_x_response
from ingest.wordpress import parse_wordpress_response

DISTRICT = "wilmington-209u"
SITE = "https://sites.google.com/view/ms-ayers-bio"


class TestExtractLinks:
    def test_hrefs_in_document_order(self):
        """Each <a href> of the markup, once, in the order it appears."""
        html = f'<p>See <a href="{SITE}">my site</a> and <a href="https://padlet.com/x">x</a>'
        html += f' or <a href="{SITE}">again</a></p>'
        assert extract_links(html) == (SITE, "https://padlet.com/x")

    def test_non_web_hrefs_are_left_out(self):
        """mailto:, javascript: and relative hrefs are not pages a student is sent to."""
        html = (
            '<a href="mailto:a@example.org">m</a><a href="/local">l</a><a href="javascript:x">j</a>'
        )
        assert extract_links(html) == ()

    def test_malformed_markup_does_not_raise(self):
        """Broken markup gives what was read so far, never an exception."""
        assert extract_links('<a href="https://a.example/">x</a><!DOCTYPE') == (
            "https://a.example/",
        )


def test_links_in_plain_text_drop_trailing_punctuation():
    """A web address written in a sentence loses the full stop after it."""
    assert links_in_text("Notes at https://ayers.weebly.com/notes. Thanks") == (
        "https://ayers.weebly.com/notes",
    )


def test_web_links_are_bounded():
    """At most MAX_LINKS links are kept."""
    links = [f"https://example.org/{n}" for n in range(MAX_LINKS + 10)]
    assert len(web_links(links)) == MAX_LINKS


class TestPlatforms:
    def test_x_url_entities_give_the_expanded_url(self):
        """X's URL entities give the unwound or expanded address, not the t.co one."""
        tweet = {
            "id": "1600000000000000901",
            "text": "Study guide: https://t.co/abc",
            "author_id": "1500000000000000001",
            "created_at": "2026-10-05T14:00:00.000Z",
            "entities": {"urls": [{"url": "https://t.co/abc", "expanded_url": SITE}]},
        }
        [post] = parse_x_response({"data": [tweet]}, DISTRICT).posts
        assert post.links == (SITE,)

    def test_bluesky_link_facet_and_card(self):
        """A Bluesky #link facet and an external embed both give links."""
        record = {
            "$type": "app.bsky.feed.post",
            "text": "Notes here",
            "createdAt": "2026-10-09T23:00:00.000Z",
            "facets": [
                {
                    "index": {"byteStart": 0, "byteEnd": 5},
                    "features": [{"$type": "app.bsky.richtext.facet#link", "uri": SITE}],
                }
            ],
            "embed": {
                "$type": "app.bsky.embed.external",
                "external": {"uri": "https://padlet.com/x"},
            },
        }
        view = {
            "uri": "at://did:plc:rbaptistehome7xq2k4mz/app.bsky.feed.post/3l6ovf2ab5c2x",
            "author": {"did": "did:plc:rbaptistehome7xq2k4mz", "handle": "r.bsky.social"},
            "record": record,
        }
        [post] = parse_bluesky_response({"feed": [{"post": view}]}, DISTRICT).posts
        assert post.links == (SITE, "https://padlet.com/x")

    def test_facebook_shared_link_and_written_address(self):
        """A Facebook post's shared `link` and an address in its message are links."""
        feed = {
            "data": [
                {
                    "id": "111_222",
                    "message": "Review at https://ayers.wixsite.com/bio today",
                    "created_time": "2026-10-05T14:00:00+0000",
                    "from": {"id": "111", "name": "Page"},
                    "link": SITE,
                }
            ]
        }
        [post] = parse_facebook_response(feed, DISTRICT).posts
        assert post.links == (SITE, "https://ayers.wixsite.com/bio")

    def test_wordpress_hrefs(self):
        """A WordPress post's content hrefs are its links."""
        item = {
            "id": 12,
            "date_gmt": "2026-10-05T14:00:00",
            "status": "publish",
            "type": "post",
            "title": {"rendered": "Unit 3"},
            "content": {"rendered": f'<p>Go to <a href="{SITE}">my site</a></p>'},
            "author": 101,
        }
        [post] = parse_wordpress_response([item], DISTRICT).posts
        assert post.links == (SITE,)

    def test_googleplus_hrefs(self):
        """A Google+ activity's content hrefs are its links."""
        activity = {
            "kind": "plus#activity",
            "id": "z12abc",
            "published": "2016-10-05T14:00:00.000Z",
            "actor": {"id": "1001"},
            "object": {"content": f'Notes: <a href="{SITE}">site</a>'},
            "access": {"items": [{"type": "public"}]},
        }
        [post] = parse_googleplus_response(
            {"kind": "plus#activityFeed", "items": [activity]}, DISTRICT
        ).posts
        assert post.links == (SITE,)


def _post(**fields: object) -> Post:
    base: dict[str, object] = {
        "district_id": DISTRICT,
        "platform": "twitter",
        "post_id": "1",
        "kind": PostKind.POST,
        "author_account_id": "1500000000000000001",
        "created_at": datetime(2026, 10, 5, 14, tzinfo=UTC),
        "text": "x",
        "thread_id": "1",
    }
    base.update(fields)
    return Post(**base)  # type: ignore[arg-type]


def test_codec_round_trips_links():
    """Links survive the post's JSON codec."""
    post = _post(links=(SITE,))
    assert post_from_json(post_to_json(post)).links == (SITE,)


def test_too_many_links_are_refused():
    """A post with more than MAX_LINKS links is an invalid event, not a memory hog."""
    with pytest.raises(InvalidEvent):
        _post(links=tuple(f"https://e.example/{n}" for n in range(MAX_LINKS + 1)))
