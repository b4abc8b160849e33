"""Digest scheduling across days and time zones, and which pending entries make one mail."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from alerts.mail.digest import due_mails, next_digest_at
from alerts.mail.item import OpsItem
from alerts.mail.outbox import Mode, pending_entry
from tests.unit.alerts.mail.mail_builders import NOW, make_item

CHICAGO = ZoneInfo("America/Chicago")
SEVEN = time(7, 0)


class TestNextDigestAt:
    def test_before_the_digest_time_it_is_today(self):
        """06:59 local is in the 07:00 digest of the same day."""
        after = datetime(2026, 10, 6, 6, 59, tzinfo=CHICAGO)
        assert next_digest_at(after, SEVEN, CHICAGO) == datetime(2026, 10, 6, 12, 0, tzinfo=UTC)

    def test_after_the_digest_time_it_is_tomorrow(self):
        """07:01 local waits for the next morning; exactly 07:00 too."""
        for minute in (0, 1):
            after = datetime(2026, 10, 6, 7, minute, tzinfo=CHICAGO)
            expected = datetime(2026, 10, 7, 12, 0, tzinfo=UTC)
            assert next_digest_at(after, SEVEN, CHICAGO) == expected

    def test_the_local_day_not_the_utc_day_counts(self):
        """23:30 CDT is already tomorrow in UTC; the digest is still the next local morning."""
        after = datetime(2026, 10, 6, 23, 30, tzinfo=CHICAGO)
        assert next_digest_at(after, SEVEN, CHICAGO) == datetime(2026, 10, 7, 12, 0, tzinfo=UTC)

    def test_other_time_zones(self):
        """In Honolulu and Tokyo the digest is 07:00 there."""
        expected = {
            "Pacific/Honolulu": datetime(2026, 10, 6, 17, 0, tzinfo=UTC),
            "Asia/Tokyo": datetime(2026, 10, 5, 22, 0, tzinfo=UTC),
        }
        for name, moment in expected.items():
            zone = ZoneInfo(name)
            after = datetime(2026, 10, 6, 6, 0, tzinfo=zone)
            assert next_digest_at(after, SEVEN, zone) == moment

    def test_across_the_daylight_saving_change(self):
        """The 07:00 digest after the November change is at 13:00 UTC, not 12:00."""
        after = datetime(2026, 10, 31, 8, 0, tzinfo=CHICAGO)  # Saturday, CDT
        sunday = next_digest_at(after, SEVEN, CHICAGO)
        assert sunday == datetime(2026, 11, 1, 13, 0, tzinfo=UTC)  # CST from 02:00 that day

    def test_a_skipped_local_time_still_gives_one_digest(self):
        """02:30 does not exist on the March change day; the digest still comes that morning."""
        after = datetime(2027, 3, 14, 0, 0, tzinfo=CHICAGO)
        moment = next_digest_at(after, time(2, 30), CHICAGO)
        assert moment.astimezone(CHICAGO).date().isoformat() == "2027-03-14"


def _entry(item, recipient, mode, due):
    return pending_entry(item, recipient, mode, due, NOW)


class TestDueMails:
    def test_nothing_is_due_before_its_time(self):
        """A digest entry due tomorrow is not sent today."""
        entry = _entry(make_item(severity="low"), "p@x.org", Mode.DIGEST, NOW + timedelta(hours=1))
        assert due_mails([entry], NOW) == []

    def test_a_recipients_due_digest_entries_make_one_mail(self):
        """Three due digest entries of one principal, from two days, are one digest."""
        entries = [
            _entry(
                make_item(alert_id=f"{i}" * 32, severity="low", post_id=str(i)),
                "p@x.org",
                Mode.DIGEST,
                NOW - timedelta(days=i),
            )
            for i in range(1, 4)
        ]
        [mail] = due_mails(entries, NOW)
        assert (mail.mode, len(mail.entries)) == (Mode.DIGEST, 3)

    def test_each_recipient_gets_their_own_mail(self):
        """The same alert for two principals is two mails."""
        item = make_item()
        entries = [_entry(item, who, Mode.IMMEDIATE, NOW) for who in ("a@x.org", "b@x.org")]
        mails = due_mails(entries, NOW)
        assert sorted(m.recipient for m in mails) == ["a@x.org", "b@x.org"]

    def test_an_immediate_mail_takes_the_posts_digest_entries_along(self):
        """A medium alert about the same post rides with the high one, not in the digest."""
        high = _entry(make_item(), "p@x.org", Mode.IMMEDIATE, NOW)
        medium = _entry(
            make_item(alert_id="b" * 32, rule="personal_page", severity="medium"),
            "p@x.org",
            Mode.DIGEST,
            NOW + timedelta(hours=17),
        )
        [mail] = due_mails([high, medium], NOW)
        assert (mail.mode, mail.item_ids) == (Mode.IMMEDIATE, ("a" * 32, "b" * 32))

    def test_message_id_is_stable_for_the_same_items(self):
        """The same recipient and items give the same Message-ID, in any order."""
        first = _entry(make_item(), "p@x.org", Mode.IMMEDIATE, NOW)
        second = _entry(make_item(alert_id="b" * 32), "p@x.org", Mode.IMMEDIATE, NOW)
        [one] = due_mails([first, second], NOW)
        [two] = due_mails([second, first], NOW)
        assert one.message_id == two.message_id

    def test_ops_entries_are_mails_of_their_own(self):
        """An ops entry is sent alone, to its IT address."""
        item = OpsItem("o1", "wilmington-209u", "connector:x", "t", "d", NOW)
        [mail] = due_mails([_entry(item, "it@x.org", Mode.OPS, NOW)], NOW)
        assert (mail.mode, mail.item_ids) == (Mode.OPS, ("ops-o1",))
