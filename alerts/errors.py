"""Errors raised while delivering alerts."""

from tapwatch.errors import PermanentError, TransientError


class IndexUnavailable(TransientError):
    """Elasticsearch cannot take writes now (down, overloaded, 429/5xx); retry later."""


class AlertRejected(PermanentError):
    """Elasticsearch refused one alert document for a reason a retry will not fix."""

    def __init__(self, alert_id: str, reason: str) -> None:
        super().__init__(f"alert {alert_id}: {reason}")
        self.alert_id = alert_id
        self.reason = reason
