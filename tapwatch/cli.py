"""The `tapwatch` command line: parses arguments and hands each command its inputs."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
    live = ingest_kinds.add_parser("run", help="the live connectors of connectors.yaml")
    live.add_argument("--district", type=Path, required=True, metavar="DIR")
    live.add_argument(
        "--once", action="store_true", help="poll every endpoint once, then exit (2 if any failed)"
    )
    webhook = ingest_kinds.add_parser("webhook", help="receive Facebook page webhooks over HTTP")
    webhook.add_argument("--district", type=Path, required=True, metavar="DIR")
    webhook.add_argument("--host", default="127.0.0.1")
    webhook.add_argument("--port", type=int, default=8088)

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

    status = commands.add_parser(
        "status", help="each connector's and the mailer's last success, lag and error"
    )
    status.add_argument("--json", action="store_true", help="one JSON object per line")

    mail = commands.add_parser("mail", help="flag emails to principals and IT")
    mail_actions = mail.add_subparsers(dest="mail_action", required=True)
    mail_run = mail_actions.add_parser("run", help="run the mailer (one per pipeline)")
    mail_run.add_argument("--loglevel", default="info")

    _add_incident_commands(commands)
    _add_posts_commands(commands)
    kibana = commands.add_parser("kibana", help="the Kibana dashboard's saved objects")
    kibana_actions = kibana.add_subparsers(dest="kibana_action", required=True)
    kibana_import = kibana_actions.add_parser(
        "import", help="send the data view and dashboard to Kibana's saved objects import API"
    )
    kibana_import.add_argument("--url", required=True, help="Kibana's base URL")
    kibana_import.add_argument("--space", default=None, help="a Kibana space id (default space)")
    kibana_import.add_argument(
        "--overwrite", action="store_true", help="replace objects that already exist"
    )
    return parser


def _add_incident_commands(commands: Any) -> None:
    """`tapwatch incidents ...`: review of the alerts index (tapwatch/commands/incidents.py)."""
    incidents = commands.add_parser("incidents", help="review the alerts index")
    actions = incidents.add_subparsers(dest="incident_action", required=True)
    listing = actions.add_parser("list", help="list alerts (ids only; filters combine with AND)")
    listing.add_argument("--district-id")
    for name, what in (
        ("--building", "building (school org) sourcedId"),
        ("--staff", "staff sourcedId"),
        ("--student", "student sourcedId"),
        ("--rule", "rule id"),
        ("--status", "open, acknowledged, dismissed or escalated"),
        ("--platform", "platform name"),
        ("--severity", "low, medium or high"),
        ("--assignee", "assigned reviewer"),
    ):
        listing.add_argument(name, help=what)
    listing.add_argument("--since", help="event time from (ISO date or time; UTC if no offset)")
    listing.add_argument("--until", help="event time up to (a bare date includes that day)")
    listing.add_argument("--text", help="words that must all appear in the summary")
    listing.add_argument("--sort", default="event_time:desc", help="FIELD[:asc|desc]")
    listing.add_argument("--page", type=int, default=1)
    listing.add_argument("--size", type=int, default=100)
    output = listing.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="one JSON object per line")
    output.add_argument("--csv", action="store_true", help="CSV with a header row")

    show = actions.add_parser("show", help="an alert, its evidence, thread and history")
    show.add_argument("alert_id", metavar="ID")
    show.add_argument("--json", action="store_true")

    update = actions.add_parser("update", help="change an alert's status (audited)")
    update.add_argument("alert_id", metavar="ID")
    update.add_argument(
        "--status", required=True, choices=["acknowledged", "dismissed", "escalated"]
    )
    update.add_argument("--note", required=True)
    update.add_argument("--by", required=True, help="who makes the change")
    update.add_argument(
        "--reason",
        help="close reason, required with --status dismissed: false_positive, duplicate, "
        "benign_positive, policy_allowed, resolved, other",
    )
    assign = actions.add_parser("assign", help="assign an alert to a reviewer (audited)")
    assign.add_argument("alert_id", metavar="ID")
    assign.add_argument("--to", required=True)
    assign.add_argument("--by", required=True)
    assign.add_argument("--note")
    for name, what in (
        ("reopen", "set an alert back to open (audited)"),
        ("hold", "put an alert and its thread under legal hold (audited)"),
        ("release", "release an alert's legal hold (audited)"),
    ):
        change = actions.add_parser(name, help=what)
        change.add_argument("alert_id", metavar="ID")
        change.add_argument("--by", required=True)
        change.add_argument("--note", required=True)
    verify = actions.add_parser("verify", help="prove the audit chains unbroken (exit 1 if not)")
    verify.add_argument("--alert", metavar="ID", help="one alert's chain (default: all)")
    actions.add_parser(
        "anchor", help="anchor in Kafka the audit chains a failed anchor write left out"
    )
    export = actions.add_parser("export", help="a case file: alert, thread, history, chain check")
    export.add_argument("alert_id", metavar="ID")
    export.add_argument("--out", type=Path, metavar="FILE", help="JSON case file (default stdout)")
    export.add_argument("--markdown", type=Path, metavar="FILE", help="also a readable copy")
    export.add_argument("--by", help="who exports it (recorded in the case file)")


def _add_posts_commands(commands: Any) -> None:
    """`tapwatch posts purge`: retention of the posts index (tapwatch/commands/posts.py)."""
    posts = commands.add_parser("posts", help="the posts index")
    actions = posts.add_subparsers(dest="posts_action", required=True)
    purge = actions.add_parser(
        "purge", help="delete posts older than N days that no alert or legal hold keeps"
    )
    purge.add_argument("--older-than-days", type=int, help="default: TAPWATCH_POSTS_RETENTION_DAYS")
    purge.add_argument("--dry-run", action="store_true", help="print, delete nothing")
    purge.add_argument(
        "--every-hours",
        type=float,
        metavar="H",
        help="purge every H hours until stopped; health on the status board (`retention`)",
    )


def _incidents(args: argparse.Namespace) -> int:
    from tapwatch.commands import incidents

    action = args.incident_action
    if action == "list":
        try:
            spec = incidents.incident_filter(
                district_id=args.district_id,
                building=args.building,
                staff=args.staff,
                student=args.student,
                rule=args.rule,
                status=args.status,
                platform=args.platform,
                severity=args.severity,
                assignee=args.assignee,
                since=args.since,
                until=args.until,
                text=args.text,
                sort=args.sort,
                page=args.page,
                size=args.size,
            )
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        output = "json" if args.json else "csv" if args.csv else "table"
        return incidents.list_command(spec, output)
    if action == "show":
        return incidents.show_command(args.alert_id, args.json)
    if action == "update":
        return incidents.update_command(args.alert_id, args.status, args.note, args.by, args.reason)
    if action == "assign":
        return incidents.assign_command(args.alert_id, args.to, args.by, args.note)
    if action in ("reopen", "hold", "release"):
        change = {
            "reopen": incidents.reopen_command,
            "hold": incidents.hold_command,
            "release": incidents.release_command,
        }[action]
        return change(args.alert_id, args.by, args.note)
    if action == "verify":
        return incidents.verify_command(args.alert)
    if action == "anchor":
        return incidents.anchor_command()
    return incidents.export_command(args.alert_id, args.out, args.markdown, args.by)


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
    if args.command == "ingest" and args.ingest_kind == "webhook":
        from tapwatch.commands.webhook import run_webhook

        return run_webhook(args.district, args.host, args.port)
    if args.command == "ingest" and args.ingest_kind == "run":
        from tapwatch.commands.connectors import run_connectors

        return run_connectors(args.district, args.once)
    if args.command == "ingest":
        from tapwatch.commands.ingest import ingest_file_command

        return ingest_file_command(
            args.district, args.platform, args.files, args.wait, args.timeout
        )
    if args.command == "classifiers":
        from classifiers.content.artifact import DEFAULT_MODEL_DIR
        from core.settings import ModelSettings
        from tapwatch.commands import classifiers

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
    if args.command == "status":
        from tapwatch.commands.status import show_status

        return show_status(args.json)
    if args.command == "incidents":
        return _incidents(args)
    if args.command == "posts":
        from tapwatch.commands.posts import purge_command

        return purge_command(args.older_than_days, args.dry_run, args.every_hours)
    if args.command == "mail":
        from tapwatch.commands.mail import run_mail

        return run_mail(args.loglevel)
    if args.command == "kibana":
        from tapwatch.commands.kibana import import_objects

        return import_objects(args.url, args.space, args.overwrite)
    raise AssertionError(f"unhandled command {args.command}")


if __name__ == "__main__":
    raise SystemExit(main())
