"""The outbox recipient check: only the alert's principals and the district's IT may be mailed."""

from __future__ import annotations

from dataclasses import replace

from alerts.mail.outbox import Mode, State, pending_entry
from alerts.mail.planner import MailPlanner
from alerts.mail.recipient_check import is_routed
from tests.unit.alerts.mail.mail_builders import NOW, context_with, make_item

WHS_PRINCIPAL = "principal.whs@example.org"
IT = "it@wilmington.example.org"


def _entry(recipient: str):
    return pending_entry(make_item(), recipient, Mode.IMMEDIATE, NOW, NOW)


class TestIsRouted:
    def test_the_buildings_principal_is_routed(self) -> None:
        """The principal routing chose for the alert's building passes (case-insensitive)."""
        assert is_routed(_entry(WHS_PRINCIPAL.upper()), context_with())

    def test_the_districts_it_address_is_routed(self) -> None:
        """An IT address of the district passes."""
        assert is_routed(_entry(IT), context_with(it_emails=(IT,)))

    def test_a_stranger_is_refused(self) -> None:
        """An address no routing names (a forged outbox entry) is refused."""
        assert not is_routed(_entry("attacker@evil.example"), context_with(it_emails=(IT,)))

    def test_another_buildings_principal_is_refused(self) -> None:
        """The middle school's principal may not receive the high school's alert."""
        entry = _entry(WHS_PRINCIPAL)
        other = replace(entry, item=replace(make_item(), building_id="org-wms"))
        assert not is_routed(other, context_with())

    def test_an_entry_claiming_another_district_is_refused(self) -> None:
        """An entry whose district is not the context's is refused outright."""
        entry = replace(_entry(WHS_PRINCIPAL), district_id="zeta-unified")
        assert not is_routed(entry, context_with())


class TestPlannerRefusal:
    def test_a_forged_pending_entry_is_marked_failed_and_counted(self) -> None:
        """On load, a pending entry to a stranger becomes failed and is counted; others stay."""
        context = context_with()
        planner = MailPlanner()
        planner.record([_entry(WHS_PRINCIPAL), _entry("attacker@evil.example")])
        refused = planner.refuse_unrouted(lambda _: context, NOW)
        assert [(e.recipient, e.state) for e in refused] == [
            ("attacker@evil.example", State.FAILED)
        ]
        assert planner.refused == 1
        assert [e.recipient for e in planner.outbox.pending()] == [WHS_PRINCIPAL]

    def test_entries_of_an_unloaded_district_wait(self) -> None:
        """Without the district's context nothing is decided: the entry stays pending."""
        planner = MailPlanner()
        planner.record([_entry("attacker@evil.example")])
        assert planner.refuse_unrouted(lambda _: None, NOW) == []
        assert len(planner.outbox.pending()) == 1
