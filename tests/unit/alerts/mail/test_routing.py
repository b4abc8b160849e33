"""Routing of flag emails: the principals of the staff member's building, and nobody else."""

from __future__ import annotations

from dataclasses import replace

from alerts.mail.digest import IMMEDIATE_GRACE
from alerts.mail.ops_mail import plan_ops_mails
from alerts.mail.outbox import Mode, State
from alerts.mail.routing import mode_for, plan_alert_mails, principal_recipients
from alerts.ops_alerts import OpsAlert
from policy.context import DistrictContext
from policy.model import BuildingSettings
from tests.unit.alerts.mail.mail_builders import NOW, context_with, make_item


class TestPrincipalRecipients:
    def test_district_yaml_principal_emails_are_used_for_their_building(self):
        """org-whs names principal.whs@example.org in district.yaml: only that address gets it."""
        assert principal_recipients(make_item(), context_with()) == ("principal.whs@example.org",)

    def test_without_principal_emails_the_buildings_administrators_get_it(self):
        """org-wms has no principal_emails: its OneRoster administrator (Thabo Dube) gets it."""
        item = make_item(staff_id="t-baptiste", building_id="org-wms")
        assert principal_recipients(item, context_with()) == ("t.dube@example.org",)

    def test_the_other_buildings_principals_never_get_it(self):
        """An org-whs alert never reaches the org-wms administrator, and the reverse."""
        whs = principal_recipients(make_item(), context_with())
        wms = principal_recipients(make_item(building_id="org-wms"), context_with())
        assert "t.dube@example.org" not in whs
        assert "principal.whs@example.org" not in wms

    def test_an_alert_without_a_building_takes_the_staff_members_building(self):
        """building_id missing: the roster's building of the staff member decides."""
        item = make_item(building_id=None, staff_id="t-baptiste")
        assert principal_recipients(item, context_with()) == ("t.dube@example.org",)

    def test_an_unknown_building_goes_to_nobody(self):
        """A building id that is not a school of the district has no recipients."""
        assert principal_recipients(make_item(building_id="org-district"), context_with()) == ()
        assert principal_recipients(make_item(building_id="org-nowhere"), context_with()) == ()

    def test_another_districts_alert_goes_to_nobody(self):
        """An alert of another district is never routed with this district's principals."""
        item = replace(make_item(), district_id="elsewhere-1")
        assert principal_recipients(item, context_with()) == ()

    def test_addresses_are_deduplicated_and_lower_cased(self):
        """Two spellings of one address give one recipient."""
        context = context_with()
        data = context.data
        buildings = dict(data.settings.buildings)
        buildings["org-whs"] = BuildingSettings(
            principal_emails=("Principal.WHS@example.org", "principal.whs@example.org ")
        )
        settings = replace(data.settings, buildings=buildings)
        twice = DistrictContext(replace(data, settings=settings))
        assert principal_recipients(make_item(), twice) == ("principal.whs@example.org",)


class TestPlans:
    def test_high_severity_is_due_at_once(self):
        """A high alert is queued immediate, due after the short grouping grace."""
        [entry] = plan_alert_mails(make_item(), context_with(), NOW)
        assert (entry.mode, entry.state, entry.due_at) == (
            Mode.IMMEDIATE,
            State.PENDING,
            NOW + IMMEDIATE_GRACE,
        )
        assert entry.key == f"{'a' * 32}:principal.whs@example.org"

    def test_low_and_medium_wait_for_the_digest(self):
        """Medium and low alerts are queued for the digest of the next morning."""
        assert mode_for("medium") is Mode.DIGEST and mode_for("low") is Mode.DIGEST
        [entry] = plan_alert_mails(make_item(severity="medium"), context_with(), NOW)
        assert entry.mode is Mode.DIGEST
        assert entry.due_at.isoformat() == "2026-10-06T12:00:00+00:00"  # 07:00 CDT


class TestOpsMails:
    def test_an_overdue_component_goes_to_its_districts_it_addresses(self):
        """An ops alert of the district goes to every notifications.it_emails address, at once."""
        context = context_with(it_emails=("IT@example.org", "noc@example.org"))
        alert = OpsAlert(
            "o1", "connector:x", "connector", "wilmington-209u", NOW, None, "boom", 3, NOW
        )
        entries = plan_ops_mails([alert], {"wilmington-209u": context}, NOW)
        assert [(e.recipient, e.mode, e.due_at) for e in entries] == [
            ("it@example.org", Mode.OPS, NOW),
            ("noc@example.org", Mode.OPS, NOW),
        ]

    def test_without_it_addresses_nobody_is_mailed(self):
        """A district that names no IT address gets no ops mail."""
        alert = OpsAlert("o1", "mailer", "mailer", None, NOW, None, None, 1, NOW)
        assert plan_ops_mails([alert], {"wilmington-209u": context_with()}, NOW) == []
