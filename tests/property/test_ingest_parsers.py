"""Property tests: response parsers never raise, posts survive the codec, text has no markup."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.html_text import html_to_text
from ingest.parser import ParseResult
from ingest.parsers import PARSERS
from ingest.post import MAX_TEXT_CHARS, Post, PostKind, Visibility, post_from_json, post_to_json
from ingest.twitter import parse_x_response

DISTRICT = "wilmington-209u"

# Sized for a 2-core machine; the parser work per example is small.
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

X_KEYS = [
    "data", "includes", "users", "meta", "errors", "id", "text", "author_id", "created_at",
    "conversation_id", "in_reply_to_user_id", "referenced_tweets", "referenced_posts", "type",
    "entities", "mentions", "username", "event_type", "sender_id", "dm_conversation_id",
    "participant_ids", "note_tweet",
]  # fmt: skip

ids = st.integers(min_value=1, max_value=10**19).map(str)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | ids
    | st.sampled_from(["replied_to", "quoted", "MessageCreate", "ParticipantsJoin"])
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(X_KEYS) | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)
iso_times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.isoformat().replace("+00:00", "Z"))
usernames = st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True)


@st.composite
def tweets(draw: st.DrawFn) -> dict[str, Any]:
    tweet: dict[str, Any] = {
        "id": draw(ids),
        "author_id": draw(ids),
        "text": draw(st.text(max_size=300)),
        "created_at": draw(iso_times),
        "conversation_id": draw(ids),
    }
    if draw(st.booleans()):
        tweet["in_reply_to_user_id"] = draw(ids)
        key = draw(st.sampled_from(["referenced_tweets", "referenced_posts"]))
        tweet[key] = [{"type": draw(st.sampled_from(["replied_to", "quoted"])), "id": draw(ids)}]
    if draw(st.booleans()):
        mentions = draw(
            st.lists(
                st.fixed_dictionaries({"username": usernames}, optional={"id": ids}), max_size=3
            )
        )
        tweet["entities"] = {"mentions": mentions}
    return tweet


@st.composite
def dm_events(draw: st.DrawFn) -> dict[str, Any]:
    sender, other = draw(ids), draw(ids)
    event: dict[str, Any] = {
        "id": draw(ids),
        "event_type": draw(
            st.sampled_from(["MessageCreate", "ParticipantsJoin", "ParticipantsLeave"])
        ),
        "text": draw(st.text(max_size=200)),
        "sender_id": sender,
        "dm_conversation_id": draw(
            st.sampled_from([f"{sender}-{other}", f"{other}-{sender}", other])
        ),
        "created_at": draw(iso_times),
    }
    if draw(st.booleans()):
        event["participant_ids"] = [sender, other]
    return event


@st.composite
def valid_responses(draw: st.DrawFn) -> dict[str, Any]:
    items = draw(st.lists(tweets() | dm_events(), min_size=1, max_size=5))
    users = [{"id": draw(ids), "username": draw(usernames)} for _ in range(draw(st.integers(0, 3)))]
    return {"data": items, "includes": {"users": users}, "meta": {"result_count": len(items)}}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a nested value in dicts and lists."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


@st.composite
def mutated_responses(draw: st.DrawFn) -> dict[str, Any]:
    """A valid response with some fields dropped or replaced by values of any type."""
    response = copy.deepcopy(draw(valid_responses()))
    for _ in range(draw(st.integers(1, 4))):
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
    """The properties every parse result must have."""
    assert isinstance(result, ParseResult)
    for refusal in result.refused:
        assert refusal.reason and "\n" not in refusal.reason
        assert not refusal.reason.startswith("internal parser error"), refusal.reason
        refusal.item.encode()
    for post in result.posts:
        assert post_from_json(post_to_json(post)) == post
    return result


@FAST
@given(json_values)
def test_any_json_value_never_raises(response):
    """Any JSON-like value gives a ParseResult with sound refusals and posts."""
    for parser in PARSERS.values():
        _check(parser(response, DISTRICT))


@FAST
@given(st.dictionaries(st.just("data"), json_values, min_size=1))
def test_any_data_never_raises(response):
    """Whatever 'data' holds, the X parser returns a sound ParseResult."""
    _check(parse_x_response(response, DISTRICT))


@SLOW
@given(valid_responses())
def test_valid_responses_account_for_every_item(response):
    """Every item of a well-formed response is a post, a skip, or (text too odd) a refusal."""
    result = _check(parse_x_response(response, DISTRICT))
    assert len(result.posts) + len(result.refused) + result.skipped == len(response["data"])
    assert result.refused == ()


@SLOW
@given(mutated_responses())
def test_mutated_responses_never_raise(response):
    """Dropping fields or changing their types never makes the parser raise."""
    _check(parse_x_response(response, DISTRICT))


posts = st.builds(
    Post,
    district_id=st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
    platform=st.sampled_from(["twitter", "facebook", "wordpress"]),
    post_id=ids,
    kind=st.sampled_from(PostKind),
    author_account_id=ids,
    created_at=st.datetimes(
        min_value=datetime(1970, 1, 2),
        max_value=datetime(2200, 1, 1),
        timezones=st.builds(timezone, st.timedeltas(timedelta(hours=-23), timedelta(hours=23))),
    ),
    text=st.text(max_size=500),
    thread_id=ids,
    in_reply_to_post_id=st.none() | ids,
    in_reply_to_account_id=st.none() | ids,
    mentioned_account_ids=st.lists(ids, max_size=3).map(tuple),
    recipient_account_ids=st.lists(ids, max_size=3).map(tuple),
    visibility=st.sampled_from(Visibility),
    url=st.none() | st.text(min_size=1, max_size=40),
    scheduled=st.booleans(),
    raw=st.text(max_size=100),
)


@FAST
@given(posts)
def test_post_codec_round_trips(post):
    """post_from_json(post_to_json(p)) == p for any valid post."""
    assert post_from_json(post_to_json(post)) == post


markup_pieces = st.sampled_from(
    ["<script>", "</script>", "<SCRIPT type=x>", "<", ">", "&lt;", "&gt;", "script", "&", "<p>",
     "<!--", "-->", "<![", "]]>", "<style>", "</style>", "&#60;", "&#x3c;", "a", " ", "\n", "\x00",
     "<br/>", "<![foo[", "<!DOCTYPE", "<?", "/", "\ud800"]
)  # fmt: skip


@FAST
@given(st.text(max_size=200) | st.lists(markup_pieces, max_size=30).map("".join), st.booleans())
def test_html_to_text_leaves_no_script(markup, keep_line_breaks):
    """html_to_text never raises, and its output has no '<script' and no control characters."""
    text = html_to_text(markup, keep_line_breaks=keep_line_breaks)
    assert "<script" not in text.lower()
    assert all(char in "\n\t" or ord(char) >= 0x20 for char in text)
    assert len(text) <= max(len(markup), MAX_TEXT_CHARS)
    text.encode()
