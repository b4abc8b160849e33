"""`tapwatch sites check`: the registered external sites (tapwatch/commands/sites.py)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command, add_district_option, add_json_option

if TYPE_CHECKING:
    from tapwatch.commands.args import SubCommands


def _hours(text: str) -> float:
    try:
        hours = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of hours, not {text!r}") from None
    if not 0 < hours <= 24 * 30:
        raise argparse.ArgumentTypeError("expected hours between 0 and 720")
    return hours


def register(commands: SubCommands) -> None:
    sites = add_command(commands, "sites", "check the registered external websites", [])
    actions = sites.add_subparsers(dest="sites_action", required=True, metavar="ACTION")
    check = add_command(
        actions,
        "check",
        "fetch each site of external_sites.csv and its district page: Quick Links both ways "
        "and the seal; one alert per failing site (exit 1 if any fails)",
        [
            "tapwatch sites check --district samples/district",
            "tapwatch sites check --district samples/district --every-hours 24",
        ],
        _check,
    )
    add_district_option(check)
    check.add_argument(
        "--every-hours",
        type=_hours,
        metavar="H",
        help="check again every H hours until stopped (e.g. --every-hours 24); default: once",
    )
    add_json_option(check, "one JSON object per site")


def _check(args: argparse.Namespace) -> int:
    from tapwatch.commands import sites

    return sites.check_command(args.district, args.every_hours, args.json)
