"""`tapwatch posts purge`: retention of the posts index."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command

if TYPE_CHECKING:
    from tapwatch.commands.args import SubCommands


def register(commands: SubCommands) -> None:
    posts = add_command(commands, "posts", "the posts index", [])
    actions = posts.add_subparsers(dest="posts_action", required=True, metavar="ACTION")
    purge = add_command(
        actions,
        "purge",
        "delete posts older than N days that no alert or legal hold keeps",
        [
            "tapwatch posts purge --older-than-days 365 --dry-run",
            "tapwatch posts purge --every-hours 24",
        ],
        _run,
    )
    purge.add_argument(
        "--older-than-days",
        type=int,
        metavar="N",
        help="e.g. 365 (default: TAPWATCH_POSTS_RETENTION_DAYS)",
    )
    purge.add_argument("--dry-run", action="store_true", help="print, delete nothing")
    purge.add_argument(
        "--every-hours",
        type=float,
        metavar="H",
        help="purge every H hours (e.g. 24) until stopped; health on the status board",
    )


def _run(args: argparse.Namespace) -> int:
    from tapwatch.commands.posts import purge_command

    return purge_command(args.older_than_days, args.dry_run, args.every_hours)
