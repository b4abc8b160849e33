"""The outbox: one entry per (alert, recipient) saying whether its mail is pending or sent.

Pure: the states, their transitions and the JSON codec. `outbox_store` keeps the
entries in the compacted outbox topic (key = `OutboxEntry.key`); the mailer reads
them all back on start.

    pending --(SMTP accepted)--> sent      the item is dropped: a sent marker keeps no content
    pending --(SMTP 5xx)-------> failed    kept with the reason, shown in the status board;
                                           the quote of the post is dropped
    sent or failed, older than the deduplication horizon --> tombstoned (a null value
                                           in the compacted topic), gone from memory

An entry is never written back to pending: a re-read alert whose key is already in
the outbox (sent or not) is not enqueued again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from alerts.mail.errors import InvalidOutboxRecord
from alerts.mail.item import MailItem, OpsItem

# An error kept in an entry is cut to this many characters (one line in a table).
MAX_ERROR_CHARS = 300


class Mode(StrEnum):
    IMMEDIATE = "immediate"  # a high-severity alert: sent at once
    DIGEST = "digest"  # low and medium: in the recipient's next daily digest
    OPS = "ops"  # an operational alert to district IT


class State(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One mail owed to one recipient about one alert (or ops alert)."""

    item_id: str
    recipient: str
    district_id: str
    mode: Mode
    state: State
    due_at: datetime
    updated_at: datetime
    item: MailItem | OpsItem | None = None
    sent_at: datetime | None = None
    message_id: str | None = None
    error: str | None = None

    def __post_init__(self) -> None:
        if not self.item_id or not self.recipient:
            raise InvalidOutboxRecord("an outbox entry needs an item id and a recipient")
        if self.state is State.PENDING and self.item is None:
            raise InvalidOutboxRecord("a pending outbox entry needs its item")
        for moment in (self.due_at, self.updated_at, self.sent_at):
            if moment is not None and moment.tzinfo is None:
                raise InvalidOutboxRecord("outbox times must be timezone-aware")

    @property
    def key(self) -> str:
        return entry_key(self.item_id, self.recipient)

    def sent(self, at: datetime, message_id: str) -> OutboxEntry:
        """The sent marker: when and under which Message-ID; the content is dropped."""
        return replace(
            self, state=State.SENT, updated_at=at, sent_at=at, message_id=message_id, item=None
        )

    def failed(self, at: datetime, error: str) -> OutboxEntry:
        """Refused for good (5xx): kept with the reason, never retried by the mailer."""
        one_line = " ".join(error.split())[:MAX_ERROR_CHARS]
        # The staff member's words are not kept once no mail will carry them.
        item = (
            replace(self.item, quote=None, category=None)
            if isinstance(self.item, MailItem)
            else self.item
        )
        return replace(self, state=State.FAILED, updated_at=at, error=one_line, item=item)


def entry_key(item_id: str, recipient: str) -> str:
    return f"{item_id}:{recipient}"


def ops_item_id(ops_id: str) -> str:
    """Ops entries' item ids live apart from alert ids."""
    return f"ops-{ops_id}"


def pending_entry(
    item: MailItem | OpsItem, recipient: str, mode: Mode, due_at: datetime, now: datetime
) -> OutboxEntry:
    item_id = ops_item_id(item.ops_id) if isinstance(item, OpsItem) else item.alert_id
    return OutboxEntry(
        item_id=item_id,
        recipient=recipient,
        district_id=item.district_id,
        mode=mode,
        state=State.PENDING,
        due_at=due_at,
        updated_at=now,
        item=item,
    )


