"""Operational alerts: one per overdue episode of a component."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts.ops_alerts import overdue_ops_alerts
from core.component_status import new_status

START = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)


def _board(*statuses):
    return {status.component: status for status in statuses}


class TestOverdueOpsAlerts:
    def test_only_overdue_components_raise(self):
        """A healthy component raises nothing; the stalled one raises one alert."""
        healthy = new_status("connector:d:x:1:timeline", "connector", START, max_interval_s=600)
        stalled = new_status("connector:d:x:2:timeline", "connector", START, max_interval_s=600)
        now = START + timedelta(minutes=30)
        board = _board(
            healthy.succeeded(now - timedelta(minutes=1)),
            stalled.succeeded(START).failed(now, "HTTP 401: token expired"),
        )
        [alert] = overdue_ops_alerts(board, now)
        assert alert.component == "connector:d:x:2:timeline"
        assert alert.overdue_since == START + timedelta(minutes=10)
        assert "token expired" in alert.summary

    def test_same_episode_same_id(self):
        """Checking the same stall again later gives the same alert id."""
        stalled = new_status("c", "connector", START, max_interval_s=60).succeeded(START)
        first = overdue_ops_alerts(_board(stalled), START + timedelta(minutes=5))
        later = overdue_ops_alerts(_board(stalled), START + timedelta(hours=5))
        assert first[0].ops_alert_id == later[0].ops_alert_id

    def test_new_stall_after_recovery_is_a_new_episode(self):
        """A success then another stall raises a new alert."""
        status = new_status("c", "connector", START, max_interval_s=60).succeeded(START)
        first = overdue_ops_alerts(_board(status), START + timedelta(minutes=5))
        recovered = status.succeeded(START + timedelta(minutes=6))
        second = overdue_ops_alerts(_board(recovered), START + timedelta(minutes=10))
        assert first[0].ops_alert_id != second[0].ops_alert_id
