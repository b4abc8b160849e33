"""Why a connector's poll stopped: the platform asked to wait, or the fetch failed.

ConnectorError (core.errors.TransientError)
├── RateLimited   the platform said when to come back (HTTP 429, x-rate-limit-reset)
└── FetchFailed   any other failure of one poll (status, network, unreadable body)
ConnectorConfigError (core.errors.PermanentError): connectors.yaml or a
                  credential is wrong; the connector refuses to start.
"""

from __future__ import annotations

from datetime import datetime

from core.errors import PermanentError, TransientError


class ConnectorError(TransientError):
    """A poll that should be retried later."""


class RateLimited(ConnectorError):
    """The platform asked us to wait until `retry_at` (UTC)."""

    def __init__(self, retry_at: datetime, detail: str = "") -> None:
        super().__init__(f"rate limited until {retry_at.isoformat()} {detail}".strip())
        self.retry_at = retry_at


class FetchFailed(ConnectorError):
    """One poll failed; `reason` is one line a human can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ConnectorConfigError(PermanentError):
    """The connector configuration or a credential is missing or wrong."""
