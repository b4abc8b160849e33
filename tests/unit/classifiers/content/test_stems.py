import pytest

from classifiers.content import stems
from classifiers.content.stems import IDENTITY_WORDS, Stemmer


class TestStemmer:
    def test_punctuation_and_stop_words_are_dropped_and_words_stemmed(self):
        """Lower-cased chunks lose ASCII punctuation; stop words go; the rest is stemmed."""
        assert Stemmer().stemmed("@user you are running idiots!!! the ... don't") == [
            "user",
            "run",
            "idiot",
            "dont",
        ]

    @pytest.mark.parametrize("text", ["gay", "muslims", "jewish", "disabled", "immigrants"])
    def test_identity_words_never_reach_the_prior(self, text):
        """An identity word, or its plural, has no stem: the prior cannot weigh it."""
        assert Stemmer().stemmed(f"our {text} teacher") == ["teacher"]

    def test_identity_list_is_lower_case_words(self):
        assert all(word == word.lower() and " " not in word for word in IDENTITY_WORDS)

    def test_batch_equals_text_by_text(self):
        """stemmed_texts gives each text's stems joined by spaces, whatever the batch."""
        texts = ["running dogs run", "", "   ", "the the the", "Idiots, idiots!", "café naïve"]
        prepared = [text.lower() for text in texts]
        expected = [" ".join(Stemmer().stemmed(text)) for text in prepared]
        assert Stemmer().stemmed_texts(prepared) == expected
        assert expected[0] == "run dog run"
        assert expected[3] == ""

    def test_memo_is_bounded_and_stays_correct(self, monkeypatch):
        """The per-chunk memo is emptied when full; stems are the same afterwards."""
        monkeypatch.setattr(stems, "STEM_CACHE_SIZE", 3)
        stemmer = Stemmer()
        words = ["jumping", "walked", "cats", "running", "played", "jumping"]
        assert [stemmer.stem(word) for word in words] == [
            "jump",
            "walk",
            "cat",
            "run",
            "play",
            "jump",
        ]
        assert len(stemmer._stems) <= 3

    def test_batch_memo_is_emptied_when_full_and_stays_correct(self, monkeypatch):
        """A batch that would overfill the memo empties it first; the stems do not change."""
        monkeypatch.setattr(stems, "STEM_CACHE_SIZE", 4)
        stemmer = Stemmer()
        assert stemmer.stemmed_texts(["jumping cats", "walked"]) == ["jump cat", "walk"]
        assert stemmer.stemmed_texts(["running dogs played", "cats"]) == ["run dog play", "cat"]
        assert set(stemmer._stems) == {"running", "dogs", "played", "cats"}
