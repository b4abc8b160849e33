"""How a text becomes the model's terms: capping, lower-casing, words, word pairs, padded words."""

from __future__ import annotations

import re
from itertools import pairwise

# Only this much of a text reaches the features: longer posts are cut, so that a
# 100,000-character post costs no more than a long Facebook post (characters).
MAX_FEATURE_CHARS = 4_000
# Character n-grams are taken inside each word padded with one space on each side.
CHAR_NGRAM_SIZES = (2, 3, 4, 5)
# scikit-learn's default token pattern r"(?u)\b\w\w+\b" finds the maximal runs of two or
# more word characters; so does this one, without the slower boundary checks.
_WORD = re.compile(r"\w\w+")


def prepare(text: str) -> str:
    """The capped, lower-cased text every feature is taken from."""
    return text[:MAX_FEATURE_CHARS].lower()


def words(prepared: str) -> list[str]:
    """The words of a prepared text, in order (scikit-learn's word tokens)."""
    return _WORD.findall(prepared)


def word_terms(prepared: str) -> list[str]:
    """Word unigrams then bigrams, as TfidfVectorizer(ngram_range=(1, 2)) makes them."""
    return terms_of_words(words(prepared))


def terms_of_words(tokens: list[str]) -> list[str]:
    """The word unigrams then bigrams of a text's words."""
    terms = tokens.copy()
    terms.extend(map(" ".join, pairwise(tokens)))
    return terms


def padded_words(prepared: str) -> str:
    """Each whitespace-separated chunk as " chunk ", joined: "  " marks every word boundary.

    A character n-gram of this string that contains no double space lies inside one
    padded chunk, which is exactly scikit-learn's `char_wb` n-gram; every other
    n-gram spans two chunks and matches no term of the vocabulary.
    """
    chunks = prepared.split()
    return f" {'  '.join(chunks)} " if chunks else ""


def chunk_char_terms(chunk: str) -> list[str]:
    """The char_wb n-grams of one whitespace-separated chunk, as scikit-learn makes them."""
    padded = f" {chunk} "
    size = len(padded)
    grams: list[str] = []
    for n in CHAR_NGRAM_SIZES:
        if n >= size:
            grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams


def char_terms(prepared: str) -> list[str]:
    """Every char_wb n-gram of a prepared text, chunk by chunk (used to fit the vocabulary)."""
    grams: list[str] = []
    for chunk in prepared.split():
        grams.extend(chunk_char_terms(chunk))
    return grams
