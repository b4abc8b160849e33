"""`tapwatch ingest file|run|webhook`: posts into the pipeline."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command, add_district_option, add_json_option
from tapwatch.commands.args.choices import platforms

# Default of `ingest file --wait`: how long to wait for the workers (seconds).
DEFAULT_WAIT_TIMEOUT_S = 300.0

if TYPE_CHECKING:
    from tapwatch.commands.args import SubCommands


def register(commands: SubCommands) -> None:
    ingest = add_command(commands, "ingest", "ingest platform posts", [])
    kinds = ingest.add_subparsers(dest="ingest_kind", required=True, metavar="KIND")
    _register_file(kinds)
    live = add_command(
        kinds,
        "run",
        "the live connectors of the district's connectors.yaml",
        [
            "tapwatch ingest run --district samples/district",
            "tapwatch ingest run --district samples/district --once",
        ],
        _run_live,
    )
    add_district_option(live)
    live.add_argument(
        "--once",
        action="store_true",
        help="poll every endpoint once, then exit (69 if any platform API failed)",
    )
    webhook = add_command(
        kinds,
        "webhook",
        "receive Facebook page webhooks over HTTP",
        ["tapwatch ingest webhook --district samples/district --host 0.0.0.0 --port 8088"],
        _run_webhook,
    )
    add_district_option(webhook)
    webhook.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default %(default)s)"
    )
    webhook.add_argument(
        "--port", type=int, default=8088, help="port to listen on (default %(default)s)"
    )


def _register_file(kinds: SubCommands) -> None:
    parser = add_command(
        kinds,
        "file",
        "platform API responses saved as JSON",
        [
            "tapwatch ingest file --district samples/district --platform twitter "
            "samples/x/timeline.jsonl",
            "tapwatch ingest file --district samples/district --platform twitter --wait "
            "samples/x/*.jsonl",
        ],
        _run_file,
    )
    add_district_option(parser)
    parser.add_argument(
        "--platform",
        required=True,
        choices=platforms(),
        metavar="PLATFORM",
        help="the platform whose API wrote the files: %(choices)s",
    )
    parser.add_argument(
        "files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="response files (.json, .jsonl), e.g. samples/x/timeline.jsonl",
    )
    parser.add_argument(
        "--wait", action="store_true", help="return when every post went through the pipeline"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_WAIT_TIMEOUT_S,
        metavar="S",
        help="seconds --wait may take, e.g. 60 (default %(default)s)",
    )
    add_json_option(parser, "one JSON object per file (posts, refused, skipped)")


def _run_file(args: argparse.Namespace) -> int:
    from tapwatch.commands.ingest import ingest_file_command

    return ingest_file_command(
        args.district, args.platform, args.files, args.wait, args.timeout, as_json=args.json
    )


def _run_live(args: argparse.Namespace) -> int:
    from tapwatch.commands.connectors import run_connectors

    return run_connectors(args.district, args.once)


def _run_webhook(args: argparse.Namespace) -> int:
    from tapwatch.commands.webhook import run_webhook

    return run_webhook(args.district, args.host, args.port)
