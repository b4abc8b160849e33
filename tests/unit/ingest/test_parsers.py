"""The parser registry, and the contract every platform's response parser passes."""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from ingest.parser import MAX_REFUSED_ITEM_CHARS, ParseResult, ResponseParser
from ingest.parsers import PARSERS, UnknownPlatformError, parser_for
from ingest.post import Post, post_from_json, post_to_json
from ingest.response_files import read_response_file
from ingest.twitter import parse_x_response

DISTRICT = "wilmington-209u"

GARBAGE = [
    None,
    [],
    "x",
    5,
    1.5,
    True,
    {},
    {"data": 5},
    {"data": "x"},
    {"data": [None, 1, "x", [], {}]},
    {"data": [{"id": None}]},
    [{"data": []}],
    {"includes": {"users": 5}},
]


def _responses(paths: tuple[Path, ...]) -> list[object]:
    return [line.payload for path in paths for line in read_response_file(path) if line.ok]


def _parse_all(platform: str, paths: tuple[Path, ...]) -> list[ParseResult]:
    return [PARSERS[platform](response, DISTRICT) for response in _responses(paths)]


def _posts(results: list[ParseResult]) -> list[Post]:
    return [post for result in results for post in result.posts]


@pytest.fixture(params=sorted(PARSERS))
def platform(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class TestRegistry:
    def test_twitter_is_the_x_parser(self):
        """The platform name "twitter" (as in accounts.csv) selects the X parser."""
        assert parser_for("twitter") is parse_x_response

    def test_unknown_platform_names_the_known_ones(self):
        """An unknown platform raises UnknownPlatformError listing the known platforms."""
        with pytest.raises(
            UnknownPlatformError,
            match="known platforms: bluesky, edmodo, facebook, googleplus, twitter, wordpress",
        ):
            parser_for("myspace")

    def test_unknown_platform_is_a_key_error(self):
        """The CLI catches KeyError, so UnknownPlatformError must be one."""
        with pytest.raises(KeyError):
            parser_for("myspace")

    def test_registry_is_read_only(self):
        """PARSERS cannot be changed at run time."""
        with pytest.raises(TypeError):
            PARSERS["myspace"] = parse_x_response  # type: ignore[index]

    def test_every_platform_has_samples(self, sample_catalog):
        """Each registered platform has sample payloads for the contract suite."""
        assert set(sample_catalog) == set(PARSERS)


class TestResponseParserContract:
    """Every ResponseParser in PARSERS, run over its platform's sample payloads."""

    def test_parser_fits_the_protocol(self, platform):
        """A registered parser is usable as a ResponseParser."""
        parser: ResponseParser = PARSERS[platform]
        assert callable(parser)

    def test_valid_samples_give_posts_and_no_refusals(self, platform, sample_catalog):
        """The valid samples yield posts and refuse nothing."""
        results = _parse_all(platform, sample_catalog[platform].valid)
        assert all(isinstance(result, ParseResult) for result in results)
        assert _posts(results)
        assert [refusal for result in results for refusal in result.refused] == []

    def test_posts_carry_the_district_id(self, platform, sample_catalog):
        """Every post names the district it was parsed for."""
        posts = _posts(_parse_all(platform, sample_catalog[platform].valid))
        assert {post.district_id for post in posts} == {DISTRICT}

    def test_posts_carry_the_platform_name(self, platform, sample_catalog):
        """Every post names the registry's platform."""
        posts = _posts(_parse_all(platform, sample_catalog[platform].valid))
        assert {post.platform for post in posts} == {platform}

    def test_posts_have_ids(self, platform, sample_catalog):
        """Post, author and thread ids are non-empty."""
        for post in _posts(_parse_all(platform, sample_catalog[platform].valid)):
            assert post.post_id and post.author_account_id and post.thread_id

    def test_post_ids_are_unique(self, platform, sample_catalog):
        """No sample item yields two posts."""
        posts = _posts(_parse_all(platform, sample_catalog[platform].valid))
        assert len({post.post_id for post in posts}) == len(posts)

    def test_created_at_is_aware_utc(self, platform, sample_catalog):
        """Every created_at is timezone-aware and in UTC."""
        for post in _posts(_parse_all(platform, sample_catalog[platform].valid)):
            assert post.created_at.utcoffset() == timedelta(0)
            assert post.created_at.tzinfo is UTC

    def test_raw_is_the_item_as_json(self, platform, sample_catalog):
        """raw holds the platform's JSON object for the item."""
        for post in _posts(_parse_all(platform, sample_catalog[platform].valid)):
            assert isinstance(json.loads(post.raw), dict)

    def test_posts_survive_the_codec(self, platform, sample_catalog):
        """Each post encodes for Kafka and decodes to an equal post."""
        for post in _posts(_parse_all(platform, sample_catalog[platform].valid)):
            assert post_from_json(post_to_json(post)) == post

    def test_malformed_samples_refuse_with_reasons(self, platform, sample_catalog):
        """The malformed samples produce refusals, each with a one-line reason."""
        results = _parse_all(platform, sample_catalog[platform].malformed)
        refused = [refusal for result in results for refusal in result.refused]
        assert refused
        for refusal in refused:
            assert refusal.reason and "\n" not in refusal.reason
            assert refusal.item and len(refusal.item) <= MAX_REFUSED_ITEM_CHARS

    @pytest.mark.parametrize("garbage", GARBAGE, ids=repr)
    def test_garbage_gives_no_posts(self, platform, garbage):
        """A value that is no response of the platform returns a ParseResult without posts."""
        result = PARSERS[platform](garbage, DISTRICT)
        assert isinstance(result, ParseResult)
        assert result.posts == ()

    @pytest.mark.parametrize("garbage", GARBAGE, ids=repr)
    def test_garbage_refusals_have_reasons(self, platform, garbage):
        """Whatever garbage is refused comes with a one-line reason."""
        for refusal in PARSERS[platform](garbage, DISTRICT).refused:
            assert refusal.reason and "\n" not in refusal.reason

    def test_empty_district_id_refuses_instead_of_raising(self, platform, sample_catalog):
        """An empty district id makes every item a refusal, never an exception."""
        responses = _responses(sample_catalog[platform].valid)
        results = [PARSERS[platform](response, "") for response in responses]
        assert _posts(results) == []
