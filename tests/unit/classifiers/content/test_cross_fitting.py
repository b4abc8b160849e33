"""Cross-fitted thresholds: folds by group, out-of-fold scores, flags that are right."""

from __future__ import annotations

import numpy as np

from classifiers.content.category_heads import CATEGORIES
from classifiers.content.category_training import (
    _cross_fitted,
    _held_out_thresholds,
    fold_of,
)
from classifiers.content.labels import StaffCategory
from classifiers.content.staff_set import StaffRow

PROFANITY = CATEGORIES.index(StaffCategory.PROFANITY_INSULT)


def row(group: str, *categories: StaffCategory) -> StaffRow:
    kind = "positive" if categories else "trap"
    return StaffRow(
        text=f"post of {group}",
        categories=frozenset(categories),
        target="none",
        kind=kind,
        group=group,
        split="train",
        first=categories[0] if categories else None,
    )


class TestFolds:
    def test_a_group_is_always_in_one_fold(self):
        assert len({fold_of("drunk-at-work-3") for _ in range(5)}) == 1
        assert all(0 <= fold_of(f"g{i}", 5) < 5 for i in range(100))

    def test_folds_are_all_used(self):
        assert {fold_of(f"group-{i}", 5) for i in range(200)} == set(range(5))

    def test_every_row_is_scored_by_heads_fitted_without_its_group(self):
        """The fake heads remember the groups they were fitted on; a row scores 1 when its
        own group was among them."""
        rows = [row(f"g{i // 3}") for i in range(60)]

        def fit(part: list[StaffRow]) -> set[str]:
            return {r.group for r in part}

        def score(seen: set[str], part: list[StaffRow]) -> np.ndarray:
            return np.array([[float(r.group in seen)] * len(CATEGORIES) for r in part])

        scores = _cross_fitted(rows, fit, score, folds=4)
        assert scores.shape == (60, len(CATEGORIES))
        assert not scores.any()


class TestRightFlags:
    def test_a_threat_flagged_as_an_insult_counts_as_a_right_flag(self):
        """Threats score high on profanity: they are offensive, so the threshold can go
        down to them and the insults below; the clean posts stay under it."""
        rows = [row(f"t{i}", StaffCategory.HARASSMENT_THREAT) for i in range(10)]
        rows += [row(f"p{i}", StaffCategory.PROFANITY_INSULT) for i in range(10)]
        rows += [row(f"c{i}") for i in range(10)]
        scores = np.zeros((30, len(CATEGORIES)))
        scores[:10, PROFANITY] = 0.95
        scores[10:20, PROFANITY] = 0.8
        scores[20:, PROFANITY] = 0.6
        thresholds, metrics = _held_out_thresholds(scores, rows)
        assert 0.6 < thresholds[PROFANITY] < 0.8
        profanity = metrics[StaffCategory.PROFANITY_INSULT.value]
        assert profanity == {"precision": 0.5, "right_flags": 1.0, "recall": 1.0}

    def test_a_misconduct_flag_on_a_clean_post_is_wrong(self):
        rows = [row(f"m{i}", StaffCategory.MISCONDUCT) for i in range(5)]
        rows += [row(f"c{i}") for i in range(5)]
        j = CATEGORIES.index(StaffCategory.MISCONDUCT)
        scores = np.zeros((10, len(CATEGORIES)))
        scores[:5, j], scores[5:, j] = 0.95, 0.9
        thresholds, metrics = _held_out_thresholds(scores, rows)
        assert 0.9 < thresholds[j] < 0.95
        assert metrics[StaffCategory.MISCONDUCT.value]["right_flags"] == 1.0
