"""Unit tests of the rule registry (classifiers/registry.py): one entry per rule, read by all."""

import ast
import importlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from alerts.alert import build_alert
from alerts.alert_codec import alert_from_json, alert_to_json
from alerts.errors import InvalidAlert
from classifiers.finding import Finding, Severity
from classifiers.registry import RULES, RuleSet
from classifiers.rule import Rule, RuleAbout
from ingest.post import post_to_json
from streams.pipeline import RawRecord, detect_batch
from streams.thread_store import EncodedThreadStore
from tapwatch.commands.rules import explain, explain_post
from tests.builders import SAMPLE_DISTRICT, SAMPLE_X, make_post, sample_context

ROOT = Path(__file__).resolve().parents[3]
SOURCE_PACKAGES = ("core", "ingest", "policy", "classifiers", "streams", "alerts", "deploy")
NOW = datetime(2026, 10, 5, 23, 1, tzinfo=UTC)
DUMMY_ID = "dummy_rule"


def _dummy_detect(post, context):
    if "dummy" not in post.text:
        return ()
    return (Finding(DUMMY_ID, Severity.LOW, "t-ayers", "Morgan Ayers wrote dummy."),)


DUMMY = Rule(
    DUMMY_ID,
    RuleAbout(checks="writes the word dummy", severity="low", policy="no dummies"),
    lambda post, context: "no dummy word",
    detect=_dummy_detect,
)


def _modules_defining_rule():
    """Every classifiers module that assigns RULE at module level: the rule modules."""
    found = {}
    for path in sorted((ROOT / "classifiers").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if any(isinstance(t, ast.Name) and t.id == "RULE" for t in targets):
                name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                found[name] = importlib.import_module(name).RULE
    return found


def _rule_id_lists(path):
    """Line numbers of literal collections in a module holding two or more rule ids."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict):
            continue
        items = node.keys if isinstance(node, ast.Dict) else node.elts
        ids = [
            item
            for item in items
            if (isinstance(item, ast.Constant) and item.value in RULES)
            or (isinstance(item, ast.Attribute) and item.attr == "RULE")
        ]
        if len(ids) >= 2:
            lines.append(node.lineno)
    return lines


class TestOneEntryPerRule:
    def test_every_rule_module_is_registered_exactly_once(self):
        """Each module with a RULE constant has one registry entry, and no entry lacks one."""
        modules = _modules_defining_rule()
        ids = list(modules.values())
        assert len(ids) == len(set(ids)), modules
        assert sorted(ids) == sorted(RULES), modules

    def test_no_other_module_lists_rule_ids(self):
        """Only the registry holds a list of rule ids; the rest read it."""
        listed = {
            str(path.relative_to(ROOT)): lines
            for package in (*SOURCE_PACKAGES, "tapwatch")
            for path in sorted((ROOT / package).rglob("*.py"))
            if (lines := _rule_id_lists(path)) and path.name != "registry.py"
        }
        assert listed == {}

    def test_a_rule_registered_twice_is_refused(self):
        """Two entries with one id are a mistake the registry refuses at import."""
        with pytest.raises(ValueError, match="registered twice"):
            RULES.with_rule(RULES["school_hours"])

    def test_a_rule_needs_exactly_one_detector(self):
        """An entry is either a per-post rule or a batch rule, never both or neither."""
        with pytest.raises(ValueError, match="exactly one"):
            Rule("nothing", DUMMY.about, DUMMY.explain)


class TestAddingARule:
    """A dummy rule added through the registry alone reaches every reader of it."""

    RULES = RULES.with_rule(DUMMY)

    def test_worker_detection_raises_it(self):
        """detect_batch runs the added rule on each post and publishes its alert."""
        post = make_post(text="a dummy post", created_at=datetime(2026, 10, 5, 23, 0, tzinfo=UTC))
        record = RawRecord(post_to_json(post), b"k", "tapwatch-posts", 0, 0)
        outcome = detect_batch(
            [record], lambda _: sample_context(), EncodedThreadStore(), NOW, rules=self.RULES
        )
        assert [alert.rule for alert in outcome.alerts] == [DUMMY_ID]

    def test_worker_builds_its_batch_detector_around_the_model(self):
        """A batch rule's factory gets the loaded model, and detect_batch runs what it built."""
        seen = []

        class FlagAll:
            def detect_batch(self, posts, contexts):
                return [(Finding("batch_dummy", Severity.LOW, "t-ayers", "s"),) for _ in posts]

        def factory(model):
            seen.append(model)
            return FlagAll()

        batch_rule = Rule("batch_dummy", DUMMY.about, DUMMY.explain, batch=factory)
        rules = RuleSet([batch_rule])
        record = RawRecord(post_to_json(make_post()), b"k", "tapwatch-posts", 0, 0)
        outcome = detect_batch(
            [record],
            lambda _: sample_context(),
            EncodedThreadStore(),
            NOW,
            batch_detectors=rules.batch_detectors("the model"),
            rules=rules,
        )
        assert seen == ["the model"]
        assert [alert.rule for alert in outcome.alerts] == ["batch_dummy"]

    def test_rules_explain_shows_its_decision_and_reason(self, capsys):
        """`rules explain` prints the added rule's reason for every post it did not raise."""
        assert explain(SAMPLE_DISTRICT, "twitter", [SAMPLE_X / "dm_events.jsonl"], self.RULES) == 0
        assert capsys.readouterr().out.count(f"  {DUMMY_ID}: not raised: no dummy word") == 2

    def test_rules_explain_shows_it_raised(self):
        """A post that breaks the added rule shows RAISED with its summary."""
        lines = explain_post(make_post(text="dummy"), sample_context(), rules=self.RULES)
        assert f"  {DUMMY_ID}: RAISED (low) Morgan Ayers wrote dummy." in lines

    def test_alert_validation_accepts_it(self):
        """An alert of the added rule decodes against the extended registry."""
        [finding] = _dummy_detect(make_post(text="dummy"), sample_context())
        alert = build_alert(make_post(text="dummy"), finding, NOW)
        assert alert_from_json(alert_to_json(alert), self.RULES) == alert

    def test_alert_validation_refuses_it_without_the_entry(self):
        """Without the registry entry the same alert is refused as an unknown rule."""
        [finding] = _dummy_detect(make_post(text="dummy"), sample_context())
        payload = alert_to_json(build_alert(make_post(text="dummy"), finding, NOW))
        with pytest.raises(InvalidAlert, match="unknown rule"):
            alert_from_json(payload)
