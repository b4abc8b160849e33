"""Reading heads: the n-gram gate, the sentence encoder on the gated posts, the artifact."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from classifiers.content.artifact import load_model, save_heads, save_model
from classifiers.content.category_heads import CATEGORIES
from classifiers.content.category_training import fit_reading_heads
from classifiers.content.encoder_graph import ENCODER_FILE, write_encoder
from classifiers.content.encoder_input import encoder_text
from classifiers.content.errors import ArtifactError
from classifiers.content.labels import StaffCategory
from classifiers.content.reading_heads import ReadingHeads
from classifiers.content.sentence_encoder import SentenceEncoder
from classifiers.content.staff_set import load_staff_set

STAFF_SET = Path(__file__).resolve().parents[4] / "tests" / "data" / "staff_categories.jsonl"
DRUNK = "Still drunk and hungover from the bar, teaching first period wasted lol"
EVERYDAY = "Field trip forms are due Friday"


class CountingEncoder(SentenceEncoder):
    """The real encoder, remembering what it was asked to read."""

    read: list[str]

    def encode(self, texts):  # type: ignore[no-untyped-def]
        self.read.extend(texts)
        return super().encode(texts)


@pytest.fixture(scope="module")
def encoder_folder(tiny_bert: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reading")
    digest = write_encoder(tiny_bert, folder)
    (folder / "digest").write_text(digest)
    return folder


@pytest.fixture(scope="module")
def reading(tiny_model, encoder_folder):
    rows = load_staff_set(STAFF_SET)
    encoder = SentenceEncoder.from_folder(encoder_folder)
    digests = {ENCODER_FILE: (encoder_folder / "digest").read_text()}
    heads = fit_reading_heads(tiny_model, rows, encoder, digests, folds=2)
    return replace(tiny_model, heads=heads)


def counting(heads: ReadingHeads, folder: Path) -> tuple[ReadingHeads, CountingEncoder]:
    encoder = CountingEncoder.from_folder(folder)
    assert isinstance(encoder, CountingEncoder)
    encoder.read = []
    return replace(heads, encoder=encoder), encoder


class TestReading:
    def test_only_posts_over_the_gates_bar_are_read(self, reading, encoder_folder):
        """The everyday post stays under the bar: it is never encoded and scores 0."""
        heads, encoder = counting(reading.heads, encoder_folder)
        model = replace(reading, heads=heads)
        everyday, drunk = model.classify_batch([EVERYDAY, DRUNK], every_category=True)
        assert encoder.read == [encoder_text(DRUNK.lower())]
        assert [c.score for c in everyday.categories] == [0.0] * len(CATEGORIES)
        assert max(c.score for c in drunk.categories) > 0

    def test_a_drunk_at_work_post_is_flagged_alcohol_with_its_words(self, reading):
        prediction = reading.classify_batch([DRUNK], every_category=True)[0]
        alcohol = prediction.categories[CATEGORIES.index(StaffCategory.ALCOHOL_DRUGS)]
        assert alcohol.flagged and alcohol.top_terms

    def test_a_district_threshold_applies_to_the_reading_scores(self, reading):
        cuts = {StaffCategory.ALCOHOL_DRUGS: 1.0}
        prediction = reading.classify_batch([DRUNK], category_thresholds=cuts)[0]
        assert StaffCategory.ALCOHOL_DRUGS not in {c.category for c in prediction.categories}

    def test_a_post_scores_the_same_alone_and_in_a_batch(self, reading):
        texts = [DRUNK, EVERYDAY, "you stupid idiot, the whole class is a joke", "great game!"]
        batch = reading.classify_batch(texts, every_category=True)
        for text, together in zip(texts, batch, strict=True):
            alone = reading.classify_batch([text], every_category=True)[0]
            assert [c.score for c in alone.categories] == [c.score for c in together.categories]

    def test_the_metadata_names_the_gate_encoder_and_bar(self, reading, encoder_folder):
        meta = reading.heads.metadata
        assert str(meta["version"]).startswith("reading-")
        assert meta["gate_version"] == reading.heads.gate.metadata["version"]
        assert meta["fitted_on"] == ["train", "val"] and meta["folds"] == 2
        assert set(meta["cross_fitted"]) == {c.value for c in CATEGORIES}
        assert meta["encoders"] == [ENCODER_FILE]
        assert meta["encoder_sha256"] == {ENCODER_FILE: (encoder_folder / "digest").read_text()}
        assert meta["read_bar"] == reading.heads.bar
        assert 0 < float(meta["read_share"]) <= 1


class TestArtifact:
    def _saved(self, reading, encoder_folder: Path, folder: Path) -> Path:
        save_model(reading, folder)
        shutil.copy(encoder_folder / ENCODER_FILE, folder / ENCODER_FILE)
        shutil.copy(encoder_folder / "vocab.txt", folder / "vocab.txt")
        save_heads(reading.heads, reading, folder)
        return folder

    def test_reading_heads_load_back_and_score_the_same(self, reading, encoder_folder, tmp_path):
        loaded = load_model(self._saved(reading, encoder_folder, tmp_path))
        assert isinstance(loaded.heads, ReadingHeads)
        assert loaded.heads.metadata["version"] == reading.heads.metadata["version"]
        texts = [DRUNK, EVERYDAY]
        before = reading.classify_batch(texts, every_category=True)
        after = loaded.classify_batch(texts, every_category=True)
        for b, a in zip(before, after, strict=True):
            assert np.allclose([c.score for c in b.categories], [c.score for c in a.categories])
        assert loaded.heads.gate.metadata["version"] == reading.heads.gate.metadata["version"]

    def test_another_encoder_graph_is_refused(self, reading, encoder_folder, tmp_path, tiny_bert):
        """A float graph in place of the int8 one the heads were fitted on: not loaded."""
        folder = self._saved(reading, encoder_folder, tmp_path)
        write_encoder(tiny_bert, folder, quantize=False)
        with pytest.raises(ArtifactError, match="not the encoder"):
            load_model(folder)

    def test_a_missing_encoder_graph_is_a_clear_error(self, reading, encoder_folder, tmp_path):
        folder = self._saved(reading, encoder_folder, tmp_path)
        (folder / ENCODER_FILE).unlink()
        with pytest.raises(ArtifactError, match="unreadable category heads"):
            load_model(folder)


    def test_identity_words_reach_neither_the_encoder_nor_the_reading_n_grams(self, reading):
        """Two posts that differ only in an identity word read the same: same scores."""
        muslim, gay = reading.classify_batch(
            [
                "those muslims in the office are vermin, drunk at work again lol",
                "those gays in the office are vermin, drunk at work again lol",
            ],
            every_category=True,
        )
        assert max(c.score for c in muslim.categories) > 0
        assert [c.score for c in muslim.categories] == [c.score for c in gay.categories]


class TestEncoderInput:
    def test_identity_words_and_their_plurals_are_dropped(self):
        text = "being muslim is part of who i am, and gay teachers and muslims belong here."
        assert encoder_text(text) == "being is part of who i am, and teachers and belong here."

    def test_look_alikes_and_contempt_stay(self):
        """What is said about a group is kept: the contempt is in it."""
        text = "those protests by the elders were stupid, they are animals"
        assert encoder_text(text) == text
