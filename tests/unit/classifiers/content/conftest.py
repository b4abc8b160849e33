"""Fixtures for the content classifier: a tiny trained model, a hand-made one, a tiny dataset."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from classifiers.content.datasets import LabeledTexts, load_staff_posts
from classifiers.content.embedding import WordVectors
from classifiers.content.features import FeatureSpace, fit_feature_space
from classifiers.content.minilm_table import fit_word_vectors
from classifiers.content.model import ContentModel, stamp_version
from classifiers.content.prior import Prior, PriorKind
from classifiers.content.training import TrainingParams, train_model

DATA = Path(__file__).resolve().parents[4] / "tests" / "data"
STAFF_POSTS = DATA / "staff_posts.jsonl"
IDENTITY_TERMS = DATA / "identity_terms.jsonl"
# Hand-made model: each lexicon match adds log(1 + n) * LEXICON_WEIGHT to a bias of BIAS.
LEXICON_WEIGHT = 6.0
BIAS = -2.0


def _split(rows: LabeledTexts, every: int, offset: int) -> LabeledTexts:
    keep = [i for i in range(len(rows)) if i % every == offset]
    return LabeledTexts(tuple(rows.texts[i] for i in keep), rows.labels[keep])


def _rest(rows: LabeledTexts, every: int) -> LabeledTexts:
    keep = [i for i in range(len(rows)) if i % every > 1]
    return LabeledTexts(tuple(rows.texts[i] for i in keep), rows.labels[keep])


@pytest.fixture(scope="session")
def staff_posts() -> Path:
    return STAFF_POSTS


@pytest.fixture(scope="session")
def staff_rows() -> LabeledTexts:
    return load_staff_posts(STAFF_POSTS)


@pytest.fixture(scope="session")
def tiny_prior() -> Prior:
    """A hand-made word prior (no package needed): insults up, school words down."""
    terms = ("bloody", "damn", "great", "idiot", "school", "stupid")
    return Prior(
        terms=terms,
        idf=np.array([1.5, 1.2, 1.0, 2.0, 1.1, 1.8]),
        weights=np.array([1.0, 2.0, -1.0, 3.0, -0.5, 2.5]),
        bias=-0.5,
        source="hand-made",
    )


@pytest.fixture(scope="session")
def tiny_stem_prior() -> Prior:
    """A hand-made stem prior (no package needed): char_wb 2-4-grams of a few stems."""
    terms = (" id", "idio", "diot", " stu", "stup", "upid", "damn", "amn ", "scho", "hool")
    return Prior(
        terms=terms,
        idf=np.array([1.1, 2.0, 2.0, 1.2, 1.9, 1.8, 1.7, 1.3, 1.4, 1.2]),
        weights=np.array([0.5, 3.0, 3.0, 0.3, 2.5, 2.5, 2.0, 1.0, -1.0, -1.0]),
        bias=-1.0,
        source="hand-made stems",
        kind=PriorKind.STEMMED_CHARS,
    )


# A made-up wordpiece vocabulary for the stand-in of the MiniLM package's model folder.
TINY_VOCAB = (
    "[PAD]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "the",
    "you",
    "idiot",
    "stupid",
    "school",
    "play",
    "##ing",
    "##s",
    "great",
    "team",
    "damn",
    "class",
    "!",
    ".",
    "a",
    "##d",
)


def write_tensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    """A safetensors file holding tensors by name: integer ones as I64, the rest as F32."""
    header: dict[str, object] = {}
    blobs, offset = [], 0
    for name, table in tensors.items():
        kind = ("I64", "<i8") if table.dtype.kind == "i" else ("F32", "<f4")
        data = np.ascontiguousarray(table, dtype=kind[1]).tobytes()
        span = [offset, offset + len(data)]
        header[name] = {"dtype": kind[0], "shape": list(table.shape), "data_offsets": span}
        blobs.append(data)
        offset += len(data)
    encoded = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))


def write_table(path: Path, table: np.ndarray) -> None:
    """A safetensors file holding one float32 table under the MiniLM embedding name."""
    write_tensors(path, {"embeddings.word_embeddings.weight": table})


# A random BERT of the MiniLM's kind, small enough to run in a test: 16 wide, 2 heads,
# 2 layers, 24 positions.
TINY_BERT = {"hidden": 16, "heads": 2, "layers": 2, "intermediate": 32, "positions": 24}


def tiny_bert_weights(vocab_size: int, seed: int = 11) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    h, inner = TINY_BERT["hidden"], TINY_BERT["intermediate"]

    def normal(*shape: int) -> np.ndarray:
        return rng.normal(scale=0.3, size=shape)

    w = {
        "embeddings.word_embeddings.weight": normal(vocab_size, h),
        "embeddings.position_embeddings.weight": normal(TINY_BERT["positions"], h),
        "embeddings.token_type_embeddings.weight": normal(2, h),
        "embeddings.LayerNorm.weight": 1 + normal(h),
        "embeddings.LayerNorm.bias": normal(h),
    }
    for i in range(TINY_BERT["layers"]):
        p = f"encoder.layer.{i}."
        for name in ("query", "key", "value"):
            w[f"{p}attention.self.{name}.weight"] = normal(h, h)
            w[f"{p}attention.self.{name}.bias"] = normal(h)
        w[f"{p}attention.output.dense.weight"] = normal(h, h)
        w[f"{p}attention.output.dense.bias"] = normal(h)
        w[f"{p}intermediate.dense.weight"] = normal(inner, h)
        w[f"{p}intermediate.dense.bias"] = normal(inner)
        w[f"{p}output.dense.weight"] = normal(h, inner)
        w[f"{p}output.dense.bias"] = normal(h)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[f"{p}{norm}.weight"] = 1 + normal(h)
            w[f"{p}{norm}.bias"] = normal(h)
    return w


@pytest.fixture(scope="session")
def tiny_bert(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stand-in for the package's model folder with a whole random encoder in it."""
    folder = tmp_path_factory.mktemp("tiny-bert")
    (folder / "vocab.txt").write_text("\n".join(TINY_VOCAB) + "\n", encoding="utf-8")
    # The file as the package ships it: "bert."-prefixed names and an integer buffer.
    weights = {f"bert.{k}": v for k, v in tiny_bert_weights(len(TINY_VOCAB)).items()}
    weights["bert.embeddings.position_ids"] = np.arange(TINY_BERT["positions"])[None]
    write_tensors(folder / "model.safetensors", weights)
    config = {
        "model_type": "bert",
        "hidden_act": "gelu",
        "hidden_size": TINY_BERT["hidden"],
        "num_attention_heads": TINY_BERT["heads"],
        "num_hidden_layers": TINY_BERT["layers"],
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": TINY_BERT["positions"],
    }
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def tiny_minilm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stand-in for the package's model folder: vocab.txt and a random 16-wide table."""
    folder = tmp_path_factory.mktemp("minilm")
    (folder / "vocab.txt").write_text("\n".join(TINY_VOCAB) + "\n", encoding="utf-8")
    table = np.random.default_rng(5).normal(size=(len(TINY_VOCAB), 16))
    write_table(folder / "model.safetensors", table)
    return folder


