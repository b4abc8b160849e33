"""Fitting the category heads on the staff set's train split, thresholds on its val split."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from classifiers.content.category_heads import CATEGORIES, CategoryHeads, combined, head_matrix
from classifiers.content.model import ContentModel
from classifiers.content.reading_heads import READ_BAR, ReadingHeads, sentence_vectors
from classifiers.content.sentence_encoder import SentenceEncoder
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
FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]


def _matrix(
    model: ContentModel, rows: list[StaffRow], sentences: Float32Array | None = None
) -> sp.csr_matrix:
    """The heads' input for `rows` (with their sentence embeddings, for the reading heads)."""
    texts = [row.text for row in rows]
    features = model.features.transform(texts)
    prepared = [prepare(t) for t in texts]
    return head_matrix(features, prepared, model.decisions(features), sentences)


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


def _fit_three(
    x_train: sp.csr_matrix, rows: list[StaffRow], seed: int
) -> tuple[FloatArray, FloatArray]:
    """The direct, topic and breach heads' weights (HEAD_COLUMNS columns) and biases."""
    y_train = _labels(rows)
    breach = np.array([bool(row.categories) for row in rows], dtype=np.int64)
    positives = np.flatnonzero(breach)
    heads = [_fit(x_train, y, seed) for y in y_train]
    heads += [_fit(x_train[positives], y[positives], seed) for y in y_train]
    heads.append(_fit(x_train, breach, seed))
    weights = np.column_stack([head.coef_[0] for head in heads]).astype(np.float64)
    return weights, np.array([float(head.intercept_[0]) for head in heads])


def _val_thresholds(
    scores: FloatArray, val: list[StaffRow]
) -> tuple[FloatArray, dict[str, dict[str, float]]]:
    """Each category's precision-first threshold on val, and val's precision and recall."""
    thresholds, val_metrics = [], {}
    for j, (category, y_val) in enumerate(zip(CATEGORIES, _labels(val), strict=True)):
        threshold, precision, recall = _threshold(scores[:, j], y_val)
        thresholds.append(threshold)
        val_metrics[category.value] = {"precision": round(precision, 4), "recall": round(recall, 4)}
    return np.asarray(thresholds, dtype=np.float64), val_metrics


def _digest(arrays: list[FloatArray], extra: str = "") -> str:
    digest = hashlib.sha256(b"".join(a.astype("<f8").tobytes() for a in arrays))
    digest.update(extra.encode())
    return digest.hexdigest()


def fit_heads(model: ContentModel, rows: list[StaffRow], seed: int = 0) -> CategoryHeads:
    """The direct, topic and breach heads on train; each category's threshold on val."""
    train, val = split_rows(rows, "train"), split_rows(rows, "val")
    weights, biases = _fit_three(_matrix(model, train), train, seed)
    logits = np.asarray(_matrix(model, val) @ weights) + biases
    scores = combined(0.5 * (1.0 + np.tanh(0.5 * logits)))
    thresholds, val_metrics = _val_thresholds(scores, val)
    return CategoryHeads(
        weights=weights,
        biases=biases,
        thresholds=thresholds,
        word_terms=model.features.word_terms,
        metadata={
            "version": f"categories-{_digest([weights, biases, thresholds])[:12]}",
            "c": HEAD_C,
            "seed": seed,
            "val_precision_target": VAL_PRECISION,
            "score": "geometric mean of the direct, topic and breach heads",
            "val": val_metrics,
            "train_rows": len(train),
        },
    )


def fit_reading_heads(
    model: ContentModel,
    rows: list[StaffRow],
    gate: CategoryHeads,
    encoder: SentenceEncoder,
    encoder_sha256: str,
    seed: int = 0,
) -> ReadingHeads:
    """The reading heads on train (every train post encoded); thresholds on val, where a
    post under the gate's bar scores 0, as at run time."""
    train, val = split_rows(rows, "train"), split_rows(rows, "val")
    sentences = sentence_vectors(encoder, [prepare(row.text) for row in train])
    weights, biases = _fit_three(_matrix(model, train, sentences), train, seed)
    reader = CategoryHeads(
        weights=weights,
        biases=biases,
        thresholds=np.full(len(CATEGORIES), 0.5),
        word_terms=model.features.word_terms,
        metadata={},
        sentence_dims=encoder.dims,
    )
    draft = ReadingHeads(gate, reader, encoder, READ_BAR, {})
    texts = [row.text for row in val]
    features = model.features.transform(texts)
    prepared = [prepare(t) for t in texts]
    decisions = model.decisions(features)
    scores = draft.probabilities(texts, features, prepared, decisions)
    read_share = draft.read_rows(features, prepared, decisions).size / max(len(val), 1)
    thresholds, val_metrics = _val_thresholds(scores, val)
    digest = _digest([weights, biases, thresholds], f"{encoder_sha256} {READ_BAR}")
    metadata = {
        "version": f"reading-{digest[:12]}",
        "c": HEAD_C,
        "seed": seed,
        "val_precision_target": VAL_PRECISION,
        "score": "geometric mean of the direct, topic and breach heads over the n-gram"
        " blocks and the sentence embedding; 0 under the gate's bar",
        "read_bar": READ_BAR,
        "gate_version": gate.metadata.get("version"),
        "encoder_sha256": encoder_sha256,
        "sentence_dims": encoder.dims,
        "val": val_metrics,
        "val_read_share": round(read_share, 4),
        "train_rows": len(train),
    }
    reader = replace(reader, thresholds=thresholds, metadata=metadata)
    return ReadingHeads(gate, reader, encoder, READ_BAR, metadata)
