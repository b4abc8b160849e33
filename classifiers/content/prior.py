"""Priors: other packages' fitted linear text scorers, read once at training into arrays."""

# alt-profanity-check (MIT) ships a TfidfVectorizer (word unigrams, English stop words
# dropped, raw tf, l2 norm) and five calibrated LinearSVC folds fitted on about 200k
# Davidson and Jigsaw toxic-comment texts. Its mean fold decision, w . tfidf(x) + b, is
# one extra feature column of the content model: knowledge from data we do not have.
# Only training imports the package (its files are joblib pickles shipped in the wheel);
# the fitted content model stores the terms, idf and weights as plain arrays.

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from classifiers.content.errors import DatasetError

FloatArray = npt.NDArray[np.float64]
# The package release the prior was measured with (CV and val figures in EXPERIMENTS.md).
PRIOR_PACKAGE = "alt-profanity-check"


class PriorKind(StrEnum):
    """What a prior's terms are; both kinds use raw tf times idf, l2-normalized per text."""

    # Word unigrams (scikit-learn's token pattern) of the lower-cased text.
    WORDS = "words"
    # char_wb 2-4-grams of the text's stemmed words, stop words dropped (stems.py).
    STEMMED_CHARS = "stemmed_chars"


@dataclass(frozen=True, slots=True, eq=False)
class Prior:
    """A tf-idf linear scorer over its own terms: decision = weights . tfidf(text) + bias."""

    terms: tuple[str, ...]
    idf: FloatArray
    weights: FloatArray
    bias: float
    source: str
    kind: PriorKind = PriorKind.WORDS

    def __post_init__(self) -> None:
        if not len(self.terms) == len(self.idf) == len(self.weights):
            raise ValueError("the prior needs one idf and one weight per term")


def without_terms(prior: Prior, unwanted: Callable[[str], bool]) -> Prior:
    """The prior blind to some of its terms: their idf and weights are gone with them."""
    keep = np.array([not unwanted(term) for term in prior.terms], dtype=bool)
    if keep.all():
        return prior
    terms = tuple(term for term, kept in zip(prior.terms, keep, strict=True) if kept)
    return replace(prior, terms=terms, idf=prior.idf[keep], weights=prior.weights[keep])


def load_profanity_prior() -> Prior:
    """The prior read from the installed alt-profanity-check package."""
    try:
        from importlib.metadata import version

        from profanity_check import profanity_check as package
    except ImportError as exc:
        raise DatasetError(f"training needs the {PRIOR_PACKAGE} package: {exc}") from None
    vectorizer, model = package.vectorizer, package.model
    params = vectorizer.get_params()
    if params["ngram_range"] != (1, 1) or params["sublinear_tf"] or params["norm"] != "l2":
        raise DatasetError(f"{PRIOR_PACKAGE}: unexpected vectorizer {params}")
    folds = [calibrated.estimator for calibrated in model.calibrated_classifiers_]
    weights = np.mean([fold.coef_[0] for fold in folds], axis=0).astype(np.float64)
    bias = float(np.mean([fold.intercept_[0] for fold in folds]))
    return Prior(
        terms=tuple(str(term) for term in vectorizer.get_feature_names_out()),
        idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        weights=weights,
        bias=bias,
        source=f"{PRIOR_PACKAGE}=={version(PRIOR_PACKAGE)}",
        kind=PriorKind.WORDS,
    )
