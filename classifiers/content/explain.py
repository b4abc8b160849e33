"""Which terms of a text weighed most: the model's decision split over the text's words."""

# A word's share is its own unigram weight, half of each word pair it is in, the char
# n-grams of its whitespace chunk ("idiot!!" for "idiot"), and an equal part of its
# lexicon category's weight when it is a lexicon term, and its prior weight (its own
# tf-idf in the prior's vocabulary), and its word vector's part of the text vector's
# (embedding.py). The char part of a chunk is
# computed once per distinct chunk, for a whole batch at a time, and remembered; it is
# exact except that an n-gram repeated in two chunks of one text counts fully in each
# (sublinear tf is per text).

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from classifiers.content.categories import COLUMNS, LexiconHits
from classifiers.content.features import Features, FeatureSpace
from classifiers.content.text import chunks, located_words, prepare

FloatArray = npt.NDArray[np.float64]
# Terms reported per text, and the longest term reported (characters).
TOP_TERMS = 5
MAX_TERM_CHARS = 40
# Distinct chunks whose char part is remembered.
CHUNK_CACHE_SIZE = 200_000
_PUNCTUATION = "\"'`.,;:!?()[]{}<>«»\u201c\u201d\u2018\u2019"


@dataclass(frozen=True, slots=True)
class TermWeight:
    """A term of the text and how much it pushed the decision towards offensive."""

    term: str
    weight: float

    def as_dict(self) -> dict[str, str | float]:
        return {"term": self.term, "weight": round(self.weight, 4)}


def _row(matrix: sp.csr_matrix, row: int, weights: FloatArray) -> dict[int, float]:
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    indices = matrix.indices[start:end]
    values = matrix.data[start:end] * weights[indices]
    return dict(zip(indices.tolist(), values.tolist(), strict=True))


class Explainer:
    """Top terms for one model; holds only a memo of per-chunk char scores."""

    def __init__(
        self,
        space: FeatureSpace,
        weights: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
        embedding_weights: FloatArray | None = None,
    ) -> None:
        self._space = space
        self._word_weights, self._char_weights, self._lexicon_weights = weights[:3]
        self._prior_weights = weights[3]
        # Each vocabulary word's vector times the embedding weights (its unscaled share).
        vectors = space.word_vectors
        self._vector_scores: FloatArray = (
            np.asarray(vectors.vectors @ embedding_weights, dtype=np.float64)
            if embedding_weights is not None and embedding_weights.size
            else np.zeros(0, dtype=np.float64)
        )
        # A memo (chunk -> unscaled char score); it only ever saves work.
        self._chunk_scores: dict[str, float] = {}

    def prime(self, texts: Sequence[str]) -> None:
        """Score, in one vectorized pass, every chunk of these texts not scored yet.

        A chunk's score is the sum of (1 + log tf) * idf * weight over its known char
        n-grams, before the text's norm scales it.
        """
        known = self._chunk_scores
        missing = list({c for text in texts for c in prepare(text).split() if c not in known})
        if not missing:
            return
        if len(known) + len(missing) > CHUNK_CACHE_SIZE:
            known.clear()
        counts = self._space.char_counts(missing)
        counts.data = (
            (1.0 + np.log(counts.data))
            * self._space.char_idf[counts.indices]
            * self._char_weights[counts.indices]
        )
        sums = np.asarray(counts.sum(axis=1)).ravel()
        known.update(zip(missing, sums.tolist(), strict=True))

    def _chunk_score(self, chunk: str) -> float:
        if chunk not in self._chunk_scores:
            self.prime([chunk])
        return self._chunk_scores[chunk]

    def shares(
        self, text: str, row: int, features: Features, hits: LexiconHits
    ) -> dict[str, float]:
        """Each term's share of the decision (before the bias); `hits` is scan() of the text."""
        prepared = prepare(text)
        located = chunks(prepared)
        norm = float(features.char_norms[row]) or 1.0
        shares = [self._chunk_score(chunk) / norm for _, chunk in located]
        starts = [start for start, _ in located]
        found = located_words(prepared)
        owner = [bisect_right(starts, start) - 1 for start, _ in found]
        flat = [token for _, token in found]
        word_part = _row(features.word, row, self._word_weights)
        index = self._space.word_index
        seen = Counter(flat)
        for position, token in enumerate(flat):
            feature = index.get(token)
            if feature is not None:
                shares[owner[position]] += word_part.get(feature, 0.0) / seen[token]
        if self._prior_weights.size:
            prior_part = _row(features.prior, row, self._prior_weights)
            prior_index = self._space.prior_index
            for position, token in enumerate(flat):
                feature = prior_index.get(token)
                if feature is not None:
                    shares[owner[position]] += prior_part.get(feature, 0.0) / seen[token]
        if self._vector_scores.size:
            embedded = features.embedded
            vector_part = _row(embedded.weighted_counts, row, self._vector_scores)
            norm_row = float(embedded.norms[row])
            vector_index = self._space.word_vectors.index
            for position, token in enumerate(flat):
                feature = vector_index.get(token)
                if feature is not None:
                    part = vector_part.get(feature, 0.0) / norm_row / seen[token]
                    shares[owner[position]] += part
        pairs = [f"{a} {b}" for a, b in pairwise(flat)]
        pair_seen = Counter(pairs)
        for position, pair in enumerate(pairs):
            feature = index.get(pair)
            if feature is not None:
                half = word_part.get(feature, 0.0) / pair_seen[pair] / 2
                shares[owner[position]] += half
                shares[owner[position + 1]] += half
        totals: dict[str, float] = {}
        for (_, chunk), share in zip(located, shares, strict=True):
            term = (chunk.strip(_PUNCTUATION) or chunk)[:MAX_TERM_CHARS]
            totals[term] = totals.get(term, 0.0) + share
        for column, category in enumerate(COLUMNS):
            terms = [term for found, term in hits.hits if found is category]
            for term in terms:
                part = float(features.lexicon[row, column] * self._lexicon_weights[column])
                totals[term] = totals.get(term, 0.0) + part / len(terms)
        return totals

    def top_terms(
        self, text: str, row: int, features: Features, hits: LexiconHits, limit: int = TOP_TERMS
    ) -> tuple[TermWeight, ...]:
        """The terms that pushed one text of a batch most towards offensive, strongest first."""
        ranked = sorted(
            ((term, weight) for term, weight in self.shares(text, row, features, hits).items()),
            key=lambda item: (-item[1], item[0]),
        )
        return tuple(TermWeight(term, weight) for term, weight in ranked[:limit] if weight > 0)
