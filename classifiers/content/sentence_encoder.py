"""Sentence embeddings at run time: the encoder graphs on onnxruntime, one thread."""

# The graphs (encoder_graph.py, bge_graph.py) and their vocabulary sit in the model
# folder, written by training; the worker needs onnxruntime and nothing of the training
# packages. One intra-op thread: a worker process is one core's worth of work (more
# workers scale out in the consumer group), and the measured cost is per core
# (bench/RESULTS.md).

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
IntArray = npt.NDArray[np.int64]


class _Graph:
    """One encoder graph's onnxruntime session: input ids in, its embedding out."""

    def __init__(self, graph: Path | bytes, threads: int) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        source = str(graph) if isinstance(graph, Path) else graph
        self._session = onnxruntime.InferenceSession(
            source, options, providers=["CPUExecutionProvider"]
        )
        longest = self._session.get_modelmeta().custom_metadata_map.get(MAX_TOKENS_KEY)
        if longest is None:
            raise ValueError(f"a graph without {MAX_TOKENS_KEY}; rebuild it (encoder_graph.py)")
        self.longest = int(longest)
        self.dims = int(self._session.get_outputs()[0].shape[1])
        # BERT exports that take token types (bge's) get type 0 for every token.
        self._types = TOKEN_TYPE_IDS in {i.name for i in self._session.get_inputs()}

    def embed(self, ids: IntArray) -> Float32Array:
        """The embedding of one text's ids (shape (1, length))."""
        feed = {INPUT_IDS: ids, ATTENTION_MASK: np.ones_like(ids)}
        if self._types:
            feed[TOKEN_TYPE_IDS] = np.zeros_like(ids)
        (embedded,) = self._session.run([OUTPUT], feed)
        return np.asarray(embedded[0], dtype=np.float32)


class SentenceEncoder:
    """Texts in, one row each out: every graph's unit-length pools side by side, in order.

    The graphs share one WordPiece vocabulary, so each text is tokenized once for all.
    """

    def __init__(
        self, graphs: Sequence[Path | bytes], vocab: dict[str, int], threads: int = 1
    ) -> None:
        if not graphs:
            raise ValueError("at least one encoder graph is needed")
        self._graphs = [_Graph(graph, threads) for graph in graphs]
        longest = min(graph.longest for graph in self._graphs)
        self._tokenizer = TextTokenizer(vocab, min(MAX_TOKENS, longest))
        self.dims = sum(graph.dims for graph in self._graphs)

    @classmethod
    def from_folder(cls, folder: Path, graphs: Sequence[str] = (ENCODER_FILE,)) -> SentenceEncoder:
        """The graphs named (files in `folder`, in order), with the folder's vocab.txt."""
        return cls([folder / graph for graph in graphs], read_vocab(folder / VOCAB_FILE))

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
            out[row] = np.concatenate([graph.embed(ids) for graph in self._graphs])
        return out
