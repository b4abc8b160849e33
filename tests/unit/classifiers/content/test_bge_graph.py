"""bge-small-en-v1.5 from langchain4j's jar: the pinned jar, [CLS] pooling, token types."""

from __future__ import annotations

import shutil
import zipfile

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from classifiers.content.bge_graph import (
    DEFAULT_JAR,
    ENCODER_BGE_FILE,
    MAVEN_ARTIFACT,
    with_cls_pooling,
    write_bge_encoder,
)
from classifiers.content.encoder_graph import save_graph
from classifiers.content.sentence_encoder import SentenceEncoder

from .conftest import TINY_VOCAB

WIDTH = 8


def export_like_graph(table: np.ndarray, types: np.ndarray):  # type: ignore[no-untyped-def]
    """An ONNX graph shaped as the jar's export: ids, mask and token types in, each token's
    vector (its word row plus its type row) out as `last_hidden_state`."""
    nodes = [
        helper.make_node("Gather", ["table", "input_ids"], ["words"], axis=0),
        helper.make_node("Gather", ["types", "token_type_ids"], ["typed"], axis=0),
        helper.make_node("Add", ["words", "typed"], ["last_hidden_state"]),
    ]
    inputs = [
        helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "length"])
        for name in ("input_ids", "attention_mask", "token_type_ids")
    ]
    output = helper.make_tensor_value_info(
        "last_hidden_state", TensorProto.FLOAT, ["batch", "length", WIDTH]
    )
    weights = [numpy_helper.from_array(table, "table"), numpy_helper.from_array(types, "types")]
    graph = helper.make_graph(nodes, "export", inputs, [output], weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 9
    return model


@pytest.fixture
def tables() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    table = rng.normal(size=(len(TINY_VOCAB), WIDTH)).astype(np.float32)
    return table, rng.normal(size=(2, WIDTH)).astype(np.float32)


def test_the_pooled_graph_gives_the_cls_tokens_vector_unit_length(tables, tmp_path):
    """Token type 0 is fed (the export needs the input); the [CLS] row is the embedding."""
    table, types = tables
    (tmp_path / "vocab.txt").write_text("\n".join(TINY_VOCAB) + "\n", encoding="utf-8")
    save_graph(with_cls_pooling(export_like_graph(table, types)), tmp_path / "g.onnx", False)
    encoder = SentenceEncoder.from_folder(tmp_path, ["g.onnx"])
    (vector,) = encoder.encode(["the team"])
    cls = table[TINY_VOCAB.index("[CLS]")] + types[0]
    assert np.allclose(vector, cls / np.linalg.norm(cls), atol=1e-6)


def test_a_graph_with_other_outputs_is_refused(tables):
    model = export_like_graph(*tables)
    model.graph.output[0].name = "pooler_output"
    with pytest.raises(ValueError, match="last_hidden_state"):
        with_cls_pooling(model)


def test_a_jar_that_is_not_the_pinned_one_is_refused(tmp_path):
    jar = tmp_path / "other.jar"
    with zipfile.ZipFile(jar, "w") as archive:
        archive.writestr("bge-small-en-v1.5.onnx", b"not a graph")
    with pytest.raises(ValueError, match=MAVEN_ARTIFACT):
        write_bge_encoder(jar, tmp_path)


def test_joint_embeddings_are_each_encoders_side_by_side(tables, tmp_path):
    table, types = tables
    (tmp_path / "vocab.txt").write_text("\n".join(TINY_VOCAB) + "\n", encoding="utf-8")
    save_graph(with_cls_pooling(export_like_graph(table, types)), tmp_path / "a.onnx", False)
    save_graph(with_cls_pooling(export_like_graph(-table, types)), tmp_path / "b.onnx", False)
    joint = SentenceEncoder.from_folder(tmp_path, ["a.onnx", "b.onnx"])
    single = SentenceEncoder.from_folder(tmp_path, ["a.onnx"])
    (both,) = joint.encode(["great team"])
    assert joint.dims == 2 * WIDTH
    assert np.array_equal(both[:WIDTH], single.encode(["great team"])[0])


def test_the_real_graph_puts_a_paraphrase_nearer_than_an_unrelated_post(tmp_path):
    """Built from the pinned jar, int8: the model's meaning is kept."""
    from classifiers.content.minilm_table import model_dir

    if not DEFAULT_JAR.exists():
        pytest.fail(f"{DEFAULT_JAR} is missing: run `make setup`")
    shutil.copyfile(model_dir() / "vocab.txt", tmp_path / "vocab.txt")
    write_bge_encoder(DEFAULT_JAR, tmp_path)
    encoder = SentenceEncoder.from_folder(tmp_path, [ENCODER_BGE_FILE])
    drunk, paraphrase, unrelated = encoder.encode(
        [
            "I was still drunk when I taught first period this morning.",
            "Taught my first class of the day while hungover and tipsy.",
            "Field trip permission forms are due on Friday.",
        ]
    )
    assert float(drunk @ paraphrase) > float(drunk @ unrelated) + 0.1
