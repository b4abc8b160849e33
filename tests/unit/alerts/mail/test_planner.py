"""The mail planner: alert records to outbox entries, waiting districts, duplicates, due mails."""

from __future__ import annotations

from alerts.alert_codec import alert_to_json
from alerts.mail.digest import IMMEDIATE_GRACE
from alerts.mail.outbox import Mode
from alerts.mail.planner import DistrictNotLoaded, MailPlanner
from policy.context import DistrictContext
from tests.unit.alerts.mail.mail_builders import NOW, context_with, make_alert

WHS_PRINCIPAL = "principal.whs@example.org"


def _known(context: DistrictContext):
    return lambda district_id: context if district_id == context.district_id else None


class TestPlanAlert:
    def test_a_high_alert_is_one_immediate_entry_per_principal(self) -> None:
        """A high alert from org-whs is owed at once to the building's principal."""
        planner = MailPlanner()
        entries = planner.plan_alert(alert_to_json(make_alert()), 0, 7, _known(context_with()), NOW)
        assert isinstance(entries, list)
        assert [(e.recipient, e.mode, e.due_at) for e in entries] == [
            (WHS_PRINCIPAL, Mode.IMMEDIATE, NOW + IMMEDIATE_GRACE)
        ]

    def test_an_alert_of_an_unloaded_district_waits(self) -> None:
        """No context for the district: the planner says to read the alert again later."""
        planner = MailPlanner()
        waiting = planner.plan_alert(alert_to_json(make_alert()), 0, 7, lambda _: None, NOW)
        assert waiting == DistrictNotLoaded("wilmington-209u")
        assert "wilmington-209u is not loaded" in waiting.reason

    def test_an_undecodable_record_makes_no_entry(self) -> None:
        """A record that is not an alert is dropped (logged), not retried."""
        planner = MailPlanner()
        assert planner.plan_alert(b"not json", 0, 7, _known(context_with()), NOW) == []

    def test_an_alert_without_building_is_counted_unroutable(self) -> None:
        """A building that is not a school: no entry, and the unroutable count grows."""
        planner = MailPlanner()
        payload = alert_to_json(make_alert(building_id="org-nowhere"))
        assert planner.plan_alert(payload, 0, 7, _known(context_with()), NOW) == []
        assert planner.unroutable == 1


class TestOutboxBookkeeping:
    def test_an_entry_already_recorded_is_not_fresh(self) -> None:
        """A re-read alert plans the same key again; it is queued only once."""
        planner = MailPlanner()
        context = _known(context_with())
        first = planner.plan_alert(alert_to_json(make_alert()), 0, 7, context, NOW)
        assert isinstance(first, list)
        planner.record(planner.fresh(first))
        again = planner.plan_alert(alert_to_json(make_alert()), 0, 7, context, NOW)
        assert isinstance(again, list)
        assert planner.fresh(again) == []

    def test_a_recorded_immediate_entry_is_due_and_counted_pending(self) -> None:
        """Once recorded, the high alert's mail is due after its grace and counted pending."""
        planner = MailPlanner()
        entries = planner.plan_alert(alert_to_json(make_alert()), 0, 7, _known(context_with()), NOW)
        assert isinstance(entries, list)
        planner.record(entries)
        assert [mail.recipient for mail in planner.due(NOW + IMMEDIATE_GRACE)] == [WHS_PRINCIPAL]
        assert planner.counts()["pending"] == 1
