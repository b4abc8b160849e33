"""Facebook Graph fields the response and webhook parsers share: ids, authors, tags, links."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ingest.errors import InvalidEvent
from ingest.parser import optional_list, optional_str, require_object

PLATFORM = "facebook"

# Posts and comments are "<digits>" or "<digits>_<digits>"; accounts (users, pages) digits.
OBJECT_ID = re.compile(r"[0-9]{1,40}(_[0-9]{1,40}){0,2}")
ACCOUNT_ID = re.compile(r"[0-9]{1,40}")


def from_id(item: Mapping[str, object]) -> str | None:
    """The author id of `from`, or None when it is missing or unreadable (never refuses)."""
    sender = item.get("from")
    account = sender.get("id") if isinstance(sender, dict) else None
    return account if isinstance(account, str) and ACCOUNT_ID.fullmatch(account) else None


def account_list(edge: object, what: str) -> tuple[str, ...]:
    """Account ids of a `{data: [{id}, ...]}` edge (`to`, `participants`)."""
    if edge is None:
        return ()
    fields = require_object(edge, f"{what}: recipients")
    found: dict[str, None] = {}
    for entry in optional_list(fields, "data", f"{what}: recipients"):
        found[account_id(require_object(entry, f"{what}: recipient"), "id", what)] = None
    return tuple(found)


def tagged_accounts(item: Mapping[str, object], what: str) -> tuple[str, ...]:
    """Ids of the users and pages tagged in the message (`message_tags`)."""
    found: dict[str, None] = {}
    for tag in optional_list(item, "message_tags", what):
        fields = require_object(tag, f"{what}: message_tags item")
        found[account_id(fields, "id", f"{what}: message_tags item")] = None
    return tuple(found)


def author_id(item: Mapping[str, object], what: str) -> str:
    """The author id of `from`; InvalidEvent when it is missing or not an account id."""
    sender = item.get("from")
    if sender is None:
        raise InvalidEvent(f"{what}: from missing")
    return account_id(require_object(sender, f"{what}: from"), "id", f"{what}: from")


def account_id(item: Mapping[str, object], key: str, what: str) -> str:
    """A user or page id under `key`; InvalidEvent when missing or malformed."""
    value = optional_str(item, key, what)
    if value is None:
        raise InvalidEvent(f"{what}: {key} missing")
    if not ACCOUNT_ID.fullmatch(value):
        raise InvalidEvent(f"{what}: {key} is not an account id: {value[:40]!r}")
    return value


def object_id(item: Mapping[str, object], key: str, what: str) -> str:
    """A post or comment id under `key`; InvalidEvent when missing or malformed."""
    value = optional_str(item, key, what)
    if value is None:
        raise InvalidEvent(f"{what}: {key} missing")
    if not OBJECT_ID.fullmatch(value):
        raise InvalidEvent(f"{what}: {key} is not a Facebook id: {value[:40]!r}")
    return value


def permalink(item: Mapping[str, object], what: str) -> str | None:
    """The item's `permalink_url` when it is an https link of sane length, else None."""
    url = optional_str(item, "permalink_url", what)
    return url if url and url.startswith("https://") and len(url) <= 2000 else None


def error_summary(response: Mapping[str, object]) -> str:
    """The type and message of a Graph error response, for a refusal's reason."""
    error = response.get("error")
    if isinstance(error, dict):
        parts = [error.get(key) for key in ("type", "message")]
        return "; ".join(str(part) for part in parts if isinstance(part, str | int)) or "no detail"
    return "no detail"
