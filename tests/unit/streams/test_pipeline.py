import json
from datetime import UTC, datetime

from classifiers.registry import RuleSet
from classifiers.rule import Rule, RuleAbout
from ingest.post import post_to_json
from streams.pipeline import RawRecord, detect_batch
from streams.thread_store import EncodedThreadStore
from tests.builders import STUDENT_JORDAN, make_post, make_reply, sample_context

NOW = datetime(2026, 10, 5, 23, 1, tzinfo=UTC)
AFTER_SCHOOL = datetime(2026, 10, 5, 23, 0, tzinfo=UTC)  # 18:00 local: no school_hours


def _record(value, offset=0):
    return RawRecord(value=value, key=b"k", topic="tapwatch-posts", partition=0, offset=offset)


DictThreads = EncodedThreadStore
ABOUT = RuleAbout(checks="test", severity="low", policy="test")


def _contexts(district_id):
    return sample_context() if district_id == "wilmington-209u" else None


class TestDetectBatch:
    def test_reply_to_student_becomes_an_alert(self):
        """A valid post that breaks a rule yields one alert document."""
        reply = make_reply(STUDENT_JORDAN, created_at=AFTER_SCHOOL)
        outcome = detect_batch([_record(post_to_json(reply))], _contexts, DictThreads(), NOW)
        [alert] = outcome.alerts
        assert alert.rule == "two_way_dialogue"
        assert outcome.dead_letters == []

    def test_alerts_carry_the_staff_and_building_names_of_the_district(self):
        """The worker names the staff member and the school from the district's roster."""
        reply = make_reply(STUDENT_JORDAN, created_at=AFTER_SCHOOL)
        outcome = detect_batch([_record(post_to_json(reply))], _contexts, DictThreads(), NOW)
        [alert] = outcome.alerts
        assert (alert.staff_name, alert.building_name) == (
            "Morgan Ayers",
            "Wilmington High School",
        )

    def test_replayed_reply_gives_one_alert_per_id(self):
        """A reply seen again (a replay after a crash) still yields each alert id once."""
        reply = post_to_json(make_reply(STUDENT_JORDAN, created_at=AFTER_SCHOOL))
        threads = DictThreads()
        detect_batch([_record(reply)], _contexts, threads, NOW)
        outcome = detect_batch([_record(reply, 1), _record(reply, 2)], _contexts, threads, NOW)
        [alert] = outcome.alerts
        assert alert.rule == "two_way_dialogue"

    def test_clean_post_gives_nothing(self):
        """A one-way post after school yields neither alerts nor dead letters."""
        post = make_post(created_at=AFTER_SCHOOL)
        outcome = detect_batch([_record(post_to_json(post))], _contexts, DictThreads(), NOW)
        assert (outcome.alerts, outcome.dead_letters, outcome.decoded_posts) == ([], [], [post])

    def test_posts_of_an_unloaded_district_are_decoded_for_the_index_and_dead_lettered(self):
        """The posts index keeps every post that decoded; only detection needs the district."""
        stray = make_post(district_id="not-loaded", created_at=AFTER_SCHOOL)
        outcome = detect_batch([_record(post_to_json(stray))], _contexts, DictThreads(), NOW)
        assert outcome.decoded_posts == [stray]
        [letter] = outcome.dead_letters
        assert "is not loaded" in letter.reason

    def test_malformed_record_is_dead_lettered_and_the_next_is_processed(self):
        """Broken JSON goes to the dead letters with its offset; the following post still runs."""
        reply = make_reply(STUDENT_JORDAN, created_at=AFTER_SCHOOL)
        records = [_record(b"{not json", 7), _record(post_to_json(reply), 8)]
        outcome = detect_batch(records, _contexts, DictThreads(), NOW)
        [letter] = outcome.dead_letters
        assert letter.offset == 7 and "not valid JSON" in letter.reason
        assert len(outcome.alerts) == 1

    def test_unknown_district_is_dead_lettered(self):
        """A post of a district no worker has loaded is dead-lettered, not dropped."""
        post = make_post(district_id="elsewhere")
        [letter] = detect_batch(
            [_record(post_to_json(post))], _contexts, DictThreads(), NOW
        ).dead_letters
        assert "not loaded" in letter.reason

    def test_failing_detector_is_dead_lettered_not_raised(self):
        """A detector that raises costs one dead letter; the batch carries on."""

        def broken(post, context):
            raise RuntimeError("boom")

        outcome = detect_batch(
            [_record(post_to_json(make_post()))],
            _contexts,
            DictThreads(),
            NOW,
            rules=RuleSet([Rule("broken", ABOUT, lambda post, context: "", detect=broken)]),
        )
        [letter] = outcome.dead_letters
        assert "detector broken failed" in letter.reason

    def test_dead_letter_json_keeps_value_and_reason(self):
        """The dead-letter record holds the reason, the source offset and the original value."""
        [letter] = detect_batch(
            [_record(b"\xff\xfe", 3)], _contexts, DictThreads(), NOW
        ).dead_letters
        body = json.loads(letter.to_json(NOW))
        assert body["offset"] == 3 and body["value_encoding"] == "base64"
        assert body["reason"].startswith("invalid post")


class FlakyBatchDetector:
    """Raises for any batch holding the poisoned post; flags every other post."""

    def __init__(self, poisoned_id):
        self.poisoned_id = poisoned_id
        self.calls = 0

    def detect_batch(self, posts, contexts):
        from classifiers.finding import Finding, Severity

        self.calls += 1
        if any(p.post_id == self.poisoned_id for p in posts):
            raise RuntimeError("poison")
        return [(Finding("inappropriate_content", Severity.LOW, "t-ayers", "s"),) for _ in posts]


class TestBatchDetectors:
    def _records(self):
        posts = [make_post(post_id=f"90{i}", created_at=AFTER_SCHOOL) for i in range(3)]
        return [_record(post_to_json(p), i) for i, p in enumerate(posts)]

    def _detect(self, detector):
        return detect_batch(
            self._records(),
            _contexts,
            DictThreads(),
            NOW,
            batch_detectors={"inappropriate_content": detector},
        )

    def test_batch_detector_is_called_once_per_batch(self):
        """A batch detector classifies the whole batch in one call."""
        detector = FlakyBatchDetector("none")
        outcome = self._detect(detector)
        assert detector.calls == 1
        assert len([a for a in outcome.alerts if a.rule == "inappropriate_content"]) == 3

    def test_batch_detector_alerts_carry_names(self):
        """Alerts of a batch detector are named from each post's own district context."""
        outcome = self._detect(FlakyBatchDetector("none"))
        names = {a.staff_name for a in outcome.alerts if a.rule == "inappropriate_content"}
        assert names == {"Morgan Ayers"}

    def test_failing_batch_falls_back_to_single_posts_and_dead_letters_the_culprit(self):
        """When the batch call fails, posts are retried one by one; only the bad one is lost."""
        detector = FlakyBatchDetector("901")
        outcome = self._detect(detector)
        flagged = sorted(a.post_id for a in outcome.alerts if a.rule == "inappropriate_content")
        assert flagged == ["900", "902"]
        [letter] = outcome.dead_letters
        assert letter.offset == 1 and "inappropriate_content failed" in letter.reason
