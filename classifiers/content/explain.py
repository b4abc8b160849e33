"""Which terms of a text weighed most: the model's decision split over the text's words."""

# A word's share is its own unigram weight, half of each word pair it is in, the char
# n-grams of its whitespace chunk ("idiot!!" for "idiot"), and an equal part of its
# lexicon category's weight when it is a lexicon term, and its prior weight (its own
# tf-idf in the prior's vocabulary), and its word vector's part of the text vector's
# (embedding.py), and its chunk's stem's part of the stem prior (exact: raw tf adds up).
# The char and stem parts of a chunk are computed once per distinct chunk, for a whole
# batch at a time, and remembered; the char part is exact except that an n-gram repeated
# in two chunks of one text counts fully in each (sublinear tf is per text).

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise, repeat
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from classifiers.content.categories import COLUMNS, LexiconHits
from classifiers.content.features import Features, FeatureSpace
from classifiers.content.text import prepare, words

FloatArray = npt.NDArray[np.float64]
# Terms reported per text, and the longest term reported (characters).
TOP_TERMS = 5
MAX_TERM_CHARS = 40
# Distinct chunks whose char part is remembered.
CHUNK_CACHE_SIZE = 200_000
_PUNCTUATION = "\"'`.,;:!?()[]{}<>«»\u201c\u201d\u2018\u2019"


class _Chunk(NamedTuple):
    """What a whitespace chunk brings to any text it is in (before the text's norms)."""

    char: float
    stem: float
    words: tuple[str, ...]
    term: str


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
        stem_weights: FloatArray | None = None,
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
        self._stem_weights = np.zeros(0) if stem_weights is None else stem_weights
        # Memos (chunk -> its scores, words and reported term; word -> its ids in the word,
        # prior and vector vocabularies, -1 where absent); they only save work.
        self._chunks: dict[str, _Chunk] = {}
        self._word_ids: dict[str, tuple[int, int, int]] = {}

    def prime(self, texts: Sequence[str]) -> None:
        """Score, in one vectorized pass, every chunk of these texts not scored yet.

        A chunk's char score is the sum of (1 + log tf) * idf * weight over its known char
        n-grams, and its stem score the sum of tf * idf * weight over its stem's n-grams,
        before the text's norms scale them.
        """
        known = self._chunks
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
        stems = np.zeros(len(missing), dtype=np.float64)
        if self._stem_weights.size:
            stem_counts = self._space.stem_counts(missing)
            stem_counts.data *= (
                self._space.stem_idf[stem_counts.indices] * self._stem_weights[stem_counts.indices]
            )
            stems = np.asarray(stem_counts.sum(axis=1)).ravel()
        for chunk, char, stem in zip(missing, sums.tolist(), stems.tolist(), strict=True):
            term = (chunk.strip(_PUNCTUATION) or chunk)[:MAX_TERM_CHARS]
            known[chunk] = _Chunk(char, stem, tuple(words(chunk)), term)

    def _chunk(self, chunk: str) -> _Chunk:
        if chunk not in self._chunks:
            self.prime([chunk])
        return self._chunks[chunk]

    def _ids(self, token: str) -> tuple[int, int, int]:
        ids = self._word_ids.get(token)
        if ids is None:
            if len(self._word_ids) >= CHUNK_CACHE_SIZE:
                self._word_ids.clear()
            space = self._space
            ids = (
                space.word_index.get(token, -1),
                space.prior_index.get(token, -1),
                space.word_vectors.index.get(token, -1),
            )
            self._word_ids[token] = ids
        return ids

    def shares(
        self, text: str, row: int, features: Features, hits: LexiconHits
    ) -> dict[str, float]:
        """Each term's share of the decision (before the bias); `hits` is scan() of the text."""
        parts = [self._chunk(chunk) for chunk in prepare(text).split()]
        norm = float(features.char_norms[row]) or 1.0
        stem_norm = float(features.stem_norms[row]) or 1.0
        shares = [part.char / norm + part.stem / stem_norm for part in parts]
        # The text's words in order, and the chunk each lies in (words never span chunks).
        flat: list[str] = []
        owner: list[int] = []
        for position, part in enumerate(parts):
            flat.extend(part.words)
            owner.extend(repeat(position, len(part.words)))
        word_part = _row(features.word, row, self._word_weights)
        prior_part = _row(features.prior, row, self._prior_weights)
        embedded = features.embedded
        vector_part = _row(embedded.weighted_counts, row, self._vector_scores)
        norm_row = float(embedded.norms[row]) if self._vector_scores.size else 1.0
        # Each distinct word's unigram, prior and vector parts, split over its occurrences.
        seen = Counter(flat)
        per_word: dict[str, float] = {}
        for token, count in seen.items():
            word_id, prior_id, vector_id = self._ids(token)
            share = word_part.get(word_id, 0.0) + prior_part.get(prior_id, 0.0)
            per_word[token] = (share + vector_part.get(vector_id, 0.0) / norm_row) / count
        for position, token in enumerate(flat):
            shares[owner[position]] += per_word[token]
        index = self._space.word_index
        pairs = [f"{a} {b}" for a, b in pairwise(flat)]
        pair_seen = Counter(pairs)
        for position, pair in enumerate(pairs):
            feature = index.get(pair)
            if feature is not None:
                half = word_part.get(feature, 0.0) / pair_seen[pair] / 2
                shares[owner[position]] += half
                shares[owner[position + 1]] += half
        totals: dict[str, float] = {}
        for chunk_part, share in zip(parts, shares, strict=True):
            totals[chunk_part.term] = totals.get(chunk_part.term, 0.0) + share
        for column, category in enumerate(COLUMNS):
            terms = [term for found, term in hits.hits if found is category]
            for term in terms:
                weight = float(features.lexicon[row, column] * self._lexicon_weights[column])
                totals[term] = totals.get(term, 0.0) + weight / len(terms)
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
