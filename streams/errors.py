"""Errors of the worker's streams."""

from core.errors import PermanentError


class DetectorFailing(PermanentError):
    """A detector fails on so many posts that dead-lettering them would empty the stream.

    The worker stops instead, with the batch unacked, so no post is lost: it is read
    again once the rule is fixed or removed.
    """

    def __init__(self, rule: str, breach: str, last_error: str) -> None:
        super().__init__(
            f"detector {rule} {breach} (last error: {last_error}); stopping the worker "
            "without acking the batch: fix or remove the rule, then restart the worker"
        )
        self.rule = rule
        self.breach = breach
        self.last_error = last_error