@pytest.fixture(scope="session")
def tiny_vectors(staff_rows: LabeledTexts, tiny_minilm: Path) -> WordVectors:
    """8-wide word vectors of the staff posts' words, from the stand-in table."""
    return fit_word_vectors(staff_rows.texts, 8, 7, tiny_minilm)


@pytest.fixture(scope="session")
def tiny_model(
    staff_rows: LabeledTexts,
    tiny_prior: Prior,
    tiny_vectors: WordVectors,
    tiny_stem_prior: Prior,
) -> ContentModel:
    """NB-LR trained on ~200 staff posts (every 5th is val, the next one the staff set)."""
    train = _rest(staff_rows, 5)
    val, staff = _split(staff_rows, 5, 0), _split(staff_rows, 5, 1)
    params = TrainingParams(min_df=1, seed=7)  # both priors and the word vectors
    return train_model(
        train, val, params, staff, {"tiny": True}, tiny_prior, tiny_vectors, tiny_stem_prior
    )


@pytest.fixture(scope="session")
def handmade_model() -> ContentModel:
    """A model that only counts lexicon terms: one match scores 0.897, two 0.99+, none 0.12."""
    space: FeatureSpace = fit_feature_space(["a tiny vocabulary", "of some words"], min_df=1)
    return stamp_version(
        ContentModel(
            features=space,
            word_weights=np.zeros(len(space.word_terms)),
            char_weights=np.zeros(len(space.char_terms)),
            lexicon_weights=np.full(4, LEXICON_WEIGHT),
            bias=BIAS,
            threshold=0.5,
            operating_threshold=0.5,
            metadata={"format": 2, "features": {}},
        )
    )


def write_tweeteval(folder: Path, splits: dict[str, LabeledTexts]) -> Path:
    """A dataset folder in the TweetEval layout."""
    folder.mkdir(parents=True, exist_ok=True)
    for split, rows in splits.items():
        (folder / f"{split}_text.txt").write_text(
            "".join(text.replace("\n", " ") + "\n" for text in rows.texts), encoding="utf-8"
        )
        (folder / f"{split}_labels.txt").write_text(
            "".join(f"{label}\n" for label in rows.labels.tolist()), encoding="utf-8"
        )
    return folder


@pytest.fixture(scope="session")
def tiny_dataset(tmp_path_factory: pytest.TempPathFactory, staff_rows: LabeledTexts) -> Path:
    """The staff posts as a TweetEval-layout dataset: train, val and test splits."""
    splits = {
        "train": _rest(staff_rows, 5),
        "val": _split(staff_rows, 5, 0),
        "test": _split(staff_rows, 5, 1),
    }
    return write_tweeteval(tmp_path_factory.mktemp("tiny") / "dataset", splits)


@pytest.fixture
def identity_rows() -> list[dict[str, str]]:
    lines = IDENTITY_TERMS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]
