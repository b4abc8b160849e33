"""The trained model raises nothing on the ordinary posts the repo's own workloads send.

The first category heads (reverted in c1fe786) raised "Thanks all, see you Monday" as
harassment, "yes, Monday is fine" as a high sexual remark and "Quiz answers posted" as
misconduct; the integration and fault tests that send those posts caught it only in CI.
This guard reads the checkout's trained model (`make model`, models/content) and fails
fast on the same posts, so a retrained model that raises them never reaches a merge.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from classifiers.content.artifact import DEFAULT_MODEL_DIR, load_model
from classifiers.content.decision import raised
from classifiers.content.model import ContentModel

ROOT = Path(__file__).resolve().parents[4]
IDENTITY_TERMS = ROOT / "tests" / "data" / "identity_terms.jsonl"
# Staff texts of the fault workload (tests/faults/workload.py), numbered as it numbers
# them, the integration tests (thread state and expiry, mail, pipeline, sites), bench/
# synthetic.py, and the other platforms' samples. Clean posts only: the workloads'
# deliberately offensive ones are checked by the tests that send them.
ORDINARY = (
    "Reminder: lab reports are due Friday (12)",
    "yes, Monday is fine (0)",
    "yes, Monday is fine (35)",
    "Field trip forms are online (3)",
    "Quiz answers posted (2)",
    "Quiz answers posted (57)",
    "Great game tonight! (4)",
    "Thanks all, see you Monday",
    "is the quiz open book?",
    "yes, bring your notes",
    "yes, bring your notes (one page)",
    "field trip forms are due Friday",
    "DM me if you have questions about the quiz",
    "Great game tonight, proud of the whole team!",
    "Reminder: lab reports are due Friday, bring your goggles.",
    "Congratulations to Avery Lund on winning the science fair!",
    "Text me at 555-201-7788 after practice",
    "Reminder: lab reports are due Friday (4711)",
    "Practice moved to the field house.",
    "Roster is posted in the gym.",
    "Thank you! I will be there.",
    "Will do, coach!",
    "fine",
    "Picture day is Wednesday (moved).",
    "Homecoming parade starts at 5 pm Friday. Floats line up behind the gym!",
    "Jordan Q. yes, bring it & a spare battery!",
    "Reminder: no school Monday for the teacher institute day.",
    "See everyone there",
    "Yes, rain or shine!",
    "@caseym.bsky.social yes! 9am in the gym",
    "Avery, your make-up lab is Thursday after school.",
    "Field trip forms are due Monday.",
    "Lab safety quiz is open until Friday.",
    "Proud of our 7th grade mathletes today",
    "thx mr b",
    "Bus leaves at 8.",
    "Permission slips are in the office.",
    "Quiz review is open until 7:30 pm tonight. Post your questions about cell transport here!",
)
# Share of a head's threshold an ordinary post must stay under: a retrained model (another
# machine's BLAS, a new scikit-learn) moves scores a little, never this much.
MARGIN = 0.75
# The X samples the pipeline test ingests: it expects no inappropriate_content alert.
X_SAMPLES = (ROOT / "samples" / "x" / "timeline.jsonl", ROOT / "samples" / "x" / "dm_events.jsonl")


def _x_texts() -> list[str]:
    texts = []
    for path in X_SAMPLES:
        for line in path.read_text(encoding="utf-8").splitlines():
            data = json.loads(line)["data"]
            items = data if isinstance(data, list) else [data]
            texts += [item["text"] for item in items if "text" in item]
    return texts


@pytest.fixture(scope="module")
def model() -> ContentModel:
    if not (DEFAULT_MODEL_DIR / "categories.npz").exists():
        pytest.fail(f"{DEFAULT_MODEL_DIR} has no category heads: run `make model`")
    return load_model(DEFAULT_MODEL_DIR)


def test_no_ordinary_workload_post_raises_a_category(model):
    """Every ordinary post of the repo's fixtures and workloads raises nothing."""
    texts = [*ORDINARY, *_x_texts()]
    predictions = model.classify_batch(texts)
    loud = {
        t: [c.category.value for c in raised(p)] for t, p in zip(texts, predictions, strict=True)
    }
    assert {t: c for t, c in loud.items() if c} == {}


def test_no_head_comes_near_its_threshold_on_ordinary_posts(model):
    """No head reaches MARGIN of its threshold on an ordinary post: no near miss to tip over."""
    predictions = model.classify_batch(list(ORDINARY))
    near = {
        text: (c.category.value, round(c.score, 3))
        for text, p in zip(ORDINARY, predictions, strict=True)
        for c in p.categories
        if c.score >= MARGIN * c.threshold
    }
    assert near == {}


RULES_DOC = ROOT / "docs" / "rules.md"
_DEFAULT_ROW = re.compile(r"^\s*\| `(\w+)` \|.*\| ([0-9.]+) \|$", re.MULTILINE)
# docs/rules.md shows each default threshold to three places; another machine's model
# (BLAS, onnxruntime kernels) may differ in the last of them.
DOC_TOLERANCE = 0.01


def test_the_documented_default_thresholds_are_the_trained_models(model):
    """docs/rules.md's table of defaults follows the model `make model` trains."""
    assert model.heads is not None
    documented = {name: float(value) for name, value in _DEFAULT_ROW.findall(RULES_DOC.read_text())}
    trained = {c.value: t for c, t in model.heads.default_thresholds().items()}
    assert documented.keys() == trained.keys()
    stale = {
        name: (documented[name], round(trained[name], 3))
        for name in trained
        if abs(documented[name] - trained[name]) > DOC_TOLERANCE
    }
    assert stale == {}


def test_no_identity_term_sentence_is_raised(model):
    """The sentences that only mention an identity term (bench.classifier's bias check:
    the issue's target is under 5% for each term) raise nothing in the worker."""
    texts = [
        json.loads(line)["text"]
        for line in IDENTITY_TERMS.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    predictions = model.classify_batch(texts)
    loud = [t for t, p in zip(texts, predictions, strict=True) if raised(p)]
    assert loud == []
