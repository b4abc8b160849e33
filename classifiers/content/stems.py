"""The stem prior's text: punctuation dropped, stop words dropped, each word stemmed."""

# toxicityclassifier prepared its texts as: lower-case, delete ASCII punctuation, split
# into words, drop English stop words, Snowball-stem each word (toxicity_prior.py). This
# does the same with scikit-learn's English stop-word list (the package used NLTK's,
# whose data is not installed) and Snowball's English (Porter2) stemmer from PyStemmer
# (compiled; the same stems as the pure-Python `snowballstemmer` on 60,505 words of the
# shared data, 25 times faster). Each whitespace chunk of a text becomes at most one
# stem, so a chunk's part of the prior is its own; stems are remembered per chunk, so a
# batch stems only new words.
# The prior never sees identity words either: models fitted on toxic-comment data learn
# to treat them as toxic (Dixon et al. 2018, "Measuring and Mitigating Unintended Bias in
# Text Classification"); with them, "I am a gay teacher." was flagged. The list is that
# paper's identity terms ("middle eastern" aside: "middle" is too common) and more groups
# of the same kinds. A word is dropped when it begins with one of them and its stem is
# one of theirs: plurals go too ("muslims"), look-alikes stay ("protests", "elders").
# The word prior (prior.py) loses them from its vocabulary the same way (training.py).
# The content model's own features keep identity words.

from __future__ import annotations

import string
from collections.abc import Sequence
from itertools import chain

import Stemmer as pystemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# Distinct chunks whose stem is remembered: the memo is emptied when it would exceed this
# (a single batch with more distinct chunks is remembered whole).
STEM_CACHE_SIZE = 200_000
_DROP_PUNCTUATION = str.maketrans("", "", string.punctuation)
IDENTITY_WORDS = frozenset(
    {
        "lesbian",
        "gay",
        "bisexual",
        "transgender",
        "trans",
        "queer",
        "lgbt",
        "lgbtq",
        "lgbtqia",
        "homosexual",
        "straight",
        "heterosexual",
        "nonbinary",
        "male",
        "female",
        "african",
        "american",
        "black",
        "white",
        "european",
        "hispanic",
        "latino",
        "latina",
        "latinx",
        "mexican",
        "canadian",
        "asian",
        "indian",
        "chinese",
        "japanese",
        "korean",
        "arab",
        "arabic",
        "native",
        "indigenous",
        "christian",
        "muslim",
        "islam",
        "islamic",
        "jewish",
        "jew",
        "buddhist",
        "catholic",
        "protestant",
        "sikh",
        "hindu",
        "taoist",
        "atheist",
        "mormon",
        "old",
        "older",
        "young",
        "younger",
        "teenage",
        "elderly",
        "millennial",
        "blind",
        "deaf",
        "paralyzed",
        "disabled",
        "disability",
        "autistic",
        "immigrant",
        "refugee",
        "migrant",
    }
)


class Stemmer:
    """Chunk -> stem ("" for a stop word, an identity word or punctuation), remembered."""

    def __init__(self) -> None:
        self._stemmer = pystemmer.Stemmer("english")
        self._stems: dict[str, str] = {}
        self._identity_stems = frozenset(self._stemmer.stemWords(sorted(IDENTITY_WORDS)))
        self._identity_prefixes = tuple(sorted(IDENTITY_WORDS))

    def stem(self, chunk: str) -> str:
        """The stem of one lower-cased whitespace chunk."""
        return self.stemmed_texts([chunk])[0]

    def _fresh_stem(self, chunk: str) -> str:
        word = chunk.translate(_DROP_PUNCTUATION)
        stem = "" if not word or word in ENGLISH_STOP_WORDS else self._stemmer.stemWord(word)
        return "" if self._is_identity(word, stem) else stem

    def is_identity_word(self, word: str) -> bool:
        """Whether a lower-cased word is an identity word or one of their inflections."""
        return self._is_identity(word, self._stemmer.stemWord(word))

    def _is_identity(self, word: str, stem: str) -> bool:
        return stem in self._identity_stems and word.startswith(self._identity_prefixes)

    def stemmed(self, prepared: str) -> list[str]:
        """The stems of a prepared (capped, lower-cased) text's chunks, in order."""
        return self.stemmed_texts([prepared])[0].split()

    def stemmed_texts(self, prepared: Sequence[str]) -> list[str]:
        """Each prepared text's stems joined by spaces (the prior's input text), in one pass:
        only the batch's chunks not remembered yet are stemmed."""
        per_doc = [text.split() for text in prepared]
        memo = self._stems
        missing = set(chain.from_iterable(per_doc)).difference(memo)
        if len(memo) + len(missing) > STEM_CACHE_SIZE:
            memo.clear()
            missing = set(chain.from_iterable(per_doc))
        for chunk in missing:
            memo[chunk] = self._fresh_stem(chunk)
        lookup = memo.__getitem__
        return [" ".join(filter(None, map(lookup, chunks))) for chunks in per_doc]
