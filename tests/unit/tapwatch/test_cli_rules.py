from tapwatch.cli import main
from tests.builders import SAMPLE_DISTRICT, SAMPLE_X


def _explain(sample_file):
    """Run `tapwatch rules explain` on one sample X file of the sample district."""
    return main(
        [
            "rules",
            "explain",
            "--district",
            str(SAMPLE_DISTRICT),
            "--platform",
            "twitter",
            str(SAMPLE_X / sample_file),
        ]
    )


class TestRulesExplain:
    def test_each_post_gets_every_rules_decision(self, capsys):
        """Every post of the file is listed with one decision line per registered rule."""
        from classifiers.registry import RULES

        assert _explain("dm_events.jsonl") == 0
        out = capsys.readouterr().out
        assert out.count("post 17000000000000000") == 2
        for rule in RULES.detectors:
            assert out.count(f"  {rule}: ") >= 2

    def test_raised_rule_shows_summary_and_evidence(self, capsys):
        """A raised rule prints its severity, summary and evidence; the student's name never."""
        _explain("dm_events.jsonl")
        out = capsys.readouterr().out
        assert "two_way_dialogue: RAISED (high) Dana Okafor sent a direct message" in out
        assert '"exchange": "direct_message"' in out
        assert "Avery" not in out and "Lund" not in out

    def test_refused_lines_are_reported_not_raised(self, capsys):
        """Broken lines of the file are reported as refused with their reason, and exit 1."""
        assert _explain("malformed.jsonl") == 1
        assert "malformed.jsonl:1: refused: invalid JSON" in capsys.readouterr().out

    def test_rules_not_raised_say_why(self, capsys):
        """A rule that raised nothing says which of its conditions the post does not meet."""
        _explain("dm_events.jsonl")
        out = capsys.readouterr().out
        assert (
            "school_hours: not raised: Tue 2026-10-06 21:00 local is outside the school day" in out
        )
        assert "missing_consent: not raised: twitter is not texting or a messaging app" in out
        assert "two_way_dialogue: not raised: the author is not a current staff member" in out

    def test_thread_findings_use_the_files_earlier_posts(self, capsys):
        """Thread answers are judged with the file's earlier items as the thread so far."""
        _explain("timeline.jsonl")
        out = capsys.readouterr().out
        assert "two_way_dialogue (thread): RAISED for post 1600000000000000502" in out


def _explain_json(sample_file):
    return main(
        [
            "rules",
            "explain",
            "--district",
            str(SAMPLE_DISTRICT),
            "--platform",
            "twitter",
            "--json",
            str(SAMPLE_X / sample_file),
        ]
    )


class TestRulesExplainSummaryAndJson:
    def test_a_summary_line_counts_posts_decisions_and_refusals(self, capsys):
        """The last stderr line counts posts read, decisions and refused items."""
        from tapwatch.commands.args.choices import rule_ids

        assert _explain("dm_events.jsonl") == 0
        last = capsys.readouterr().err.strip().splitlines()[-1]
        assert last.startswith("2 post(s) read, ")
        # Every rule decides on both posts (make test builds the content model first).
        assert f"{2 * len(rule_ids())} decision(s)" in last
        assert last.endswith("0 item(s) refused")

    def test_json_gives_one_object_per_post_then_the_summary(self, capsys):
        """--json: every line is JSON; posts carry each rule's decision; the summary is last."""
        import json

        from tapwatch.commands.args.choices import rule_ids

        assert _explain_json("dm_events.jsonl") == 0
        rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        posts, summary = rows[:-1], rows[-1]["summary"]
        assert len(posts) == 2
        assert {d["rule"] for d in posts[0]["decisions"]} == set(rule_ids())
        raised = [d for row in posts for d in row["decisions"] if d["raised"]]
        assert raised and all("severity" in d and "evidence" in d for d in raised)
        assert summary["posts"] == 2 and summary["refused"] == 0
        assert summary["decisions"] == sum(len(row["decisions"]) for row in posts)

    def test_json_reports_refused_items_and_exits_one(self, capsys):
        """Refused items are objects with file, line and reason; the exit code is 1."""
        import json

        assert _explain_json("malformed.jsonl") == 1
        rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        refused = [row for row in rows if "refused" in row]
        assert refused[0]["line"] == 1 and "invalid JSON" in refused[0]["refused"]
        assert rows[-1]["summary"]["refused"] == len(refused)
