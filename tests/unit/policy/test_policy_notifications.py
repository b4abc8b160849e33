"""district.yaml's optional `notifications` mapping: parsed, checked, and kept in records."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from policy import load_district
from policy.model import NotificationSettings, StudentNaming
from policy.record_codec import decode_notifications, encode_notifications

IT_LINE = "  it_emails: [it.helpdesk@example.org]"


class TestNotificationsYaml:
    def test_sample_settings(self, district: Path):
        """The sample district names its IT address and the 07:00 digest."""
        notifications = load_district(district).settings.notifications
        assert notifications.it_emails == ("it.helpdesk@example.org",)
        assert notifications.digest_time == time(7, 0)
        assert notifications.student_names is StudentNaming.NONE
        assert notifications.record_link("a1") is None

    def test_absent_mapping_gives_defaults(self, district: Path, edit):
        """A district.yaml without notifications gets no IT address and a 07:00 digest."""
        text = (district / "district.yaml").read_text()
        (district / "district.yaml").write_text(text.split("notifications:")[0])
        assert load_district(district).settings.notifications == NotificationSettings()

    def test_initials_and_record_url(self, district: Path, edit):
        """Initials and a record URL template are accepted and used for links."""
        edit("district.yaml", "student_names: none", "student_names: initials")
        edit(
            "district.yaml",
            IT_LINE,
            IT_LINE + '\n  record_url: "https://review.example.org/alerts/{alert_id}"',
        )
        notifications = load_district(district).settings.notifications
        assert notifications.student_names is StudentNaming.INITIALS
        assert notifications.record_link("a1") == "https://review.example.org/alerts/a1"

    def test_bad_values_are_placed(self, edit, problems):
        """A bad naming choice, time and address are each reported at their line."""
        edit("district.yaml", "student_names: none", "student_names: full")
        edit("district.yaml", 'digest_time: "07:00"', 'digest_time: "7am"')
        edit("district.yaml", "it.helpdesk@example.org", "helpdesk")
        found = problems()
        assert len(found) == 3
        assert found[0].startswith("district.yaml:12: notifications.it_emails[0]:")
        assert found[1].startswith("district.yaml:13: notifications.digest_time:")
        assert found[2].startswith("district.yaml:14: notifications.student_names: expected")

    def test_record_url_without_placeholder(self, edit, problems):
        """A record URL that cannot name the alert is refused."""
        edit("district.yaml", IT_LINE, IT_LINE + "\n  record_url: https://review.example.org/")
        [problem] = problems()
        assert problem.startswith("district.yaml:13: notifications.record_url: expected")

    def test_unknown_key(self, edit, problems):
        """A misspelt key inside notifications is named."""
        edit("district.yaml", "digest_time:", "digest_at:")
        [problem] = problems()
        assert problem.startswith("district.yaml:13: notifications.digest_at: unknown key")


class TestNotificationsRecord:
    def test_round_trip(self):
        """The reference-topic record keeps every notification setting."""
        settings = NotificationSettings(
            ("it@example.org",), time(6, 30), StudentNaming.INITIALS, "https://x/{alert_id}"
        )
        assert decode_notifications(encode_notifications(settings), "here") == settings

    def test_older_record_without_notifications(self):
        """A record written before the setting existed decodes to the defaults."""
        assert decode_notifications(None, "here") == NotificationSettings()
