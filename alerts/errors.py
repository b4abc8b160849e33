"""Errors raised while delivering alerts."""

from core.errors import PermanentError, TransientError


class IndexUnavailable(TransientError):
    """Elasticsearch cannot take writes now (down, overloaded, 429/5xx); retry later."""


class AlertRejected(PermanentError):
    """Elasticsearch refused one alert document for a reason a retry will not fix."""

    def __init__(self, alert_id: str, reason: str) -> None:
        super().__init__(f"alert {alert_id}: {reason}")
        self.alert_id = alert_id
        self.reason = reason


class AlertNotFound(PermanentError):
    """No alert with this id in the alerts index."""

    def __init__(self, alert_id: str) -> None:
        super().__init__(f"no alert {alert_id}")
        self.alert_id = alert_id


class ReviewRefused(PermanentError, ValueError):
    """A review action that the alert's state or the policy does not allow (e.g. a
    dismissal without a close reason); nothing was written."""


class ConcurrentChange(TransientError):
    """Someone else changed the alert (or its audit chain) since it was read; re-read it."""


class AuditChainBroken(PermanentError):
    """The alert's audit chain does not verify, so no entry is appended to it."""


class InvalidAlert(PermanentError, ValueError):
    """A record on the alerts topic that is not an alert of the contract; dead-letter it."""
