"""`tapwatch classifiers train|eval|predict`: the content model's training, benchmark and probe."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from classifiers.content.artifact import load_model, save_heads, save_model
from classifiers.content.bge_graph import DEFAULT_JAR, ENCODER_BGE_FILE, write_bge_encoder
from classifiers.content.category_eval import category_report, counts
from classifiers.content.category_training import fit_reading_heads
from classifiers.content.datasets import (
    LabeledTexts,
    load_split,
    load_staff_posts,
    sha256_of,
)
from classifiers.content.decision import raised
from classifiers.content.encoder_graph import ENCODER_FILE, write_encoder
from classifiers.content.errors import ArtifactError, DatasetError
from classifiers.content.metrics import binary_metrics
from classifiers.content.minilm_table import model_dir as minilm_model_dir
from classifiers.content.model import ContentModel
from classifiers.content.reading_heads import ReadingHeads
from classifiers.content.sentence_encoder import SentenceEncoder
from classifiers.content.staff_set import StaffRow, load_staff_set, split_rows
from classifiers.content.training import TrainingParams, train_model
from tapwatch.exit_codes import ExitCode

# The labeled staff posts the operating threshold is chosen on (precision first).
DEFAULT_STAFF_POSTS = Path(__file__).resolve().parents[2] / "tests" / "data" / "staff_posts.jsonl"
# The staff-conduct set the category heads are fitted (train) and tuned (val) on.
DEFAULT_STAFF_CATEGORIES = DEFAULT_STAFF_POSTS.with_name("staff_categories.jsonl")
# `predict` classifies stdin in batches of this many lines.
PREDICT_BATCH = 1024
# `eval` times the whole split this many times and reports the median.
EVAL_TIMING_RUNS = 3


def _provenance(parts: Iterable[LabeledTexts]) -> dict[str, object]:
    files = sorted({path.resolve() for part in parts for path in part.files})
    return {"data_files": {str(path): sha256_of(path) for path in files}}


def train(
    datasets: list[Path],
    out: Path,
    seed: int,
    staff_posts: Path | None = None,
    staff_categories: Path | None = None,
    bge_jar: Path = DEFAULT_JAR,
) -> int:
    """Fit on every dataset's train split; tune on the first one's val split; write `out`.

    With `staff_categories`, the reading heads (reading_heads.py) are fitted on its train
    and val splits and written beside the model, the encoder graphs into `out` first
    (bge's from `bge_jar`).
    """
    started = time.perf_counter()
    try:
        trains = [load_split(folder, "train") for folder in datasets]
        val = load_split(datasets[0], "val")
        staff = load_staff_posts(staff_posts) if staff_posts is not None else None
        staff_set = load_staff_set(staff_categories) if staff_categories is not None else None
    except (DatasetError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.DATA
    parts = [*trains, val, *([staff] if staff is not None else [])]
    provenance = {
        **_provenance(parts),
        "datasets": [str(folder) for folder in datasets],
        "tuned_on": f"{datasets[0]}:val",
    }
    params = replace(TrainingParams(), seed=seed)
    model = train_model(LabeledTexts.concat(trains), val, params, staff, provenance)
    save_model(model, out)
    if staff_set is not None and staff_categories is not None:
        data_sha256 = {"data_sha256": sha256_of(staff_categories)}
        heads = _reading_heads(model, staff_set, out, seed, bge_jar)
        save_heads(replace(heads, metadata={**heads.metadata, **data_sha256}), model, out)
        print(
            f"reading heads fitted on {staff_categories} (train and val, thresholds cross-fitted)"
        )
    meta = model.metadata
    val_metrics = meta["val_metrics"]
    print(f"model {model.version} written to {out}")
    print(f"trained on {meta['train_rows']} rows in {time.perf_counter() - started:.1f} s")
    print(f"val macro-F1 {val_metrics['macro_f1']:.4f} at threshold {model.threshold:.4f}")
    if "staff_metrics" in meta:
        staff_metrics = meta["staff_metrics"]
        print(
            f"staff posts: precision {staff_metrics['precision']:.3f}, recall "
            f"{staff_metrics['recall']:.3f} at operating threshold {model.operating_threshold:.4f}"
        )
    return 0


def _reading_heads(
    model: ContentModel, staff_set: list[StaffRow], out: Path, seed: int, bge_jar: Path
) -> ReadingHeads:
    """The encoder graphs built into `out` (MiniLM's from its package, bge's from its
    Maven jar), and the reading heads."""
    started = time.perf_counter()
    digests = {
        ENCODER_FILE: write_encoder(minilm_model_dir(), out),
        ENCODER_BGE_FILE: write_bge_encoder(bge_jar, out),
    }
    encoder = SentenceEncoder.from_folder(out, list(digests))
    reading = fit_reading_heads(model, staff_set, encoder, digests, seed)
    print(f"sentence encoders built and read in {time.perf_counter() - started:.1f} s")
    return reading


def _timed_batch(model: ContentModel, texts: tuple[str, ...]) -> float:
    """Median seconds to classify all texts in one batch (categories and terms included)."""
    runs = []
    for _ in range(EVAL_TIMING_RUNS):
        started = time.perf_counter()
        model.classify_batch(texts, threshold=model.threshold)
        runs.append(time.perf_counter() - started)
    return sorted(runs)[len(runs) // 2]


def evaluate(dataset: Path, split: str, model: Path) -> int:
    """Print the model's metrics on a split at its validation threshold; the last line is JSON."""
    try:
        loaded = load_model(model)
        data = load_split(dataset, split)
    except (ArtifactError, DatasetError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.DATA
    scores = loaded.scores(data.texts)
    result = binary_metrics(data.labels, scores >= loaded.threshold)
    seconds = _timed_batch(loaded, data.texts)
    texts_per_s = len(data) / seconds if seconds > 0 else float("inf")
    print(f"model      {loaded.version} (threshold {loaded.threshold:.4f})")
    print(f"data       {dataset} [{split}], {len(data)} texts")
    print(f"accuracy   {result.accuracy:.4f}")
    print(f"precision  {result.precision:.4f}  (offensive class)")
    print(f"recall     {result.recall:.4f}")
    print(f"f1         {result.f1:.4f}")
    print(f"macro-F1   {result.macro_f1:.4f}")
    print(f"texts/s    {texts_per_s:.0f}  (one batch, median of {EVAL_TIMING_RUNS})")
    summary = {
        "macro_f1": round(result.macro_f1, 4),
        "precision": round(result.precision, 4),
        "recall": round(result.recall, 4),
        "f1": round(result.f1, 4),
        "texts_per_s": round(texts_per_s, 1),
        "accuracy": round(result.accuracy, 4),
        "n": result.n,
        "model_version": loaded.version,
    }
    print(json.dumps(summary))
    return 0


def _batches(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        batch.append(line.rstrip("\n").removesuffix("\r"))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def predict(model: Path, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """One JSON object per stdin line: score, label, category, top terms."""
    source, sink = stdin or sys.stdin, stdout or sys.stdout
    try:
        loaded = load_model(model)
    except ArtifactError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.DATA
    for batch in _batches(source, PREDICT_BATCH):
        for prediction in loaded.classify_batch(batch, explain_clean=True):
            sink.write(json.dumps(prediction.as_dict(), ensure_ascii=False) + "\n")
        sink.flush()
    return 0


def evaluate_categories(dataset: Path, split: str, model: Path, group_prefix: str = "") -> int:
    """Per-category precision and recall on a staff-set split (only the rows whose topic
    group starts with `group_prefix`, e.g. one writing round, when given); the last line
    is JSON."""
    try:
        loaded = load_model(model)
        rows = split_rows(load_staff_set(dataset), split, group_prefix)
    except (ArtifactError, DatasetError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.DATA
    if not rows:
        print(f"error: {dataset}: no {split} rows in groups {group_prefix}*", file=sys.stderr)
        return ExitCode.DATA
    if loaded.heads is None:
        print(f"error: {model}: no category heads; retrain the model", file=sys.stderr)
        return ExitCode.DATA
    predictions = loaded.classify_batch([row.text for row in rows], every_category=True)
    report = category_report(rows, [p.categories for p in predictions])
    worker = [
        (bool(row.categories), bool(raised(p))) for row, p in zip(rows, predictions, strict=True)
    ]
    report["worker"] = counts(worker).as_dict()
    heads_version = loaded.heads.metadata.get("version")
    print(f"model      {loaded.version}, heads {heads_version}")
    only = f", groups {group_prefix}*" if group_prefix else ""
    print(f"data       {dataset} [{split}{only}], {len(rows)} posts")
    print(f"{'category':<20}{'precision':>10}{'recall':>8}{'support':>9}{'false+':>8}")
    for name, line in report.items():
        print(
            f"{name:<20}{line['precision']:>10.3f}{line['recall']:>8.3f}"
            f"{line['support']:>9}{line['false_positives']:>8}"
        )
    print(
        "offensive: profanity, threats, sexual remarks and bigotry together; any: flagged by a"
        " category head; worker: what the worker raises (heads or model)"
    )
    versions = {"model_version": loaded.version, "heads_version": heads_version}
    scope = {"split": split, "group_prefix": group_prefix, "n": len(rows)}
    print(json.dumps({**scope, **versions, **report}))
    return 0
