"""`tapwatch kibana import`: the dashboard's saved objects."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command, add_json_option

if TYPE_CHECKING:
    from tapwatch.commands.args import SubCommands


def register(commands: SubCommands) -> None:
    kibana = add_command(commands, "kibana", "the Kibana dashboard's saved objects", [])
    actions = kibana.add_subparsers(dest="kibana_action", required=True, metavar="ACTION")
    parser = add_command(
        actions,
        "import",
        "send the data view and dashboard to Kibana's saved objects import API",
        [
            "tapwatch kibana import --url http://127.0.0.1:5601 "
            "--console-url http://127.0.0.1:18000",
            "TAPWATCH_NAMESPACE=district2 tapwatch kibana import --url https://kibana.example.org "
            "--space district-it --console-url https://tapwatch.example.org --overwrite",
        ],
        _run,
    )
    parser.add_argument(
        "--url", required=True, help="Kibana's base URL, e.g. http://127.0.0.1:5601"
    )
    parser.add_argument(
        "--space", default=None, help="a Kibana space id, e.g. district-it (default space)"
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="replace objects that already exist"
    )
    parser.add_argument(
        "--console-url",
        default=None,
        help="the review console's absolute public URL (district.yaml console.public_url; "
        "default TAPWATCH_KIBANA_CONSOLE_URL, required one way or the other): alert ids link "
        "to its incident page, e.g. https://tapwatch.example.org. The data view reads "
        "TAPWATCH_NAMESPACE's alerts index",
    )
    add_json_option(parser, "one JSON object (count and refused objects)")


def _run(args: argparse.Namespace) -> int:
    from tapwatch.commands.kibana import import_objects

    return import_objects(
        args.url, args.space, args.overwrite, as_json=args.json, console_url=args.console_url
    )
