"""The real stack: district.yaml's content.categories changes what inappropriate_content raises."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from classifiers.content.artifact import DEFAULT_MODEL_DIR
from tests.builders import SAMPLE_DISTRICT, make_post
from tests.integration.conftest import run_tapwatch, search_alerts, send_post, wait_for

DRUNK = "Still drunk from last night and hungover as hell, teaching 3rd period wasted lol"
THREAT = "If that kid mouths off to me one more time I swear I will smack him across the room."
# This checkout's model (`make model`), which has the category heads.
MODEL = {"TAPWATCH_CONTENT_MODEL": str(DEFAULT_MODEL_DIR)}


def _load(names, tmp_path: Path, alcohol: str) -> None:
    district = tmp_path / f"district-{alcohol}"
    shutil.copytree(SAMPLE_DISTRICT, district)
    yaml = district / "district.yaml"
    block = f"content:\n  categories:\n    alcohol_drugs: {{enabled: {alcohol}}}\n"
    yaml.write_text(yaml.read_text() + block)
    loaded = run_tapwatch(names, "district", "load", str(district))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr


def _content_alerts(names) -> dict[str, dict[str, object]]:
    alerts = search_alerts(names, rule="inappropriate_content")
    return {str(a["post_id"]): a for a in alerts}


@pytest.fixture(scope="module")
def tmp_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("content-categories")


def test_a_disabled_category_is_not_raised_and_an_enabled_one_is(names, worker_factory, tmp_dir):
    """With alcohol_drugs disabled a drunk-at-work post raises nothing; enabled, it raises."""
    _load(names, tmp_dir, "false")
    worker = worker_factory(**MODEL)
    send_post(names, make_post(post_id="1800000000000000001", thread_id="1800000000000000001",
                               text=DRUNK))  # fmt: skip
    send_post(names, make_post(post_id="1800000000000000002", thread_id="1800000000000000002",
                               text=THREAT))  # fmt: skip
    # The threat is in the same stream as the drunk post: once it is raised, both were read.
    wait_for(lambda: "1800000000000000002" in _content_alerts(names), 180, "the threat's alert")
    raised = _content_alerts(names)
    assert "1800000000000000001" not in raised
    threat = raised["1800000000000000002"]
    evidence = threat["evidence"]
    assert isinstance(evidence, dict)
    assert (evidence["category"], evidence["target"], threat["severity"]) == (
        "harassment_threat",
        "students",
        "high",
    )
    worker.stop()

    _load(names, tmp_dir, "true")
    worker_factory(**MODEL)
    send_post(names, make_post(post_id="1800000000000000003", thread_id="1800000000000000003",
                               text=DRUNK))  # fmt: skip
    wait_for(lambda: "1800000000000000003" in _content_alerts(names), 180, "the drunk post's alert")
    evidence = _content_alerts(names)["1800000000000000003"]["evidence"]
    assert isinstance(evidence, dict) and evidence["category"] == "alcohol_drugs"