class OutboxState:
    """The latest entry per key, as rebuilt from the outbox topic and kept up to date.

    Pending entries and final ones (sent, failed) are kept apart, the final ones in the
    order they became final, so neither `pending()` nor `expire()` reads every entry.
    """

    def __init__(self, entries: Iterable[OutboxEntry] = ()) -> None:
        self._entries: dict[str, OutboxEntry] = {}
        self._pending: dict[str, OutboxEntry] = {}
        self._final: dict[str, datetime] = {}
        self._counts = {state.value: 0 for state in State}
        for entry in sorted(entries, key=lambda e: e.updated_at):
            self.put(entry)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[OutboxEntry]:
        return iter(self._entries.values())

    def get(self, key: str) -> OutboxEntry | None:
        return self._entries.get(key)

    def new_only(self, entries: Iterable[OutboxEntry]) -> list[OutboxEntry]:
        """Those of `entries` whose key the outbox does not hold yet (first of duplicates)."""
        seen: set[str] = set()
        fresh = []
        for entry in entries:
            if entry.key in self._entries or entry.key in seen:
                continue
            seen.add(entry.key)
            fresh.append(entry)
        return fresh

    def put(self, entry: OutboxEntry) -> None:
        key = entry.key
        previous = self._entries.get(key)
        if previous is not None:
            self._counts[previous.state.value] -= 1
        self._entries[key] = entry
        self._counts[entry.state.value] += 1
        self._pending.pop(key, None)
        self._final.pop(key, None)
        if entry.state is State.PENDING:
            self._pending[key] = entry
        else:
            self._final[key] = entry.updated_at

    def pending(self) -> list[OutboxEntry]:
        return list(self._pending.values())

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def expire(self, before: datetime) -> list[str]:
        """Forget the sent and failed entries final before `before`; their keys, to tombstone.

        Past the deduplication horizon an alert is not read again, so its marker has
        nothing left to deduplicate. Reads only the entries it forgets (plus one).
        """
        expired: list[str] = []
        for key, final_at in self._final.items():
            if final_at >= before:
                break
            expired.append(key)
        for key in expired:
            del self._final[key]
            entry = self._entries.pop(key)
            self._counts[entry.state.value] -= 1
        return expired


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _item_record(item: MailItem | OpsItem | None) -> dict[str, Any] | None:
    if item is None:
        return None
    if isinstance(item, OpsItem):
        return {
            "kind": "ops",
            "ops_id": item.ops_id,
            "district_id": item.district_id,
            "component": item.component,
            "title": item.title,
            "detail": item.detail,
            "since": item.since.isoformat(),
        }
    return {
        "kind": "alert",
        "alert_id": item.alert_id,
        "district_id": item.district_id,
        "rule": item.rule,
        "severity": item.severity,
        "platform": item.platform,
        "post_id": item.post_id,
        "staff_id": item.staff_id,
        "building_id": item.building_id,
        "incident_key": item.incident_key,
        "event_time": item.event_time.isoformat(),
        "summary": item.summary,
        "policy": item.policy,
        "post_url": item.post_url,
        "quote": item.quote,
        "category": item.category,
    }


def entry_to_json(entry: OutboxEntry) -> bytes:
    record = {
        "item_id": entry.item_id,
        "recipient": entry.recipient,
        "district_id": entry.district_id,
        "mode": entry.mode.value,
        "state": entry.state.value,
        "due_at": entry.due_at.isoformat(),
        "updated_at": entry.updated_at.isoformat(),
        "sent_at": _time(entry.sent_at),
        "message_id": entry.message_id,
        "error": entry.error,
        "item": _item_record(entry.item),
    }
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def _parse_time(value: object) -> datetime:
    if not isinstance(value, str):
        raise InvalidOutboxRecord("an outbox time is not a string")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidOutboxRecord(f"not an ISO time: {value[:40]!r}") from None
    if moment.tzinfo is None:
        raise InvalidOutboxRecord("an outbox time has no UTC offset")
    return moment


def _optional(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidOutboxRecord(f"outbox field {name!r} must be a string")
    return value


def _item_from(data: object) -> MailItem | OpsItem | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise InvalidOutboxRecord("outbox item is not an object")
    try:
        if data.get("kind") == "ops":
            return OpsItem(
                ops_id=str(data["ops_id"]),
                district_id=str(data["district_id"]),
                component=str(data["component"]),
                title=str(data["title"]),
                detail=str(data["detail"]),
                since=_parse_time(data["since"]),
            )
        return MailItem(
            alert_id=str(data["alert_id"]),
            district_id=str(data["district_id"]),
            rule=str(data["rule"]),
            severity=str(data["severity"]),
            platform=str(data["platform"]),
            post_id=str(data["post_id"]),
            staff_id=str(data["staff_id"]),
            building_id=_optional(data, "building_id"),
            incident_key=str(data["incident_key"]),
            event_time=_parse_time(data["event_time"]),
            summary=str(data["summary"]),
            policy=_optional(data, "policy"),
            post_url=_optional(data, "post_url"),
            quote=_optional(data, "quote"),
            category=_optional(data, "category"),
        )
    except KeyError as exc:
        raise InvalidOutboxRecord(f"outbox item lacks {exc.args[0]!r}") from None
    except ValueError as exc:
        if isinstance(exc, InvalidOutboxRecord):
            raise
        raise InvalidOutboxRecord(f"outbox item is invalid: {exc}") from None


def entry_from_json(payload: bytes) -> OutboxEntry:
    """Decode an outbox record; InvalidOutboxRecord says why one is not."""
    try:
        data = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InvalidOutboxRecord("outbox record is not UTF-8 JSON") from None
    if not isinstance(data, dict):
        raise InvalidOutboxRecord("outbox record is not a JSON object")
    try:
        return OutboxEntry(
            item_id=str(data["item_id"]),
            recipient=str(data["recipient"]),
            district_id=str(data["district_id"]),
            mode=Mode(data["mode"]),
            state=State(data["state"]),
            due_at=_parse_time(data["due_at"]),
            updated_at=_parse_time(data["updated_at"]),
            item=_item_from(data.get("item")),
            sent_at=_parse_time(data["sent_at"]) if data.get("sent_at") else None,
            message_id=_optional(data, "message_id"),
            error=_optional(data, "error"),
        )
    except KeyError as exc:
        raise InvalidOutboxRecord(f"outbox record lacks {exc.args[0]!r}") from None
    except ValueError as exc:
        if isinstance(exc, InvalidOutboxRecord):
            raise
        raise InvalidOutboxRecord(f"outbox record is invalid: {exc}") from None
