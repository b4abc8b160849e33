"""What the sentence encoder reads: the prepared text with its identity words dropped."""

# A sentence embedding places "Being Muslim is part of who I am, and I share that with my
# class." near the posts that show contempt for Muslims: with identity words in its input,
# the reading heads raised one such sentence for twelve of the 36 identity terms
# (bench.classifier, 1 of 15 sentences each, over the 5% target). Without them (the same
# words and inflections the priors never see, stems.py, after Dixon et al. 2018) none was
# raised, and val's offensive recall did not fall (0.766 -> 0.771; bigotry 0.774 -> 0.792:
# contempt is in what is said about a group, which stays). The n-gram blocks keep the words.

from __future__ import annotations

import string
from functools import lru_cache

from classifiers.content.stems import Stemmer

_DROP_PUNCTUATION = str.maketrans("", "", string.punctuation)
_STEMMER = Stemmer()


@lru_cache(maxsize=65536)
def _is_identity(chunk: str) -> bool:
    word = chunk.translate(_DROP_PUNCTUATION)
    return bool(word) and _STEMMER.is_identity_word(word)


def encoder_text(prepared: str) -> str:
    """A prepared (capped, lower-cased) text without its identity-word chunks."""
    return " ".join(chunk for chunk in prepared.split() if not _is_identity(chunk))
