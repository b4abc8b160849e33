"""Looking a batch's terms up in a vocabulary: (row, term id) of every known term."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import chain, repeat

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


def known_terms(
    per_doc: Sequence[Sequence[str]], index: Mapping[str, int]
) -> tuple[IntArray, IntArray]:
    """The row and vocabulary id of each term of each row that the vocabulary knows."""
    lengths = np.fromiter(map(len, per_doc), dtype=np.int64, count=len(per_doc))
    flat = list(chain.from_iterable(per_doc))
    ids = np.fromiter(map(index.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
    rows = np.repeat(np.arange(len(per_doc), dtype=np.int64), lengths)
    known = ids >= 0
    return rows[known], ids[known]
