"""Errors raised while turning platform payloads into posts."""

from core.errors import PermanentError


class InvalidEvent(PermanentError, ValueError):
    """A payload or record that cannot become a post; `reason` says why in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
