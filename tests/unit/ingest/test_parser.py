"""The parser interface's shared pieces: refusals, per-item isolation and field readers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from ingest.errors import InvalidEvent
from ingest.parser import (
    MAX_REASON_CHARS,
    MAX_REFUSED_ITEM_CHARS,
    ParseResult,
    Refusal,
    check_id,
    item_text,
    one_line,
    optional_str,
    parse_items,
    raw_json,
    refuse,
    refuse_response,
)
from ingest.post import Post, PostKind


def make_post(post_id: str) -> Post:
    return Post(
        district_id="wilmington-209u",
        platform="twitter",
        post_id=post_id,
        kind=PostKind.POST,
        author_account_id="1500000000000000001",
        created_at=datetime(2026, 10, 5, 19, tzinfo=UTC),
        text="Reminder: lab reports due Friday",
        thread_id=post_id,
    )


def parse_item(item: object) -> Post | None:
    """A toy item parser: strings are post ids, None is skipped, anything else is an error."""
    if item is None:
        return None
    if item == "boom":
        raise RuntimeError("a bug")
    if not isinstance(item, str):
        raise InvalidEvent(f"item must be a string, got {type(item).__name__}")
    return make_post(item)


class TestParseItems:
    def test_posts_are_collected_in_order(self):
        """Each parsed item becomes a post, in input order."""
        result = parse_items(["1", "2"], parse_item)
        assert [post.post_id for post in result.posts] == ["1", "2"]

    def test_invalid_item_is_refused_with_its_reason(self):
        """An InvalidEvent refuses that item with the event's reason."""
        result = parse_items(["1", 5, "2"], parse_item)
        assert (len(result.posts), result.refused) == (
            2,
            (Refusal("5", "item must be a string, got int"),),
        )

    def test_none_counts_as_skipped(self):
        """An item parsed to None is counted as skipped, not refused."""
        result = parse_items(["1", None, None], parse_item)
        assert (len(result.posts), result.skipped, result.refused) == (1, 2, ())

    def test_unexpected_exception_is_refused_as_internal_error(self):
        """A parser bug refuses the item, naming the exception, and the batch goes on."""
        result = parse_items(["boom", "1"], parse_item)
        assert result.refused[0].reason == "internal parser error: RuntimeError: a bug"
        assert [post.post_id for post in result.posts] == ["1"]

    def test_post_validation_errors_are_refusals(self):
        """A Post that rejects its own fields (empty id) is a refusal."""
        assert parse_items([""], parse_item).refused[0].reason == "post field 'post_id' is empty"

    def test_empty_input_is_an_empty_result(self):
        """No items give the empty result."""
        assert parse_items([], parse_item) == ParseResult()


class TestRefusal:
    def test_item_is_compact_sorted_json(self):
        """The refused item is kept as compact JSON with sorted keys."""
        assert refuse({"b": 1, "a": [1, 2]}, "bad").item == '{"a":[1,2],"b":1}'

    def test_item_is_truncated(self):
        """A huge item is cut to MAX_REFUSED_ITEM_CHARS and marked."""
        text = item_text({"text": "x" * (MAX_REFUSED_ITEM_CHARS * 2)})
        assert len(text) == MAX_REFUSED_ITEM_CHARS
        assert text.endswith("[truncated]")

    def test_item_that_is_not_json_is_described(self):
        """A Python value JSON cannot express is described, not raised on."""
        assert refuse({1, 2}, "bad").item == "<set that is not JSON>"

    def test_item_with_lone_surrogate_still_encodes(self):
        """A lone surrogate in the item is escaped so the text encodes as UTF-8."""
        text = refuse({"text": "a\ud800"}, "bad").item
        text.encode()
        assert json.loads(text) == {"text": "a\ud800"}

    def test_reason_is_one_line(self):
        """Line breaks in a reason become spaces."""
        assert one_line("first\nsecond\r\nthird") == "first second third"

    def test_reason_is_shortened(self):
        """A long reason is cut to MAX_REASON_CHARS."""
        assert len(one_line("x" * 1000)) == MAX_REASON_CHARS

    def test_empty_reason_gets_a_placeholder(self):
        """A refusal always has some reason text."""
        assert one_line("  ") == "no reason given"

    def test_response_refusal_is_a_single_refusal(self):
        """refuse_response gives a result holding exactly one refusal and no posts."""
        assert refuse_response([], "not a response") == ParseResult(
            refused=(Refusal("[]", "not a response"),)
        )


class TestFieldReaders:
    def test_empty_string_reads_as_absent(self):
        """An empty string is treated like a missing field."""
        assert optional_str({"a": ""}, "a", "thing") is None

    def test_wrong_type_is_refused(self):
        """A field of the wrong JSON type raises InvalidEvent naming the type."""
        with pytest.raises(InvalidEvent, match="thing: a must be a string, got list"):
            optional_str({"a": []}, "a", "thing")

    @pytest.mark.parametrize("value", ["12a", "١٢٣", "1" * 65, "-1"])
    def test_ids_must_be_short_ascii_digits(self, value):
        """Only short ASCII digit strings pass as platform ids."""
        with pytest.raises(InvalidEvent):
            check_id(value, "id", "thing")

    def test_raw_json_refuses_nan(self):
        """raw_json refuses NaN, which JSON cannot carry."""
        with pytest.raises(InvalidEvent):
            raw_json({"x": float("nan")})
