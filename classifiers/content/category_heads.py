"""Staff-conduct category heads: one linear scorer per category over the content features."""

# Each category's score is the geometric mean of three class-balanced logistic
# regressions fitted on the staff set's train split (tests/data/staff_categories.jsonl):
# the category's direct head (this category against every other post), its topic head
# (this category against the other categories, fitted on the posts that break the policy
# only) and one breach head shared by all categories (breaks the policy or not). The
# breach head learns "admits something wrong" from every positive at once, so a
# category with ordinary words ("spent my personal day at the casino") borrows the
# evidence of the others; the topic head then says which category it is. On val this
# raised the offensive categories' recall from 0.49 to 0.60 at the same per-category
# precision (classifiers/content/EXPERIMENTS.md, session 12).
# The inputs are the blocks the offensive model already computes (word and char tf-idf,
# the text's word vector) plus the cue counts of every category (category_cues.py) and
# the offensive model's own decision. Reusing the blocks keeps a batch at one feature
# pass: the heads add one sparse product with 2 * 6 + 1 columns.
# Precision first: each category's threshold is the lowest one that keeps the share of
# its cross-fitted flags that are right at a set level (category_training.py), never
# below 0.5. Session 11's gate (a head under 0.8 fired only when the offensive model
# agreed) is gone: on val it cost recall (offensive 0.60 -> 0.49) while the thresholds
# already held precision.
# The test split is never used to fit or choose anything.

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from classifiers.content.category_cues import CUE_COLUMNS, cue_features, cue_terms
from classifiers.content.features import Features
from classifiers.content.labels import StaffCategory
from classifiers.content.text import prepare, words

FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]
CATEGORIES: tuple[StaffCategory, ...] = tuple(StaffCategory)
# The offensive model's decision enters each head times this (its log-odds run to ~10).
DECISION_SCALE = 0.2
# At most this many words explain one category's score.
MAX_TERMS = 5
# Weight columns: the direct heads (one per category), the topic heads, then the breach head.
HEAD_COLUMNS = 2 * len(CATEGORIES) + 1
# The breach head's column (the last).
BREACH = slice(HEAD_COLUMNS - 1, HEAD_COLUMNS)


@dataclass(frozen=True, slots=True)
class CategoryScore:
    """One category's score (0-1), its threshold, and the words that weighed most."""

    category: StaffCategory
    score: float
    threshold: float
    top_terms: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        return self.score >= self.threshold

    def as_dict(self) -> dict[str, object]:
        return {
            "category": self.category.value,
            "score": round(self.score, 4),
            "threshold": round(self.threshold, 4),
            "top_terms": list(self.top_terms),
        }


def head_matrix(
    features: Features,
    prepared: Sequence[str],
    decisions: FloatArray,
    sentences: Float32Array | None = None,
) -> sp.csr_matrix:
    """The heads' input, one row per text: word, char, word-vector, sentence-embedding (only
    for the reading heads, reading_heads.py), cue and decision columns."""
    blocks = [features.word, features.char, sp.csr_matrix(features.embedded.vectors)]
    if sentences is not None:
        blocks.append(sp.csr_matrix(sentences.astype(np.float64)))
    blocks += [
        sp.csr_matrix(cue_features(prepared)),
        sp.csr_matrix((np.asarray(decisions) * DECISION_SCALE)[:, None]),
    ]
    return sp.hstack(blocks, format="csr")


def _rows_times(block: npt.NDArray[np.floating], weights: FloatArray) -> FloatArray:
    """`block @ weights`, each row summed in the same order whatever the batch."""
    return np.asarray(np.einsum("ij,jk->ik", block.astype(np.float64), weights), np.float64)


def combined(probabilities: FloatArray) -> FloatArray:
    """Per category, the geometric mean of its direct, topic and breach probabilities.

    `probabilities` has HEAD_COLUMNS columns in the weights' order.
    """
    n = len(CATEGORIES)
    product = probabilities[:, :n] * probabilities[:, n : 2 * n] * probabilities[:, 2 * n :]
    return np.asarray(np.cbrt(product), dtype=np.float64)


