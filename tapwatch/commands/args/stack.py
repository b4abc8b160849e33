"""`tapwatch stack up|down|status|seed-users|provision`: the local servers, and a deployment's."""

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
        "stack",
        "the local Kafka, Elasticsearch, SMTP and Keycloak servers",
        [
            "tapwatch stack up",
            "tapwatch stack status",
            "tapwatch stack down",
            "tapwatch stack seed-users --district samples/district --password 'demo-pass-1'",
            "tapwatch stack provision --identities /identities",
        ],
        _run,
    )
    parser.add_argument(
        "action",
        choices=["up", "down", "status", "seed-users", "provision"],
        help="up: fetch (first time) and start them; down: stop them; status: which answer; "
        "seed-users: a local Keycloak account per principal, IT email and reviewer; "
        "provision: create every identity's users, roles, SCRAM credentials and ACLs on "
        "the servers TAPWATCH_ES_URL and TAPWATCH_KAFKA_BOOTSTRAP name (compose's setup job)",
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
    parser.add_argument(
        "--identities",
        type=Path,
        default=None,
        metavar="DIR",
        help="provision only: the folder of the services' env files (worker.env, mailer.env, "
        "console.env, ..., kibana.env) holding each identity's password, "
        "e.g. --identities /identities",
    )
    add_json_option(parser, "seed-users: one JSON object per account")


def _run(args: argparse.Namespace) -> int:
    from deploy import stack

    if args.action == "provision":
        from tapwatch.commands.provision import provision_servers
        from tapwatch.user_errors import UsageError

        if args.identities is None:
            raise UsageError("stack provision needs --identities DIR")
        return provision_servers(args.identities)
    if args.action == "seed-users":
        from tapwatch.commands.seed_users import seed_users

        return seed_users(args.district, args.password, args.json)
    actions = {"up": stack.stack_up, "down": stack.stack_down, "status": stack.stack_status}
    return actions[args.action]()
