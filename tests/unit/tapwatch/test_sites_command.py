"""`tapwatch sites check`'s status-board entry and the watchdog that reads it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts.ops_alerts import overdue_ops_alerts
from tapwatch.commands.sites import sites_status
from tapwatch.status_report import render_status

START = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)


class TestSitesStatus:
    def test_a_scheduled_check_two_rounds_late_raises_an_ops_alert_for_it(self):
        """Checked every hour, last success three hours ago: IT's watchdog raises one alert."""
        status = sites_status("wilmington-209u", 1.0, START).succeeded(START, failing=0)
        [alert] = overdue_ops_alerts({status.component: status}, START + timedelta(hours=3))
        assert (alert.component, alert.component_kind) == ("sites:wilmington-209u", "sites")
        assert alert.district_id == "wilmington-209u"

    def test_a_scheduled_check_within_two_rounds_is_not_overdue(self):
        """Ninety minutes after a success of an hourly check is still on time."""
        status = sites_status("wilmington-209u", 1.0, START).succeeded(START, failing=0)
        assert overdue_ops_alerts({status.component: status}, START + timedelta(minutes=90)) == []

    def test_a_one_off_check_is_never_overdue(self):
        """Without --every-hours nothing is expected of the checker later."""
        status = sites_status("wilmington-209u", None, START).succeeded(START, failing=0)
        assert overdue_ops_alerts({status.component: status}, START + timedelta(days=30)) == []

    def test_the_status_table_shows_the_next_round_and_the_last_error(self):
        """`tapwatch status` names when the scheduled check runs next, and why it failed."""
        status = sites_status("wilmington-209u", 6.0, START).failed(
            START, "Elasticsearch: unavailable", next_check_at="2026-10-05T18:00:00+00:00"
        )
        [row] = [
            line
            for line in render_status({status.component: status}, [], START).splitlines()
            if line.startswith("sites:")
        ]
        assert "2026-10-05T18:00:00+00:00" in row and "Elasticsearch: unavailable" in row
