"""Sentence embeddings at run time: the encoder graph on onnxruntime, one thread."""

# The graph (encoder_graph.py) and its vocabulary sit in the model folder, written by
# training; the worker needs onnxruntime and nothing of the training packages. One
# intra-op thread: a worker process is one core's worth of work (more workers scale out
# in the consumer group), and the measured cost is per core (bench/RESULTS.md).

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from classifiers.content.encoder_graph import (
    ATTENTION_MASK,
    ENCODER_FILE,
    INPUT_IDS,
    MAX_TOKENS_KEY,
    OUTPUT,
    VOCAB_FILE,
)
from classifiers.content.wordpiece import TextTokenizer, read_vocab

Float32Array = npt.NDArray[np.float32]
# Texts are cut at this many wordpieces ([CLS] and [SEP] included), or the graph's own
# limit if lower: the length the sentence-transformers model was trained with, more than
# any staff post needs.
MAX_TOKENS = 128
TOKEN_TYPE_IDS = "token_type_ids"
class SentenceEncoder:
    """Texts in, one embedding row each out: the graph's unit-length pools side by side."""

    def __init__(self, graph: Path, vocab: Path, threads: int = 1) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        self._session = onnxruntime.InferenceSession(
            str(graph), options, providers=["CPUExecutionProvider"]
        )
        longest = self._session.get_modelmeta().custom_metadata_map.get(MAX_TOKENS_KEY)
        if longest is None:
            raise ValueError(f"{graph}: no {MAX_TOKENS_KEY} entry; rebuild it (encoder_graph.py)")
        self._tokenizer = TextTokenizer(read_vocab(vocab), min(MAX_TOKENS, int(longest)))
        self.dims = int(self._session.get_outputs()[0].shape[1])
        # BERT exports that take token types (bge's) get type 0 for every token.
        self._types = TOKEN_TYPE_IDS in {i.name for i in self._session.get_inputs()}

    @classmethod
    def from_folder(cls, folder: Path) -> SentenceEncoder:
        return cls(folder / ENCODER_FILE, folder / VOCAB_FILE)

    def encode(self, texts: Sequence[str]) -> Float32Array:
        """One row per text (a text with no wordpiece still gets [CLS] [SEP]'s embedding).

        One text a run: dynamic int8 quantization scales a run's activations over its
        whole input, so batch mates (and their padding) would move a text's embedding,
        and a post must score the same alone in the worker as in any batch (~0.4 ms a
        text dearer than batches of 16, EXPERIMENTS.md).
        """
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = np.array([self._tokenizer.ids(text)], dtype=np.int64)
            feed = {INPUT_IDS: ids, ATTENTION_MASK: np.ones_like(ids)}
            if self._types:
                feed[TOKEN_TYPE_IDS] = np.zeros_like(ids)
            (embedded,) = self._session.run([OUTPUT], feed)
            out[row] = embedded[0]
        return out


class JointEncoder:
    """Several encoders' embeddings side by side, in order (the reading heads' input)."""

    def __init__(self, encoders: Sequence[SentenceEncoder]) -> None:
        if not encoders:
            raise ValueError("at least one encoder is needed")
        self.encoders = tuple(encoders)
        self.dims = sum(encoder.dims for encoder in self.encoders)

    @classmethod
    def from_folder(cls, folder: Path, graphs: Sequence[str]) -> JointEncoder:
        """The graphs named (files in `folder`, in order), sharing its vocab.txt."""
        return cls([SentenceEncoder(folder / graph, folder / VOCAB_FILE) for graph in graphs])

    def encode(self, texts: Sequence[str]) -> Float32Array:
        return np.hstack([encoder.encode(texts) for encoder in self.encoders])


# What the reading heads read with: one encoder, or several side by side.
Encoder = SentenceEncoder | JointEncoder
