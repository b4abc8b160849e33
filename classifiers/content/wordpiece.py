"""BERT's uncased WordPiece tokenizer, as all-MiniLM-L6-v2 was trained with (pure code)."""

# Used twice: for single words (the static word vectors, minilm_table.py) and for whole
# texts (the sentence encoder's input ids, sentence_encoder.py). The steps are BERT's
# basic tokenizer (control characters dropped, split on whitespace, lower-cased, accents
# stripped, punctuation and CJK characters split off) and greedy longest-match-first
# wordpieces, with [UNK] for a word that cannot be split.

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

# Characters per word beyond which BERT's tokenizer gives up ([UNK]).
_MAX_WORD_CHARS = 100
# Whitespace BERT treats as such although Unicode calls it a control character.
_WHITESPACE_CONTROLS = frozenset("\t\n\r")


def read_vocab(path: Path) -> dict[str, int]:
    """vocab.txt: one token per line, its row number its id."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return {token: row for row, token in enumerate(lines) if token}


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2FA1F
        or 0xF900 <= code <= 0xFAFF
    )


def _basic_pieces(word: str) -> list[str]:
    """BERT's basic tokenizer on one word: accents stripped, punctuation split off."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", word.lower()) if unicodedata.category(c) != "Mn"
    )
    pieces, current = [], ""
    for char in stripped:
        if _is_punctuation(char) or _is_cjk(ord(char)):
            pieces.extend([current, char] if current else [char])
            current = ""
        else:
            current += char
    return [*pieces, current] if current else pieces


def wordpiece_ids(word: str, vocab: dict[str, int]) -> list[int]:
    """Greedy longest-match-first wordpieces of one word ([UNK] when it cannot be split)."""
    ids: list[int] = []
    for piece in _basic_pieces(word):
        if len(piece) > _MAX_WORD_CHARS:
            ids.append(vocab["[UNK]"])
            continue
        found, start = [], 0
        while start < len(piece):
            end = len(piece)
            while end > start:
                candidate = piece[start:end] if start == 0 else "##" + piece[start:end]
                if candidate in vocab:
                    found.append(vocab[candidate])
                    break
                end -= 1
            if end == start:
                found = [vocab["[UNK]"]]
                break
            start = end
        ids.extend(found)
    return ids


def _clean(text: str) -> str:
    """Control and format characters dropped, other whitespace made a space (BERT's rule)."""
    kept = []
    for char in text:
        if char in _WHITESPACE_CONTROLS:
            kept.append(" ")
        elif char == "\x00" or char == "\ufffd" or unicodedata.category(char) in ("Cc", "Cf"):
            continue
        else:
            kept.append(char)
    return "".join(kept)


class TextTokenizer:
    """Whole texts to input ids: [CLS], the wordpieces (cut at `max_tokens` in all), [SEP]."""

    def __init__(
        self, vocab: dict[str, int], max_tokens: int = 128, cache_words: int = 65536
    ) -> None:
        if max_tokens < 3:
            raise ValueError("max_tokens must leave room for [CLS], a piece and [SEP]")
        self.vocab = vocab
        self.max_tokens = max_tokens
        self._cls, self._sep = vocab["[CLS]"], vocab["[SEP]"]
        # Staff posts repeat their words: each word is split once per process.
        self._pieces = lru_cache(maxsize=cache_words)(self._word_ids)

    def _word_ids(self, word: str) -> tuple[int, ...]:
        return tuple(wordpiece_ids(word, self.vocab))

    def ids(self, text: str) -> list[int]:
        pieces: list[int] = []
        room = self.max_tokens - 2
        for word in _clean(text).split():
            pieces.extend(self._pieces(word))
            if len(pieces) >= room:
                break
        return [self._cls, *pieces[:room], self._sep]
