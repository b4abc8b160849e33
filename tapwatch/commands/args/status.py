"""`tapwatch status`: the status board."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command, add_json_option

if TYPE_CHECKING:
    from tapwatch.commands.args import SubCommands


def register(commands: SubCommands) -> None:
    parser = add_command(
        commands,
        "status",
        "each connector's and the mailer's last success, lag and error (exit 1 if overdue)",
        ["tapwatch status", "tapwatch status --json | jq .state"],
        _run,
    )
    add_json_option(parser)


def _run(args: argparse.Namespace) -> int:
    from tapwatch.commands.status import show_status

    return show_status(args.json)
