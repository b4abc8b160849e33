"""Per-category precision and recall of the category heads on one split of the staff set."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.content.category_heads import CATEGORIES, CategoryScore
from classifiers.content.labels import StaffCategory
from classifiers.content.staff_set import StaffRow

# The categories the "offensive categories together" target counts: what is said
# about people. Drinking, drugs and misconduct are about what the writer did.
OFFENSIVE = frozenset(
    {
        StaffCategory.PROFANITY_INSULT,
        StaffCategory.HARASSMENT_THREAT,
        StaffCategory.SEXUAL,
        StaffCategory.BIGOTRY,
    }
)


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives and false negatives of one category (or of all)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "support": self.tp + self.fn,
            "false_positives": self.fp,
        }


def counts(pairs: Sequence[tuple[bool, bool]]) -> Counts:
    tp = sum(1 for truth, flagged in pairs if truth and flagged)
    fp = sum(1 for truth, flagged in pairs if flagged and not truth)
    fn = sum(1 for truth, flagged in pairs if truth and not flagged)
    return Counts(tp, fp, fn)


def category_report(
    rows: Sequence[StaffRow], scores: Sequence[tuple[CategoryScore, ...]]
) -> dict[str, dict[str, float | int]]:
    """Each category's precision and recall, `offensive` (the four offensive categories
    together: any of their heads against any of their labels) and `any` (any head
    against any category)."""
    report: dict[str, dict[str, float | int]] = {}
    for j, category in enumerate(CATEGORIES):
        pairs = [
            (category in r.categories, s[j].flagged) for r, s in zip(rows, scores, strict=True)
        ]
        report[category.value] = counts(pairs).as_dict()
    pairs = [
        (bool(r.categories & OFFENSIVE), any(c.flagged for c in s if c.category in OFFENSIVE))
        for r, s in zip(rows, scores, strict=True)
    ]
    report["offensive"] = counts(pairs).as_dict()
    pairs = [
        (bool(r.categories), any(c.flagged for c in s)) for r, s in zip(rows, scores, strict=True)
    ]
    report["any"] = counts(pairs).as_dict()
    return report


def flagged_categories(scores: tuple[CategoryScore, ...]) -> list[StaffCategory]:
    """The flagged categories of one text, highest score first."""
    return [c.category for c in sorted(scores, key=lambda c: -c.score) if c.flagged]
