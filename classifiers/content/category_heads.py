"""Staff-conduct category heads: one linear scorer per category over the content features."""

# Each head is a class-balanced logistic regression fitted on the staff set's train
# split (tests/data/staff_categories.jsonl) over the blocks the offensive model already
# computes (word and char tf-idf, the text's word vector) plus the cue counts of every
# category (category_cues.py) and the offensive model's own decision. Reusing the
# blocks keeps a batch at one feature pass: the heads add one sparse product.
# Precision first: each head's threshold is the lowest one that keeps val precision at
# VAL_PRECISION or more (category_training.py), never below 0.5, and a head only fires
# when it is sure on its own (CONFIDENT) or the offensive model also finds the text
# offensive (its val threshold). The test split is never used to fit or choose anything.

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
CATEGORIES: tuple[StaffCategory, ...] = tuple(StaffCategory)
# The offensive model's decision enters each head times this (its log-odds run to ~10).
DECISION_SCALE = 0.2
# At most this many words explain one category's score.
MAX_TERMS = 5
# A head's probability (0-1) from which it fires without the offensive model agreeing:
# below it, a head alone is too often a small set's guess (the first heads raised
# "Thanks all, see you Monday" at 0.12).
CONFIDENT = 0.8


@dataclass(frozen=True, slots=True)
class CategoryScore:
    """One category's probability (0-1), its threshold, and the words that weighed most."""

    category: StaffCategory
    score: float
    threshold: float
    top_terms: tuple[str, ...] = ()
    # False when the head is under CONFIDENT and the offensive model found the text clean.
    confident: bool = True

    @property
    def flagged(self) -> bool:
        return self.confident and self.score >= self.threshold

    def as_dict(self) -> dict[str, object]:
        return {
            "category": self.category.value,
            "score": round(self.score, 4),
            "threshold": round(self.threshold, 4),
            "top_terms": list(self.top_terms),
            "confident": self.confident,
        }


def head_matrix(
    features: Features, prepared: Sequence[str], decisions: FloatArray
) -> sp.csr_matrix:
    """The heads' input: word, char, word-vector, cue and decision columns, one row per text."""
    blocks = [
        features.word,
        features.char,
        sp.csr_matrix(features.embedded.vectors),
        sp.csr_matrix(cue_features(prepared)),
        sp.csr_matrix((np.asarray(decisions) * DECISION_SCALE)[:, None]),
    ]
    return sp.hstack(blocks, format="csr")


@dataclass(frozen=True, eq=False)
class CategoryHeads:
    """Weights (one column per category), biases and val-chosen probability thresholds."""

    weights: FloatArray
    biases: FloatArray
    thresholds: FloatArray
    word_terms: tuple[str, ...]
    metadata: Mapping[str, object]
    _index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        index = {term: i for i, term in enumerate(self.word_terms) if " " not in term}
        object.__setattr__(self, "_index", index)
        n = len(CATEGORIES)
        if self.weights.ndim != 2 or self.weights.shape[1] != n:
            raise ValueError(f"category weights need {n} columns")
        if self.biases.shape != (n,) or self.thresholds.shape != (n,):
            raise ValueError(f"one bias and one threshold per category ({n}) are needed")

    def probabilities(
        self, features: Features, prepared: Sequence[str], decisions: FloatArray
    ) -> FloatArray:
        """Each text's probability per category (rows: texts, columns: CATEGORIES).

        The same as `head_matrix(...) @ weights`, block by block: stacking the blocks
        would copy every sparse row and densify nothing faster.
        """
        n_word, n_char = features.word.shape[1], features.char.shape[1]
        dims = features.embedded.vectors.shape[1]
        w = self.weights
        logits = features.word @ w[:n_word] + features.char @ w[n_word : n_word + n_char]
        start = n_word + n_char
        logits = logits + features.embedded.vectors @ w[start : start + dims]
        cues = cue_features(prepared)
        logits = logits + cues @ w[start + dims : start + dims + cues.shape[1]]
        logits = logits + np.outer(np.asarray(decisions) * DECISION_SCALE, w[-1])
        logits = logits + self.biases
        return np.asarray(0.5 * (1.0 + np.tanh(0.5 * logits)), dtype=np.float64)

    def explain(self, prepared: str, category: StaffCategory) -> tuple[str, ...]:
        """The words that pushed `category` up most: its unigram weights and its cue words."""
        column = CATEGORIES.index(category)
        cue_weight = float(self.weights[self._cue_offset() + CUE_COLUMNS.index(category), column])
        shares: dict[str, float] = {}
        for word in dict.fromkeys(words(prepared)):
            index = self._index.get(word)
            if index is not None:
                shares[word] = float(self.weights[index, column])
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
        offensive_at: float = 0.5,
        every: bool = False,
    ) -> list[tuple[CategoryScore, ...]]:
        """The flagged categories' scores per text (with `every`, all six in CATEGORIES
        order); flagged ones carry their top words.

        `offensive_at` is the offensive model's probability from which a text counts as
        offensive, so that a head under CONFIDENT may fire.
        """
        prepared = [prepare(text) for text in texts]
        probabilities = self.probabilities(features, prepared, decisions)
        offensive = np.asarray(decisions) >= np.log(offensive_at / (1.0 - offensive_at))
        cuts = np.array(
            [
                (thresholds or {}).get(category, float(self.thresholds[j]))
                for j, category in enumerate(CATEGORIES)
            ]
        )
        # Whole-batch arrays first: most texts flag nothing, so the worker (without
        # `every`) builds no object for them; six per text were ~10% of its time per post.
        sure = offensive[:, None] | (probabilities >= CONFIDENT)
        hits = sure & (probabilities >= cuts)
        flagged = hits.tolist()
        any_hit = hits.any(axis=1).tolist()
        pairs = list(zip(CATEGORIES, cuts.tolist(), strict=True))
        out: list[tuple[CategoryScore, ...]] = []
        for text, row, row_sure, row_flagged, some in zip(
            prepared, probabilities.tolist(), sure.tolist(), flagged, any_hit, strict=True
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
                        confident,
                    )
                    for (category, cut), score, confident, hit in zip(
                        pairs, row, row_sure, row_flagged, strict=True
                    )
                    if every or hit
                )
            )
        return out

    def _cue_offset(self) -> int:
        return int(self.weights.shape[0]) - len(CUE_COLUMNS) - 1

    def default_thresholds(self) -> dict[StaffCategory, float]:
        return {c: float(self.thresholds[j]) for j, c in enumerate(CATEGORIES)}
