"""`tapwatch stack up|down|status`: the local servers."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command

if TYPE_CHECKING:
    from tapwatch.commands.args import SubCommands


def register(commands: SubCommands) -> None:
    parser = add_command(
        commands,
        "stack",
        "the local Kafka, Elasticsearch and SMTP servers",
        ["tapwatch stack up", "tapwatch stack status", "tapwatch stack down"],
        _run,
    )
    parser.add_argument(
        "action",
        choices=["up", "down", "status"],
        help="up: fetch (first time) and start them; down: stop them; status: which answer",
    )


def _run(args: argparse.Namespace) -> int:
    from deploy import stack

    actions = {"up": stack.stack_up, "down": stack.stack_down, "status": stack.stack_status}
    return actions[args.action]()
