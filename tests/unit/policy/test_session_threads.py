"""sessions.csv thread ids as the platform shows them map onto the parsers' thread ids."""

from __future__ import annotations

from ingest.edmodo import message_key
from ingest.wordpress import post_key
from policy.session_threads import internal_thread_id


def test_wordpress_post_number_matches_the_parser_key():
    """A WordPress post number, as the teacher sees it, is the parser's `post-<n>`."""
    assert internal_thread_id("wordpress", "8801") == post_key("8801")


def test_edmodo_message_number_matches_the_parser_key():
    """An Edmodo message number is the parser's `message-<n>`."""
    assert internal_thread_id("edmodo", "42") == message_key("42")


def test_old_prefixed_form_is_still_accepted():
    """A session already written as `post-8801` keeps matching."""
    assert internal_thread_id("wordpress", "post-8801") == "post-8801"


def test_other_platforms_keep_their_own_ids():
    """An X conversation id is the platform's own and is left alone."""
    assert internal_thread_id("twitter", "1600000000000000500") == "1600000000000000500"
