"""The exit codes of every `tapwatch` command, one table for `--help`, docs/cli.md and tests."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a command's exit status means; the values above 3 are BSD sysexits.h codes."""

    OK = 0
    # The command ran and found or refused something: district problems, refused input
    # items, an overdue component, a broken audit chain, a review the rules refuse.
    FOUND = 1
    # argparse's own code: an unknown option, a value outside its choices, a missing
    # argument, or an option value the command refuses before doing anything.
    USAGE = 2
    # `incidents`: someone else changed the alert meanwhile; show it again and retry.
    CONFLICT = 3
    # EX_DATAERR: the input data is refused as a whole (a district folder with problems,
    # a dataset or model artifact that does not read).
    DATA = 65
    # EX_NOINPUT: a named file or folder does not exist or is the wrong kind.
    NO_INPUT = 66
    # EX_UNAVAILABLE: Kafka, Elasticsearch, Kibana or a platform API is unreachable or failing.
    UNAVAILABLE = 69
    # EX_SOFTWARE: a bug in tapwatch; the traceback is printed.
    SOFTWARE = 70
    # EX_CONFIG: bad configuration (a TAPWATCH_* variable, connectors.yaml, credentials,
    # a missing content model, topics with another partition count).
    CONFIG = 78
    # 128 + SIGINT: stopped with Ctrl-C.
    INTERRUPTED = 130


# One line per code, as `tapwatch --help` and docs/cli.md show them.
EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "done",
    ExitCode.FOUND: "ran and found or refused something (problems, refused items, overdue)",
    ExitCode.USAGE: "usage error: unknown option, value outside its choices, missing argument",
    ExitCode.CONFLICT: "incidents: the alert changed meanwhile; show it again and retry",
    ExitCode.DATA: "input data refused (a district folder with problems, a bad dataset)",
    ExitCode.NO_INPUT: "a named file or folder does not exist or is the wrong kind",
    ExitCode.UNAVAILABLE: "Kafka, Elasticsearch, Kibana or a platform API unavailable",
    ExitCode.SOFTWARE: "internal error (a bug): a traceback is printed",
    ExitCode.CONFIG: "bad configuration (TAPWATCH_* variable, connectors.yaml, credentials)",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C)",
}


def exit_code_table() -> str:
    """The codes as aligned `CODE  meaning` lines."""
    return "\n".join(f"  {int(code):>3}  {text}" for code, text in EXIT_CODE_MEANINGS.items())
