"""`python -m bench.classifier`: content model quality, one-core speed, staff and bias figures."""

# Prints tables, then as its last line one JSON object (macro_f1, texts_per_s, then more keys).
# BLAS and OpenMP pools are limited to one thread before numpy loads; every speed is the
# median of --repeats timed runs of one batch, after one untimed warm-up run (whose
# speed is reported as the cold figure).

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from bench.synthetic import BASE_TIME, DISTRICT_ID, PLATFORM, STAFF_AYERS  # noqa: E402
from classifiers.content.artifact import DEFAULT_MODEL_DIR, load_model  # noqa: E402
from classifiers.content.datasets import (  # noqa: E402
    LabeledTexts,
    load_identity_texts,
    load_split,
    load_staff_posts,
)
from classifiers.content.decision import raised  # noqa: E402
from classifiers.content.detector import ContentDetector  # noqa: E402
from classifiers.content.metrics import binary_metrics, false_positive_rates  # noqa: E402
from classifiers.content.model import ContentModel  # noqa: E402
from classifiers.content.training import TrainingParams, train_model  # noqa: E402
from ingest.post import Post, PostKind  # noqa: E402
from policy.context import DistrictContext  # noqa: E402
from policy.loader import load_district  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATASETS = REPO.parent / "shared" / "datasets"
TWEETEVAL = DATASETS / "tweeteval_offensive"
DAVIDSON = DATASETS / "davidson_hate_offensive"
STAFF_POSTS = REPO / "tests" / "data" / "staff_posts.jsonl"
IDENTITY_TERMS = REPO / "tests" / "data" / "identity_terms.jsonl"
SAMPLE_DISTRICT = REPO / "samples" / "district"
TARGET_MACRO_F1 = 0.80
TARGET_TEXTS_PER_S = 5_000
MAX_IDENTITY_FPR = 0.05
# TweetEval offensive test macro-F1 from shared/datasets/BASELINES.md (measured or published).
BASELINES = (
    ("TF-IDF(word1-2+char2-5)+LR, measured here", 0.7281, "2.6k-4.2k"),
    ("TF-IDF+LR class-balanced, measured here", 0.7466, "2.6k-4.6k"),
    ("alt-profanity-check 1.9.1, measured here", 0.7320, "32k-57k"),
    ("RoBERTa-base (Barbieri et al. 2020)", 0.795, "-"),
    ("RoBERTa-RT, authors' predictions scored here", 0.8155, "-"),
    ("TimeLMs-2021 (TweetEval leaderboard)", 0.822, "-"),
)


def _speed(run: Callable[[], object], items: int, repeats: int) -> tuple[float, float]:
    """(cold, warm median) items per second: one first run, then `repeats` timed runs."""
    started = time.perf_counter()
    run()
    cold = items / (time.perf_counter() - started)
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        runs.append(time.perf_counter() - started)
    return cold, items / statistics.median(runs)


def _posts(texts: Sequence[str]) -> list[Post]:
    return [
        Post(
            DISTRICT_ID,
            PLATFORM,
            str(1_990_000_000 + i),
            PostKind.POST,
            STAFF_AYERS,
            BASE_TIME,
            text,
            str(1_990_000_000 + i),
        )
        for i, text in enumerate(texts)
    ]


def _train(datasets: list[Path], seed: int) -> tuple[ContentModel, float]:
    started = time.perf_counter()
    trains = [load_split(folder, "train") for folder in datasets]
    model = train_model(
        LabeledTexts.concat(trains),
        load_split(datasets[0], "val"),
        TrainingParams(seed=seed),
        load_staff_posts(STAFF_POSTS),
    )
    return model, time.perf_counter() - started


@dataclass(frozen=True)
class Quality:
    """Scalar figures, and the identity-term false-positive rates at both thresholds."""

    figures: dict[str, float]
    fpr: dict[str, float]
    fpr_at_val_threshold: dict[str, float]
    # What the worker raises (category heads or the model), when the model has heads.
    fpr_worker: dict[str, float]


def _rates(model: ContentModel, threshold: float) -> dict[str, float]:
    identity = load_identity_texts(IDENTITY_TERMS)
    flagged = model.scores([row.text for row in identity]) >= threshold
    return {r.group: r.rate for r in false_positive_rates([r.term for r in identity], flagged)}


def _worker_rates(model: ContentModel) -> dict[str, float]:
    """Identity-term false-positive rates of what the worker raises (category heads or model)."""
    identity = load_identity_texts(IDENTITY_TERMS)
    flagged = np.array([bool(raised(p)) for p in model.classify_batch([r.text for r in identity])])
    return {r.group: r.rate for r in false_positive_rates([r.term for r in identity], flagged)}


def _quality(model: ContentModel) -> Quality:
    test = load_split(TWEETEVAL, "test")
    result = binary_metrics(test.labels, model.scores(test.texts) >= model.threshold)
    staff = load_staff_posts(STAFF_POSTS)
    at_op = binary_metrics(staff.labels, model.scores(staff.texts) >= model.operating_threshold)
    fpr, val_fpr = _rates(model, model.operating_threshold), _rates(model, model.threshold)
    worker_fpr = _worker_rates(model) if model.heads is not None else {}
    crossfit = model.metadata.get("staff_crossfit", {})
    figures = {
        **{f"test_{k}": float(v) for k, v in result.as_dict().items()},
        "staff_precision": at_op.precision,
        "staff_recall": at_op.recall,
        "staff_crossfit_precision": float(crossfit.get("precision", -1)),
        "staff_crossfit_recall": float(crossfit.get("recall", -1)),
        "val_macro_f1": float(model.metadata["val_metrics"]["macro_f1"]),
        "max_identity_fpr": max(fpr.values()),
        "max_identity_fpr_at_val_threshold": max(val_fpr.values()),
    }
    if worker_fpr:
        figures["max_identity_fpr_worker"] = max(worker_fpr.values())
    return Quality(figures, fpr, val_fpr, worker_fpr)


