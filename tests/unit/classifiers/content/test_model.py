import math
from dataclasses import replace

import numpy as np
import pytest

from classifiers.content.categories import scan
from classifiers.content.labels import Category, Label
from classifiers.content.text import prepare

# The hand-made model of conftest.py: lexicon weight 6 per category, bias -2.
LEXICON_WEIGHT = 6.0
BIAS = -2.0

ODD_TEXTS = [
    "",
    " \n\t ",
    "x" * 100_000,
    "idiot " * 20_000,
    "Je suis très fier de nos élèves aujourd'hui.",
    "今日は運動会でした。みんな頑張りました\uff01",
    "مرحبا بالجميع في المدرسة",
    "🎉🎉🎉 🏈",
    "\u200b\u200d\ufeff",
    "a\x00b",
]


class TestClassifyBatch:
    @pytest.mark.parametrize("text", ODD_TEXTS, ids=range(len(ODD_TEXTS)))
    def test_never_raises_on_odd_text(self, tiny_model, text):
        """Empty, huge, non-English and control-character texts get a score in [0, 1]."""
        [prediction] = tiny_model.classify_batch([text], explain_clean=True)
        assert 0.0 <= prediction.score <= 1.0

    def test_batch_equals_one_by_one(self, tiny_model, staff_rows):
        """A batch gives exactly the predictions of classifying each text alone."""
        texts = list(staff_rows.texts[:60]) + ODD_TEXTS
        batch = tiny_model.classify_batch(texts)
        assert batch == [tiny_model.classify(text) for text in texts]

    def test_label_follows_the_operating_threshold(self, tiny_model, staff_rows):
        """A text is offensive exactly when its score reaches the operating threshold."""
        for prediction in tiny_model.classify_batch(staff_rows.texts):
            offensive = prediction.score >= tiny_model.operating_threshold
            assert (prediction.label is Label.OFFENSIVE) == offensive

    def test_clean_texts_have_category_none(self, tiny_model, staff_rows):
        """Only offensive predictions carry a category other than none."""
        for prediction in tiny_model.classify_batch(staff_rows.texts):
            assert (prediction.category is Category.NONE) == (prediction.label is Label.CLEAN)

    def test_top_terms_are_words_of_the_text_strongest_first(self, handmade_model):
        """Top terms come from the text, with positive weights in decreasing order."""
        prediction = handmade_model.classify("You stupid idiot, damn it")
        weights = [term.weight for term in prediction.top_terms]
        assert weights == sorted(weights, reverse=True)
        assert all(w > 0 for w in weights)
        assert {term.term for term in prediction.top_terms} <= {"stupid", "idiot", "damn"}

    def test_score_is_sigmoid_of_the_linear_decision(self, handmade_model):
        """One lexicon match scores sigmoid(log(2) * weight + bias)."""
        one_match = 1 / (1 + math.exp(-(math.log(2) * LEXICON_WEIGHT + BIAS)))
        assert handmade_model.classify("what an idiot").score == pytest.approx(one_match)
        no_match = 1 / (1 + math.exp(-BIAS))
        assert handmade_model.classify("what a day").score == pytest.approx(no_match)

    def test_prediction_json_shape(self, handmade_model):
        """as_dict() gives the keys and value types the predict command prints."""
        data = handmade_model.classify("shut up, idiot").as_dict()
        assert set(data) == {"score", "label", "category", "top_terms", "lexicon_terms"}
        assert data["label"] == "offensive"
        assert data["category"] == "insult_or_harassment"
        assert all(set(term) == {"term", "weight"} for term in data["top_terms"])


class TestStemPriorShares:
    def test_stem_prior_shares_add_up_to_its_decision(self, tiny_model):
        """With only the stem prior weighted, the words' shares sum to the decision exactly
        (raw tf adds up over chunks), and the insult's chunk carries it."""
        zero = np.zeros_like
        only_stem = replace(
            tiny_model,
            word_weights=zero(tiny_model.word_weights),
            char_weights=zero(tiny_model.char_weights),
            lexicon_weights=zero(tiny_model.lexicon_weights),
            prior_weights=zero(tiny_model.prior_weights),
            embedding_weights=zero(tiny_model.embedding_weights),
        )
        texts = ["Stupid idiots at the school!", "damn, damn idiot", "nothing here", ""]
        features = only_stem.features.transform(texts)
        decisions = only_stem.decisions(features) - only_stem.bias
        for row, text in enumerate(texts):
            shares = only_stem._explainer.shares(text, row, features, scan(prepare(text)))
            assert sum(shares.values()) == pytest.approx(decisions[row], abs=1e-12)
        assert decisions[0] > 0
        first = only_stem._explainer.shares(texts[0], 0, features, scan(prepare(texts[0])))
        assert first["idiots"] > 0 > first["school"]

    def test_terms_are_the_texts_whitespace_chunks(self, tiny_model):
        """Every word's share lands on its whitespace chunk, Unicode whitespace included."""
        text = "Idiot\u2028stupid\x1cdamn\u00a0school\u3000great  team\tplay\u200bing!"
        features = tiny_model.features.transform([text])
        shares = tiny_model._explainer.shares(text, 0, features, scan(prepare(text)))
        chunks = {chunk.strip("!") for chunk in prepare(text).split()}
        assert set(shares) == chunks
        assert chunks == {"idiot", "stupid", "damn", "school", "great", "team", "play\u200bing"}
