"""TF-IDF features (word 1-2-grams, char_wb 2-5-grams, the priors' terms) and lexicon counts."""

# `fit_feature_space` fits two scikit-learn TfidfVectorizers (sublinear tf, l2 norm per
# block, as a FeatureUnion would) and keeps only their vocabularies and idf weights.
# The third block is log(1 + matches) of each lexicon category (categories.py). The
# fourth is the prior's own tf-idf of word unigrams (raw tf, l2 norm; prior.py), with the
# idf it was fitted with; it is empty for a model without a prior. The fifth is the stem
# prior's tf-idf of char_wb 2-4-grams of the text's stems (raw tf, l2 norm; stems.py,
# toxicity_prior.py), empty for a model without it.
# `FeatureSpace.transform` gives the same matrices without scikit-learn's per-document
# Python loop: word terms are looked up in one pass over the batch, and char n-grams
# are found with a rolling hash over the whole batch's code points in numpy.

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from classifiers.content.categories import lexicon_features
from classifiers.content.embedding import Embedded, WordVectors
from classifiers.content.stems import Stemmer
from classifiers.content.term_lookup import known_terms
from classifiers.content.text import (
    CHAR_NGRAM_SIZES,
    char_terms,
    padded_words,
    prepare,
    terms_of_words,
    word_terms,
    words,
)

# The stem prior's char_wb n-gram sizes (toxicity_prior.py checks the package's).
STEM_NGRAM_SIZES = (2, 3, 4)

FloatArray = npt.NDArray[np.float64]
_U64 = npt.NDArray[np.uint64]
_I64 = npt.NDArray[np.int64]
# Multiplier of the polynomial rolling hash of code points (odd, 64-bit, arbitrary).
_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
# Fibonacci-hashing multiplier that spreads the rolling hash over the table's slots.
_SLOT_MULTIPLIER = np.uint64(0xBF58476D1CE4E5B9)
_MASK = (1 << 64) - 1


def _raw_word_terms(text: str) -> list[str]:
    return word_terms(prepare(text))


def _raw_char_terms(text: str) -> list[str]:
    return char_terms(prepare(text))


def _gram_hash(gram: str) -> int:
    """The rolling hash `_char_counts` computes in numpy, for one gram, in Python."""
    value = 0
    for char in gram:
        value = (value * int(_HASH_MULTIPLIER) + ord(char) + 1) & _MASK
    return value


@dataclass(frozen=True, slots=True, eq=False)
class _HashTable:
    """Hash -> feature id: one direct-mapped slot per hash prefix, overflow in a sorted array.

    A slot is the top bits of the hash times an odd constant; with at least four slots
    per key, most look-ups cost one random memory access instead of a binary search.
    """

    shift: np.uint64
    slot_keys: _U64
    slot_ids: _I64
    slot_overflows: npt.NDArray[np.bool_]
    overflow_keys: _U64
    overflow_ids: _I64

    @classmethod
    def build(cls, keys: _U64, ids: _I64) -> _HashTable:
        if np.unique(keys).size != keys.size:
            raise ValueError("two char terms share a hash; change _HASH_MULTIPLIER")
        bits = max(8, int(keys.size).bit_length() + 2)
        shift = np.uint64(64 - bits)
        slots = ((keys * _SLOT_MULTIPLIER) >> shift).astype(np.intp)
        taken, first = np.unique(slots, return_index=True)
        slot_keys = np.zeros(1 << bits, dtype=np.uint64)
        slot_ids = np.full(1 << bits, -1, dtype=np.int64)
        slot_keys[taken] = keys[first]
        slot_ids[taken] = ids[first]
        rest = np.ones(keys.size, dtype=np.bool_)
        rest[first] = False
        overflows = np.zeros(1 << bits, dtype=np.bool_)
        overflows[slots[rest]] = True
        order = np.argsort(keys[rest], kind="stable")
        return cls(shift, slot_keys, slot_ids, overflows, keys[rest][order], ids[rest][order])

    def lookup(self, hashes: _U64) -> _I64:
        """The feature id of each hash, or -1 for a hash of no term."""
        slots = ((hashes * _SLOT_MULTIPLIER) >> self.shift).astype(np.intp)
        ids = np.take(self.slot_ids, slots)
        missed = np.take(self.slot_keys, slots) != hashes
        ids[missed] = -1
        pending = np.flatnonzero(missed & np.take(self.slot_overflows, slots))
        if pending.size and self.overflow_keys.size:
            wanted = hashes[pending]
            last = self.overflow_keys.size - 1
            at = np.minimum(np.searchsorted(self.overflow_keys, wanted), last)
            found = self.overflow_keys[at] == wanted
            ids[pending[found]] = self.overflow_ids[at[found]]
        return ids


