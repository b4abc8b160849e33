"""`tapwatch rules explain`: every rule's decision on a file's posts, without servers."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command, add_district_option, add_json_option
from tapwatch.commands.args.choices import platforms

if TYPE_CHECKING:
    from tapwatch.commands.args import SubCommands


def register(commands: SubCommands) -> None:
    rules = add_command(commands, "rules", "the policy rules", [])
    actions = rules.add_subparsers(dest="rule_action", required=True, metavar="ACTION")
    explain = add_command(
        actions,
        "explain",
        "every rule's decision on each post of a file, and why (no servers; exit 1 if "
        "items were refused)",
        [
            "tapwatch rules explain --district samples/district --platform twitter "
            "samples/x/dm_events.jsonl",
            "tapwatch rules explain --district samples/district --platform twitter --json "
            "samples/x/timeline.jsonl",
        ],
        _run,
    )
    add_district_option(explain)
    explain.add_argument(
        "--platform",
        required=True,
        choices=platforms(),
        metavar="PLATFORM",
        help="the platform whose API wrote the files: %(choices)s",
    )
    explain.add_argument(
        "files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="response files (.json, .jsonl), e.g. samples/x/dm_events.jsonl",
    )
    add_json_option(explain, "one JSON object per post or refused item, then a summary")


def _run(args: argparse.Namespace) -> int:
    from tapwatch.commands.rules import explain

    return explain(args.district, args.platform, args.files, as_json=args.json)
