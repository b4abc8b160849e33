"""Unit tests of `tapwatch incidents list` output formats (table, CSV, JSON lines)."""

import csv
import io
import json

from tapwatch.commands.incidents import COLUMNS, render_csv, render_json_lines, render_table

ALERTS = [
    {
        "alert_id": "a1",
        "event_time": "2026-10-05T19:00:00Z",
        "rule": "school_hours",
        "severity": "low",
        "status": "open",
        "platform": "twitter",
        "post_id": "p1",
        "staff_id": "t-1",
        "student_ids": ["s-1", "s-2"],
        "building_id": "org-1",
        "summary": "posted, with a comma",
        "evidence": {"excerpt": "hi Jordan"},
    },
    {"alert_id": "a2", "rule": "two_way_dialogue", "student_ids": []},
]


class TestOutputs:
    def test_table_has_one_row_per_alert_and_counts_rules(self):
        """The table shows a header, each alert, and a per-rule count."""
        table = render_table(ALERTS)
        lines = table.splitlines()
        assert lines[0].split() == list(COLUMNS)
        assert "a1" in lines[1] and "s-1;s-2" in lines[1]
        assert lines[-1] == "2 alert(s): school_hours 1, two_way_dialogue 1"

    def test_table_shows_ids_not_evidence_or_summary(self):
        """Student words in evidence and summaries never reach the table."""
        table = render_table(ALERTS)
        assert "Jordan" not in table and "comma" not in table

    def test_csv_round_trips_through_a_csv_reader(self):
        """The CSV has the header and quotes nothing away."""
        rows = list(csv.DictReader(io.StringIO(render_csv(ALERTS))))
        assert [row["alert_id"] for row in rows] == ["a1", "a2"]
        assert rows[0]["student_ids"] == "s-1;s-2" and rows[1]["event_time"] == ""

    def test_json_lines_are_one_whole_document_per_line(self):
        """JSON output keeps every field, one alert per line."""
        lines = render_json_lines(ALERTS).splitlines()
        assert [json.loads(line) for line in lines] == ALERTS