@dataclass(frozen=True, slots=True, eq=False)
class Features:
    """The rows of a batch: one l2-normalized tf-idf block per term kind, and lexicon counts."""

    word: sp.csr_matrix
    char: sp.csr_matrix
    lexicon: FloatArray
    # Each row's char tf-idf norm before scaling (explain.py splits contributions with it).
    char_norms: FloatArray
    # The prior's word-unigram tf-idf (no columns for a model without a prior).
    prior: sp.csr_matrix
    # The static word-vector block (no columns for a model without word vectors).
    embedded: Embedded
    # The stem prior's char n-gram tf-idf and each row's norm before scaling (no columns
    # for a model without the stem prior).
    stem: sp.csr_matrix
    stem_norms: FloatArray


@dataclass(frozen=True, eq=False)
class FeatureSpace:
    """The fitted vocabularies and idf weights; `transform` turns texts into Features."""

    word_terms: tuple[str, ...]
    char_terms: tuple[str, ...]
    word_idf: FloatArray
    char_idf: FloatArray
    prior_terms: tuple[str, ...] = ()
    prior_idf: FloatArray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    word_vectors: WordVectors = field(default_factory=WordVectors.empty)
    stem_terms: tuple[str, ...] = ()
    stem_idf: FloatArray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    word_index: dict[str, int] = field(init=False, repr=False)
    char_index: dict[str, int] = field(init=False, repr=False)
    prior_index: dict[str, int] = field(init=False, repr=False)
    stemmer: Stemmer = field(init=False, repr=False)
    _table: _HashTable = field(init=False, repr=False)
    _stem_table: _HashTable = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.word_terms) != len(self.word_idf) or len(self.char_terms) != len(self.char_idf):
            raise ValueError("each vocabulary needs exactly one idf weight per term")
        if len(self.prior_terms) != len(self.prior_idf):
            raise ValueError("the prior vocabulary needs exactly one idf weight per term")
        if len(self.stem_terms) != len(self.stem_idf):
            raise ValueError("the stem prior vocabulary needs exactly one idf weight per term")
        object.__setattr__(self, "word_index", {t: i for i, t in enumerate(self.word_terms)})
        object.__setattr__(self, "prior_index", {t: i for i, t in enumerate(self.prior_terms)})
        object.__setattr__(self, "char_index", {t: i for i, t in enumerate(self.char_terms)})
        object.__setattr__(self, "stemmer", Stemmer())
        object.__setattr__(self, "_table", _hash_table(self.char_terms))
        object.__setattr__(self, "_stem_table", _hash_table(self.stem_terms))

    @property
    def size(self) -> int:
        return len(self.word_terms) + len(self.char_terms)

    def transform(self, texts: Sequence[str]) -> Features:
        """The tf-idf features of the texts (capped and lower-cased first)."""
        prepared = [prepare(text) for text in texts]
        tokens = [words(text) for text in prepared]
        word, _ = _tfidf(self._word_counts(tokens), self.word_idf)
        char, char_norms = _tfidf(self.char_counts(prepared), self.char_idf)
        prior, _ = _tfidf(self._prior_counts(tokens), self.prior_idf, sublinear=False)
        embedded = self.word_vectors.embed_words(tokens)
        stem, stem_norms = _tfidf(self.stem_counts(prepared), self.stem_idf, sublinear=False)
        lexicon = lexicon_features(prepared)
        return Features(word, char, lexicon, char_norms, prior, embedded, stem, stem_norms)

    def stem_counts(self, prepared: Sequence[str]) -> sp.csr_matrix:
        """Raw counts of the stem prior's n-grams of already prepared texts, one row each."""
        if not self.stem_terms:
            return sp.csr_matrix((len(prepared), 0), dtype=np.float64)
        pieces = [padded_words(text) for text in self.stemmer.stemmed_texts(prepared)]
        return _gram_counts(pieces, self._stem_table, STEM_NGRAM_SIZES, len(self.stem_terms))

    def _prior_counts(self, tokens: list[list[str]]) -> sp.csr_matrix:
        if not self.prior_terms:
            return sp.csr_matrix((len(tokens), 0), dtype=np.float64)
        rows, ids = known_terms(tokens, self.prior_index)
        return _counts(rows, ids, len(tokens), len(self.prior_terms))

    def _word_counts(self, tokens: list[list[str]]) -> sp.csr_matrix:
        rows, ids = known_terms([terms_of_words(found) for found in tokens], self.word_index)
        return _counts(rows, ids, len(tokens), len(self.word_terms))

    def char_counts(self, prepared: Sequence[str]) -> sp.csr_matrix:
        """Raw counts of the known char n-grams of already prepared texts, one row each."""
        pieces = [padded_words(text) for text in prepared]
        return _gram_counts(pieces, self._table, CHAR_NGRAM_SIZES, len(self.char_terms))


