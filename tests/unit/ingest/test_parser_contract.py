"""The behaviour every registered response parser shares, run against each platform's builder."""

from __future__ import annotations

import pytest

from ingest.parser import ParseResult
from ingest.parsers import PARSERS
from ingest.post import MAX_TEXT_CHARS, PostKind
from tests.unit.ingest.platform_cases import BUILDERS

DISTRICT = "wilmington-209u"
NOT_RESPONSES = [None, 5, 1.5, True, "a string", "", {"unrelated": 1}]


@pytest.fixture(params=sorted(PARSERS))
def platform(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def parse(platform: str, texts: list[str | None]) -> ParseResult:
    return PARSERS[platform](BUILDERS[platform](texts), DISTRICT)


class TestBuilders:
    def test_every_platform_has_a_builder(self):
        """The contract runs over every registered parser."""
        assert set(BUILDERS) == set(PARSERS)


class TestValidItems:
    def test_each_item_is_one_post(self, platform):
        """Three valid items give three posts and no refusal."""
        result = parse(platform, ["one", "two", "three"])
        assert (len(result.posts), result.refused) == (3, ())

    def test_posts_have_the_required_fields(self, platform):
        """Every post carries district, platform, ids, an aware time and a known kind."""
        for post in parse(platform, ["hello class"]).posts:
            assert (post.district_id, post.platform) == (DISTRICT, platform)
            assert post.post_id and post.author_account_id and post.thread_id
            assert post.created_at.tzinfo is not None
            assert post.kind in PostKind

    def test_text_is_kept(self, platform):
        """The item's words arrive as the post's text."""
        (post,) = parse(platform, ["Lab reports due Friday"]).posts
        assert "Lab reports due Friday" in post.text

    def test_same_response_twice_gives_same_posts(self, platform):
        """Parsing is deterministic: the same response gives equal posts."""
        response = BUILDERS[platform](["one", "two"])
        assert PARSERS[platform](response, DISTRICT) == PARSERS[platform](response, DISTRICT)


class TestRefusals:
    @pytest.mark.parametrize("value", NOT_RESPONSES, ids=repr)
    def test_non_response_is_one_refusal(self, platform, value):
        """A value that is no response of the platform is refused once, with a reason."""
        result = PARSERS[platform](value, DISTRICT)
        assert (result.posts, len(result.refused)) == ((), 1)
        assert result.refused[0].reason

    def test_bad_item_is_refused_and_the_rest_parse(self, platform):
        """An item without an author is refused; its neighbours still parse."""
        result = parse(platform, ["first", None, "third"])
        assert len(result.posts) == 2
        (refusal,) = result.refused
        assert "\n" not in refusal.reason and refusal.reason

    def test_huge_text_is_refused(self, platform):
        """A text far beyond any platform's limit is refused, naming its size."""
        result = parse(platform, ["x" * (5 * MAX_TEXT_CHARS), "fine"])
        assert len(result.posts) == 1
        (refusal,) = result.refused
        assert "characters" in refusal.reason

    def test_refusal_reasons_are_single_lines(self, platform):
        """A reason never spans lines, whatever the item held."""
        result = parse(platform, [None, None])
        assert all("\n" not in refusal.reason for refusal in result.refused)


# Platforms whose text is what the author typed: nothing tag-shaped is markup there.
PLAIN_TEXT_PLATFORMS = frozenset({"bluesky", "edmodo", "facebook"})
MARKUP_PLATFORMS = sorted(set(PARSERS) - PLAIN_TEXT_PLATFORMS)


def test_both_kinds_of_platform_are_covered():
    """The plain-text set names only registered platforms, and some platforms use markup."""
    assert set(PARSERS) >= PLAIN_TEXT_PLATFORMS
    assert MARKUP_PLATFORMS


class TestTextCleaning:
    @pytest.mark.parametrize("markup_platform", MARKUP_PLATFORMS)
    def test_script_is_removed(self, markup_platform):
        """On a markup platform a script element and its code never reach the post text."""
        (post,) = parse(markup_platform, ["Hi <script>alert('x')</script>class"]).posts
        assert "alert" not in post.text and "<script" not in post.text.lower()

    @pytest.mark.parametrize("markup_platform", MARKUP_PLATFORMS)
    def test_tags_are_removed_and_entities_decoded(self, markup_platform):
        """On a markup platform tags are dropped and entities read as characters."""
        (post,) = parse(markup_platform, ["<b>Bring</b> goggles &amp; gloves"]).posts
        assert "Bring goggles & gloves" in post.text
        assert "<b>" not in post.text

    @pytest.mark.parametrize("plain_platform", sorted(PLAIN_TEXT_PLATFORMS))
    @pytest.mark.parametrize(
        "text",
        [
            "Great practice! <!-- DM me on snap: coach.k --> see you Monday",
            "text me <script>555-201-4477</script>",
            "<b>Bring</b> goggles &amp; gloves",
        ],
    )
    def test_plain_text_keeps_what_looks_like_markup(self, plain_platform, text):
        """On a plain-text platform the text is what students read, comments and tags included."""
        (post,) = parse(plain_platform, [text]).posts
        assert post.text == text

    def test_control_characters_are_removed(self, platform):
        """Control characters other than newline and tab are dropped."""
        (post,) = parse(platform, ["bell\x07 and null\x00 gone"]).posts
        assert "\x07" not in post.text and "\x00" not in post.text
