"""Fitting the category heads on the staff set's train and val splits, thresholds cross-fitted.

Each category's threshold is chosen on out-of-fold scores: train and val are cut into
FOLDS folds by group (a group's posts are near-paraphrases and stay together); each
fold is scored by heads fitted on the others, and the precision-first rule runs over
all of them. The heads kept are then fitted on train and val whole. Session 14 moved
here from "fit on train, choose on val": one new writing round's val rows scored far
below the older rows' (offensive recall 0.56 against 0.77), so the models were
learning their authors; the whole of train and val now teaches the heads, and the
thresholds rest on ~3,800 scored posts instead of ~940 (EXPERIMENTS.md, session 14).
The test split is never used to fit or choose anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from classifiers.content.category_eval import OFFENSIVE
from classifiers.content.category_heads import CATEGORIES, CategoryHeads, head_matrix
from classifiers.content.encoder_input import encoder_text
from classifiers.content.features import Features
from classifiers.content.labels import StaffCategory
from classifiers.content.model import ContentModel
from classifiers.content.reading_heads import READ_BAR, ReadingHeads, model_reread
from classifiers.content.sentence_encoder import SentenceEncoder
from classifiers.content.staff_set import StaffRow, split_rows
from classifiers.content.text import prepare
from classifiers.content.thresholds import precision_first

# The heads' inverse regularization strength. Session 12 chose 16 on val (against 4).
# Session 15 chose on cross-fitted scores with round 16 in (EXPERIMENTS.md): for the
# reading heads, 4, 8, 16 and 32 gave the same precision within 0.01 and 8 the highest
# recall; the gate (the n-gram heads, which pick the posts the encoders read) keeps 16,
# because at 8 it read a tenth more everyday posts and traps for the same recall.
HEAD_C = 8.0
GATE_C = 16.0
# Precision first: a category's threshold is the lowest at which this share of its
# out-of-fold flags are right (_held_out_thresholds). The offensive categories aim a
# little over the issue's 90% target: thresholds chosen on some folds' scores and
# measured on the others' give the precision the choice itself delivers, and at a 90%
# share that was 0.900 (a coin flip on any new split); at 91.5% it is 0.910 while
# offensive recall stays 0.81 and every category's 0.74 or more, about equal margins
# over both targets (EXPERIMENTS.md, session 16). alcohol_drugs and misconduct, for
# which the issue sets a recall target only, take 87.5%, which keeps nine in ten of all
# flags on real breaches (session 15).
OFFENSIVE_PRECISION = 0.915
OTHER_PRECISION = 0.875
# Folds of the cross-fitted thresholds.
FOLDS = 5
# The splits the heads learn from (test is never among them).
FITTED_SPLITS = ("train", "val")
# The lowest threshold a category may get (its score, 0-1). A perfect out-of-fold
# separation can sit far down in the scores, where everyday staff posts land.
MIN_THRESHOLD = 0.5

_Labels = npt.NDArray[np.int64]
_Heads = TypeVar("_Heads")
FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]


def _matrix(
    model: ContentModel, texts: list[str], sentences: Float32Array | None = None
) -> sp.csr_matrix:
    """The heads' input for `texts` (with their sentence embeddings, for the reading heads)."""
    features = model.features.transform(texts)
    prepared = [prepare(t) for t in texts]
    return head_matrix(features, prepared, model.decisions(features), sentences)


def _flag_precision(category: StaffCategory) -> float:
    """The share of a category's flags that must be right (OFFENSIVE_PRECISION or
    OTHER_PRECISION)."""
    return OFFENSIVE_PRECISION if category in OFFENSIVE else OTHER_PRECISION


def _threshold(scores: npt.NDArray[np.float64], labels: _Labels, precision: float) -> float:
    """The precision-first threshold on held-out scores against `labels`."""
    cut = precision_first(scores, labels, precision)
    # Halfway down to the next lower score: a score computed in another order (the model's
    # block sums against scikit-learn's) may differ in its last bit, and must not fall out.
    below = scores[scores < cut.threshold]
    threshold = (cut.threshold + float(below.max())) / 2 if below.size else cut.threshold
    return max(threshold, MIN_THRESHOLD)


def _share(hits: npt.NDArray[np.bool_], of: npt.NDArray[np.bool_]) -> float:
    return round(float(np.sum(hits & of)) / max(float(of.sum()), 1.0), 4)


def _fit(x: sp.csr_matrix, y: _Labels, seed: int, c: float) -> LogisticRegression:
    head = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=seed)
    return head.fit(x, y)


def _labels(rows: list[StaffRow]) -> list[_Labels]:
    """Per category, 1 where a row has it."""
    return [np.array([c in row.categories for row in rows], dtype=np.int64) for c in CATEGORIES]


