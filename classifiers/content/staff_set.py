"""The staff-conduct set (tests/data/staff_categories.jsonl): its rows, read and checked."""

# Each row names its topic group: posts written together on one topic (blocks of three
# in the writing order, see tests/data/staff_categories.md), so near-paraphrases share a
# group. A group's rows all lie in one split, and the split is a rule, not a choice:
# within each family (one per category for posts that break the policy, the first
# category for a post with two; one for clean traps and one for everyday posts) the
# groups are ordered by the sha256 of their name and the first 60% of the family's posts
# go to train, the next 20% to val, the rest to test. `assigned_splits` recomputes it,
# and a test checks the file against it. From writing round 13 on (groups named
# `r13-...`), each round is split on its own: adding a round moves no older row, and a
# round's test rows were never seen by any choice made before it was written.

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from classifiers.content.errors import DatasetError
from classifiers.content.labels import StaffCategory

SPLITS = ("train", "val", "test")
TARGETS = ("students", "colleagues", "parents", "groups", "none")
# A clean trap reads like a breach and is not one; an everyday post is plain staff talk.
KINDS = ("positive", "trap", "everyday")
# Shares of each family's posts in train, then train and val together.
TRAIN_SHARE = 0.6
TRAIN_VAL_SHARE = 0.8
# A writing round's group prefix (`r13-`); rounds before this one were split together.
_ROUND = re.compile(r"^r(\d+)-")
FIRST_SEPARATE_ROUND = 13


def writing_round(group: str) -> str:
    """The round a group was written in when it is split on its own (`r13`), else ""."""
    match = _ROUND.match(group)
    return f"r{match[1]}" if match and int(match[1]) >= FIRST_SEPARATE_ROUND else ""


@dataclass(frozen=True, slots=True)
class StaffRow:
    """One post, its categories (empty when clean), target, kind, topic group and split."""

    text: str
    categories: frozenset[StaffCategory]
    target: str
    split: str
    kind: str = "positive"
    group: str = ""
    # The first category as written: a post with two belongs to its first one's family.
    first: StaffCategory | None = None

    @property
    def family(self) -> str:
        """The family whose groups are split together (see the module comment)."""
        family = f"positive:{self.first.value}" if self.first is not None else self.kind
        round_name = writing_round(self.group)
        return f"{round_name}/{family}" if round_name else family


def _row(data: dict[str, object]) -> StaffRow:
    raw = data["categories"]
    if not isinstance(raw, list):
        raise TypeError("categories must be a list")
    ordered = [StaffCategory(str(c)) for c in raw]
    return StaffRow(
        text=str(data["text"]),
        categories=frozenset(ordered),
        target=str(data["target"]),
        split=str(data["split"]),
        kind=str(data.get("kind", "trap" if not ordered else "positive")),
        group=str(data.get("group", "")),
        first=ordered[0] if ordered else None,
    )


def load_staff_set(path: Path) -> list[StaffRow]:
    """Every row of a staff-conduct JSONL file; a malformed row names its line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"{path}: unreadable: {exc}") from None
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = _row(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise DatasetError(f"{path}:{number}: not a staff-set row: {exc}") from None
        if row.split not in SPLITS or row.target not in TARGETS or row.kind not in KINDS:
            raise DatasetError(
                f"{path}:{number}: split must be one of {SPLITS}, target {TARGETS}, kind {KINDS}"
            )
        if (row.kind == "positive") != bool(row.categories):
            raise DatasetError(f"{path}:{number}: only a positive row has categories")
        rows.append(row)
    if not rows:
        raise DatasetError(f"{path}: no rows")
    return rows


def assigned_splits(rows: list[StaffRow]) -> dict[str, str]:
    """The split of every topic group under the set's rule (module comment)."""
    families: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        families[row.family][row.group] += 1
    out: dict[str, str] = {}
    for groups in families.values():
        total, placed = sum(groups.values()), 0
        for group in sorted(groups, key=lambda g: hashlib.sha256(g.encode()).hexdigest()):
            share = placed / total
            out[group] = (
                "train" if share < TRAIN_SHARE else "val" if share < TRAIN_VAL_SHARE else "test"
            )
            placed += groups[group]
    return out


def split_rows(rows: list[StaffRow], split: str, group_prefix: str = "") -> list[StaffRow]:
    """The rows of one split, only those whose group starts with `group_prefix` if given."""
    return [row for row in rows if row.split == split and row.group.startswith(group_prefix)]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