_EMPTY: _I64 = np.zeros(0, dtype=np.int64)


def _hash_table(terms: tuple[str, ...]) -> _HashTable:
    """Char terms of every n-gram size, keyed by their rolling hash."""
    hashes = np.array([_gram_hash(term) for term in terms], dtype=np.uint64)
    return _HashTable.build(hashes, np.arange(len(terms), dtype=np.int64))


def _gram_counts(
    pieces: Sequence[str], table: _HashTable, sizes: tuple[int, ...], n_terms: int
) -> sp.csr_matrix:
    """Counts of the table's n-grams (of these sizes) in each padded piece, one row each."""
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    joined = "".join(pieces)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    codes += np.uint64(1)
    doc_of = np.repeat(np.arange(len(pieces), dtype=np.int64), lengths)
    rows: list[_I64] = []
    cols: list[_I64] = []
    hashes = codes.copy()
    for n in range(1, max(sizes) + 1):
        if n > 1:
            hashes = hashes[:-1] * _HASH_MULTIPLIER + codes[n - 1 :]
        if n in sizes and hashes.size:
            ids = table.lookup(hashes)
            hit = ids >= 0
            rows.append(doc_of[: hashes.size][hit])
            cols.append(ids[hit])
    if not rows:
        return _counts(_EMPTY, _EMPTY, len(pieces), n_terms)
    return _counts(np.concatenate(rows), np.concatenate(cols), len(pieces), n_terms)