def _speeds(model: ContentModel, repeats: int) -> dict[str, float]:
    texts = load_split(TWEETEVAL, "test").texts
    context = DistrictContext(load_district(SAMPLE_DISTRICT))
    posts = _posts(texts)
    detector = ContentDetector(model)
    figures = {
        "scores": _speed(lambda: model.scores(texts), len(texts), repeats),
        "classify": _speed(
            lambda: model.classify_batch(texts, threshold=model.threshold), len(texts), repeats
        ),
        "detector": _speed(
            lambda: detector.detect_batch(posts, [context] * len(posts)), len(posts), repeats
        ),
        "one_by_one": _speed(lambda: [model.classify(t) for t in texts[:300]], 300, 1),
    }
    out: dict[str, float] = {}
    for name, (cold, warm) in figures.items():
        out[f"{name}_per_s"], out[f"{name}_cold_per_s"] = round(warm, 1), round(cold, 1)
    return out


def _staff_breakdown(model: ContentModel) -> list[tuple[str, int, int]]:
    rows = [json.loads(line) for line in STAFF_POSTS.read_text(encoding="utf-8").splitlines()]
    flagged = model.scores([row["text"] for row in rows]) >= model.operating_threshold
    kinds: dict[str, list[int]] = {}
    for row, hit in zip(rows, flagged.tolist(), strict=True):
        label = "offensive" if row["label"] else "clean"
        tally = kinds.setdefault(f"{row['kind']} ({label})", [0, 0])
        tally[0] += int(hit)
        tally[1] += 1
    return [(kind, hits, total) for kind, (hits, total) in sorted(kinds.items())]


def _report(
    name: str, model: ContentModel, scored: Quality, speeds: dict[str, float], train_s: float | None
) -> None:
    quality = scored.figures
    print(f"\n== {name}: {model.version}" + (f", trained in {train_s:.1f} s" if train_s else ""))
    print(
        f"TweetEval test: macro-F1 {quality['test_macro_f1']:.4f}  accuracy "
        f"{quality['test_accuracy']:.4f}  P {quality['test_precision']:.4f}  R "
        f"{quality['test_recall']:.4f}  F1 {quality['test_f1']:.4f}  (val macro-F1 "
        f"{quality['val_macro_f1']:.4f}, threshold {model.threshold:.4f})"
    )
    for key in ("scores", "classify", "detector", "one_by_one"):
        if f"{key}_per_s" in speeds:
            print(
                f"  {key:<11} {speeds[f'{key}_per_s']:>9.0f} texts/s  "
                f"(cold {speeds[f'{key}_cold_per_s']:.0f})"
            )
    print(
        f"staff posts at operating threshold {model.operating_threshold:.4f}: precision "
        f"{quality['staff_precision']:.3f} recall {quality['staff_recall']:.3f}; chosen on one "
        f"half, measured on the other: precision {quality['staff_crossfit_precision']:.3f} "
        f"recall {quality['staff_crossfit_recall']:.3f}"
    )
    for kind, hits, total in _staff_breakdown(model):
        print(f"  {kind:<36} flagged {hits:>3}/{total}")
    print("identity-term false-positive rate: operating threshold / val threshold / worker")
    for term, rate in scored.fpr.items():
        worker = scored.fpr_worker.get(term)
        shown = f" / {worker:.3f}" if worker is not None else ""
        print(f"  {term:<18} {rate:.3f} / {scored.fpr_at_val_threshold[term]:.3f}{shown}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.classifier", description=__doc__)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--train", action="store_true", help="train in memory instead of loading")
    parser.add_argument(
        "--compare-davidson",
        action="store_true",
        help="also train on TweetEval + Davidson and report it beside",
    )
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    train_s = None
    if args.train:
        model, train_s = _train([TWEETEVAL], args.seed)
    else:
        model = load_model(args.model)
    print(
        "texts/s: scores = score only; classify = label + category + top terms of the "
        "flagged; detector = staff posts through ContentDetector.detect_batch; one_by_one "
        "= classify() per text",
        file=sys.stderr,
    )
    scored, speeds = _quality(model), _speeds(model, args.repeats)
    quality = scored.figures
    _report("TweetEval only (default)", model, scored, speeds, train_s)
    extra: dict[str, float] = {}
    if args.compare_davidson:
        both, both_s = _train([TWEETEVAL, DAVIDSON], args.seed)
        both_scored = _quality(both)
        _report("TweetEval + Davidson", both, both_scored, {}, both_s)
        extra = {f"with_davidson_{k}": round(v, 4) for k, v in both_scored.figures.items()}
    print("\nbaselines (TweetEval offensive test macro-F1, texts/s batch):")
    for name, value, speed in BASELINES:
        print(f"  {name:<46} {value:.4f}  {speed}")
    summary = {
        "macro_f1": round(quality["test_macro_f1"], 4),
        "texts_per_s": speeds["classify_per_s"],
        **{k: round(v, 4) for k, v in quality.items()},
        **speeds,
        **extra,
        "model_version": model.version,
        "meets_macro_f1_target": quality["test_macro_f1"] >= TARGET_MACRO_F1,
        "meets_speed_target": speeds["classify_per_s"] >= TARGET_TEXTS_PER_S,
        "meets_bias_target": quality["max_identity_fpr"] < MAX_IDENTITY_FPR,
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
