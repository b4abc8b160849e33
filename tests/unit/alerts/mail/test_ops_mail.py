"""Ops mails for components with and without a district, and the mailer's ops check setting."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from alerts.mail.mailer_settings import MailerSettings
from alerts.mail.ops_mail import plan_ops_mails
from alerts.mail.outbox import Mode
from alerts.ops_alerts import OpsAlert
from tests.unit.alerts.mail.mail_builders import NOW, context_with


def _alert(component: str, district_id: str | None) -> OpsAlert:
    return OpsAlert("o1", component, "connector", district_id, NOW, None, "HTTP 503", 4, NOW)


class TestOpsMailsAcrossDistricts:
    def test_a_component_without_district_goes_to_every_given_districts_it(self) -> None:
        """A district-less ops alert is planned once per loaded district's IT address."""
        contexts = {
            "wilmington-209u": context_with(it_emails=("it@wilmington.example.org",)),
            "zeta-unified": context_with(it_emails=("noc@zeta.example.org",)),
        }
        entries = plan_ops_mails([_alert("mailer", None)], contexts, NOW)
        assert [(e.district_id, e.recipient, e.mode) for e in entries] == [
            ("wilmington-209u", "it@wilmington.example.org", Mode.OPS),
            ("zeta-unified", "noc@zeta.example.org", Mode.OPS),
        ]

    def test_a_districts_component_goes_to_that_district_only(self) -> None:
        """An ops alert naming a district is not mailed to another loaded district's IT."""
        contexts = {
            "wilmington-209u": context_with(it_emails=("it@wilmington.example.org",)),
            "zeta-unified": context_with(it_emails=("noc@zeta.example.org",)),
        }
        entries = plan_ops_mails([_alert("connector:x", "zeta-unified")], contexts, NOW)
        assert [e.recipient for e in entries] == ["noc@zeta.example.org"]

    def test_a_district_not_loaded_gets_no_mail_yet(self) -> None:
        """An ops alert of a district that is not loaded plans nothing (it is planned later)."""
        contexts = {"wilmington-209u": context_with(it_emails=("it@wilmington.example.org",))}
        assert plan_ops_mails([_alert("connector:x", "zeta-unified")], contexts, NOW) == []


class TestMailerSettings:
    def test_the_ops_check_interval_defaults_to_a_minute(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without TAPWATCH_OPS_CHECK_INTERVAL_S the watchdog runs every 60 seconds."""
        monkeypatch.delenv("TAPWATCH_OPS_CHECK_INTERVAL_S", raising=False)
        assert MailerSettings().mailer_config().ops_interval_s == 60.0

    def test_the_ops_check_interval_is_read_from_the_environment(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """TAPWATCH_OPS_CHECK_INTERVAL_S sets the mailer's ops check interval."""
        monkeypatch.setenv("TAPWATCH_OPS_CHECK_INTERVAL_S", "1.5")
        assert MailerSettings().mailer_config().ops_interval_s == 1.5

    def test_a_non_positive_interval_is_refused(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """An interval of zero would check on every round: it is refused."""
        monkeypatch.setenv("TAPWATCH_OPS_CHECK_INTERVAL_S", "0")
        with pytest.raises(ValidationError):
            MailerSettings()
