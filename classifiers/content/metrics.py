"""Binary classification metrics of the offensive class, and false-positive rates per group."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class BinaryMetrics:
    """Accuracy, the offensive class's precision, recall and F1, and macro-F1 over both classes."""

    n: int
    accuracy: float
    precision: float
    recall: float
    f1: float
    macro_f1: float

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return _ratio(2 * precision * recall, precision + recall)


def binary_metrics(labels: npt.ArrayLike, predicted: npt.ArrayLike) -> BinaryMetrics:
    """Metrics of `predicted` (0 clean, 1 offensive) against the gold `labels`."""
    gold = np.asarray(labels, dtype=np.int64) == 1
    guess = np.asarray(predicted, dtype=np.int64) == 1
    if gold.shape != guess.shape:
        raise ValueError("labels and predictions differ in length")
    tp = int(np.sum(gold & guess))
    fp = int(np.sum(~gold & guess))
    fn = int(np.sum(gold & ~guess))
    tn = int(np.sum(~gold & ~guess))
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    clean_precision, clean_recall = _ratio(tn, tn + fn), _ratio(tn, tn + fp)
    f1 = _f1(precision, recall)
    return BinaryMetrics(
        n=int(gold.size),
        accuracy=_ratio(tp + tn, int(gold.size)),
        precision=precision,
        recall=recall,
        f1=f1,
        macro_f1=(f1 + _f1(clean_precision, clean_recall)) / 2,
    )


@dataclass(frozen=True, slots=True)
class GroupRate:
    """How many neutral texts of one group were flagged, out of how many."""

    group: str
    flagged: int
    total: int

    @property
    def rate(self) -> float:
        return _ratio(self.flagged, self.total)


def false_positive_rates(groups: Iterable[str], flagged: Iterable[bool]) -> list[GroupRate]:
    """Per group (an identity term), the share of its neutral texts that were flagged."""
    counts: dict[str, list[int]] = {}
    for group, hit in zip(groups, flagged, strict=True):
        tally = counts.setdefault(group, [0, 0])
        tally[0] += int(hit)
        tally[1] += 1
    return [GroupRate(group, hits, total) for group, (hits, total) in counts.items()]


def rates_table(rates: Iterable[GroupRate]) -> Mapping[str, dict[str, float | int]]:
    """The rates as JSON-able rows keyed by group."""
    return {r.group: {"flagged": r.flagged, "total": r.total, "rate": r.rate} for r in rates}
