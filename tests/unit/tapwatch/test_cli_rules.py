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
        """Broken lines of the file are reported as refused with their reason."""
        assert _explain("malformed.jsonl") == 0
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
