"""The sentence encoder: the ONNX graph built from BERT weights, and its run-time wrapper."""

from __future__ import annotations

import hashlib
import json
from math import erf
from pathlib import Path

import numpy as np
import pytest

from classifiers.content.encoder_graph import ENCODER_FILE, VOCAB_FILE, BertShape, write_encoder
from classifiers.content.sentence_encoder import SentenceEncoder
from classifiers.content.wordpiece import TextTokenizer, read_vocab

from .conftest import TINY_BERT, tiny_bert_weights

TEXTS = ("the team played a great game!", "you stupid idiot", "", "school " * 60)


def reference_embedding(ids: list[int], w: dict[str, np.ndarray]) -> np.ndarray:
    """BERT's forward pass, and the unit mean pools of the last layer and of the layer two
    below it (the embeddings' output for this two-layer model), in numpy for one text."""

    def norm(x: np.ndarray, p: str) -> np.ndarray:
        centred = x - x.mean(-1, keepdims=True)
        scale = np.sqrt((centred**2).mean(-1, keepdims=True) + 1e-12)
        return centred / scale * w[p + ".weight"] + w[p + ".bias"]

    def linear(x: np.ndarray, p: str) -> np.ndarray:
        return x @ w[p + ".weight"].T + w[p + ".bias"]

    gelu = np.vectorize(lambda v: 0.5 * v * (1 + erf(v / np.sqrt(2))))
    n, heads = len(ids), TINY_BERT["heads"]
    width = TINY_BERT["hidden"] // heads
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
    x = norm(x + w["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
    lower = x.mean(0) / np.linalg.norm(x.mean(0))
    for i in range(TINY_BERT["layers"]):
        p = f"encoder.layer.{i}."
        q, k, v = (
            linear(x, p + f"attention.self.{name}").reshape(n, heads, width).transpose(1, 0, 2)
            for name in ("query", "key", "value")
        )
        a = q @ k.transpose(0, 2, 1) / np.sqrt(width)
        a = np.exp(a - a.max(-1, keepdims=True))
        a /= a.sum(-1, keepdims=True)
        context = (a @ v).transpose(1, 0, 2).reshape(n, -1)
        x = norm(
            x + linear(context, p + "attention.output.dense"), p + "attention.output.LayerNorm"
        )
        inner = gelu(linear(x, p + "intermediate.dense"))
        x = norm(x + linear(inner, p + "output.dense"), p + "output.LayerNorm")
    top = x.mean(0) / np.linalg.norm(x.mean(0))
    return np.concatenate([top, lower])


@pytest.fixture(scope="module")
def float_encoder(tiny_bert: Path, tmp_path_factory: pytest.TempPathFactory) -> SentenceEncoder:
    folder = tmp_path_factory.mktemp("float-encoder")
    write_encoder(tiny_bert, folder, quantize=False)
    return SentenceEncoder.from_folder(folder)


@pytest.fixture(scope="module")
def int8_folder(tiny_bert: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("int8-encoder")
    write_encoder(tiny_bert, folder)
    return folder


class TestGraph:
    def test_the_float_graph_computes_bert_and_its_mean_pooling(self, float_encoder, tiny_bert):
        """Against a plain numpy forward pass of the same weights, text by text."""
        weights = tiny_bert_weights(len(read_vocab(tiny_bert / "vocab.txt")))
        tokenizer = TextTokenizer(read_vocab(tiny_bert / "vocab.txt"), 24)
        got = float_encoder.encode(TEXTS)
        for text, row in zip(TEXTS, got, strict=True):
            expected = reference_embedding(tokenizer.ids(text), weights)
            assert np.allclose(row, expected, atol=1e-4), text

    def test_int8_pools_are_unit_length_and_near_the_float_ones(self, float_encoder, int8_folder):
        quantized = SentenceEncoder.from_folder(int8_folder).encode(TEXTS[:3])
        exact = float_encoder.encode(TEXTS[:3])
        assert quantized.shape == (3, 2 * TINY_BERT["hidden"])
        for pool in (slice(0, TINY_BERT["hidden"]), slice(TINY_BERT["hidden"], None)):
            assert np.allclose(np.linalg.norm(quantized[:, pool], axis=1), 1.0, atol=1e-5)
            assert np.all(np.sum(quantized[:, pool] * exact[:, pool], axis=1) > 0.8)

    def test_the_folder_holds_the_graph_and_its_vocabulary(self, int8_folder, tiny_bert):
        assert (int8_folder / VOCAB_FILE).read_bytes() == (tiny_bert / VOCAB_FILE).read_bytes()
        assert (int8_folder / ENCODER_FILE).stat().st_size > 0

    def test_the_returned_digest_is_the_graph_files(self, tiny_bert, tmp_path):
        digest = write_encoder(tiny_bert, tmp_path)
        assert digest == hashlib.sha256((tmp_path / ENCODER_FILE).read_bytes()).hexdigest()

    def test_a_config_of_another_kind_is_refused(self, tmp_path):
        config = {"model_type": "bert", "hidden_act": "relu", "hidden_size": 8}
        (tmp_path / "config.json").write_text(json.dumps(config))
        with pytest.raises(ValueError, match="GELU"):
            BertShape.read(tmp_path / "config.json")


class TestSentenceEncoder:
    def test_a_text_embeds_the_same_alone_and_in_a_batch(self, int8_folder):
        """int8 scales each run's activations: one text a run keeps a post's bits."""
        encoder = SentenceEncoder.from_folder(int8_folder)
        batch = encoder.encode(TEXTS)
        for i, text in enumerate(TEXTS):
            assert np.array_equal(encoder.encode([text])[0], batch[i])

    def test_a_text_longer_than_the_positions_is_cut_to_them(self, int8_folder):
        """The tiny graph has 24 positions: a 60-word text is read as its first 22 words."""
        encoder = SentenceEncoder.from_folder(int8_folder)
        long, cut = encoder.encode(["school " * 60, "school " * 22])
        assert np.array_equal(long, cut)

    def test_no_texts_give_no_rows(self, int8_folder):
        encoder = SentenceEncoder.from_folder(int8_folder)
        assert encoder.encode([]).shape == (0, 2 * TINY_BERT["hidden"])


@pytest.fixture(scope="module")
def minilm_encoder(tmp_path_factory: pytest.TempPathFactory) -> SentenceEncoder:
    """The real all-MiniLM-L6-v2, built from the installed package (make setup)."""
    from classifiers.content.minilm_table import model_dir

    folder = tmp_path_factory.mktemp("minilm-encoder")
    write_encoder(model_dir(), folder)
    return SentenceEncoder.from_folder(folder)


def test_minilm_puts_a_paraphrase_nearer_than_an_unrelated_post(minilm_encoder):
    """The built graph keeps the model's meaning (a broken graph gives near-random vectors)."""
    drunk, paraphrase, unrelated = minilm_encoder.encode(
        [
            "I was still drunk when I taught first period this morning.",
            "Taught my first class of the day while hungover and tipsy.",
            "Field trip permission forms are due on Friday.",
        ]
    )
    top = slice(0, 384)  # the sentence-transformers embedding itself
    assert float(drunk[top] @ paraphrase[top]) > float(drunk[top] @ unrelated[top]) + 0.2
