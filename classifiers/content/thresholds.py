"""Decision thresholds on scores: the best macro-F1 one, and the precision-first one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

_Scores = npt.NDArray[np.float64]
_Labels = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Cut:
    """Flag a text as offensive when its score is at least `threshold`."""

    threshold: float
    precision: float
    recall: float
    macro_f1: float


def _f1(tp: _Scores, fp: _Scores, fn: _Scores) -> _Scores:
    denominator = 2 * tp + fp + fn
    return np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=denominator > 0)


def all_cuts(scores: _Scores, labels: _Labels) -> list[Cut]:
    """Every distinct threshold among the scores, highest first, with its metrics."""
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    if scores.size == 0:
        return []
    order = np.argsort(-scores, kind="stable")
    ranked, positive = scores[order], labels[order] == 1
    # The last index of each run of equal scores: a threshold keeps the whole run.
    ends = np.flatnonzero(np.append(ranked[1:] != ranked[:-1], True))
    tp = np.cumsum(positive)[ends].astype(np.float64)
    fp = (ends + 1) - tp
    positives, negatives = float(positive.sum()), float((~positive).sum())
    fn = positives - tp
    tn = negatives - fp
    precision = np.divide(tp, tp + fp, out=np.zeros_like(tp), where=(tp + fp) > 0)
    recall = tp / positives if positives else np.zeros_like(tp)
    macro = (_f1(tp, fp, fn) + _f1(tn, fn, fp)) / 2
    return [
        Cut(float(ranked[end]), float(p), float(r), float(m))
        for end, p, r, m in zip(ends, precision, recall, macro, strict=True)
    ]


def best_macro_f1(scores: _Scores, labels: _Labels) -> Cut:
    """The threshold with the highest macro-F1 (the highest such threshold on ties)."""
    cuts = all_cuts(scores, labels)
    if not cuts:
        raise ValueError("no scores to choose a threshold from")
    return max(cuts, key=lambda cut: cut.macro_f1)


def precision_first(scores: _Scores, labels: _Labels, min_precision: float) -> Cut:
    """The lowest threshold whose precision reaches `min_precision`: the most recall it allows.

    When no threshold reaches it, the one with the best precision (then recall) is returned.
    """
    cuts = all_cuts(scores, labels)
    if not cuts:
        raise ValueError("no scores to choose a threshold from")
    good = [cut for cut in cuts if cut.precision >= min_precision]
    if good:
        return max(good, key=lambda cut: (cut.recall, cut.threshold))
    return max(cuts, key=lambda cut: (cut.precision, cut.recall))
