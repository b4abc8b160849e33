"""`tapwatch console`: the review console's web server."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command, add_district_option

if TYPE_CHECKING:
    from tapwatch.commands.args import SubCommands

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 18000


def register(commands: SubCommands) -> None:
    parser = add_command(
        commands,
        "console",
        "the review console: incident queue and actions in a browser, and a JSON API",
        [
            "TAPWATCH_CONSOLE_CLIENT_SECRET=... tapwatch console --district samples/district",
            "tapwatch console --district samples/district --host 0.0.0.0 --port 8080",
        ],
        _run,
    )
    add_district_option(parser)
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        metavar="ADDR",
        help=f"the address to listen on (default {DEFAULT_HOST}), e.g. --host 0.0.0.0",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        metavar="N",
        help=f"the TCP port (default {DEFAULT_PORT}), e.g. --port 8080",
    )


def _run(args: argparse.Namespace) -> int:
    from tapwatch.commands.console import console_command

    return console_command(args.district, args.host, args.port)
