"""`tapwatch worker`: the pipeline worker process."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command, add_loglevel_option

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
    add_loglevel_option(parser)


def _run(args: argparse.Namespace) -> int:
    from tapwatch.commands.worker import run_worker

    return run_worker(args.loglevel)
