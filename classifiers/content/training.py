"""Fitting the content model: NB-weighted logistic regression on train, thresholds after."""

# The model is NB-LR (Wang & Manning 2012): each tf-idf feature is scaled by its
# log-count ratio between the classes before a class-balanced logistic regression;
# the lexicon counts join unscaled, and so do two more columns: each prior's decision
# (prior.py, toxicity_prior.py) times its scale. A small scale makes the L2 penalty lean
# on that one strong column (chosen by 5-fold CV on train, see EXPERIMENTS.md). The word-vector
# block (embedding.py) joins unscaled too, times `vector_scale`. The scales fold into the
# weights, so the fitted model stays one linear scorer over its feature blocks.

from __future__ import annotations

import platform
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from importlib.metadata import version
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from classifiers.content.categories import COLUMNS as LEXICON_COLUMNS
from classifiers.content.categories import LEXICON_DIGEST
from classifiers.content.datasets import LabeledTexts
from classifiers.content.embedding import WordVectors
from classifiers.content.features import Features, fit_feature_space
from classifiers.content.metrics import binary_metrics
from classifiers.content.minilm_table import fit_word_vectors
from classifiers.content.minilm_table import source as vectors_source
from classifiers.content.model import ARTIFACT_FORMAT, ContentModel, stamp_version
from classifiers.content.prior import Prior, PriorKind, load_profanity_prior, without_terms
from classifiers.content.stems import Stemmer
from classifiers.content.thresholds import Cut, best_macro_f1, precision_first
from classifiers.content.toxicity_prior import load_stem_prior

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class TrainingParams:
    """Hyper-parameters, chosen by CV on TweetEval train and its val split (EXPERIMENTS.md)."""

    c: float = 0.5
    nb_alpha: float = 2.0
    # Use the alt-profanity-check prior (prior.py) and toxicityclassifier's stem prior
    # (toxicity_prior.py) as feature columns, scaled by prior_scale and stem_prior_scale.
    # Together: CV on train +0.0085, val +0.0046 (EXPERIMENTS.md, session 9).
    use_prior: bool = True
    prior_scale: float = 0.05
    use_stem_prior: bool = True
    stem_prior_scale: float = 0.05
    # Static word vectors from all-MiniLM-L6-v2's input embeddings (minilm_table.py),
    # PCA-reduced to vector_dims; the text vector enters times vector_scale. CV on train
    # +0.009, val +0.011 (EXPERIMENTS.md, session 2).
    use_word_vectors: bool = True
    vector_dims: int = 128
    vector_scale: float = 0.5
    min_df: int = 2
    max_iter: int = 3000
    # The staff-post operating threshold is the lowest one with at least this precision.
    min_staff_precision: float = 0.95
    seed: int = 0

    def __post_init__(self) -> None:
        scales = (self.prior_scale, self.stem_prior_scale, self.vector_scale)
        if min(self.c, self.nb_alpha, *scales) <= 0:
            raise ValueError("c, nb_alpha and the prior and vector scales must be positive")
        if self.vector_dims < 1:
            raise ValueError("vector_dims must be at least 1")
        if self.min_df < 1 or self.max_iter < 1:
            raise ValueError("min_df and max_iter must be at least 1")
        if not 0 < self.min_staff_precision <= 1:
            raise ValueError("min_staff_precision must be in (0, 1]")


def nb_ratios(matrix: sp.csr_matrix, labels: npt.NDArray[np.int64], alpha: float) -> FloatArray:
    """Log ratio of each feature's smoothed presence rate in offensive vs clean texts."""
    present = (matrix > 0).astype(np.float64).tocsr()
    offensive = alpha + np.asarray(present[labels == 1].sum(axis=0)).ravel()
    clean = alpha + np.asarray(present[labels == 0].sum(axis=0)).ravel()
    return np.asarray(np.log((offensive / offensive.sum()) / (clean / clean.sum())))


@dataclass(frozen=True, slots=True, eq=False)
class Weights:
    word: FloatArray
    char: FloatArray
    lexicon: FloatArray
    bias: float
    prior: FloatArray
    embedding: FloatArray
    stem: FloatArray


