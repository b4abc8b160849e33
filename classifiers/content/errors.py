"""The content classifier's errors: bad labeled data, and an artifact that cannot be loaded."""

from core.errors import PermanentError


class DatasetError(PermanentError):
    """A dataset folder or labeled file is missing, malformed or inconsistent."""


class ArtifactError(PermanentError):
    """A model artifact is missing, of an unknown format, or does not match its metadata."""
