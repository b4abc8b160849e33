"""The model artifact on disk: `model.npz` (arrays only, no pickle) and `metadata.json`."""

# The only module of the content classifier that writes or reads a model file. Loading
# checks the format, recomputes the content digest against the metadata, and refuses a
# model fitted with another lexicon than the one in the code.

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.content.categories import LEXICON_DIGEST
from classifiers.content.category_heads import CATEGORIES, CategoryHeads
from classifiers.content.embedding import WordVectors
from classifiers.content.encoder_graph import VOCAB_FILE
from classifiers.content.errors import ArtifactError
from classifiers.content.features import FeatureSpace
from classifiers.content.model import ARTIFACT_FORMAT, ContentModel, model_digest
from classifiers.content.reading_heads import ReadingHeads, model_reread
from classifiers.content.sentence_encoder import SentenceEncoder
from classifiers.content.wordpiece import read_vocab

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

MODEL_FILE = "model.npz"
METADATA_FILE = "metadata.json"
# The category heads (issue 21), beside the model they were fitted on; optional.
HEADS_FILE = "categories.npz"
HEADS_METADATA_FILE = "categories.json"
# Where `tapwatch classifiers train` writes and the worker reads by default: the checkout's
# models/content (the project is installed editable), whatever the working directory.
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "content"
_SCALAR_KEYS = frozenset({"bias", "threshold", "operating_threshold"})


def _terms_array(terms: tuple[str, ...]) -> np.ndarray[Any, np.dtype[np.uint8]]:
    if any("\n" in term for term in terms):
        raise ArtifactError("a term holds a newline and cannot be stored")
    return np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8)


def _terms(array: np.ndarray[Any, Any]) -> tuple[str, ...]:
    text = array.astype(np.uint8).tobytes().decode("utf-8")
    return tuple(text.split("\n")) if text else ()


