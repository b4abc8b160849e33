"""X API v2 tweets and dm_events into posts: the X-specific mapping and refusals."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from ingest.parser import MAX_REFUSED_ITEM_CHARS, ParseResult
from ingest.post import Post, PostKind, Visibility
from ingest.twitter import parse_x_response
from ingest.x_ids import snowflake_time

DISTRICT = "wilmington-209u"
TEACHER = "1500000000000000001"
STUDENT = "1500000000000000011"
OTHER_STUDENT = "1500000000000000012"
DROP = object()


def make_tweet(**fields: Any) -> dict[str, Any]:
    """A valid tweet by the teacher; a field given as DROP is removed."""
    tweet: dict[str, Any] = {
        "id": "1600000000000000100",
        "author_id": TEACHER,
        "text": "Reminder: lab reports due Friday",
        "created_at": "2026-10-05T19:00:00.000Z",
        "conversation_id": "1600000000000000100",
        "edit_history_tweet_ids": ["1600000000000000100"],
    }
    tweet.update(fields)
    return {key: value for key, value in tweet.items() if value is not DROP}


def make_dm(**fields: Any) -> dict[str, Any]:
    """A valid MessageCreate event from the teacher to the student."""
    event: dict[str, Any] = {
        "id": "1700000000000000001",
        "event_type": "MessageCreate",
        "text": "See you at practice",
        "sender_id": TEACHER,
        "dm_conversation_id": f"{TEACHER}-{STUDENT}",
        "created_at": "2026-10-07T02:00:00.000Z",
    }
    event.update(fields)
    return {key: value for key, value in event.items() if value is not DROP}


def make_response(*items: dict[str, Any], users: tuple[tuple[str, str], ...] = ()) -> dict:
    response: dict[str, Any] = {"data": list(items), "meta": {"result_count": len(items)}}
    if users:
        response["includes"] = {"users": [{"id": i, "username": u, "name": u} for i, u in users]}
    return response


def parse(*items: dict[str, Any], **kwargs: Any) -> ParseResult:
    return parse_x_response(make_response(*items, **kwargs), DISTRICT)


def parse_one(item: dict[str, Any], **kwargs: Any) -> Post:
    result = parse(item, **kwargs)
    assert result.refused == (), result.refused
    (post,) = result.posts
    return post


def reasons(result: ParseResult) -> list[str]:
    return [refusal.reason for refusal in result.refused]


class TestTweetMapping:
    def test_plain_tweet_is_a_post(self):
        """A tweet without a replied_to reference is kind post."""
        assert parse_one(make_tweet()).kind is PostKind.POST

    def test_fields_are_copied(self):
        """Id, author, district, platform and visibility come through."""
        post = parse_one(make_tweet())
        assert (post.post_id, post.author_account_id) == ("1600000000000000100", TEACHER)
        assert (post.district_id, post.platform) == (DISTRICT, "twitter")
        assert post.visibility is Visibility.PUBLIC

    def test_created_at_is_utc(self):
        """An ISO time with Z becomes an aware UTC datetime."""
        assert parse_one(make_tweet()).created_at == datetime(2026, 10, 5, 19, tzinfo=UTC)

    def test_created_at_offset_is_converted(self):
        """An ISO time with another offset is converted to UTC."""
        post = parse_one(make_tweet(created_at="2026-10-05T14:00:00-05:00"))
        assert post.created_at == datetime(2026, 10, 5, 19, tzinfo=UTC)

    def test_reply_is_kind_reply(self):
        """A replied_to reference makes a reply, with the replied-to post and account."""
        post = parse_one(
            make_tweet(
                referenced_tweets=[{"type": "replied_to", "id": "1600000000000000101"}],
                in_reply_to_user_id=STUDENT,
            )
        )
        assert post.kind is PostKind.REPLY
        assert post.in_reply_to_post_id == "1600000000000000101"
        assert post.in_reply_to_account_id == STUDENT

    @pytest.mark.parametrize("ref_type", ["quoted", "retweeted"])
    def test_quote_and_retweet_stay_posts(self, ref_type):
        """Quoted and retweeted references do not make a reply."""
        post = parse_one(
            make_tweet(referenced_tweets=[{"type": ref_type, "id": "1600000000000000050"}])
        )
        assert post.kind is PostKind.POST
        assert post.in_reply_to_post_id is None

    def test_referenced_posts_alias(self):
        """The newer spec's referenced_posts is read like referenced_tweets."""
        post = parse_one(
            make_tweet(referenced_posts=[{"type": "replied_to", "id": "1600000000000000101"}])
        )
        assert post.kind is PostKind.REPLY
        assert post.in_reply_to_post_id == "1600000000000000101"

    def test_thread_is_the_conversation(self):
        """thread_id is the tweet's conversation_id."""
        post = parse_one(
            make_tweet(id="1600000000000000102", conversation_id="1600000000000000100")
        )
        assert post.thread_id == "1600000000000000100"

    def test_thread_falls_back_to_tweet_id(self):
        """Without conversation_id the tweet is its own thread."""
        assert parse_one(make_tweet(conversation_id=DROP)).thread_id == "1600000000000000100"

    def test_url_uses_the_authors_username(self):
        """The URL names the author when includes.users knows them."""
        post = parse_one(make_tweet(), users=((TEACHER, "MsAyersBio"),))
        assert post.url == "https://x.com/MsAyersBio/status/1600000000000000100"

    def test_url_without_username(self):
        """Without the author's username the URL uses X's i/web form."""
        assert parse_one(make_tweet()).url == "https://x.com/i/web/status/1600000000000000100"

    def test_raw_is_the_tweet_as_sorted_compact_json(self):
        """raw is exactly the tweet object, compact with sorted keys."""
        tweet = make_tweet()
        expected = json.dumps(tweet, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert parse_one(tweet).raw == expected

    def test_single_object_data(self):
        """A lookup response with one tweet object as data gives one post."""
        result = parse_x_response({"data": make_tweet()}, DISTRICT)
        assert [post.post_id for post in result.posts] == ["1600000000000000100"]

    def test_includes_tweets_are_not_posts(self):
        """Expanded referenced tweets in includes.tweets are context, not posts."""
        response = make_response(make_tweet())
        response["includes"] = {"tweets": [make_tweet(id="1600000000000000050")]}
        assert len(parse_x_response(response, DISTRICT).posts) == 1

    def test_long_post_uses_note_tweet_text(self):
        """A long post's full text comes from note_tweet."""
        post = parse_one(make_tweet(text="Short…", note_tweet={"text": "The whole long text"}))
        assert post.text == "The whole long text"


class TestEditedTweets:
    """X gives an edit a new id; the versions of one tweet are one post."""

    ORIGINAL = "1842000000000000000"  # created 2024-10-04 00:33 UTC (ids tell their time)

    def edited(self, **fields: Any) -> dict[str, Any]:
        edit: dict[str, Any] = {
            "id": "1842000500000000000",
            "text": "Reminder: lab reports due Monday",
            "created_at": "2024-10-04T00:35:16.000Z",
            "conversation_id": self.ORIGINAL,
            "edit_history_tweet_ids": [self.ORIGINAL, "1842000500000000000"],
        }
        return make_tweet(**{**edit, **fields})

    def test_the_edit_is_a_version_of_the_first_id_with_the_edit_time(self) -> None:
        [post] = parse(self.edited()).posts
        assert post.post_id == self.ORIGINAL
        assert post.edited_at == datetime(2024, 10, 4, 0, 35, 16, tzinfo=UTC)
        assert post.created_at == snowflake_time(int(self.ORIGINAL))
        assert post.url == "https://x.com/i/web/status/1842000500000000000"  # this version

    def test_the_first_version_read_later_is_the_same_post_without_an_edit_time(self) -> None:
        first = make_tweet(
            id=self.ORIGINAL,
            created_at="2024-10-04T00:33:17.000Z",
            conversation_id=self.ORIGINAL,
            edit_history_tweet_ids=[self.ORIGINAL, "1842000500000000000"],
        )
        [original] = parse(first).posts
        [edit] = parse(self.edited()).posts
        assert original.post_id == edit.post_id == self.ORIGINAL
        assert original.edited_at is None and original.version != edit.version

    @pytest.mark.parametrize(
        "history",
        [
            ["1842000000000000000"],  # does not name this tweet
            ["not-an-id", "1842000500000000000"],
            ["1999999999999999999", "1842000500000000000"],  # "first" is newer than this one
            "1842000000000000000",
        ],
    )
    def test_a_history_that_does_not_lead_here_is_ignored(self, history: object) -> None:
        [post] = parse(self.edited(edit_history_tweet_ids=history)).posts
        assert post.post_id == "1842000500000000000" and post.edited_at is None


class TestMentions:
    def test_mention_ids_are_taken(self):
        """Mentions with an id give mentioned_account_ids."""
        entities = {"mentions": [{"start": 0, "end": 11, "username": "jq_student", "id": STUDENT}]}
        assert parse_one(make_tweet(entities=entities)).mentioned_account_ids == (STUDENT,)

    def test_mention_without_id_resolves_by_username(self):
        """A mention without id is resolved through includes.users, ignoring case."""
        entities = {"mentions": [{"start": 0, "end": 11, "username": "JQ_Student"}]}
        post = parse_one(make_tweet(entities=entities), users=((STUDENT, "jq_student"),))
        assert post.mentioned_account_ids == (STUDENT,)

    def test_unresolvable_mention_is_left_out(self):
        """A mention without id and unknown username adds nothing."""
        entities = {"mentions": [{"start": 0, "end": 8, "username": "someone"}]}
        assert parse_one(make_tweet(entities=entities)).mentioned_account_ids == ()

    def test_repeated_mentions_count_once(self):
        """The same account mentioned twice is listed once, in order of first mention."""
        mentions = [
            {"username": "avery_l", "id": OTHER_STUDENT},
            {"username": "jq_student", "id": STUDENT},
            {"username": "avery_l", "id": OTHER_STUDENT},
        ]
        post = parse_one(make_tweet(entities={"mentions": mentions}))
        assert post.mentioned_account_ids == (OTHER_STUDENT, STUDENT)


class TestText:
    def test_entities_are_unescaped(self):
        """X's &amp; &lt; &gt; become the characters the author typed."""
        post = parse_one(make_tweet(text="Cells &amp; tissues: I &lt;3 biology &gt;:)"))
        assert post.text == "Cells & tissues: I <3 biology >:)"

    def test_script_is_removed(self):
        """A literal script element and its content are removed."""
        post = parse_one(make_tweet(text="Hi<script>alert(1)</script> class"))
        assert post.text == "Hi class"

    def test_escaped_script_cannot_become_markup(self):
        """An escaped script tag is kept as words but can no longer open a tag."""
        post = parse_one(make_tweet(text="&lt;script&gt;alert(1)&lt;/script&gt;"))
        assert "<script" not in post.text

    def test_control_characters_are_stripped(self):
        """Control characters other than newline are removed."""
        post = parse_one(make_tweet(text="Lab\x00 report\x07s\x1b due"))
        assert post.text == "Lab reports due"

    def test_newlines_are_kept(self):
        """Line breaks in a tweet survive."""
        assert parse_one(make_tweet(text="Line one\nLine two")).text == "Line one\nLine two"

    def test_lone_surrogate_is_removed(self):
        """A lone surrogate from a JSON escape is dropped so the post encodes as UTF-8."""
        assert parse_one(make_tweet(text="ok\ud800")).text == "ok"


class TestDirectMessages:
    def test_message_is_a_private_direct_message(self):
        """A MessageCreate event is a private direct_message threaded by conversation."""
        post = parse_one(make_dm())
        assert post.kind is PostKind.DIRECT_MESSAGE
        assert post.visibility is Visibility.PRIVATE
        assert post.thread_id == f"{TEACHER}-{STUDENT}"
        assert post.author_account_id == TEACHER

    def test_recipient_from_conversation_id_when_sender_first(self):
        """In a 1:1 conversation "sender-other" the other id is the recipient."""
        post = parse_one(make_dm(dm_conversation_id=f"{TEACHER}-{STUDENT}"))
        assert post.recipient_account_ids == (STUDENT,)

    def test_recipient_from_conversation_id_when_sender_second(self):
        """In a 1:1 conversation "other-sender" the other id is the recipient."""
        post = parse_one(make_dm(dm_conversation_id=f"{STUDENT}-{TEACHER}"))
        assert post.recipient_account_ids == (STUDENT,)

    def test_recipients_from_participant_ids(self):
        """participant_ids, minus the sender, are the recipients."""
        post = parse_one(
            make_dm(
                dm_conversation_id="1700000000000000900",
                participant_ids=[TEACHER, STUDENT, OTHER_STUDENT],
            )
        )
        assert post.recipient_account_ids == (STUDENT, OTHER_STUDENT)

    def test_group_conversation_without_participants_has_no_recipients(self):
        """A group conversation id alone names no recipients."""
        post = parse_one(make_dm(dm_conversation_id="1700000000000000900"))
        assert post.recipient_account_ids == ()

    def test_message_has_no_public_url(self):
        """A direct message has no URL."""
        assert parse_one(make_dm()).url is None

    @pytest.mark.parametrize("event_type", ["ParticipantsJoin", "ParticipantsLeave"])
    def test_participant_events_are_skipped_and_counted(self, event_type):
        """Join and leave events are not posts: skipped, counted, not refused."""
        event = make_dm(event_type=event_type, text=DROP, participant_ids=[STUDENT])
        result = parse(event, make_dm(id="1700000000000000002"))
        assert (len(result.posts), result.skipped, result.refused) == (1, 1, ())

    def test_unknown_event_type_is_refused(self):
        """An event type the parser does not know is refused, not guessed at."""
        assert reasons(parse(make_dm(event_type="MessageEdit"))) == [
            "dm event 1700000000000000001: unknown event_type 'MessageEdit'"
        ]

    def test_missing_conversation_id_is_refused(self):
        """A message without dm_conversation_id is refused."""
        assert reasons(parse(make_dm(dm_conversation_id=DROP))) == [
            "dm event 1700000000000000001: dm_conversation_id missing"
        ]


class TestRefusals:
    def test_missing_author_is_refused_with_the_tweet_id(self):
        """A tweet without author_id is refused, naming the tweet."""
        assert reasons(parse(make_tweet(author_id=DROP))) == [
            "tweet 1600000000000000100: author_id missing"
        ]

    def test_missing_id_is_refused(self):
        """A tweet without id is refused."""
        assert reasons(parse(make_tweet(id=DROP))) == ["tweet: id missing"]

    def test_numeric_author_id_is_refused(self):
        """An author_id that is a JSON number, not a string, is refused."""
        assert reasons(parse(make_tweet(author_id=1500000000000000001))) == [
            "tweet 1600000000000000100: author_id must be a string, got number"
        ]

    def test_non_numeric_id_is_refused(self):
        """An id that is not digits is refused."""
        assert len(parse(make_tweet(id="abc")).refused) == 1

    def test_missing_created_at_is_refused(self):
        """A tweet without created_at is refused."""
        assert reasons(parse(make_tweet(created_at=DROP))) == [
            "tweet 1600000000000000100: created_at missing"
        ]

    @pytest.mark.parametrize("value", ["yesterday", "2026-10-05T19:00:00", 1759690800])
    def test_bad_created_at_is_refused(self, value):
        """A created_at that is not an ISO time with an offset is refused."""
        assert len(parse(make_tweet(created_at=value)).refused) == 1

    def test_created_at_out_of_range_is_refused(self):
        """A time that leaves the calendar once converted to UTC is refused by name."""
        [reason] = reasons(parse(make_tweet(created_at="0001-01-01T00:00:00+05:00")))
        assert reason.startswith("tweet 1600000000000000100: field 'created_at' is out of range")

    def test_missing_text_is_refused(self):
        """A tweet without text is refused."""
        assert reasons(parse(make_tweet(text=DROP))) == ["tweet 1600000000000000100: text missing"]

    def test_empty_text_is_accepted(self):
        """An empty text is a text, not a missing one."""
        assert parse_one(make_tweet(text="")).text == ""

    def test_bad_referenced_tweets_is_refused(self):
        """referenced_tweets that is not a list is refused."""
        assert len(parse(make_tweet(referenced_tweets="replied_to")).refused) == 1

    def test_one_bad_tweet_refuses_only_itself(self):
        """The tweets beside a bad one still parse."""
        result = parse(make_tweet(), make_tweet(id="1600000000000000101", author_id=DROP))
        assert ([p.post_id for p in result.posts], len(result.refused)) == (
            ["1600000000000000100"],
            1,
        )

    def test_refusal_holds_the_item_json(self):
        """A refusal carries the refused tweet's JSON."""
        tweet = make_tweet(author_id=DROP)
        (refusal,) = parse(tweet).refused
        assert json.loads(refusal.item) == tweet

    def test_huge_item_is_truncated(self):
        """A refused item's text is cut to MAX_REFUSED_ITEM_CHARS."""
        (refusal,) = parse(make_tweet(author_id=DROP, text="x" * 500_000)).refused
        assert len(refusal.item) == MAX_REFUSED_ITEM_CHARS

    @pytest.mark.parametrize("words", [30_000, 100_000])
    def test_overlong_text_is_refused(self, words):
        """A text beyond what a post may hold is refused, before or after decoding."""
        assert len(parse(make_tweet(text="word " * words)).refused) == 1

    def test_non_object_item_is_refused(self):
        """A data item that is not an object is refused."""
        assert reasons(parse_x_response({"data": [5]}, DISTRICT)) == [
            "X item: expected a JSON object, got number"
        ]

    @pytest.mark.parametrize("response", [None, [], "x", 5, {"data": 5}, {"foo": 1}], ids=repr)
    def test_unrecognizable_response_is_one_refusal(self, response):
        """A value that is not an X response is refused as a whole, once."""
        result = parse_x_response(response, DISTRICT)
        assert (result.posts, len(result.refused)) == ((), 1)

    def test_error_response_is_refused_with_its_title(self):
        """An X error response is refused, quoting the API's problem."""
        response = {"errors": [{"title": "Not Found Error", "detail": "Could not find tweet"}]}
        assert reasons(parse_x_response(response, DISTRICT)) == [
            "X API error response: Not Found Error; Could not find tweet"
        ]

    def test_error_response_with_nested_title_does_not_raise(self):
        """An error whose fields are not strings is still one refusal."""
        nested: list = []
        for _ in range(100_000):
            nested = [nested]
        response = {"errors": [{"title": nested}]}
        assert reasons(parse_x_response(response, DISTRICT)) == ["X API error response: no detail"]

    def test_empty_page_is_not_refused(self):
        """A page with no results (meta only) is empty, not an error."""
        assert parse_x_response({"meta": {"result_count": 0}}, DISTRICT) == ParseResult()

    def test_partial_errors_beside_data_are_ignored(self):
        """Errors about referenced items do not stop the tweets in data."""
        response = make_response(make_tweet())
        response["errors"] = [{"title": "Not Found Error", "resource_id": "1600000000000000050"}]
        assert len(parse_x_response(response, DISTRICT).posts) == 1
