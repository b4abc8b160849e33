"""`tapwatch district check|load DIR`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command, add_json_option

if TYPE_CHECKING:
    from tapwatch.commands.args import SubCommands


def register(commands: SubCommands) -> None:
    parser = add_command(
        commands,
        "district",
        "check a district folder, or load it into Kafka for the workers",
        [
            "tapwatch district check samples/district",
            "tapwatch district check samples/district --json",
            "tapwatch district check samples/district --files-only",
            "tapwatch district load samples/district",
        ],
        _run,
    )
    parser.add_argument(
        "action",
        choices=["check", "load"],
        help="check: list every problem (exit 1 if any); load: check, then publish to Kafka",
    )
    parser.add_argument(
        "folder", type=Path, metavar="DIR", help="the district folder, e.g. samples/district"
    )
    parser.add_argument(
        "--files-only",
        action="store_true",
        help="check: skip connectors.yaml and its environment variables, for a machine that "
        "ingests saved files and runs no live connector "
        "(e.g. tapwatch district check samples/district --files-only)",
    )
    add_json_option(parser, "one JSON object (problems, warnings, connectors; or what was loaded)")


def _run(args: argparse.Namespace) -> int:
    from tapwatch.commands import district

    if args.action == "check":
        return district.check(args.folder, args.json, files_only=args.files_only)
    return district.load(args.folder, args.json)
