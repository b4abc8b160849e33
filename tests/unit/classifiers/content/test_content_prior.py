import numpy as np
import pytest

from classifiers.content.prior import load_profanity_prior
from classifiers.content.training import TrainingParams, train_model


class TestPrior:
    def test_prior_folds_into_the_linear_scorer(self, tiny_model, tiny_prior):
        """The fitted model keeps one weight per prior term, proportional to the prior's."""
        weights = tiny_model.prior_weights
        assert weights.shape == tiny_prior.weights.shape
        ratio = weights / tiny_prior.weights
        assert np.allclose(ratio, ratio[0])
        assert tiny_model.metadata["prior"] == "hand-made"

    def test_without_prior_the_model_has_no_prior_terms(self, staff_rows, tiny_prior):
        """use_prior=False ignores any given prior: no prior terms, no prior weights."""
        params = TrainingParams(min_df=1, seed=1, use_prior=False, use_word_vectors=False)
        model = train_model(staff_rows, staff_rows, params, prior=tiny_prior)
        assert model.features.prior_terms == ()
        assert model.prior_weights.size == 0
        assert model.metadata["prior"] is None

    def test_packaged_prior_is_a_word_unigram_scorer(self):
        """alt-profanity-check's prior has one idf and one weight per vocabulary word."""
        pytest.importorskip("profanity_check")
        prior = load_profanity_prior()
        assert len(prior.terms) == prior.idf.size == prior.weights.size > 10_000
        assert prior.source.startswith("alt-profanity-check==")
