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
        [
            "tapwatch status",
            "tapwatch status --json | jq .state",
            "tapwatch status --kind mailer",
            "tapwatch status --kind connector --kind webhook --json",
            "tapwatch status --kind worker --missing-ok",
            "tapwatch status --forget worker:3f2a9c1d7e4b-1",
        ],
        _run,
    )
    add_json_option(parser)
    parser.add_argument(
        "--kind",
        action="append",
        default=[],
        metavar="KIND",
        help="only the components of this kind (connector, webhook, mailer, retention, ...; "
        "repeatable), without the pipeline backlogs; exit 1 when one is overdue or none "
        "has reported, e.g. --kind mailer (a container's healthcheck)",
    )
    parser.add_argument(
        "--component",
        action="append",
        default=[],
        metavar="NAME",
        help="only this component (repeatable), as --kind does, e.g. --component retention",
    )
    parser.add_argument(
        "--missing-ok",
        action="store_true",
        help="with --kind/--component: a selected component that has not reported is no "
        "failure, so exit 0 means the board reads with these credentials and nothing "
        "selected is overdue, e.g. --kind worker --missing-ok",
    )
    parser.add_argument(
        "--forget",
        action="append",
        default=[],
        metavar="NAME",
        help="take this component's line off the board and exit (repeatable): a worker "
        "replica or connector account that is gone for good, which would otherwise stay "
        "overdue, e.g. --forget worker:3f2a9c1d7e4b-1",
    )


def _run(args: argparse.Namespace) -> int:
    from tapwatch.commands.status import forget_components, show_status
    from tapwatch.status_report import StatusFilter

    if args.forget:
        return forget_components(args.forget)

    selection = StatusFilter(tuple(args.kind), tuple(args.component), args.missing_ok)
    return show_status(args.json, selection)
