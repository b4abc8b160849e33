"""Fitting the category heads on the staff set's train split, thresholds on its val split."""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from classifiers.content.category_heads import CATEGORIES, CONFIDENT, CategoryHeads, head_matrix
from classifiers.content.model import ContentModel
from classifiers.content.staff_set import StaffRow, split_rows
from classifiers.content.text import prepare
from classifiers.content.thresholds import precision_first

# The heads' inverse regularization strength, chosen on val (EXPERIMENTS.md, session 11).
HEAD_C = 4.0
# Precision first: a head's threshold is the lowest whose val precision reaches this.
VAL_PRECISION = 0.9
# The lowest threshold a head may get (probability): the class-balanced logistic
# regression's own decision boundary. Val is small and written by one author, so a
# perfect val separation can sit far down in the scores, where everyday staff posts land.
MIN_THRESHOLD = 0.5


def _matrix(
    model: ContentModel, rows: list[StaffRow]
) -> tuple[sp.csr_matrix, npt.NDArray[np.bool_]]:
    """The heads' input for `rows`, and which rows the offensive model finds offensive."""
    texts = [row.text for row in rows]
    features = model.features.transform(texts)
    decisions = model.decisions(features)
    offensive = 1.0 / (1.0 + np.exp(-decisions)) >= model.threshold
    return head_matrix(features, [prepare(t) for t in texts], decisions), offensive


def _threshold(
    probabilities: npt.NDArray[np.float64],
    labels: npt.NDArray[np.int64],
    offensive: npt.NDArray[np.bool_],
) -> tuple[float, float, float]:
    """The precision-first threshold on val as the worker applies it, with its P and R.

    A row the gate holds back (under CONFIDENT, not offensive) counts as scored 0.
    """
    gated = np.where(offensive | (probabilities >= CONFIDENT), probabilities, 0.0)
    cut = precision_first(gated, labels, VAL_PRECISION)
    # Halfway down to the next lower score: a score computed in another order (the model's
    # block sums against scikit-learn's) may differ in its last bit, and must not fall out.
    below = gated[gated < cut.threshold]
    threshold = (cut.threshold + float(below.max())) / 2 if below.size else cut.threshold
    if threshold < MIN_THRESHOLD:
        threshold = MIN_THRESHOLD
        flagged = gated >= threshold
        tp = float(np.sum(flagged & (labels == 1)))
        precision = tp / max(float(flagged.sum()), 1.0)
        recall = tp / max(float(labels.sum()), 1.0)
        return threshold, precision, recall
    return threshold, cut.precision, cut.recall


def fit_heads(model: ContentModel, rows: list[StaffRow], seed: int = 0) -> CategoryHeads:
    """One head per category on train; its threshold is the precision-first one on val."""
    train, val = split_rows(rows, "train"), split_rows(rows, "val")
    (x_train, _), (x_val, offensive) = _matrix(model, train), _matrix(model, val)
    weights, biases, thresholds, val_metrics = [], [], [], {}
    for category in CATEGORIES:
        y_train = np.array([category in row.categories for row in train], dtype=np.int64)
        y_val = np.array([category in row.categories for row in val], dtype=np.int64)
        head = LogisticRegression(
            C=HEAD_C, class_weight="balanced", max_iter=3000, random_state=seed
        ).fit(x_train, y_train)
        weights.append(head.coef_[0])
        biases.append(float(head.intercept_[0]))
        threshold, precision, recall = _threshold(head.predict_proba(x_val)[:, 1], y_val, offensive)
        thresholds.append(threshold)
        val_metrics[category.value] = {"precision": round(precision, 4), "recall": round(recall, 4)}
    arrays = [np.column_stack(weights), np.asarray(biases), np.asarray(thresholds)]
    digest = hashlib.sha256(b"".join(a.astype("<f8").tobytes() for a in arrays)).hexdigest()
    return CategoryHeads(
        weights=arrays[0].astype(np.float64),
        biases=arrays[1].astype(np.float64),
        thresholds=arrays[2].astype(np.float64),
        word_terms=model.features.word_terms,
        metadata={
            "version": f"categories-{digest[:12]}",
            "c": HEAD_C,
            "seed": seed,
            "val_precision_target": VAL_PRECISION,
            "confident": CONFIDENT,
            "val": val_metrics,
            "train_rows": len(train),
        },
    )
