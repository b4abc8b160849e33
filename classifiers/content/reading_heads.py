"""Heads that read meaning: the n-gram heads pick the posts, sentence encoders read them."""

# Two stages (issue 21). The n-gram heads (category_heads.py) run on every post; their
# breach head is the gate. A post whose breach probability reaches READ_BAR is read
# again without its identity words (encoder_input.py): by the sentence encoders
# (sentence_encoder.py, ~6 ms of one core for MiniLM and bge together) and by the content
# model's own features. The reading heads (the same three-head design with the sentence
# embeddings added to the inputs) give its category scores. A post under the bar scores
# 0 in every category: it cannot be raised whatever a district's threshold. Reading
# meaning raised the offensive categories' test recall from 0.62 to 0.85, where the
# n-gram heads had stopped moving with more data (EXPERIMENTS.md, session 14). The bar
# keeps the encoders off most everyday posts.

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from classifiers.content.category_heads import CategoryHeads, CategoryScore, combined
from classifiers.content.encoder_input import encoder_text
from classifiers.content.features import Features, FeatureSpace
from classifiers.content.labels import StaffCategory
from classifiers.content.sentence_encoder import SentenceEncoder
from classifiers.content.text import prepare

FloatArray = npt.NDArray[np.float64]


class ContentModelLike(Protocol):
    """What model_reread needs of a ContentModel (model.py imports this module)."""

    @property
    def features(self) -> FeatureSpace: ...

    def decisions(self, features: Features) -> FloatArray: ...


# The gate: a post is read when the n-gram breach head gives it at least this. Chosen on
# val (session 14): 0.3 kept the offensive recall of reading every post (0.766 against
# 0.771) while reading 12.9% of everyday posts and 23% of clean traps; 0.5 read 4.5% and
# lost 0.02 of recall.
READ_BAR = 0.3


# The content model's own features and offensive decisions of some texts (the model's
# FeatureSpace.transform and decisions): the reading heads' n-gram blocks are taken
# from the read posts without their identity words.
Reread = Callable[[Sequence[str]], tuple[Features, FloatArray]]


def model_reread(model: ContentModelLike) -> Reread:
    """`Reread` by `model`'s feature space and offensive decisions."""

    def reread(texts: Sequence[str]) -> tuple[Features, FloatArray]:
        features = model.features.transform(texts)
        return features, model.decisions(features)

    return reread


@dataclass(frozen=True, eq=False)
class ReadingHeads:
    """The gate (n-gram heads), the reading heads, the encoder and the bar."""

    gate: CategoryHeads
    reader: CategoryHeads
    encoder: SentenceEncoder
    bar: float
    metadata: Mapping[str, object]
    reread: Reread

    def __post_init__(self) -> None:
        if self.reader.sentence_dims != self.encoder.dims:
            raise ValueError(
                f"the reading heads take {self.reader.sentence_dims}-wide sentence vectors,"
                f" the encoder gives {self.encoder.dims}"
            )

    @property
    def thresholds(self) -> FloatArray:
        return self.reader.thresholds

    def read_rows(
        self, features: Features, prepared: Sequence[str], decisions: FloatArray
    ) -> npt.NDArray[np.intp]:
        """The rows whose breach probability reaches the bar (the ones the encoder reads)."""
        breach = self.gate.breach_probabilities(features, prepared, decisions)
        return np.flatnonzero(breach >= self.bar)

    def probabilities(
        self,
        texts: Sequence[str],
        features: Features,
        prepared: Sequence[str],
        decisions: FloatArray,
    ) -> FloatArray:
        """Each text's score per category; 0 for the texts under the bar."""
        out = np.zeros((len(texts), len(self.reader.thresholds)), dtype=np.float64)
        rows = self.read_rows(features, prepared, decisions)
        if rows.size:
            read = [encoder_text(prepared[i]) for i in rows]
            read_features, read_decisions = self.reread(read)
            sentences = self.encoder.encode(read)
            raw = self.reader.raw_probabilities(read_features, read, read_decisions, sentences)
            out[rows] = combined(raw)
        return out

    def scores_of(
        self,
        texts: Sequence[str],
        features: Features,
        decisions: FloatArray,
        thresholds: Mapping[StaffCategory, float] | None = None,
        every: bool = False,
    ) -> list[tuple[CategoryScore, ...]]:
        """As CategoryHeads.scores_of, with the reading heads' scores and thresholds."""
        prepared = [prepare(text) for text in texts]
        probabilities = self.probabilities(texts, features, prepared, decisions)
        return self.reader.scores_from(prepared, probabilities, thresholds, every)

    def explain(self, prepared: str, category: StaffCategory) -> tuple[str, ...]:
        return self.reader.explain(prepared, category)

    def default_thresholds(self) -> dict[StaffCategory, float]:
        return self.reader.default_thresholds()
