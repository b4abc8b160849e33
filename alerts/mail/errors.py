"""Errors of the mailer: an SMTP relay unavailable for now, a message refused for good.

TapwatchError
├── TransientError
│   └── SmtpUnavailable      the relay is down, timed out, or answered 4xx: retry later
└── PermanentError
    ├── SmtpRejected         5xx for this message or recipient: recorded, never retried
    └── InvalidOutboxRecord  an outbox-topic record that is not an outbox entry
"""

from __future__ import annotations

from core.errors import PermanentError, TransientError


class SmtpUnavailable(TransientError):
    """The relay could not take the message now (connection refused, timeout, 4xx).

    `whole_relay` is True when the relay itself is unreachable (every message waits),
    False for a 4xx about this one message (only it waits).
    """

    def __init__(self, reason: str, *, whole_relay: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.whole_relay = whole_relay


class SmtpRejected(PermanentError):
    """The relay refused this message or its recipient with a 5xx; a retry would too."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code} {reason}")
        self.code = code
        self.reason = reason


class InvalidOutboxRecord(PermanentError, ValueError):
    """A record of the outbox topic that does not decode to an outbox entry."""
