"""The mailer's health as shown by `tapwatch status`: bookkeeping only, no I/O.

The mailer reports after each round: a success when every SMTP attempt of the
round went through (or nothing was due) and nothing held the round up; otherwise
the last error (an SMTP refusal, the relay down, a district not loaded, Kafka).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from core.component_status import ComponentStatus, new_status

# The mailer's id and kind on the status board.
COMPONENT = "mailer"
KIND = "mailer"

Details = Mapping[str, int | float | str]


def status_details(
    counts: Mapping[str, int], unroutable: int, retry_at: datetime | None, refused: int = 0
) -> dict[str, int | float | str]:
    """The figures shown beside the mailer's status: outbox counts, unroutable alerts, retry."""
    details: dict[str, int | float | str] = {
        "pending": counts["pending"],
        "sent": counts["sent"],
        "failed": counts["failed"],
        "unroutable": unroutable,
    }
    if refused:
        # Outbox entries whose recipient routing does not name (a forged entry, most likely).
        details["refused"] = refused
    if retry_at is not None:
        details["retry_at"] = retry_at.isoformat()
    return details


class MailerHealth:
    """The latest ComponentStatus of the mailer, and whether it needs publishing."""

    def __init__(self, now: datetime, max_interval_s: float, publish_interval_s: float) -> None:
        self._status = new_status(COMPONENT, KIND, now, max_interval_s=max_interval_s)
        self._publish_interval_s = publish_interval_s
        self._changed = True
        self._published_at: datetime | None = None
        # What held up the current round (not SMTP); None while all is well.
        self.round_error: str | None = None

    @property
    def status(self) -> ComponentStatus:
        return self._status

    def changed(self) -> None:
        """Something shown (a count) changed: publish at the next chance."""
        self._changed = True

    def smtp_failed(self, now: datetime, error: str, details: Details) -> None:
        self._status = self._status.failed(now, f"SMTP: {error}", **details)
        self._changed = True

    def round_done(self, now: datetime, smtp_ok: bool, details: Details) -> None:
        if self.round_error is not None:
            self._status = self._status.failed(now, self.round_error, **details)
            self._changed = True
        elif smtp_ok:
            if self._status.last_error is not None or self._status.last_success_at is None:
                self._changed = True
            self._status = self._status.succeeded(now, **details)

    def to_publish(self, now: datetime, details: Details, force: bool) -> ComponentStatus | None:
        """The status to publish now, or None when nothing changed and it is not yet stale."""
        stale = self._published_at is None or (
            (now - self._published_at).total_seconds() >= self._publish_interval_s
        )
        if not (force or stale or self._changed):
            return None
        return replace(self._status, updated_at=now, details=dict(details))

    def published(self, now: datetime) -> None:
        self._changed = False
        self._published_at = now
