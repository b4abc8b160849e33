"""The `tapwatch` command line: parses arguments and hands each command its inputs."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from pathlib import Path

# Default of `ingest file --wait`: how long to wait for the workers (seconds).
DEFAULT_WAIT_TIMEOUT_S = 300.0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tapwatch", description="District social-media policy monitoring."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    stack = commands.add_parser("stack", help="the local Kafka, Elasticsearch and SMTP servers")
    stack.add_argument("action", choices=["up", "down", "status"])

    district = commands.add_parser("district", help="check or load a district folder")
    district.add_argument("action", choices=["check", "load"])
    district.add_argument("folder", type=Path, metavar="DIR")

    worker = commands.add_parser("worker", help="run one pipeline worker (Faust)")
    worker.add_argument("--loglevel", default="info")

    ingest = commands.add_parser("ingest", help="ingest platform posts")
    ingest_kinds = ingest.add_subparsers(dest="ingest_kind", required=True)
    from_file = ingest_kinds.add_parser("file", help="platform API responses saved as JSON")
    from_file.add_argument("--district", type=Path, required=True, metavar="DIR")
    from_file.add_argument("--platform", required=True)
    from_file.add_argument("files", type=Path, nargs="+", metavar="FILE")
    from_file.add_argument(
        "--wait", action="store_true", help="return when every post went through the pipeline"
    )
    from_file.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_WAIT_TIMEOUT_S,
        help="seconds --wait may take (default %(default)s)",
    )

    models = commands.add_parser("classifiers", help="the inappropriate-content classifier")
    model_actions = models.add_subparsers(dest="classifier_action", required=True)
    train = model_actions.add_parser("train", help="train and write a versioned model artifact")
    train.add_argument(
        "--dataset",
        type=Path,
        action="append",
        required=True,
        metavar="DIR",
        help="a labeled dataset folder; the first one's val split tunes",
    )
    train.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="artifact folder (default: TAPWATCH_CONTENT_MODEL or models/content)",
    )
    train.add_argument("--seed", type=int, default=0)
    train.add_argument(
        "--staff-posts",
        type=Path,
        default=None,
        metavar="FILE",
        help="labeled staff posts that choose the operating threshold",
    )
    evaluate = model_actions.add_parser("eval", help="score a model on a dataset split")
    evaluate.add_argument("--dataset", type=Path, required=True, metavar="DIR")
    evaluate.add_argument("--split", default="test", choices=["train", "val", "test"])
    evaluate.add_argument("--model", type=Path, default=None, metavar="DIR")
    predict = model_actions.add_parser("predict", help="classify one text per stdin line")
    predict.add_argument("--model", type=Path, default=None, metavar="DIR")

    rules = commands.add_parser("rules", help="the policy rules")
    rule_actions = rules.add_subparsers(dest="rule_action", required=True)
    explain = rule_actions.add_parser(
        "explain", help="every rule's decision on each post of a file, and why (no servers)"
    )
    explain.add_argument("--district", type=Path, required=True, metavar="DIR")
    explain.add_argument("--platform", required=True)
    explain.add_argument("files", type=Path, nargs="+", metavar="FILE")

    incidents = commands.add_parser("incidents", help="review the alerts index")
    incident_actions = incidents.add_subparsers(dest="incident_action", required=True)
    listing = incident_actions.add_parser("list", help="list alerts")
    listing.add_argument("--district-id")
    listing.add_argument("--rule")
    listing.add_argument("--size", type=int, default=100)
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    # Client libraries log every refused connection; commands report failures themselves.
    for noisy in ("kafka", "elastic_transport", "aiokafka"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    # Imports are per command so that `tapwatch stack up` works before Kafka clients load.
    if args.command == "stack":
        from deploy import stack

        actions = {"up": stack.stack_up, "down": stack.stack_down, "status": stack.stack_status}
        return actions[args.action]()
    if args.command == "district":
        from tapwatch.commands import district

        return district.check(args.folder) if args.action == "check" else district.load(args.folder)
    if args.command == "worker":
        from tapwatch.commands.worker import run_worker

        return run_worker(args.loglevel)
    if args.command == "ingest":
        from tapwatch.commands.ingest import ingest_file_command

        return ingest_file_command(
            args.district, args.platform, args.files, args.wait, args.timeout
        )
    if args.command == "classifiers":
        from classifiers.content.artifact import DEFAULT_MODEL_DIR
        from tapwatch.commands import classifiers
        from tapwatch.settings import ModelSettings

        default_model = ModelSettings().content_model or DEFAULT_MODEL_DIR
        if args.classifier_action == "train":
            staff_posts = args.staff_posts or classifiers.DEFAULT_STAFF_POSTS
            return classifiers.train(
                args.dataset, args.out or default_model, args.seed, staff_posts
            )
        if args.classifier_action == "eval":
            return classifiers.evaluate(args.dataset, args.split, args.model or default_model)
        return classifiers.predict(args.model or default_model)
    if args.command == "rules":
        from tapwatch.commands.rules import explain

        return explain(args.district, args.platform, args.files)
    if args.command == "incidents":
        from tapwatch.commands.incidents import list_incidents

        return list_incidents(args.district_id, args.rule, args.json, args.size)
    raise AssertionError(f"unhandled command {args.command}")


if __name__ == "__main__":
    raise SystemExit(main())
