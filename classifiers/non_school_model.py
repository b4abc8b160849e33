"""The non_school_contact word model: a TF-IDF logistic regression scored in pure Python.

The patterns of classifiers/non_school_signals.py name what they find but miss new
phrasings; this small linear model over words, fitted on the tuning splits of
tests/data/non_school_posts.jsonl by bench/non_school_model.py (which also writes
its weights module), catches the paraphrases. Scoring reproduces scikit-learn's
TfidfVectorizer (lower case, tokens of two or more word characters, sublinear tf,
l2 norm) and the logistic function, so no artifact is loaded at run time.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from classifiers.non_school_model_weights import INTERCEPT, WEIGHTS

# scikit-learn's default token pattern.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
# Raise at or above this probability (the logistic regression's own decision point).
THRESHOLD = 0.5
_TOP_TERMS = 5
# A message of fewer words than this is too short for the word model alone: a few common
# words ("Yes, I'll have some.") then decide everything after the l2 norm.
MIN_WORDS = 6


@dataclass(frozen=True, slots=True)
class WordScore:
    """The model's probability that a message is not school-related, and its heaviest words."""

    score: float
    top_terms: tuple[str, ...]
    words: int = MIN_WORDS

    @property
    def raised(self) -> bool:
        return self.words >= MIN_WORDS and self.score >= THRESHOLD


def score_text(text: str) -> WordScore:
    """Score one message; unknown words weigh nothing."""
    tokens = _TOKEN.findall(text.lower())
    counts = Counter(tokens)
    values: dict[str, float] = {}
    for word, count in counts.items():
        known = WEIGHTS.get(word)
        if known is not None:
            values[word] = (1.0 + math.log(count)) * known[0]
    norm = math.sqrt(sum(value * value for value in values.values())) or 1.0
    contributions = {word: value / norm * WEIGHTS[word][1] for word, value in values.items()}
    logit = INTERCEPT + sum(contributions.values())
    score = 1.0 / (1.0 + math.exp(-logit))
    positive = sorted((c, w) for w, c in contributions.items() if c > 0)
    top = tuple(word for _, word in reversed(positive[-_TOP_TERMS:]))
    return WordScore(score, top, len(tokens))
