"""Static word vectors: a text's vector is the l2-normalized tf-idf-weighted sum of its words'."""

# The vectors come from all-MiniLM-L6-v2's input embedding table (minilm_table.py, at
# training time only): a word's vector is the mean of its wordpieces' rows, unit length,
# then PCA-reduced. At run time only this table is used: one dict look-up per word and a
# small dense product, no tokenizer and no network. A weight w on the text vector
# splits exactly over the words: word t adds (1 + log tf) * idf_t * (v_t . w) / norm.

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from classifiers.content.term_lookup import known_terms
from classifiers.content.text import words

FloatArray = npt.NDArray[np.float64]
Float32Array = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True, eq=False)
class Embedded:
    """A batch's text vectors, and what explain.py needs to split a decision over words."""

    # One l2-normalized row per text (all zeros for a text with no known word).
    vectors: FloatArray
    # (1 + log tf) * idf of each known word, per text, before the normalization.
    weighted_counts: sp.csr_matrix
    # Each row's norm before normalization (1 for an empty row).
    norms: FloatArray


@dataclass(frozen=True, eq=False)
class WordVectors:
    """A fixed vocabulary of words, each with an idf weight and a vector."""

    terms: tuple[str, ...]
    idf: FloatArray
    vectors: Float32Array
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.vectors.ndim != 2 or self.vectors.shape[0] != len(self.terms):
            raise ValueError("one vector row per term is needed")
        if self.idf.shape != (len(self.terms),):
            raise ValueError("one idf weight per term is needed")
        object.__setattr__(self, "index", {t: i for i, t in enumerate(self.terms)})

    @classmethod
    def empty(cls) -> WordVectors:
        """No vocabulary: every text's vector has zero columns (a model without vectors)."""
        return cls((), np.zeros(0, dtype=np.float64), np.zeros((0, 0), dtype=np.float32))

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    def embed(self, prepared: Sequence[str]) -> Embedded:
        """The vectors of already prepared (capped, lower-cased) texts."""
        return self.embed_words([words(text) for text in prepared])

    def embed_words(self, per_doc: Sequence[Sequence[str]]) -> Embedded:
        """The vectors of texts given as their words (text.words of the prepared text)."""
        rows, ids = known_terms(per_doc, self.index)
        counts = sp.csr_matrix(
            (np.ones(ids.size, dtype=np.float64), (rows, ids)),
            shape=(len(per_doc), len(self.terms)),
        )
        counts.sum_duplicates()
        counts.data = (1.0 + np.log(counts.data)) * self.idf[counts.indices]
        summed = np.asarray(counts @ self.vectors, dtype=np.float64)
        norms = np.linalg.norm(summed, axis=1) if self.dims else np.zeros(len(per_doc))
        norms[norms == 0] = 1.0
        return Embedded(summed / norms[:, None], counts, norms)
