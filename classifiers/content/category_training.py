"""Fitting the category heads on the staff set's train split, thresholds on its val split."""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from classifiers.content.category_heads import CATEGORIES, CategoryHeads, combined, head_matrix
from classifiers.content.model import ContentModel
from classifiers.content.staff_set import StaffRow, split_rows
from classifiers.content.text import prepare
from classifiers.content.thresholds import precision_first

# The heads' inverse regularization strength, chosen on val (EXPERIMENTS.md, session 12:
# 16 against 4 raised val recall by one to four posts per category at the same precision).
HEAD_C = 16.0
# Precision first: a category's threshold is the lowest whose val precision reaches this.
VAL_PRECISION = 0.9
# The lowest threshold a category may get (its score, 0-1). Val is small and written by
# one author, so a perfect val separation can sit far down in the scores, where everyday
# staff posts land.
MIN_THRESHOLD = 0.5

_Labels = npt.NDArray[np.int64]


def _matrix(model: ContentModel, rows: list[StaffRow]) -> sp.csr_matrix:
    """The heads' input for `rows`."""
    texts = [row.text for row in rows]
    features = model.features.transform(texts)
    return head_matrix(features, [prepare(t) for t in texts], model.decisions(features))


def _threshold(scores: npt.NDArray[np.float64], labels: _Labels) -> tuple[float, float, float]:
    """The precision-first threshold on val, with its precision and recall there."""
    cut = precision_first(scores, labels, VAL_PRECISION)
    # Halfway down to the next lower score: a score computed in another order (the model's
    # block sums against scikit-learn's) may differ in its last bit, and must not fall out.
    below = scores[scores < cut.threshold]
    threshold = (cut.threshold + float(below.max())) / 2 if below.size else cut.threshold
    threshold = max(threshold, MIN_THRESHOLD)
    flagged = scores >= threshold
    tp = float(np.sum(flagged & (labels == 1)))
    precision = tp / max(float(flagged.sum()), 1.0)
    recall = tp / max(float(labels.sum()), 1.0)
    return threshold, precision, recall


def _fit(x: sp.csr_matrix, y: _Labels, seed: int) -> LogisticRegression:
    return LogisticRegression(
        C=HEAD_C, class_weight="balanced", max_iter=3000, random_state=seed
    ).fit(x, y)


def _labels(rows: list[StaffRow]) -> list[_Labels]:
    """Per category, 1 where a row has it."""
    return [np.array([c in row.categories for row in rows], dtype=np.int64) for c in CATEGORIES]


def fit_heads(model: ContentModel, rows: list[StaffRow], seed: int = 0) -> CategoryHeads:
    """The direct, topic and breach heads on train; each category's threshold on val."""
    train, val = split_rows(rows, "train"), split_rows(rows, "val")
    x_train, x_val = _matrix(model, train), _matrix(model, val)
    y_train, y_val = _labels(train), _labels(val)
    breach = np.array([bool(row.categories) for row in train], dtype=np.int64)
    positives = np.flatnonzero(breach)
    heads = [_fit(x_train, y, seed) for y in y_train]
    heads += [_fit(x_train[positives], y[positives], seed) for y in y_train]
    heads.append(_fit(x_train, breach, seed))
    weights = np.column_stack([head.coef_[0] for head in heads]).astype(np.float64)
    biases = np.array([float(head.intercept_[0]) for head in heads])
    logits = np.asarray(x_val @ weights) + biases
    scores = combined(0.5 * (1.0 + np.tanh(0.5 * logits)))
    thresholds, val_metrics = [], {}
    for j, category in enumerate(CATEGORIES):
        threshold, precision, recall = _threshold(scores[:, j], y_val[j])
        thresholds.append(threshold)
        val_metrics[category.value] = {"precision": round(precision, 4), "recall": round(recall, 4)}
    arrays = [weights, biases, np.asarray(thresholds, dtype=np.float64)]
    digest = hashlib.sha256(b"".join(a.astype("<f8").tobytes() for a in arrays)).hexdigest()
    return CategoryHeads(
        weights=arrays[0],
        biases=arrays[1],
        thresholds=arrays[2],
        word_terms=model.features.word_terms,
        metadata={
            "version": f"categories-{digest[:12]}",
            "c": HEAD_C,
            "seed": seed,
            "val_precision_target": VAL_PRECISION,
            "score": "geometric mean of the direct, topic and breach heads",
            "val": val_metrics,
            "train_rows": len(train),
        },
    )
