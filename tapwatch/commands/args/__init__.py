"""Each command group's arguments and handler, registered on the `tapwatch` parser.

One module per group; each has `register(commands)`, which adds its parsers and sets
`handler` (a function of the parsed arguments returning the exit code) on each. The
handlers import the command's implementation (tapwatch/commands/<group>.py) when
called, so that `tapwatch --help` or `tapwatch stack up` load no Kafka or
Elasticsearch client.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    # The `commands` object that add_subparsers returns (argparse names it privately,
    # and makes it generic only in its stubs).
    SubCommands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
# What `set_defaults(handler=...)` holds: parsed arguments in, exit code out.
Handler = Callable[[argparse.Namespace], int]


def add_command(
    commands: SubCommands,
    name: str,
    help: str,
    examples: Sequence[str],
    handler: Handler | None = None,
) -> argparse.ArgumentParser:
    """A sub-parser with its help, an `examples:` epilog, and its handler when it is a leaf."""
    lines = "\n".join(f"  {example}" for example in examples)
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=help,
        description=help[0].upper() + help[1:] + ".",
        epilog=f"examples:\n{lines}" if examples else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    if handler is not None:
        parser.set_defaults(handler=handler)
    return parser


def add_json_option(
    parser: argparse.ArgumentParser, what: str = "one JSON object per line"
) -> None:
    """`--json`: machine-readable output on stdout (messages stay on stderr)."""
    parser.add_argument("--json", action="store_true", help=f"{what}, for scripts")


def add_loglevel_option(parser: argparse.ArgumentParser) -> None:
    """`--loglevel` of a long-running process (worker, mailer)."""
    from tapwatch.commands.args.choices import LOG_LEVELS

    parser.add_argument(
        "--loglevel",
        default="info",
        type=str.lower,
        choices=LOG_LEVELS,
        help="log level (default %(default)s)",
    )


def add_district_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--district",
        type=Path,
        required=True,
        metavar="DIR",
        help="the district folder (district.yaml, OneRoster CSVs, ...), e.g. samples/district",
    )
