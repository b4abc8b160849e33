"""`tapwatch worker` and `tapwatch mail run`: the long-running processes."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command
from tapwatch.commands.args.choices import LOG_LEVELS

if TYPE_CHECKING:
    from tapwatch.commands.args import SubCommands


def register(commands: SubCommands) -> None:
    parser = add_command(
        commands,
        "worker",
        "run one pipeline worker (Faust) until SIGTERM",
        ["tapwatch worker", "tapwatch worker --loglevel debug"],
        _run,
    )
    parser.add_argument(
        "--loglevel",
        default="info",
        type=str.lower,
        choices=LOG_LEVELS,
        help="log level (default %(default)s)",
    )


def _run(args: argparse.Namespace) -> int:
    from tapwatch.commands.worker import run_worker

    return run_worker(args.loglevel)
