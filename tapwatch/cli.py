"""The `tapwatch` command line: builds the parser from the command groups and runs one command.

Each group of tapwatch/commands/args registers its parsers with a `handler`; `main`
parses, calls the handler and turns user errors into one message and an exit code
(tapwatch/user_errors.py). The exit codes are tapwatch/exit_codes.py's table.
"""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from tapwatch.commands.args import (
    classifiers,
    console,
    district,
    incidents,
    ingest,
    kibana,
    mail,
    posts,
    rules,
    sites,
    stack,
    status,
    worker,
)
from tapwatch.exit_codes import ExitCode, exit_code_table
from tapwatch.user_errors import report_user_error

# The command groups, in the order `tapwatch --help` lists them.
COMMAND_GROUPS = (
    stack,
    district,
    worker,
    ingest,
    rules,
    status,
    mail,
    incidents,
    console,
    sites,
    posts,
    kibana,
    classifiers,
)

_EPILOG = f"""\
examples:
  tapwatch stack up
  tapwatch district check samples/district
  tapwatch ingest file --district samples/district --platform twitter samples/x/timeline.jsonl
  tapwatch incidents list --status open --json
  tapwatch <command> --help

exit codes:
{exit_code_table()}

A user error (a missing file, a refused district folder, a bad TAPWATCH_* variable,
a server that is down) prints one message without a traceback; --debug shows it.
"""


def _version() -> str:
    try:
        return version("tapwatch")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tapwatch",
        description="District social-media policy monitoring.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"tapwatch {_version()}", help="print the version"
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the traceback of user errors too (e.g. tapwatch --debug status)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def _quiet_client_logs() -> None:
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    # Client libraries log every refused connection; commands report failures themselves.
    for noisy in ("kafka", "elastic_transport", "aiokafka"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)


def run(args: argparse.Namespace) -> int:
    """Call the command's handler; a user error becomes its message and exit code."""
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Exception as exc:
        report = report_user_error(exc)
        if report is None:
            traceback.print_exc()
            print(
                "error: this is a bug in tapwatch; please report it with the traceback above",
                file=sys.stderr,
            )
            return ExitCode.SOFTWARE
        if args.debug:
            traceback.print_exc()
        for line in report.lines:
            print(line, file=sys.stderr)
        return report.code


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _quiet_client_logs()
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
