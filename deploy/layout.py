"""Where the local stack keeps its state (per checkout) and its downloads (shared cache)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.settings import StackSettings


@dataclass(frozen=True, slots=True)
class StackLayout:
    """Absolute paths of the stack dir, the artifact cache and each service's files."""

    stack_dir: Path
    cache_dir: Path

    def __post_init__(self) -> None:
        if not self.stack_dir.is_absolute() or not self.cache_dir.is_absolute():
            raise ValueError("StackLayout needs absolute paths; use StackLayout.from_settings")

    @classmethod
    def from_settings(cls, settings: StackSettings) -> StackLayout:
        """Resolve the (possibly cwd-relative) settings once, so children see the same paths."""
        return cls(
            stack_dir=settings.stack_dir.expanduser().resolve(),
            cache_dir=settings.cache_dir.expanduser().resolve(),
        )

    def service_dir(self, service: str) -> Path:
        return self.stack_dir / service

    def pid_file(self, service: str) -> Path:
        return self.service_dir(service) / f"{service}.pid"

    def log_file(self, service: str) -> Path:
        """The file that receives the service process's stdout and stderr."""
        return self.service_dir(service) / f"{service}.log"

    @property
    def maildir(self) -> Path:
        """The mailbox.Maildir the SMTP sink delivers every received message to."""
        return self.stack_dir / "mail"
