"""Property tests for every platform parser: any value or mutated response gives a sound result."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.facebook import parse_facebook_webhook
from ingest.parser import ParseResult
from ingest.parsers import PARSERS
from ingest.post import post_from_json, post_to_json
from ingest.response_files import read_response_file
from tests.unit.ingest.conftest import SAMPLES
from tests.unit.ingest.platform_cases import BUILDERS

DISTRICT = "wilmington-209u"
SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"

# Sized for a 2-core machine: each example parses a small response.
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Field names of every platform, so that generated objects often look like responses.
KEYS = [
    "data", "id", "message", "created_time", "from", "comments", "parent", "paging", "to",
    "participants", "messages", "message_tags", "object", "entry", "changes", "field", "value",
    "item", "verb", "post_id", "comment_id", "parent_id", "time", "date_gmt", "modified_gmt",
    "author", "author_name", "content", "rendered", "title", "post", "status", "type", "link",
    "kind", "items", "published", "updated", "actor", "inReplyTo", "access", "url", "creator",
    "recipients", "users", "groups", "created_at", "text", "last_replies", "message_id", "feed",
    "thread", "posts", "uri", "did", "record", "createdAt", "reply", "root", "facets",
    "features", "$type", "replies", "handle",
]  # fmt: skip
SCALAR_SAMPLES = [
    "page", "feed", "comment", "add", "edited", "remove", "plus#activity", "plus#comment",
    "plus#activityFeed", "publish", "future", "app.bsky.feed.post",
    "app.bsky.feed.defs#threadViewPost", "app.bsky.feed.defs#notFoundPost",
    "app.bsky.richtext.facet#mention", "did:plc:abc", "at://did:plc:abc/app.bsky.feed.post/x",
    "t_1", "m_1", "2000000000001_3000000000000101", "2026-10-05T16:00:00+0000",
    "2026-10-05T16:00:00", "user", "group", "<script>x</script>",
]  # fmt: skip

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.integers(min_value=0, max_value=10**20).map(str)
    | st.sampled_from(SCALAR_SAMPLES)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), children, max_size=6)
    ),
    max_leaves=30,
)


def _sample_responses() -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for platform, samples in SAMPLES.items():
        paths = (*samples.valid, *samples.malformed)
        found[platform] = [
            line.payload for path in paths for line in read_response_file(path) if line.ok
        ]
    found["facebook"] += [
        line.payload for line in read_response_file(SAMPLES_DIR / "facebook" / "webhook.jsonl")
    ]
    return found


SAMPLE_RESPONSES = _sample_responses()


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _mutate(draw: st.DrawFn, response: Any) -> Any:
    """Drop nested fields or replace them with values of any type."""
    response = copy.deepcopy(response)
    for _ in range(draw(st.integers(1, 5))):
        paths = _paths(response)
        if not paths:
            break
        *parents, last = draw(st.sampled_from(paths))
        holder: Any = response
        for step in parents:
            holder = holder[step]
        if draw(st.booleans()):
            del holder[last]
        else:
            holder[last] = draw(json_values)
    return response


def _check(result: object) -> ParseResult:
    """A ParseResult whose refusals are one-line and whose posts survive the codec."""
    assert isinstance(result, ParseResult)
    for refusal in result.refused:
        assert refusal.reason and "\n" not in refusal.reason
        assert not refusal.reason.startswith("internal parser error"), refusal.reason
        refusal.item.encode()
    for post in result.posts:
        assert post_from_json(post_to_json(post)) == post
        assert post.post_id and post.author_account_id and post.thread_id
    assert result.skipped >= 0
    return result


each_platform = pytest.mark.parametrize("platform", sorted(PARSERS))


@FAST
@given(json_values)
def test_any_json_value_never_raises(response):
    """Any JSON-like value gives every parser (and the webhook reader) a sound result."""
    for parser in (*PARSERS.values(), parse_facebook_webhook):
        _check(parser(response, DISTRICT))


@each_platform
@FAST
@given(data=st.data())
def test_mutated_samples_never_raise(platform, data):
    """A sample response with fields dropped or retyped still gives a sound result."""
    response = data.draw(st.sampled_from(SAMPLE_RESPONSES[platform]))
    _check(PARSERS[platform](_mutate(data.draw, response), DISTRICT))


@FAST
@given(data=st.data())
def test_mutated_webhooks_never_raise(data):
    """A webhook delivery with fields dropped or retyped still gives a sound result."""
    response = data.draw(st.sampled_from(SAMPLE_RESPONSES["facebook"]))
    _check(parse_facebook_webhook(_mutate(data.draw, response), DISTRICT))


@each_platform
@FAST
@given(texts=st.lists(st.text(max_size=300), min_size=1, max_size=4))
def test_any_texts_give_one_post_each(platform, texts):
    """Valid items with arbitrary texts give one post each and no refusal."""
    result = _check(PARSERS[platform](BUILDERS[platform](list(texts)), DISTRICT))
    assert (len(result.posts), result.refused) == (len(texts), ())
    assert all("<script" not in post.text.lower() for post in result.posts)


@each_platform
@FAST
@given(texts=st.lists(st.none() | st.text(max_size=50), min_size=1, max_size=5))
def test_every_item_is_accounted_for(platform, texts):
    """Each item of a builder response is either a post or a refusal."""
    result = _check(PARSERS[platform](BUILDERS[platform](list(texts)), DISTRICT))
    assert len(result.posts) + len(result.refused) == len(texts)
    assert len(result.refused) == sum(text is None for text in texts)
