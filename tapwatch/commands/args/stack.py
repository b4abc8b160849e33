"""`tapwatch stack up|down|status|seed-users`: the local servers."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command, add_json_option

if TYPE_CHECKING:
    from tapwatch.commands.args import SubCommands


def register(commands: SubCommands) -> None:
    parser = add_command(
        commands,
        "stack",
        "the local Kafka, Elasticsearch, SMTP and Keycloak servers",
        [
            "tapwatch stack up",
            "tapwatch stack status",
            "tapwatch stack down",
            "tapwatch stack seed-users --district samples/district --password 'demo-pass-1'",
        ],
        _run,
    )
    parser.add_argument(
        "action",
        choices=["up", "down", "status", "seed-users"],
        help="up: fetch (first time) and start them; down: stop them; status: which answer; "
        "seed-users: a local Keycloak account per principal, IT email and reviewer",
    )
    parser.add_argument(
        "--district",
        default=None,
        metavar="DIR",
        help="seed-users only: the district folder whose people get accounts, "
        "e.g. samples/district",
    )
    parser.add_argument(
        "--password",
        default=None,
        metavar="PW",
        help="seed-users only: the password every seeded account gets (local stack only), "
        "e.g. --password 'demo-pass-1'",
    )
    add_json_option(parser, "seed-users: one JSON object per account")


def _run(args: argparse.Namespace) -> int:
    from deploy import stack

    if args.action == "seed-users":
        from tapwatch.commands.seed_users import seed_users

        return seed_users(args.district, args.password, args.json)
    actions = {"up": stack.stack_up, "down": stack.stack_down, "status": stack.stack_status}
    return actions[args.action]()
