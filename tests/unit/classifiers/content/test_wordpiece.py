"""BERT's uncased WordPiece tokenizer on whole texts (the sentence encoder's input ids)."""

from __future__ import annotations

import pytest

from classifiers.content.wordpiece import TextTokenizer, wordpiece_ids

from .conftest import TINY_VOCAB

VOCAB = {token: row for row, token in enumerate(TINY_VOCAB)}
CLS, SEP, UNK = VOCAB["[CLS]"], VOCAB["[SEP]"], VOCAB["[UNK]"]


def ids_of(*tokens: str) -> list[int]:
    return [VOCAB[t] for t in tokens]


class TestTextTokenizer:
    def test_a_text_is_framed_by_cls_and_sep(self):
        assert TextTokenizer(VOCAB).ids("the team") == [CLS, *ids_of("the", "team"), SEP]

    def test_case_accents_and_punctuation_are_handled_as_bert_does(self):
        """Lower-cased, accents stripped, punctuation split off, suffixes as ##pieces."""
        ids = TextTokenizer(VOCAB).ids("Gréat TEAM, playing!")
        assert ids == [CLS, *ids_of("great", "team", "[UNK]", "play", "##ing", "!"), SEP]

    def test_control_and_format_characters_are_dropped_and_tabs_split(self):
        """A zero-width space or a bell inside a word does not break it; a tab splits."""
        ids = TextTokenizer(VOCAB).ids("st\u200bupid\x07\tschool")
        assert ids == [CLS, *ids_of("stupid", "school"), SEP]

    def test_a_long_text_is_cut_to_max_tokens(self):
        ids = TextTokenizer(VOCAB, max_tokens=6).ids("the team " * 50)
        assert ids == [CLS, *ids_of("the", "team", "the", "team"), SEP]

    def test_an_empty_text_is_cls_sep(self):
        assert TextTokenizer(VOCAB).ids(" \n ") == [CLS, SEP]

    def test_a_word_agrees_with_the_single_word_splitter(self):
        """The static word vectors and the encoder split a word the same way."""
        tokenizer = TextTokenizer(VOCAB)
        for word in ("playings", "idiots", "Stupid!", "zzz"):
            assert tokenizer.ids(word)[1:-1] == wordpiece_ids(word, VOCAB)

    def test_unsplittable_words_are_unknown(self):
        assert TextTokenizer(VOCAB).ids("xyz") == [CLS, UNK, SEP]

    def test_too_small_a_limit_is_refused(self):
        with pytest.raises(ValueError, match="room"):
            TextTokenizer(VOCAB, max_tokens=2)
