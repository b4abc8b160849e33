"""Fitting the category heads on the staff set's train split, thresholds on its val split."""

from __future__ import annotations

import hashlib

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from classifiers.content.category_heads import CATEGORIES, CategoryHeads, head_matrix
from classifiers.content.model import ContentModel
from classifiers.content.staff_set import StaffRow, split_rows
from classifiers.content.text import prepare
from classifiers.content.thresholds import all_cuts

# Chosen on val (EXPERIMENTS.md, session 10): C 1 and 10 gave the same val recall with
# lower val precision on alcohol_drugs.
HEAD_C = 4.0


def _matrix(model: ContentModel, rows: list[StaffRow]) -> sp.csr_matrix:
    texts = [row.text for row in rows]
    features = model.features.transform(texts)
    return head_matrix(features, [prepare(t) for t in texts], model.decisions(features))


def _best_f1_threshold(probabilities: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    """The probability threshold with the best F1 on val (the highest on ties), with its P and R."""
    best = (0.5, 0.0, 0.0, -1.0)
    for cut in all_cuts(probabilities, labels):
        f1 = 2 * cut.precision * cut.recall / (cut.precision + cut.recall or 1.0)
        if f1 > best[3]:
            best = (cut.threshold, cut.precision, cut.recall, f1)
    # Halfway down to the next lower score: a score computed in another order (the model's
    # block sums against scikit-learn's) may differ in its last bit, and must not fall out.
    below = probabilities[probabilities < best[0]]
    threshold = (best[0] + float(below.max())) / 2 if below.size else best[0]
    return threshold, best[1], best[2]


def fit_heads(model: ContentModel, rows: list[StaffRow], seed: int = 0) -> CategoryHeads:
    """One head per category on train; its threshold is the best-F1 one on val."""
    train, val = split_rows(rows, "train"), split_rows(rows, "val")
    x_train, x_val = _matrix(model, train), _matrix(model, val)
    weights, biases, thresholds, val_metrics = [], [], [], {}
    for category in CATEGORIES:
        y_train = np.array([category in row.categories for row in train], dtype=np.int64)
        y_val = np.array([category in row.categories for row in val], dtype=np.int64)
        head = LogisticRegression(
            C=HEAD_C, class_weight="balanced", max_iter=3000, random_state=seed
        ).fit(x_train, y_train)
        weights.append(head.coef_[0])
        biases.append(float(head.intercept_[0]))
        probabilities = head.predict_proba(x_val)[:, 1]
        threshold, precision, recall = _best_f1_threshold(probabilities, y_val)
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
            "val": val_metrics,
            "train_rows": len(train),
        },
    )