def _write(path: Path, payload: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(payload)
    os.replace(partial, path)


def save_model(model: ContentModel, folder: Path) -> None:
    """Write the model's arrays and metadata into `folder` (created if missing)."""
    if "digest" not in model.metadata:
        raise ArtifactError("only a versioned model (training.stamp_version) can be saved")
    folder.mkdir(parents=True, exist_ok=True)
    space = model.features
    arrays: dict[str, np.ndarray[Any, Any]] = {
        "word_terms": _terms_array(space.word_terms),
        "char_terms": _terms_array(space.char_terms),
        "word_idf": space.word_idf,
        "char_idf": space.char_idf,
        "word_weights": model.word_weights,
        "char_weights": model.char_weights,
        "lexicon_weights": model.lexicon_weights,
        "prior_terms": _terms_array(space.prior_terms),
        "prior_idf": space.prior_idf,
        "prior_weights": model.prior_weights,
        "stem_terms": _terms_array(space.stem_terms),
        "stem_idf": space.stem_idf,
        "stem_weights": model.stem_weights,
        "vector_terms": _terms_array(space.word_vectors.terms),
        "vector_idf": space.word_vectors.idf,
        "vectors": space.word_vectors.vectors,
        "embedding_weights": model.embedding_weights,
        "scalars": np.array([model.bias, model.threshold, model.operating_threshold]),
    }
    partial = folder / f".{MODEL_FILE}.partial"
    with partial.open("wb") as handle:
        np.savez_compressed(handle, allow_pickle=False, **arrays)
    os.replace(partial, folder / MODEL_FILE)
    metadata = {
        **model.metadata,
        "bias": model.bias,
        "threshold": model.threshold,
        "operating_threshold": model.operating_threshold,
    }
    text = json.dumps(metadata, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    _write(folder / METADATA_FILE, text.encode("utf-8"))


def read_metadata(folder: Path) -> dict[str, Any]:
    """The metadata of the artifact in `folder`."""
    path = folder / METADATA_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ArtifactError(f"{path}: no model here; run `tapwatch classifiers train`") from None
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"{path}: unreadable metadata: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != ARTIFACT_FORMAT:
        raise ArtifactError(f"{path}: not a format {ARTIFACT_FORMAT} content model")
    return data


def load_model(folder: Path) -> ContentModel:
    """Load and verify the artifact in `folder`."""
    metadata = read_metadata(folder)
    if metadata.get("features", {}).get("lexicon_digest") != LEXICON_DIGEST:
        raise ArtifactError(f"{folder}: fitted with another lexicon; retrain the model")
    try:
        with np.load(folder / MODEL_FILE, allow_pickle=False) as arrays:
            loaded = {name: arrays[name] for name in arrays.files}
        space = FeatureSpace(
            word_terms=_terms(loaded["word_terms"]),
            char_terms=_terms(loaded["char_terms"]),
            word_idf=loaded["word_idf"].astype(np.float64),
            char_idf=loaded["char_idf"].astype(np.float64),
            prior_terms=_terms(loaded["prior_terms"]),
            prior_idf=loaded["prior_idf"].astype(np.float64),
            word_vectors=WordVectors(
                _terms(loaded["vector_terms"]),
                loaded["vector_idf"].astype(np.float64),
                loaded["vectors"].astype(np.float32),
            ),
            stem_terms=_terms(loaded["stem_terms"]),
            stem_idf=loaded["stem_idf"].astype(np.float64),
        )
        bias, threshold, operating = (float(v) for v in loaded["scalars"])
        model = ContentModel(
            features=space,
            word_weights=loaded["word_weights"].astype(np.float64),
            char_weights=loaded["char_weights"].astype(np.float64),
            lexicon_weights=loaded["lexicon_weights"].astype(np.float64),
            prior_weights=loaded["prior_weights"].astype(np.float64),
            embedding_weights=loaded["embedding_weights"].astype(np.float64),
            stem_weights=loaded["stem_weights"].astype(np.float64),
            bias=bias,
            threshold=threshold,
            operating_threshold=operating,
            metadata={k: v for k, v in metadata.items() if k not in _SCALAR_KEYS},
        )
    except (OSError, KeyError, ValueError) as exc:
        raise ArtifactError(f"{folder / MODEL_FILE}: unreadable model: {exc}") from None
    if model_digest(model) != metadata.get("digest"):
        raise ArtifactError(f"{folder}: the arrays do not match the metadata's digest")
    return _with_heads(model, folder)


def save_heads(heads: CategoryHeads | ReadingHeads, model: ContentModel, folder: Path) -> None:
    """Write the category heads beside `model`, tied to its digest. Reading heads add their
    arrays beside the gate's; their encoder graph is already in `folder` (encoder_graph.py)
    and is tied by its sha256."""
    gate = heads.gate if isinstance(heads, ReadingHeads) else heads
    arrays = {"weights": gate.weights, "biases": gate.biases, "thresholds": gate.thresholds}
    if isinstance(heads, ReadingHeads):
        reader = heads.reader
        arrays |= {
            "reader_weights": reader.weights,
            "reader_biases": reader.biases,
            "reader_thresholds": reader.thresholds,
        }
    partial = folder / f".{HEADS_FILE}.partial"
    with partial.open("wb") as handle:
        np.savez_compressed(handle, allow_pickle=False, **arrays)
    os.replace(partial, folder / HEADS_FILE)
    metadata = {
        **heads.metadata,
        "model_digest": model.metadata.get("digest"),
        "categories": [c.value for c in CATEGORIES],
        "thresholds": {
            c.value: float(t) for c, t in zip(CATEGORIES, heads.thresholds, strict=True)
        },
    }
    if isinstance(heads, ReadingHeads):
        metadata["gate"] = {**gate.metadata}
    text = json.dumps(metadata, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    _write(folder / HEADS_METADATA_FILE, text.encode("utf-8"))


def _reading(
    model: ContentModel,
    gate: CategoryHeads,
    loaded: dict[str, FloatArray],
    metadata: dict[str, Any],
    folder: Path,
) -> ReadingHeads:
    """The reading heads over `gate`, with the encoder graph checked against its sha256."""
    graphs = []
    for name in metadata["encoders"]:
        # Read once: checked, then handed to onnxruntime as bytes.
        graph = (folder / name).read_bytes()
        if hashlib.sha256(graph).hexdigest() != metadata["encoder_sha256"].get(name):
            raise ValueError(f"{folder / name} is not the encoder these heads were fitted with")
        graphs.append(graph)
    encoder = SentenceEncoder(graphs, read_vocab(folder / VOCAB_FILE))
    reader = CategoryHeads(
        weights=loaded["reader_weights"],
        biases=loaded["reader_biases"],
        thresholds=loaded["reader_thresholds"],
        word_terms=gate.word_terms,
        metadata=metadata,
        sentence_dims=int(metadata["sentence_dims"]),
    )
    bar = float(metadata["read_bar"])
    return ReadingHeads(gate, reader, encoder, bar, metadata, model_reread(model))


def _with_heads(model: ContentModel, folder: Path) -> ContentModel:
    """The model with its category heads when `folder` has them (fitted on this very model)."""
    if not (folder / HEADS_FILE).exists():
        return model
    heads: CategoryHeads | ReadingHeads
    try:
        metadata = json.loads((folder / HEADS_METADATA_FILE).read_text(encoding="utf-8"))
        with np.load(folder / HEADS_FILE, allow_pickle=False) as arrays:
            loaded = {name: arrays[name].astype(np.float64) for name in arrays.files}
        if metadata.get("categories") != [c.value for c in CATEGORIES]:
            raise ValueError("another list of categories; retrain the model")
        if metadata.get("model_digest") != model.metadata.get("digest"):
            raise ValueError("fitted on another model; retrain the model")
        heads = CategoryHeads(
            weights=loaded["weights"],
            biases=loaded["biases"],
            thresholds=loaded["thresholds"],
            word_terms=model.features.word_terms,
            metadata=metadata.get("gate", metadata),
        )
        if "reader_weights" in loaded:
            heads = _reading(model, heads, loaded, metadata, folder)
    except (OSError, KeyError, ValueError) as exc:
        raise ArtifactError(f"{folder / HEADS_FILE}: unreadable category heads: {exc}") from None
    return replace(model, heads=heads)
