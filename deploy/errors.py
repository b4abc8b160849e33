"""Errors raised while fetching, starting or stopping the local stack.

TapwatchError
 └── StackError
      ├── ArtifactFetchError   Maven could not fetch or we could not unpack an artifact
      ├── PidFileError         a pid file exists but is not one we wrote
      └── ServiceStartError    a server could not be prepared or did not come up
           └── PortBusyError   its port is held by a process tapwatch did not start
"""

from __future__ import annotations

from pathlib import Path

from core.errors import TapwatchError


class StackError(TapwatchError):
    """Base of every local-stack error."""


class ArtifactFetchError(StackError):
    """Fetching or unpacking a server's artifacts failed; `output` holds the tool's last lines."""

    def __init__(self, artifact: str, reason: str, output: str = "") -> None:
        super().__init__(f"could not fetch {artifact}: {reason}")
        self.artifact = artifact
        self.reason = reason
        self.output = output


class PidFileError(StackError):
    """A pid file is unreadable or malformed."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"bad pid file {path}: {reason}")
        self.path = path
        self.reason = reason


class ServiceStartError(StackError):
    """A server could not be prepared, exited, or was not healthy before its deadline."""

    def __init__(self, service: str, reason: str, log_path: Path | None = None) -> None:
        where = f" (log: {log_path})" if log_path else ""
        super().__init__(f"{service} failed: {reason}{where}")
        self.service = service
        self.reason = reason
        self.log_path = log_path


class PortBusyError(ServiceStartError):
    """The server's port already answers, but no process tapwatch started holds it."""
