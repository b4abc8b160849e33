"""The worker's partition check: which topics disagree with the partition setting."""

from __future__ import annotations

from core.kafka_admin import partition_mismatches


def _topic(name: str, partitions: int) -> dict[str, object]:
    return {"name": name, "error_code": 0,
            "partitions": [{"partition_index": p} for p in range(partitions)]}


def test_topics_with_the_configured_count_pass():
    """Posts and changelog with the configured count: nothing to report."""
    assert partition_mismatches([_topic("posts", 4), _topic("changelog", 4)], 4) == []


def test_each_topic_with_another_count_is_named_with_its_count():
    """A posts topic grown to 8 (or a worker set to 8) is named with what it has."""
    described = [_topic("posts", 8), _topic("changelog", 4)]
    assert partition_mismatches(described, 4) == [("posts", 8)]
    assert partition_mismatches(described, 8) == [("changelog", 4)]
