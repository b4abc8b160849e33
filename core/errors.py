"""The root of every tapwatch exception, and the transient/permanent split."""


class TapwatchError(Exception):
    """Base of every error tapwatch raises on purpose."""


class TransientError(TapwatchError):
    """Something outside us is unavailable for now; the same call may succeed later."""


class PermanentError(TapwatchError):
    """Retrying the same call will fail the same way; the input or setup must change."""