def _prior_column(block: sp.csr_matrix, prior: Prior) -> FloatArray:
    return np.asarray(block @ prior.weights, dtype=np.float64).ravel() + prior.bias


def fit_weights(
    features: Features,
    labels: npt.NDArray[np.int64],
    params: TrainingParams,
    prior: Prior | None = None,
    stem_prior: Prior | None = None,
) -> Weights:
    """The NB-LR fitted on these rows; the lexicon, prior and vector columns are not NB-scaled."""
    if len(set(labels.tolist())) < 2:
        raise ValueError("training needs both offensive and clean texts")
    tfidf = sp.hstack([features.word, features.char]).tocsr()
    dense = features.lexicon
    candidates = (
        ("prior", features.prior, params.prior_scale, prior),
        ("stem", features.stem, params.stem_prior_scale, stem_prior),
    )
    used = [
        (name, block, scale, source)
        for name, block, scale, source in candidates
        if source is not None
    ]
    for _, block, scale, source in used:
        dense = np.hstack([dense, scale * _prior_column(block, source)[:, None]])
    vectors_start = dense.shape[1]
    dense = np.hstack([dense, params.vector_scale * features.embedded.vectors])
    ratios = np.concatenate([nb_ratios(tfidf, labels, params.nb_alpha), np.ones(dense.shape[1])])
    matrix = sp.hstack([tfidf, sp.csr_matrix(dense)]).tocsr()
    classifier = LogisticRegression(
        C=params.c, class_weight="balanced", max_iter=params.max_iter, random_state=params.seed
    )
    classifier.fit(matrix.multiply(ratios).tocsr(), labels)
    weights = np.asarray(classifier.coef_[0], dtype=np.float64) * ratios
    words, chars = features.word.shape[1], features.char.shape[1]
    lexicon_end = words + chars + features.lexicon.shape[1]
    bias = float(classifier.intercept_[0])
    start = words + chars + vectors_start
    embedding = weights[start : start + features.embedded.vectors.shape[1]] * params.vector_scale
    # Each prior column's weight folds into one weight per prior term, and into the bias.
    folded = {name: np.zeros(0, dtype=np.float64) for name, *_ in candidates}
    for offset, (name, _, scale, source) in enumerate(used):
        column = float(weights[lexicon_end + offset]) * scale
        folded[name] = column * source.weights
        bias += column * source.bias
    return Weights(
        word=weights[:words].copy(),
        char=weights[words : words + chars].copy(),
        lexicon=weights[words + chars : lexicon_end].copy(),
        bias=bias,
        prior=folded["prior"],
        embedding=embedding.copy(),
        stem=folded["stem"],
    )


def library_versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        **{name: version(name) for name in ("scikit-learn", "numpy", "scipy", "PyStemmer")},
    }


def _cut_dict(cut: Cut) -> dict[str, float]:
    return asdict(cut)


