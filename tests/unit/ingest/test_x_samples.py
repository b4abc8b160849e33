"""The bundled X samples parse as samples/x/README.md says they do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.parser import ParseResult
from ingest.post import Post
from ingest.response_files import read_response_file
from ingest.twitter import parse_x_response

DISTRICT = "wilmington-209u"
RULES = {
    "two_way_dialogue", "school_hours", "inappropriate_content", "student_confidentiality",
    "personal_page", "unapproved_venue", "unapproved_account", "missing_consent",
    "off_channel_contact",
}  # fmt: skip


@dataclass(frozen=True)
class ReadmeItem:
    item: str
    file: str
    line: int
    id: str
    author_id: str
    kind: str
    alerts: frozenset[str]


def readme_items(samples: Path) -> list[ReadmeItem]:
    """The rows of the README's Items table."""
    text = (samples / "README.md").read_text(encoding="utf-8")
    section = text.split("## Items", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][2:]
    items = []
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        item, file, line, post_id, author_id, kind, alerts = cells[:7]
        rules = frozenset() if alerts == "none" else frozenset(a.strip() for a in alerts.split(","))
        items.append(ReadmeItem(item, file, int(line), post_id, author_id, kind, rules))
    return items


def parse_file(path: Path) -> dict[int, ParseResult]:
    """Parse results by line number, for the lines that decode."""
    return {
        line.line_no: parse_x_response(line.payload, DISTRICT)
        for line in read_response_file(path)
        if line.ok
    }


def posts_by_id(samples: Path) -> dict[str, tuple[str, int, Post]]:
    found = {}
    for name in ("timeline.jsonl", "dm_events.jsonl", "malformed.jsonl"):
        for line_no, result in parse_file(samples / name).items():
            for post in result.posts:
                found[post.post_id] = (name, line_no, post)
    return found


def totals(path: Path) -> tuple[int, int, int, int]:
    """(unreadable lines, posts, refused, skipped) for a sample file."""
    lines = list(read_response_file(path))
    results = [parse_x_response(line.payload, DISTRICT) for line in lines if line.ok]
    return (
        sum(not line.ok for line in lines),
        sum(len(result.posts) for result in results),
        sum(len(result.refused) for result in results),
        sum(result.skipped for result in results),
    )


class TestSampleCounts:
    def test_timeline_counts(self, x_samples):
        """timeline.jsonl gives 11 posts and refuses nothing."""
        assert totals(x_samples / "timeline.jsonl") == (0, 11, 0, 0)

    def test_dm_events_counts(self, x_samples):
        """dm_events.jsonl gives 2 messages and skips 1 participant event."""
        assert totals(x_samples / "dm_events.jsonl") == (0, 2, 0, 1)

    def test_malformed_counts(self, x_samples):
        """malformed.jsonl has 1 unreadable line, 1 good post and 2 refusals."""
        assert totals(x_samples / "malformed.jsonl") == (1, 1, 2, 0)

    def test_malformed_reasons(self, x_samples):
        """The refusals name the tweet and the problem."""
        reasons = [
            refusal.reason
            for result in parse_file(x_samples / "malformed.jsonl").values()
            for refusal in result.refused
        ]
        assert reasons[0] == "tweet 1600000000000000902: author_id missing"
        assert reasons[1].startswith("tweet 1600000000000000903: field 'created_at' is not")

    def test_malformed_first_line_is_unreadable(self, x_samples):
        """The broken JSON is reported on line 1."""
        (bad,) = [line for line in read_response_file(x_samples / "malformed.jsonl") if not line.ok]
        assert bad.line_no == 1


class TestReadmeAgreement:
    def test_every_post_is_listed(self, x_samples):
        """Each post the samples yield has a row in the README."""
        listed = {item.id for item in readme_items(x_samples)}
        assert set(posts_by_id(x_samples)) <= listed

    def test_every_listed_post_parses_as_described(self, x_samples):
        """Each README row's file, line, author and kind match the parsed post."""
        posts = posts_by_id(x_samples)
        for item in readme_items(x_samples):
            if item.kind == "skipped":
                assert item.id not in posts, item
                continue
            name, line_no, post = posts[item.id]
            assert (name, line_no, post.author_account_id, post.kind.value) == (
                item.file,
                item.line,
                item.author_id,
                item.kind,
            ), item

    def test_alerts_name_contract_rules(self, x_samples):
        """The README's expected alerts use the contract's rule ids verbatim."""
        for item in readme_items(x_samples):
            assert item.alerts <= RULES, item

    @pytest.mark.parametrize(
        ("item", "alerts"),
        [("c", {"two_way_dialogue"}), ("d2", {"two_way_dialogue"}), ("e2", set()),
         ("e3", {"two_way_dialogue"}), ("g", set()), ("h", {"two_way_dialogue"}), ("i", set())],
    )  # fmt: skip
    def test_brief_outcomes_are_recorded(self, x_samples, item, alerts):
        """The README records the outcomes the sample was built to show."""
        (row,) = [row for row in readme_items(x_samples) if row.item == item]
        assert row.alerts == alerts


class TestSampleDetails:
    def test_student_reply_addresses_the_teacher(self, x_samples):
        """(c) the teacher's reply is addressed to the student's account."""
        post = posts_by_id(x_samples)["1600000000000000102"][2]
        assert post.addressed_account_ids == ("1500000000000000011",)

    def test_mention_without_id_is_resolved(self, x_samples):
        """(d2) the mention that lacks an id resolves to the parent's account."""
        post = posts_by_id(x_samples)["1600000000000000104"][2]
        assert post.mentioned_account_ids == ("1500000000000000021",)

    def test_coach_dm_is_to_the_student(self, x_samples):
        """(h) the coach's DM names the student as recipient."""
        post = posts_by_id(x_samples)["1700000000000000001"][2]
        assert post.recipient_account_ids == ("1500000000000000012",)

    def test_student_dm_is_to_the_staff_account(self, x_samples):
        """(i) the student's DM names the staff personal account as recipient."""
        post = posts_by_id(x_samples)["1700000000000000002"][2]
        assert post.recipient_account_ids == ("1500000000000000002",)

    def test_session_thread_posts_share_the_thread(self, x_samples):
        """(e) every post of the session thread has thread_id 1600000000000000500."""
        posts = posts_by_id(x_samples)
        ids = (
            "1600000000000000500",
            "1600000000000000510",
            "1600000000000000501",
            "1600000000000000502",
        )
        assert {posts[i][2].thread_id for i in ids} == {"1600000000000000500"}

    def test_ampersand_is_unescaped(self, x_samples):
        """(c) X's &amp; reads as & in the post text."""
        assert "data tables & graphs" in posts_by_id(x_samples)["1600000000000000102"][2].text