def _fit_three(
    x_train: sp.csr_matrix, rows: list[StaffRow], seed: int, c: float
) -> tuple[FloatArray, FloatArray]:
    """The direct, topic and breach heads' weights (HEAD_COLUMNS columns) and biases."""
    y_train = _labels(rows)
    breach = np.array([bool(row.categories) for row in rows], dtype=np.int64)
    positives = np.flatnonzero(breach)
    heads = [_fit(x_train, y, seed, c) for y in y_train]
    heads += [_fit(x_train[positives], y[positives], seed, c) for y in y_train]
    heads.append(_fit(x_train, breach, seed, c))
    weights = np.column_stack([head.coef_[0] for head in heads]).astype(np.float64)
    return weights, np.array([float(head.intercept_[0]) for head in heads])


def _right_flags(rows: list[StaffRow]) -> list[_Labels]:
    """Per category, the posts on which its flag is right: for the offensive categories a
    post with any offensive category, for the others a post with any category."""
    offensive = np.array([bool(row.categories & OFFENSIVE) for row in rows], dtype=np.int64)
    breach = np.array([bool(row.categories) for row in rows], dtype=np.int64)
    return [offensive if category in OFFENSIVE else breach for category in CATEGORIES]


def _held_out_thresholds(
    scores: FloatArray, rows: list[StaffRow]
) -> tuple[FloatArray, dict[str, dict[str, float]]]:
    """Each category's threshold on held-out scores of `rows`: the lowest at which its
    share of right flags (_flag_precision, _right_flags) is reached. A principal needs a
    flag to be a real breach; a threat flagged as an insult is still one. Per category
    the precision of the category itself, of its flags being right, and its recall are
    reported.

    Against the category's own label (session 13's rule), the cross-fitted offensive
    recall was 0.68 (any breach 0.59); against the flags being right, 0.78 (0.74), with
    92.7% of all flags on real breaches (EXPERIMENTS.md, session 14).
    """
    thresholds, metrics = [], {}
    own_labels, right_labels = _labels(rows), _right_flags(rows)
    for j, category in enumerate(CATEGORIES):
        threshold = _threshold(scores[:, j], right_labels[j], _flag_precision(category))
        flagged = scores[:, j] >= threshold
        own, right = own_labels[j] == 1, right_labels[j] == 1
        thresholds.append(threshold)
        metrics[category.value] = {
            "precision": _share(own, flagged),
            "right_flags": _share(right, flagged),
            "recall": _share(flagged, own),
        }
    return np.asarray(thresholds, dtype=np.float64), metrics


def fold_of(group: str, folds: int = FOLDS) -> int:
    """A group's fold: its name's sha256, modulo the number of folds."""
    return int(hashlib.sha256(group.encode("utf-8")).hexdigest(), 16) % folds


def _cross_fitted(
    rows: list[StaffRow],
    fit: Callable[[list[StaffRow]], _Heads],
    score: Callable[[_Heads, list[StaffRow]], FloatArray],
    folds: int,
) -> FloatArray:
    """Every row's category scores from heads fitted without its fold."""
    out = np.zeros((len(rows), len(CATEGORIES)), dtype=np.float64)
    fold = np.array([fold_of(row.group, folds) for row in rows])
    for k in range(folds):
        held = np.flatnonzero(fold == k)
        if held.size:
            heads = fit([row for row, f in zip(rows, fold, strict=True) if f != k])
            out[held] = score(heads, [rows[i] for i in held])
    return out


def _digest(arrays: list[FloatArray], extra: str = "") -> str:
    digest = hashlib.sha256(b"".join(a.astype("<f8").tobytes() for a in arrays))
    digest.update(extra.encode())
    return digest.hexdigest()


def _fitted_rows(rows: list[StaffRow]) -> list[StaffRow]:
    return [row for split in FITTED_SPLITS for row in split_rows(rows, split)]


def _inputs(model: ContentModel, rows: list[StaffRow]) -> tuple[list[str], Features, FloatArray]:
    texts = [row.text for row in rows]
    features = model.features.transform(texts)
    return texts, features, model.decisions(features)


def _ngram_heads(model: ContentModel, rows: list[StaffRow], seed: int) -> CategoryHeads:
    weights, biases = _fit_three(_matrix(model, [row.text for row in rows]), rows, seed, GATE_C)
    unset = np.full(len(CATEGORIES), MIN_THRESHOLD)
    return CategoryHeads(weights, biases, unset, model.features.word_terms, {})


def _ngram_scores(model: ContentModel, heads: CategoryHeads, rows: list[StaffRow]) -> FloatArray:
    texts, features, decisions = _inputs(model, rows)
    return heads.probabilities(features, [prepare(t) for t in texts], decisions)