def crossfit_precision_first(
    scores: FloatArray, labels: npt.NDArray[np.int64], min_precision: float, seed: int
) -> dict[str, float]:
    """An honest estimate of the precision-first cut: choose on one half, measure on the other."""
    rng = np.random.default_rng(seed)
    halves = np.zeros(labels.size, dtype=bool)
    for value in (0, 1):
        members = rng.permutation(np.flatnonzero(labels == value))
        halves[members[: members.size // 2]] = True
    flagged = np.zeros(labels.size, dtype=bool)
    for chosen in (halves, ~halves):
        cut = precision_first(scores[chosen], labels[chosen], min_precision)
        flagged[~chosen] = scores[~chosen] >= cut.threshold
    result = binary_metrics(labels, flagged)
    return {"precision": result.precision, "recall": result.recall, "f1": result.f1}


def train_model(
    train: LabeledTexts,
    val: LabeledTexts,
    params: TrainingParams,
    staff: LabeledTexts | None = None,
    provenance: Mapping[str, Any] | None = None,
    prior: Prior | None = None,
    word_vectors: WordVectors | None = None,
    stem_prior: Prior | None = None,
) -> ContentModel:
    """Fit on `train`, choose the macro-F1 threshold on `val` and the operating one on `staff`.

    With `params.use_prior` the given prior is used, or alt-profanity-check's when none is;
    with `params.use_stem_prior` the given stem prior, or toxicityclassifier's.
    With `params.use_word_vectors` the given word vectors are used, or MiniLM's table's.
    """
    if not params.use_prior:
        prior = None
    else:
        # Blind to identity words, as the stem prior is (stems.py).
        chosen = prior if prior is not None else load_profanity_prior()
        prior = without_terms(chosen, Stemmer().is_identity_word)
    if not params.use_stem_prior:
        stem_prior = None
    elif stem_prior is None:
        stem_prior = load_stem_prior()
    for given, kind in ((prior, PriorKind.WORDS), (stem_prior, PriorKind.STEMMED_CHARS)):
        if given is not None and given.kind is not kind:
            raise ValueError(f"the {kind.value} prior slot got a {given.kind.value} prior")
    if not params.use_word_vectors:
        word_vectors = None
    elif word_vectors is None:
        word_vectors = fit_word_vectors(train.texts, params.vector_dims, params.seed)
    space = fit_feature_space(
        train.texts,
        params.min_df,
        prior.terms if prior is not None else (),
        prior.idf if prior is not None else None,
        word_vectors,
        stem_prior.terms if stem_prior is not None else (),
        stem_prior.idf if stem_prior is not None else None,
    )
    features = space.transform(train.texts)
    weights = fit_weights(features, train.labels, params, prior, stem_prior)
    model = ContentModel(
        space,
        weights.word,
        weights.char,
        weights.lexicon,
        weights.bias,
        0.5,
        0.5,
        {},
        weights.prior,
        weights.embedding,
        weights.stem,
    )
    val_scores = model.scores(val.texts)
    val_cut = best_macro_f1(val_scores, val.labels)
    metadata: dict[str, Any] = {
        "format": ARTIFACT_FORMAT,
        "model": "nb-logistic-regression"
        + ("+prior" if prior is not None else "")
        + ("+stem-prior" if stem_prior is not None else "")
        + ("+word-vectors" if word_vectors is not None else ""),
        "prior": prior.source if prior is not None else None,
        "stem_prior": stem_prior.source if stem_prior is not None else None,
        "word_vectors": vectors_source() if word_vectors is not None else None,
        "features": {
            "word_ngrams": [1, 2],
            "char_wb_ngrams": [2, 5],
            "word_terms": len(space.word_terms),
            "char_terms": len(space.char_terms),
            "prior_terms": len(space.prior_terms),
            "stem_prior_terms": len(space.stem_terms),
            "vector_terms": len(space.word_vectors.terms),
            "vector_dims": space.word_vectors.dims,
            "lexicon_columns": [category.value for category in LEXICON_COLUMNS],
            "lexicon_digest": LEXICON_DIGEST,
        },
        "params": asdict(params),
        "seed": params.seed,
        "libraries": library_versions(),
        "train_rows": len(train),
        "val_rows": len(val),
        "val_threshold": _cut_dict(val_cut),
        "val_metrics": binary_metrics(val.labels, val_scores >= val_cut.threshold).as_dict(),
        **(provenance or {}),
    }
    operating = val_cut
    if staff is not None and len(staff):
        staff_scores = model.scores(staff.texts)
        operating = precision_first(staff_scores, staff.labels, params.min_staff_precision)
        flagged = staff_scores >= operating.threshold
        metadata["staff_threshold"] = _cut_dict(operating)
        metadata["staff_metrics"] = binary_metrics(staff.labels, flagged).as_dict()
        metadata["staff_crossfit"] = crossfit_precision_first(
            staff_scores, staff.labels, params.min_staff_precision, params.seed
        )
    tuned = replace(
        model,
        threshold=val_cut.threshold,
        operating_threshold=operating.threshold,
        metadata=metadata,
    )
    return stamp_version(tuned)