@dataclass(frozen=True, eq=False)
class CategoryHeads:
    """Weights (HEAD_COLUMNS columns), biases and the val-chosen threshold per category."""

    weights: FloatArray
    biases: FloatArray
    thresholds: FloatArray
    word_terms: tuple[str, ...]
    metadata: Mapping[str, object]
    # Columns of the sentence-embedding block (reading heads only; 0 for n-gram heads).
    sentence_dims: int = 0
    _index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        index = {term: i for i, term in enumerate(self.word_terms) if " " not in term}
        object.__setattr__(self, "_index", index)
        n = len(CATEGORIES)
        if self.weights.ndim != 2 or self.weights.shape[1] != HEAD_COLUMNS:
            raise ValueError(f"category weights need {HEAD_COLUMNS} columns; retrain the model")
        if self.biases.shape != (HEAD_COLUMNS,) or self.thresholds.shape != (n,):
            raise ValueError(f"{HEAD_COLUMNS} biases and one threshold per category ({n})")

    def raw_probabilities(
        self,
        features: Features,
        prepared: Sequence[str],
        decisions: FloatArray,
        sentences: Float32Array | None = None,
        columns: slice = slice(None),
    ) -> FloatArray:
        """Each head's probability (HEAD_COLUMNS columns in the weights' order, or only
        `columns` of them), one row per text.

        The logits are `head_matrix(...) @ weights`, block by block: stacking the blocks
        would copy every sparse row and densify nothing faster.
        """
        word, char, vectors = features.word, features.char, features.embedded.vectors
        n_word, n_char, dims = word.shape[1], char.shape[1], vectors.shape[1]
        w = self.weights[:, columns]
        logits = word @ w[:n_word] + char @ w[n_word : n_word + n_char]
        start = n_word + n_char
        # Dense blocks by einsum, which sums each row in one fixed order: a BLAS product of
        # a batch may take another kernel than one row's, and a post must score the same
        # alone as in any batch.
        logits = logits + _rows_times(vectors, w[start : start + dims])
        start += dims
        if self.sentence_dims:
            if sentences is None or sentences.shape[1] != self.sentence_dims:
                raise ValueError(f"these heads read {self.sentence_dims}-wide sentence vectors")
            block = w[start : start + self.sentence_dims]
            logits = logits + _rows_times(sentences, block)
            start += self.sentence_dims
        cues = cue_features(prepared)
        logits = logits + _rows_times(cues, w[start : start + cues.shape[1]])
        logits = logits + np.outer(np.asarray(decisions) * DECISION_SCALE, w[-1])
        logits = logits + self.biases[columns]
        return np.asarray(0.5 * (1.0 + np.tanh(0.5 * logits)), dtype=np.float64)

    def breach_probabilities(
        self, features: Features, prepared: Sequence[str], decisions: FloatArray
    ) -> FloatArray:
        """The breach head's probability alone, one per text (the reading heads' gate)."""
        return self.raw_probabilities(features, prepared, decisions, columns=BREACH)[:, 0]

    def probabilities(
        self, features: Features, prepared: Sequence[str], decisions: FloatArray
    ) -> FloatArray:
        """Each text's score per category (rows: texts, columns: CATEGORIES): the geometric
        mean of its direct, topic and breach probabilities."""
        return combined(self.raw_probabilities(features, prepared, decisions))

    def explain(self, prepared: str, category: StaffCategory) -> tuple[str, ...]:
        """The words that pushed `category` up most: the unigram weights of its direct and
        topic heads, and its cue words."""
        j = CATEGORIES.index(category)
        columns = self.weights[:, j] + self.weights[:, len(CATEGORIES) + j]
        cue_weight = float(columns[self._cue_offset() + CUE_COLUMNS.index(category)])
        shares: dict[str, float] = {}
        for word in dict.fromkeys(words(prepared)):
            index = self._index.get(word)
            if index is not None:
                shares[word] = float(columns[index])
        for cue in cue_terms(prepared, category):
            shares[cue] = shares.get(cue, 0.0) + max(cue_weight, 0.0)
        ranked = sorted((w for w in shares.items() if w[1] > 0), key=lambda w: -w[1])
        return tuple(term for term, _ in ranked[:MAX_TERMS])

    def scores_of(
        self,
        texts: Sequence[str],
        features: Features,
        decisions: FloatArray,
        thresholds: Mapping[StaffCategory, float] | None = None,
        every: bool = False,
    ) -> list[tuple[CategoryScore, ...]]:
        """The flagged categories' scores per text (with `every`, all six in CATEGORIES
        order); flagged ones carry their top words.
        """
        prepared = [prepare(text) for text in texts]
        probabilities = self.probabilities(features, prepared, decisions)
        return self.scores_from(prepared, probabilities, thresholds, every)

    def scores_from(
        self,
        prepared: Sequence[str],
        probabilities: FloatArray,
        thresholds: Mapping[StaffCategory, float] | None = None,
        every: bool = False,
    ) -> list[tuple[CategoryScore, ...]]:
        """`scores_of` for scores already computed (one row per prepared text)."""
        cuts = np.array(
            [
                (thresholds or {}).get(category, float(self.thresholds[j]))
                for j, category in enumerate(CATEGORIES)
            ]
        )
        # Whole-batch arrays first: most texts flag nothing, so the worker (without
        # `every`) builds no object for them; six per text were ~10% of its time per post.
        hits: npt.NDArray[np.bool_] = np.asarray(probabilities >= cuts)
        flagged: list[list[bool]] = hits.tolist()
        any_hit: list[bool] = np.asarray(hits.any(axis=1)).tolist()
        pairs = list(zip(CATEGORIES, cuts.tolist(), strict=True))
        out: list[tuple[CategoryScore, ...]] = []
        for text, row, row_flagged, some in zip(
            prepared, probabilities.tolist(), flagged, any_hit, strict=True
        ):
            if not (every or some):
                out.append(())
                continue
            out.append(
                tuple(
                    CategoryScore(
                        category,
                        score,
                        cut,
                        self.explain(text, category) if hit else (),
                    )
                    for (category, cut), score, hit in zip(pairs, row, row_flagged, strict=True)
                    if every or hit
                )
            )
        return out

    def _cue_offset(self) -> int:
        return int(self.weights.shape[0]) - len(CUE_COLUMNS) - 1

    def default_thresholds(self) -> dict[StaffCategory, float]:
        return {c: float(self.thresholds[j]) for j, c in enumerate(CATEGORIES)}
