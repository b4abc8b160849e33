"""Rendering flag emails: both parts, escaped post text, the subject, links and the record."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from email import message_from_bytes, policy

from alerts.mail.digest import OutgoingMail
from alerts.mail.item import OpsItem, mail_item
from alerts.mail.outbox import Mode, pending_entry
from alerts.mail.render import (
    build_message,
    render_alert_mail,
    render_digest,
    render_ops_mail,
    safe_link,
)
from tests.unit.alerts.mail.mail_builders import NOW, context_with, make_alert, make_item

SCRIPT = '<script>alert("x")</script><b>bold</b>'


def _mail(*items, mode=Mode.IMMEDIATE):
    entries = tuple(
        pending_entry(item, "principal.whs@example.org", mode, NOW, NOW) for item in items
    )
    return OutgoingMail("principal.whs@example.org", mode, entries)


def _scripted_item(context):
    alert = make_alert()
    alert = replace(alert, evidence={**alert.evidence, "staff_post_excerpt": SCRIPT})
    return mail_item(alert, context)


class TestAlertMail:
    def test_the_console_link_carries_the_alert_id_only(self):
        """The link is public_url/incidents/<id>: no student, staff or post data in the URL."""
        rendered = render_alert_mail(_mail(make_item()), context_with())
        links = [line for line in rendered.text.splitlines() if "http://127.0.0.1:18000" in line]
        assert links and all(
            line.split("http://127.0.0.1:18000", 1)[1].strip() == f"/incidents/{'a' * 32}"
            for line in links
        )

    def test_subject_names_severity_rule_and_staff_member(self):
        """The subject says HIGH, the rule id and the staff member's roster name."""
        rendered = render_alert_mail(_mail(make_item()), context_with())
        assert rendered.subject == "[tapwatch] HIGH two_way_dialogue: Dana Okafor"

    def test_both_parts_say_what_when_where_and_how_to_acknowledge(self):
        """Summary, policy line, local time, platform, post link, record and ack command."""
        rendered = render_alert_mail(_mail(make_item()), context_with())
        for part in (rendered.text, rendered.html):
            assert "replied to a student" in part
            assert "social media with students is one-way" in part
            assert "Mon 05 Oct 2026, 14:00 CDT" in part
            assert "twitter" in part
            assert "https://x.com/CoachOkafor/status/1700000000000000001" in part
            assert f"http://127.0.0.1:18000/incidents/{'a' * 32}" in part
            assert "tapwatch incidents" not in part

    def test_without_a_console_or_record_url_no_cli_instructions_remain(self):
        """No link configured: the mail names the incident, never a server command."""
        rendered = render_alert_mail(_mail(make_item()), context_with(console=False))
        for part in (rendered.text, rendered.html):
            assert f"incident {'a' * 32}" in part
            assert "tapwatch incidents" not in part

    def test_a_posts_html_and_script_arrive_as_text(self):
        """The HTML part escapes the quoted post: no script element, no live markup."""
        rendered = render_alert_mail(_mail(_scripted_item(context_with())), context_with())
        assert "<script" not in rendered.html and "<b>bold" not in rendered.html
        assert "&lt;script&gt;" in rendered.html
        assert SCRIPT in rendered.text

    def test_record_url_is_linked_when_the_district_sets_it(self):
        """With notifications.record_url the record and acknowledgement point at the page."""
        context = context_with(
            record_url="https://review.example.org/alerts/{alert_id}", console=False
        )
        rendered = render_alert_mail(_mail(make_item(context)), context)
        link = f"https://review.example.org/alerts/{'a' * 32}"
        assert f'<a href="{link}">' in rendered.html
        assert link in rendered.text

    def test_only_http_links_are_made(self):
        """A javascript: or data: post URL is never a link."""
        assert safe_link("javascript:alert(1)") is None
        assert safe_link("data:text/html,hi") is None
        assert safe_link("https://x.com/a") == "https://x.com/a"
        item = make_item(post_url="javascript:alert(1)")
        rendered = render_alert_mail(_mail(item), context_with())
        assert "javascript:" not in rendered.html

    def test_several_rules_of_one_post_are_one_mail(self):
        """Two alerts about one post: one mail naming both rules, worst first."""
        other = make_item(alert_id="b" * 32, rule="personal_page", severity="medium")
        rendered = render_alert_mail(_mail(make_item(), other), context_with())
        assert rendered.subject == "[tapwatch] HIGH two_way_dialogue, personal_page: Dana Okafor"


class TestDigestAndMessage:
    def test_digest_lists_every_alert_once_by_staff_member(self):
        """A digest of two alerts names both staff members and counts two."""
        first = make_item(severity="low")
        second = make_item(
            alert_id="c" * 32, staff_id="t-ayers", severity="medium", post_id="9", evidence={}
        )
        mail = _mail(first, second, mode=Mode.DIGEST)
        rendered = render_digest(mail, context_with(), NOW + timedelta(hours=17))
        assert rendered.subject == "[tapwatch] Daily digest 2026-10-06: 2 alerts"
        assert "Dana Okafor" in rendered.text and "Morgan Ayers" in rendered.text
        assert rendered.text.count("Acknowledge:") == 2

    def test_message_has_a_text_and_an_html_part_and_the_message_id(self):
        """The MIME message is multipart/alternative with text/plain then text/html."""
        mail = _mail(make_item())
        rendered = render_alert_mail(mail, context_with())
        message = build_message(
            rendered, "tapwatch@localhost", mail.recipient, mail.message_id, mail.item_ids, NOW
        )
        parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
        assert parsed.get_content_type() == "multipart/alternative"
        types = [part.get_content_type() for part in parsed.iter_parts()]
        assert types == ["text/plain", "text/html"]
        assert parsed["Message-ID"] == mail.message_id

    def test_ops_mail_names_the_component(self):
        """District IT's mail names the overdue component and when it became overdue."""
        item = OpsItem("o1", "wilmington-209u", "connector:x", "connector x is overdue", "d", NOW)
        context = context_with()
        rendered = render_ops_mail(item, context.settings.name, context.settings.zone)
        assert "connector x is overdue" in rendered.subject
        assert "connector:x" in rendered.text and "connector:x" in rendered.html
