import numpy as np

from classifiers.content.features import fit_feature_space, sklearn_reference
from classifiers.content.text import (
    MAX_FEATURE_CHARS,
    chunk_char_terms,
    padded_words,
    prepare,
)

SAMPLE = [
    "Reminder: lab reports due Friday!",
    "You are a f*cking idiot, Greg!!!",
    "",
    "   ",
    "a",
    "Ça va? Straße İstanbul ÉCOLE",
    "日本語のテキスト 😀 emoji",
    "word\twith\ttabs\nand  newlines",
    "x" * 10_000,
]


class TestFeatureSpace:
    def test_transform_equals_scikit_learn(self, staff_rows):
        """The bulk transform gives scikit-learn's TfidfVectorizer matrices to rounding."""
        space = fit_feature_space(staff_rows.texts[:150], min_df=1)
        texts = [*staff_rows.texts[150:], *SAMPLE]
        fast, reference = space.transform(texts), sklearn_reference(texts, space)
        assert abs(fast.word - reference.word).max() < 1e-12
        assert abs(fast.char - reference.char).max() < 1e-12

    def test_prior_block_equals_scikit_learn(self, staff_rows, tiny_prior):
        """The prior's raw-tf, l2-normed word tf-idf is scikit-learn's, stop words dropped."""
        space = fit_feature_space(staff_rows.texts[:50], 1, tiny_prior.terms, tiny_prior.idf)
        texts = ["What a stupid, STUPID idiot", "the school is great", *SAMPLE]
        fast, reference = space.transform(texts), sklearn_reference(texts, space)
        assert fast.prior.shape == (len(texts), len(tiny_prior.terms))
        assert fast.prior.nnz > 0
        assert abs(fast.prior - reference.prior).max() < 1e-12

    def test_stem_block_equals_scikit_learn(self, staff_rows, tiny_stem_prior):
        """The stem prior's block is scikit-learn's char_wb 2-4 tf-idf of the stemmed text."""
        prior = tiny_stem_prior
        space = fit_feature_space(
            staff_rows.texts[:50], 1, stem_terms=prior.terms, stem_idf=prior.idf
        )
        texts = ["What a stupid, STUPID idiot", "Damn, the schools!", "idiots", *SAMPLE]
        fast, reference = space.transform(texts), sklearn_reference(texts, space)
        assert fast.stem.shape == (len(texts), len(prior.terms))
        assert fast.stem.nnz > 0
        assert abs(fast.stem - reference.stem).max() < 1e-12

    def test_no_prior_gives_an_empty_block(self, staff_rows):
        """A feature space fitted without a prior has a prior block with no columns."""
        space = fit_feature_space(staff_rows.texts[:50], min_df=1)
        assert space.transform(["you idiot"]).prior.shape == (1, 0)
        assert space.transform(["you idiot"]).stem.shape == (1, 0)

    def test_rows_are_unit_length_or_empty(self, staff_rows):
        """Each non-empty tf-idf block row has l2 norm 1, and an empty text gives an empty row."""
        space = fit_feature_space(staff_rows.texts, min_df=1)
        char = space.transform(["Great game tonight", ""]).char
        norms = np.sqrt(np.asarray(char.multiply(char).sum(axis=1)).ravel())
        assert np.allclose(norms, [1.0, 0.0])

    def test_unknown_text_has_no_features(self, staff_rows):
        """A text of characters never seen in training matches no term."""
        space = fit_feature_space(staff_rows.texts, min_df=2)
        features = space.transform(["ЖЖЖЖ ЩЩЩЩ"])
        assert features.word.nnz == 0
        assert features.char.nnz == 0


class TestText:
    def test_prepare_caps_and_lowercases(self):
        """Only the first MAX_FEATURE_CHARS characters, lower-cased, reach the features."""
        prepared = prepare("AB" * MAX_FEATURE_CHARS)
        assert len(prepared) == MAX_FEATURE_CHARS
        assert prepared.islower()

    def test_short_chunk_is_one_gram_like_scikit_learn(self):
        """A one-letter chunk gives its two bigrams and the padded chunk, then stops."""
        assert chunk_char_terms("a") == [" a", "a ", " a "]

    def test_padded_words_mark_boundaries_with_two_spaces(self):
        """Each chunk is padded with one space, so two spaces mark every chunk boundary."""
        assert padded_words("hi  there\n!") == " hi  there  ! "
