"""When mails are due, and which pending entries go together in one mail. Pure.

- A high-severity alert is due a few seconds after it arrives (IMMEDIATE_GRACE), so
  that the other rules the same post breaks, which arrive beside it, go in the same mail.
- A low or medium alert is due at the next digest time (district.yaml
  `notifications.digest_time`, local to the district's time zone) strictly after it
  arrived: an alert at 06:59 is in today's 07:00 digest, one at 07:01 in tomorrow's.
- At send time a recipient's due digest entries make one digest, whatever day they
  were due (a mailer that was down for two days sends one digest, not two).
- An immediate mail also carries the recipient's pending digest entries about the
  same post, so a post is not told twice.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from alerts.mail.item import MailItem
from alerts.mail.outbox import Mode, OutboxEntry

# How long a high-severity alert waits for its post's other alerts (seconds).
IMMEDIATE_GRACE = timedelta(seconds=5)
# Days ahead searched for the next digest time; a time zone never skips more than one.
_DAYS_AHEAD = 3


def immediate_due_at(now: datetime) -> datetime:
    return now + IMMEDIATE_GRACE


def next_digest_at(after: datetime, digest_time: time, zone: ZoneInfo) -> datetime:
    """The first digest moment strictly after `after`, as UTC.

    A local time that does not exist that day (skipped by a daylight-saving change)
    resolves the way zoneinfo reads it, i.e. shifted by the change.
    """
    if after.tzinfo is None:
        raise ValueError("`after` must be timezone-aware")
    local_day = after.astimezone(zone).date()
    for offset in range(_DAYS_AHEAD):
        candidate = datetime.combine(local_day + timedelta(days=offset), digest_time, zone)
        moment = candidate.astimezone(UTC)
        if moment > after:
            return moment
    raise AssertionError("no digest time within three days")  # unreachable for real zones


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    """One mail to one recipient, and the outbox entries it settles."""

    recipient: str
    mode: Mode
    entries: tuple[OutboxEntry, ...]

    @property
    def district_id(self) -> str:
        return self.entries[0].district_id

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(sorted(entry.item_id for entry in self.entries))

    @property
    def message_id(self) -> str:
        """A Message-ID derived from the recipient and the items: a resend carries the same."""
        material = "\x1f".join((self.recipient, self.mode.value, *self.item_ids))
        return f"<{hashlib.sha256(material.encode()).hexdigest()[:40]}@tapwatch>"


def _incident(entry: OutboxEntry) -> str:
    item = entry.item
    return item.incident_key if isinstance(item, MailItem) else entry.item_id


def due_mails(pending: Iterable[OutboxEntry], now: datetime) -> list[OutgoingMail]:
    """The mails to send at `now` from the pending entries: immediate first, then digests."""
    waiting = sorted(pending, key=lambda e: (e.due_at, e.item_id, e.recipient))
    by_post: defaultdict[tuple[str, str], list[OutboxEntry]] = defaultdict(list)
    for entry in waiting:
        if entry.mode is not Mode.OPS:
            by_post[(entry.recipient, _incident(entry))].append(entry)
    mails: list[OutgoingMail] = []
    taken: set[str] = set()
    for entry in waiting:
        if entry.mode is Mode.IMMEDIATE and entry.due_at <= now and entry.key not in taken:
            group = by_post[(entry.recipient, _incident(entry))]
            taken.update(e.key for e in group)
            mails.append(OutgoingMail(entry.recipient, Mode.IMMEDIATE, tuple(group)))
    digests: defaultdict[tuple[str, str], list[OutboxEntry]] = defaultdict(list)
    for entry in waiting:
        if entry.mode is Mode.DIGEST and entry.due_at <= now and entry.key not in taken:
            digests[(entry.recipient, entry.district_id)].append(entry)
    mails.extend(
        OutgoingMail(recipient, Mode.DIGEST, tuple(group))
        for (recipient, _), group in sorted(digests.items())
    )
    mails.extend(
        OutgoingMail(entry.recipient, Mode.OPS, (entry,))
        for entry in waiting
        if entry.mode is Mode.OPS and entry.due_at <= now
    )
    return mails
