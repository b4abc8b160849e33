"""The loaded content model: a linear scorer over the features, and its batch classification."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from classifiers.content.categories import COLUMNS as LEXICON_COLUMNS
from classifiers.content.categories import LEXICON_DIGEST, scan
from classifiers.content.category_heads import CategoryHeads, CategoryScore
from classifiers.content.explain import Explainer, TermWeight
from classifiers.content.features import Features, FeatureSpace
from classifiers.content.labels import Category, Label, StaffCategory
from classifiers.content.reading_heads import ReadingHeads
from classifiers.content.text import prepare

FloatArray = npt.NDArray[np.float64]
# Bumped when the artifact's arrays or the meaning of a weight change (2: the prior block;
# 3: the word-vector block; 4: the stem-prior block).
ARTIFACT_FORMAT = 4


@dataclass(frozen=True, slots=True)
class Prediction:
    """One text's score (0-1), label, category and the words that weighed most."""

    score: float
    label: Label
    category: Category
    top_terms: tuple[TermWeight, ...]
    lexicon_terms: tuple[str, ...] = ()
    # The flagged staff-conduct categories' scores (all six on request; see
    # classify_batch), when the model has category heads.
    categories: tuple[CategoryScore, ...] = ()

    @property
    def flagged_categories(self) -> tuple[CategoryScore, ...]:
        """The categories at or above their thresholds, highest score first."""
        return tuple(sorted((c for c in self.categories if c.flagged), key=lambda c: -c.score))

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "score": round(self.score, 4),
            "label": self.label.value,
            "category": self.category.value,
            "top_terms": [term.as_dict() for term in self.top_terms],
            "lexicon_terms": list(self.lexicon_terms),
        }
        if self.categories:
            out["categories"] = [c.as_dict() for c in self.categories]
        return out


def _sigmoid(values: FloatArray) -> FloatArray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * values)), dtype=np.float64)