def _common_metadata(fitted: list[StaffRow], seed: int, folds: int) -> dict[str, object]:
    return {
        "c": HEAD_C,
        "gate_c": GATE_C,
        "seed": seed,
        "flag_precision": {"offensive": OFFENSIVE_PRECISION, "other": OTHER_PRECISION},
        "fitted_on": list(FITTED_SPLITS),
        "folds": folds,
        "train_rows": len(fitted),
    }


def fit_heads(
    model: ContentModel, rows: list[StaffRow], seed: int = 0, folds: int = FOLDS
) -> CategoryHeads:
    """The direct, topic and breach heads on train and val; thresholds cross-fitted."""
    fitted = _fitted_rows(rows)
    oof = _cross_fitted(
        fitted,
        lambda part: _ngram_heads(model, part, seed),
        lambda heads, part: _ngram_scores(model, heads, part),
        folds,
    )
    thresholds, metrics = _held_out_thresholds(oof, fitted)
    heads = _ngram_heads(model, fitted, seed)
    version = _digest([heads.weights, heads.biases, thresholds])
    metadata = {
        "version": f"categories-{version[:12]}",
        **_common_metadata(fitted, seed, folds),
        "score": "geometric mean of the direct, topic and breach heads",
        "cross_fitted": metrics,
    }
    return replace(heads, thresholds=thresholds, metadata=metadata)


def fit_reading_heads(
    model: ContentModel,
    rows: list[StaffRow],
    encoder: SentenceEncoder,
    encoder_sha256: Mapping[str, str],
    seed: int = 0,
    folds: int = FOLDS,
) -> ReadingHeads:
    """The gate (n-gram heads) and the reading heads on train and val (every post encoded);
    thresholds cross-fitted, a post under the gate's bar scoring 0, as at run time."""
    fitted = _fitted_rows(rows)
    # What the reading heads read: each post without its identity words (encoder_input.py),
    # for the encoder and for the n-gram blocks alike.
    read = [encoder_text(prepare(row.text)) for row in fitted]
    sentences = encoder.encode(read)
    position = {id(row): i for i, row in enumerate(fitted)}
    reread = model_reread(model)

    def fit(part: list[StaffRow]) -> ReadingHeads:
        gate = _ngram_heads(model, part, seed)
        own = [position[id(row)] for row in part]
        matrix = _matrix(model, [read[i] for i in own], sentences[own])
        weights, biases = _fit_three(matrix, part, seed, HEAD_C)
        unset = np.full(len(CATEGORIES), MIN_THRESHOLD)
        reader = CategoryHeads(
            weights, biases, unset, model.features.word_terms, {}, sentence_dims=encoder.dims
        )
        return ReadingHeads(gate, reader, encoder, READ_BAR, {}, reread)

    def score(heads: ReadingHeads, part: list[StaffRow]) -> FloatArray:
        texts, features, decisions = _inputs(model, part)
        return heads.probabilities(texts, features, [prepare(t) for t in texts], decisions)

    oof = _cross_fitted(fitted, fit, score, folds)
    thresholds, metrics = _held_out_thresholds(oof, fitted)
    heads = fit(fitted)
    texts, features, decisions = _inputs(model, fitted)
    gated = heads.read_rows(features, [prepare(t) for t in texts], decisions)
    reader, gate = heads.reader, heads.gate
    gate_version = _digest([gate.weights, gate.biases])
    graphs = " ".join(f"{name}={digest}" for name, digest in encoder_sha256.items())
    version = _digest([reader.weights, reader.biases, thresholds], f"{graphs} {READ_BAR}")
    metadata = {
        "version": f"reading-{version[:12]}",
        **_common_metadata(fitted, seed, folds),
        "score": "geometric mean of the direct, topic and breach heads over the n-gram"
        " blocks and the sentence embeddings of the post without its identity words; 0"
        " under the gate's bar",
        "read_bar": READ_BAR,
        "gate_version": f"gate-{gate_version[:12]}",
        # The encoder graphs in the order their embeddings enter the heads, and each file's
        # sha256 (artifact.py refuses another graph).
        "encoders": list(encoder_sha256),
        "encoder_sha256": dict(encoder_sha256),
        "sentence_dims": encoder.dims,
        "cross_fitted": metrics,
        "read_share": round(gated.size / max(len(fitted), 1), 4),
    }
    gate = replace(gate, metadata={"version": metadata["gate_version"]})
    reader = replace(reader, thresholds=thresholds, metadata=metadata)
    return ReadingHeads(gate, reader, encoder, READ_BAR, metadata, reread)
