"""User errors to one message and an exit code: the CLI's only place that turns errors into text.

A user error is anything the person at the keyboard can fix: a file that is not there,
a district folder with problems, a TAPWATCH_* variable that does not parse, a server
that is down. Each becomes a message on stderr and an exit code of `ExitCode`, never a
traceback. Anything else is a bug and keeps its traceback (exit 70).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import ValidationError
from pydantic_settings import BaseSettings

from core.errors import PermanentError, TapwatchError, TransientError
from tapwatch.exit_codes import ExitCode

# Fields whose value never goes into a message (a mistyped secret is still a secret).
_SECRET_WORDS = ("password", "secret", "token", "key")
# Modules whose exceptions mean "the server is unreachable or failing" (not imported
# here: the CLI must start without loading the Kafka and Elasticsearch clients).
_SERVER_CLIENT_MODULES = ("kafka.", "aiokafka.", "elasticsearch.", "elastic_transport.")


class CliError(Exception):
    """A command's own refusal: `message` is printed after "error: ", `code` is the exit code."""

    def __init__(self, code: ExitCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class UsageError(CliError):
    """An option value the command refuses before doing anything (exit 2, like argparse)."""

    def __init__(self, message: str) -> None:
        super().__init__(ExitCode.USAGE, message)


@dataclass(frozen=True, slots=True)
class UserErrorReport:
    """What to print on stderr (one or more lines) and the exit code."""

    lines: tuple[str, ...]
    code: ExitCode


def _settings_classes() -> Iterator[type[BaseSettings]]:
    pending: list[type[BaseSettings]] = [BaseSettings]
    while pending:
        cls = pending.pop()
        yield cls
        pending.extend(cls.__subclasses__())


def _env_prefix(model_name: str) -> str:
    """TAPWATCH_KAFKA_ for KafkaSettings: the prefix of the settings class that failed."""
    for cls in _settings_classes():
        if cls.__name__ == model_name:
            return str(cls.model_config.get("env_prefix") or "")
    return ""


def settings_messages(exc: ValidationError) -> tuple[str, ...]:
    """One line per invalid setting, naming its environment variable and what is wrong."""
    prefix = _env_prefix(exc.title)
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        variable = f"{prefix}{field}".upper() if prefix else f"{exc.title}.{field}"
        if error["type"] == "missing":
            lines.append(f"error: {variable} is not set (required)")
            continue
        secret = any(word in field.lower() for word in _SECRET_WORDS)
        value = "" if secret else f"={error.get('input')!r}"
        lines.append(f"error: {variable}{value}: {error['msg']}")
    return tuple(lines)


def _path_message(exc: OSError) -> str:
    name = exc.filename if exc.filename is not None else "?"
    if isinstance(exc, FileNotFoundError):
        return f"error: {name}: no such file or folder"
    if isinstance(exc, IsADirectoryError):
        return f"error: {name} is a folder; a file is expected here"
    if isinstance(exc, NotADirectoryError):
        return f"error: {name} is a file; a folder is expected here"
    return f"error: {name}: {exc.strerror or exc}"


def _is_server_client_error(exc: BaseException) -> bool:
    module = type(exc).__module__ + "."
    return module.startswith(_SERVER_CLIENT_MODULES)


def _district_problems(exc: TapwatchError) -> tuple[str, ...] | None:
    # policy.errors is imported here, not at the top, only to keep this module's
    # import light; DistrictValidationError is the one error that carries a list.
    from policy.errors import DistrictValidationError

    if not isinstance(exc, DistrictValidationError):
        return None
    problems = tuple(str(problem) for problem in exc.problems)
    return (*problems, f"error: the district folder is refused: {len(problems)} problem(s)")


def _config_error(exc: TapwatchError) -> bool:
    from ingest.connectors.errors import ConnectorConfigError

    return isinstance(exc, ConnectorConfigError)


def report_user_error(exc: BaseException) -> UserErrorReport | None:
    """The message and exit code of a user error; None for anything else (a bug)."""
    if isinstance(exc, CliError):
        return UserErrorReport((f"error: {exc.message}",), exc.code)
    if isinstance(exc, ValidationError):
        return UserErrorReport(settings_messages(exc), ExitCode.CONFIG)
    if isinstance(exc, OSError) and exc.filename is not None:
        return UserErrorReport((_path_message(exc),), ExitCode.NO_INPUT)
    if _is_server_client_error(exc):
        return UserErrorReport((f"error: {str(exc)[:300]}",), ExitCode.UNAVAILABLE)
    if not isinstance(exc, TapwatchError):
        return None
    problems = _district_problems(exc)
    if problems is not None:
        return UserErrorReport(problems, ExitCode.DATA)
    if _config_error(exc):
        lines = getattr(exc, "problems", None) or (f"error: {exc}",)
        return UserErrorReport(tuple(lines), ExitCode.CONFIG)
    if isinstance(exc, TransientError):
        return UserErrorReport((f"error: {exc}",), ExitCode.UNAVAILABLE)
    if isinstance(exc, PermanentError):
        return UserErrorReport((f"error: {exc}",), ExitCode.DATA)
    return UserErrorReport((f"error: {exc}",), ExitCode.FOUND)