@dataclass(frozen=True, eq=False)
class ContentModel:
    """A fitted model: a score is the sigmoid of a linear function of the feature blocks.

    `threshold` maximised macro-F1 on the validation split (what `eval` reports);
    `operating_threshold` was chosen on the staff-post set for precision first (what
    the detector and `predict` use).
    """

    features: FeatureSpace
    word_weights: FloatArray
    char_weights: FloatArray
    lexicon_weights: FloatArray
    bias: float
    threshold: float
    operating_threshold: float
    metadata: Mapping[str, Any]
    # One weight per prior term (features.prior_terms); empty for a model without a prior.
    prior_weights: FloatArray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    # One weight per word-vector dimension (features.word_vectors); empty without vectors.
    embedding_weights: FloatArray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    # One weight per stem-prior term (features.stem_terms); empty without the stem prior.
    stem_weights: FloatArray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    # The staff-conduct category heads: n-gram only (category_heads.py) or reading the
    # gated posts' meaning (reading_heads.py); None for a model without them.
    heads: CategoryHeads | ReadingHeads | None = None
    _explainer: Explainer = field(init=False, repr=False, compare=False)
    # Each vocabulary word's vector times embedding_weights: the decision is then a sparse
    # product per row, so a text scores the same bits alone or in any batch.
    _vector_scores: FloatArray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.word_weights.shape != (len(self.features.word_terms),):
            raise ValueError("one word weight per word term is needed")
        if self.char_weights.shape != (len(self.features.char_terms),):
            raise ValueError("one char weight per char term is needed")
        if self.lexicon_weights.shape != (len(LEXICON_COLUMNS),):
            raise ValueError("one lexicon weight per lexicon category is needed")
        if self.prior_weights.shape != (len(self.features.prior_terms),):
            raise ValueError("one prior weight per prior term is needed")
        if self.embedding_weights.shape != (self.features.word_vectors.dims,):
            raise ValueError("one embedding weight per word-vector dimension is needed")
        if self.stem_weights.shape != (len(self.features.stem_terms),):
            raise ValueError("one stem weight per stem-prior term is needed")
        weights = (self.word_weights, self.char_weights, self.lexicon_weights, self.prior_weights)
        explainer = Explainer(self.features, weights, self.embedding_weights, self.stem_weights)
        object.__setattr__(self, "_explainer", explainer)
        vectors = self.features.word_vectors.vectors.astype(np.float64)
        scores = vectors @ self.embedding_weights if self.embedding_weights.size else np.zeros(0)
        object.__setattr__(self, "_vector_scores", np.asarray(scores, dtype=np.float64))

    @property
    def version(self) -> str:
        return str(self.metadata.get("version", "unversioned"))

    def decisions(self, features: Features) -> FloatArray:
        """The linear decision (log-odds) of each row."""
        values = features.word @ self.word_weights + features.char @ self.char_weights
        lexicon = features.lexicon @ self.lexicon_weights
        if self.prior_weights.size:
            values = values + features.prior @ self.prior_weights
        if self.stem_weights.size:
            values = values + features.stem @ self.stem_weights
        if self.embedding_weights.size:
            embedded = features.embedded
            values = values + (embedded.weighted_counts @ self._vector_scores) / embedded.norms
        return np.asarray(values, dtype=np.float64) + lexicon + self.bias

    def scores(self, texts: Sequence[str]) -> FloatArray:
        """The offensive score (0-1) of each text."""
        return _sigmoid(self.decisions(self.features.transform(texts)))

    def classify_batch(
        self,
        texts: Sequence[str],
        threshold: float | None = None,
        explain_clean: bool = False,
        category_thresholds: Mapping[StaffCategory, float] | None = None,
        every_category: bool = False,
    ) -> list[Prediction]:
        """Score, label and categorize a batch in one vectorized pass.

        Texts at or above `threshold` (default: the operating threshold) are offensive and
        get their category and top terms; clean texts get top terms only if `explain_clean`.
        `categories` holds the flagged staff categories only, or all six (CATEGORIES
        order) with `every_category` or `explain_clean`.
        """
        cut = self.operating_threshold if threshold is None else threshold
        features = self.features.transform(texts)
        decisions = self.decisions(features)
        scores = _sigmoid(decisions)
        heads: list[tuple[CategoryScore, ...]] = [() for _ in texts]
        if self.heads is not None and len(texts):
            heads = self.heads.scores_of(
                texts,
                features,
                decisions,
                category_thresholds,
                every=every_category or explain_clean,
            )
        explained = scores >= cut if not explain_clean else np.ones(len(texts), dtype=bool)
        self._explainer.prime([text for text, keep in zip(texts, explained, strict=True) if keep])
        predictions = []
        for row, (text, score) in enumerate(zip(texts, scores.tolist(), strict=True)):
            offensive = score >= cut
            if not (offensive or explain_clean):
                predictions.append(
                    Prediction(score, Label.CLEAN, Category.NONE, (), categories=heads[row])
                )
                continue
            hits = scan(prepare(text))
            terms = self._explainer.top_terms(text, row, features, hits)
            if offensive:
                predictions.append(
                    Prediction(score, Label.OFFENSIVE, hits.category, terms, hits.terms, heads[row])
                )
            else:
                predictions.append(
                    Prediction(score, Label.CLEAN, Category.NONE, terms, categories=heads[row])
                )
        return predictions

    def classify(self, text: str) -> Prediction:
        """One text (the same result as in any batch)."""
        return self.classify_batch([text])[0]


def model_digest(model: ContentModel) -> str:
    """A sha256 over everything that decides a prediction: terms, idf, weights, thresholds."""
    digest = hashlib.sha256()
    space = model.features
    for terms in (space.word_terms, space.char_terms, space.prior_terms, space.stem_terms):
        digest.update("\n".join(terms).encode("utf-8"))
        digest.update(b"\x00")
    arrays = (space.word_idf, space.char_idf, model.word_weights, model.char_weights)
    priors = (space.prior_idf, model.prior_weights, space.stem_idf, model.stem_weights)
    for array in (*arrays, model.lexicon_weights, *priors):
        digest.update(np.ascontiguousarray(array, dtype="<f8").tobytes())
    vectors = space.word_vectors
    if vectors.terms:
        digest.update("\n".join(vectors.terms).encode("utf-8"))
        digest.update(np.ascontiguousarray(vectors.idf, dtype="<f8").tobytes())
        digest.update(np.ascontiguousarray(vectors.vectors, dtype="<f4").tobytes())
        digest.update(np.ascontiguousarray(model.embedding_weights, dtype="<f8").tobytes())
    scalars = [model.bias, model.threshold, model.operating_threshold, LEXICON_DIGEST]
    digest.update(json.dumps(scalars).encode())
    return digest.hexdigest()


def stamp_version(model: ContentModel) -> ContentModel:
    """The model with `version` and `digest` set in its metadata from its content."""
    digest = model_digest(model)
    metadata = {**model.metadata, "version": f"content-{digest[:12]}", "digest": digest}
    return replace(model, metadata=metadata)
