"""The staff-conduct set: its size and mix, the split rule, and malformed rows refused."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from classifiers.content.errors import DatasetError
from classifiers.content.labels import StaffCategory
from classifiers.content.staff_set import StaffRow, assigned_splits, load_staff_set, split_rows

STAFF_SET = Path(__file__).resolve().parents[4] / "tests" / "data" / "staff_categories.jsonl"


@pytest.fixture(scope="module")
def rows():
    return load_staff_set(STAFF_SET)


class TestTheSet:
    def test_it_has_a_thousand_posts_and_sixty_of_each_category(self, rows):
        """At least 1,000 posts, and at least 60 that break each category."""
        per_category = Counter(c for row in rows for c in row.categories)
        assert len(rows) >= 1000
        assert all(per_category[c] >= 60 for c in StaffCategory), per_category

    def test_clean_traps_and_everyday_posts_have_their_shares(self, rows):
        """At least 40% are clean traps (the issue's share) and about a fifth plain everyday
        staff posts (19.9%: round 14 lost eight short replies, "yes", "same", as repeats
        of older rows)."""
        kinds = Counter(row.kind for row in rows)
        assert kinds["trap"] / len(rows) >= 0.40
        assert kinds["everyday"] / len(rows) >= 0.19

    def test_every_category_is_in_every_split(self, rows):
        """Each split has posts of every category, so val can tune and test can measure each."""
        for split in ("train", "val", "test"):
            found = {c for row in split_rows(rows, split) for c in row.categories}
            assert found == set(StaffCategory)

    def test_every_row_lies_in_the_split_the_rule_gives_its_group(self, rows):
        """The stored splits are the rule's (hash-ordered groups per family), not a choice."""
        rule = assigned_splits(rows)
        assert [row.split for row in rows] == [rule[row.group] for row in rows]

    def test_no_topic_group_is_in_two_splits(self, rows):
        """Near-paraphrases share a group, so none of them straddles train and test."""
        splits: dict[str, set[str]] = {}
        for row in rows:
            splits.setdefault(row.group, set()).add(row.split)
        assert all(len(found) == 1 for found in splits.values())

    def test_a_later_writing_round_moves_no_older_row(self, rows):
        """Round 13 on is split within its round: older rows keep the split they had."""
        older = [row for row in rows if not row.group.startswith("r13-")]
        later = [
            StaffRow(f"new post {n}", frozenset({StaffCategory.SEXUAL}), "none", "train",
                     group=f"r13-new-{n}", first=StaffCategory.SEXUAL)
            for n in range(30)
        ]  # fmt: skip
        before, after = assigned_splits(older), assigned_splits(older + later)
        assert all(after[row.group] == before[row.group] for row in older)
        assert Counter(after[row.group] for row in later) == {"train": 18, "val": 6, "test": 6}

    def test_a_group_prefix_picks_one_round_of_a_split(self, rows):
        """`split_rows(..., group_prefix=)` keeps only that round's rows of the split."""
        picked = split_rows(rows, "test", group_prefix="r12-")
        assert picked and all(r.group.startswith("r12-") and r.split == "test" for r in picked)
        assert len(picked) < len(split_rows(rows, "test"))

    def test_no_text_is_written_twice(self, rows):
        """Every post is its own text."""
        assert len({row.text for row in rows}) == len(rows)


class TestLoading:
    def test_a_malformed_row_names_its_line(self, tmp_path):
        """A row with an unknown category is refused with its line number."""
        path = tmp_path / "set.jsonl"
        row = {"text": "x", "categories": ["rude"], "target": "none", "split": "train"}
        path.write_text(json.dumps(row) + "\n")
        with pytest.raises(DatasetError, match=":1:"):
            load_staff_set(path)

    def test_a_clean_row_called_positive_is_refused(self, tmp_path):
        """A row of kind positive needs at least one category."""
        path = tmp_path / "set.jsonl"
        row = {"text": "x", "categories": [], "target": "none", "split": "train",
               "kind": "positive", "group": "g"}  # fmt: skip
        path.write_text(json.dumps(row) + "\n")
        with pytest.raises(DatasetError, match="only a positive row"):
            load_staff_set(path)
