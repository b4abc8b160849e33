"""Reading labeled texts from disk: dataset splits, the staff-post set, the identity templates."""

# Two dataset layouts are understood (see shared/datasets/*/PROVENANCE.md):
# - TweetEval: `{split}_text.txt` and `{split}_labels.txt`, one item per "\n"-separated line;
# - CSV (Davidson): `{split}.csv` with a header holding `label` and `tweet` (or `text`).
# Label 1 is offensive, 0 is clean.

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from classifiers.content.errors import DatasetError

SPLITS = ("train", "val", "test")


@dataclass(frozen=True, eq=False)
class LabeledTexts:
    """Texts with their gold labels (1 offensive, 0 clean), and the files they came from."""

    texts: tuple[str, ...]
    labels: npt.NDArray[np.int64]
    files: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        if len(self.texts) != len(self.labels):
            raise DatasetError(f"{len(self.texts)} texts but {len(self.labels)} labels")

    def __len__(self) -> int:
        return len(self.texts)

    @staticmethod
    def concat(parts: list[LabeledTexts]) -> LabeledTexts:
        return LabeledTexts(
            texts=tuple(t for part in parts for t in part.texts),
            labels=np.concatenate([part.labels for part in parts]).astype(np.int64),
            files=tuple(f for part in parts for f in part.files),
        )


def _lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def _label(value: str, where: str) -> int:
    if value.strip() not in {"0", "1"}:
        raise DatasetError(f"{where}: label {value!r} is not 0 or 1")
    return int(value)


def _tweeteval(folder: Path, split: str) -> LabeledTexts:
    text_file, label_file = folder / f"{split}_text.txt", folder / f"{split}_labels.txt"
    texts, labels = _lines(text_file), _lines(label_file)
    if len(texts) != len(labels):
        raise DatasetError(f"{text_file}: {len(texts)} lines but {label_file} has {len(labels)}")
    values = [_label(v, f"{label_file}:{n}") for n, v in enumerate(labels, 1)]
    return LabeledTexts(tuple(texts), np.array(values, dtype=np.int64), (text_file, label_file))


def _csv(folder: Path, split: str) -> LabeledTexts:
    path = folder / f"{split}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        column = "tweet" if "tweet" in fields else "text"
        if "label" not in fields or column not in fields:
            raise DatasetError(f"{path}: needs a 'label' and a 'tweet' or 'text' column")
        rows = [
            (row[column], _label(row["label"], f"{path}:{n}")) for n, row in enumerate(reader, 2)
        ]
    return LabeledTexts(
        tuple(text for text, _ in rows), np.array([v for _, v in rows], dtype=np.int64), (path,)
    )


def load_split(folder: Path, split: str) -> LabeledTexts:
    """One split of a dataset folder, in whichever layout the folder uses."""
    if split not in SPLITS:
        raise DatasetError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    if (folder / f"{split}_text.txt").is_file():
        return _tweeteval(folder, split)
    if (folder / f"{split}.csv").is_file():
        return _csv(folder, split)
    raise DatasetError(f"{folder}: no {split}_text.txt/{split}_labels.txt and no {split}.csv")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _jsonl(path: Path) -> list[dict[str, object]]:
    rows = []
    for n, line in enumerate(_lines(path), 1):
        if line.strip():
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise DatasetError(f"{path}:{n}: expected an object with a 'text' string")
            rows.append(row)
    return rows


def load_staff_posts(path: Path) -> LabeledTexts:
    """The labeled staff-post set (JSON lines with `text` and `label`)."""
    rows = _jsonl(path)
    labels = [_label(str(row.get("label")), f"{path}:{n}") for n, row in enumerate(rows, 1)]
    return LabeledTexts(
        tuple(str(row["text"]) for row in rows), np.array(labels, dtype=np.int64), (path,)
    )


@dataclass(frozen=True, slots=True)
class IdentityText:
    """A neutral sentence that mentions one identity term."""

    term: str
    text: str


def load_identity_texts(path: Path) -> list[IdentityText]:
    """The bias templates (JSON lines with `term` and `text`, all clean)."""
    return [IdentityText(str(row["term"]), str(row["text"])) for row in _jsonl(path)]
