"""`tapwatch mail run`: the flag-email process."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command, add_loglevel_option

if TYPE_CHECKING:
    from tapwatch.commands.args import SubCommands


def register(commands: SubCommands) -> None:
    mail = add_command(commands, "mail", "flag emails to principals and IT", [])
    actions = mail.add_subparsers(dest="mail_action", required=True, metavar="ACTION")
    run = add_command(
        actions,
        "run",
        "run the mailer (one per pipeline) until SIGTERM",
        ["tapwatch mail run", "tapwatch mail run --loglevel debug"],
        _run,
    )
    add_loglevel_option(run)


def _run(args: argparse.Namespace) -> int:
    from tapwatch.commands.mail import run_mail

    return run_mail(args.loglevel)
