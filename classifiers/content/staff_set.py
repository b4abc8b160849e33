"""The staff-conduct set (tests/data/staff_categories.jsonl): its rows, read and checked."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from classifiers.content.errors import DatasetError
from classifiers.content.labels import StaffCategory

SPLITS = ("train", "val", "test")
TARGETS = ("students", "colleagues", "parents", "groups", "none")


@dataclass(frozen=True, slots=True)
class StaffRow:
    """One post, its categories (empty when clean), who it is aimed at, and its split."""

    text: str
    categories: frozenset[StaffCategory]
    target: str
    split: str


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
            data = json.loads(line)
            categories = frozenset(StaffCategory(c) for c in data["categories"])
            row = StaffRow(str(data["text"]), categories, str(data["target"]), str(data["split"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise DatasetError(f"{path}:{number}: not a staff-set row: {exc}") from None
        if row.split not in SPLITS or row.target not in TARGETS:
            raise DatasetError(f"{path}:{number}: split must be one of {SPLITS}, target {TARGETS}")
        rows.append(row)
    if not rows:
        raise DatasetError(f"{path}: no rows")
    return rows


def split_rows(rows: list[StaffRow], split: str) -> list[StaffRow]:
    """The rows of one split."""
    return [row for row in rows if row.split == split]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
