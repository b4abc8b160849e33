"""The closed value sets of the CLI's options, each read from the registry that owns it."""

from __future__ import annotations


def rule_ids() -> tuple[str, ...]:
    """Every rule id, in registry order (the registry loads no model code)."""
    from classifiers.registry import RULES

    return tuple(RULES)


def platforms() -> tuple[str, ...]:
    """The platforms a response parser exists for (ingest/parsers.py)."""
    from ingest.parsers import PARSERS

    return tuple(sorted(PARSERS))


def alert_statuses() -> tuple[str, ...]:
    from alerts.alert import STATUSES

    return tuple(STATUSES)


def review_statuses() -> tuple[str, ...]:
    """The statuses `incidents update` may set (open comes back through `reopen`)."""
    from alerts.review import UPDATE_STATUSES

    return tuple(UPDATE_STATUSES)


def close_reasons() -> tuple[str, ...]:
    from alerts.review import CloseReason

    return tuple(reason.value for reason in CloseReason)


def severities() -> tuple[str, ...]:
    from classifiers.finding import Severity

    return tuple(severity.value for severity in Severity)


LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def positive_int(text: str) -> int:
    """argparse type: an integer of at least 1 (a page number, a page size)."""
    import argparse

    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value