def _counts(rows: _I64, cols: _I64, n_rows: int, n_cols: int) -> sp.csr_matrix:
    """The (row, col) pairs counted into a canonical CSR matrix (sorted, no duplicates)."""
    keys = rows * n_cols + cols
    keys.sort()
    new = np.ones(keys.size, dtype=np.bool_)
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    unique = keys[starts]
    ends = np.empty_like(starts)
    ends[:-1] = starts[1:]
    ends[-1:] = keys.size
    counts = (ends - starts).astype(np.float64)
    indptr = np.searchsorted(unique // n_cols, np.arange(n_rows + 1, dtype=np.int64))
    return sp.csr_matrix((counts, unique % n_cols, indptr), shape=(n_rows, n_cols))


def _tfidf(
    counts: sp.csr_matrix, idf: FloatArray, sublinear: bool = True
) -> tuple[sp.csr_matrix, FloatArray]:
    """(Sublinear) tf times idf, each row scaled to unit l2 norm (as TfidfVectorizer does)."""
    tf = 1.0 + np.log(counts.data) if sublinear else counts.data
    counts.data = tf * idf[counts.indices]
    squares = np.zeros(counts.shape[0], dtype=np.float64)
    nonzero_rows = np.diff(counts.indptr) > 0
    if counts.nnz:
        sums = np.add.reduceat(counts.data**2, counts.indptr[:-1][nonzero_rows])
        squares[nonzero_rows] = sums
    norms = np.sqrt(squares)
    norms[norms == 0.0] = 1.0
    counts.data /= np.repeat(norms, np.diff(counts.indptr))
    return counts, norms


def fit_feature_space(
    texts: Sequence[str],
    min_df: int,
    prior_terms: tuple[str, ...] = (),
    prior_idf: FloatArray | None = None,
    word_vectors: WordVectors | None = None,
    stem_terms: tuple[str, ...] = (),
    stem_idf: FloatArray | None = None,
) -> FeatureSpace:
    """Fit both vocabularies and their idf weights on the training texts; keep the priors'."""
    word = TfidfVectorizer(analyzer=_raw_word_terms, min_df=min_df, sublinear_tf=True)
    char = TfidfVectorizer(analyzer=_raw_char_terms, min_df=min_df, sublinear_tf=True)
    word.fit(texts)
    char.fit(texts)
    return FeatureSpace(
        word_terms=tuple(word.get_feature_names_out()),
        char_terms=tuple(char.get_feature_names_out()),
        word_idf=np.asarray(word.idf_, dtype=np.float64),
        char_idf=np.asarray(char.idf_, dtype=np.float64),
        prior_terms=prior_terms,
        prior_idf=np.zeros(0) if prior_idf is None else np.asarray(prior_idf, dtype=np.float64),
        word_vectors=WordVectors.empty() if word_vectors is None else word_vectors,
        stem_terms=stem_terms,
        stem_idf=np.zeros(0) if stem_idf is None else np.asarray(stem_idf, dtype=np.float64),
    )


def sklearn_reference(texts: Sequence[str], space: FeatureSpace) -> Features:
    """The same features computed by scikit-learn itself (the slow reference, for tests)."""
    blocks = []
    for analyzer, terms, idf in (
        (_raw_word_terms, space.word_terms, space.word_idf),
        (_raw_char_terms, space.char_terms, space.char_idf),
    ):
        vectorizer = TfidfVectorizer(
            analyzer=analyzer, vocabulary={t: i for i, t in enumerate(terms)}, sublinear_tf=True
        )
        vectorizer.fit([""])
        vectorizer.idf_ = idf
        blocks.append(sp.csr_matrix(vectorizer.transform(texts)))
    prepared = [prepare(text) for text in texts]
    norms = np.ones(len(prepared), dtype=np.float64)  # not part of the comparison
    prior = TfidfVectorizer(
        vocabulary={t: i for i, t in enumerate(space.prior_terms)} or {"": 0},
        stop_words="english",
    )
    prior.fit([""])
    prior.idf_ = space.prior_idf if space.prior_terms else np.ones(1)
    prior_block = sp.csr_matrix(prior.transform(texts))[:, : len(space.prior_terms)]
    embedded = space.word_vectors.embed(prepared)  # not part of the comparison
    stem = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(min(STEM_NGRAM_SIZES), max(STEM_NGRAM_SIZES)),
        vocabulary={t: i for i, t in enumerate(space.stem_terms)} or {" a": 0},
    )
    stem.fit([""])
    stem.idf_ = space.stem_idf if space.stem_terms else np.ones(1)
    stemmer = Stemmer()
    stemmed_texts = [" ".join(stemmer.stemmed(text)) for text in prepared]
    stem_block = sp.csr_matrix(stem.transform(stemmed_texts))[:, : len(space.stem_terms)]
    lexicon = lexicon_features(prepared)
    return Features(blocks[0], blocks[1], lexicon, norms, prior_block, embedded, stem_block, norms)
