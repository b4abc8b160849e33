"""Whether an outbox entry's recipient may hear of its item. Pure.

The outbox topic is read back on start and its pending entries are sent to
`entry.recipient`: whoever can write that topic would otherwise choose who receives
mail from the district's address. An alert's entry may only go to a principal of the
alert's building or an IT address of its district; an ops entry only to that district's
IT. Anything else is refused (marked failed), logged and counted.
"""

from __future__ import annotations

from alerts.mail.item import MailItem
from alerts.mail.outbox import OutboxEntry
from alerts.mail.routing import principal_recipients
from policy.context import DistrictContext

# The reason kept on a refused entry.
REFUSED_REASON = "recipient is not a principal or IT address of this item's building and district"


def it_addresses(context: DistrictContext) -> frozenset[str]:
    return frozenset(
        address.strip().lower()
        for address in context.settings.notifications.it_emails
        if address and address.strip()
    )


def allowed_recipients(entry: OutboxEntry, context: DistrictContext) -> frozenset[str]:
    """The addresses routing allows for the entry's item (none for a foreign district)."""
    if entry.district_id != context.district_id:
        return frozenset()
    item = entry.item
    if isinstance(item, MailItem):
        if item.district_id != context.district_id:
            return frozenset()
        return frozenset(principal_recipients(item, context)) | it_addresses(context)
    return it_addresses(context)


def is_routed(entry: OutboxEntry, context: DistrictContext) -> bool:
    return entry.recipient.strip().lower() in allowed_recipients(entry, context)


def recipient_domain(entry: OutboxEntry) -> str:
    """Only the domain goes to the log: enough to spot a relay attempt, no mailbox named."""
    return entry.recipient.rpartition("@")[2][:80] or "-"
