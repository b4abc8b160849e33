"""The final-state checks every fault case makes: indices equal the expected sets."""

from __future__ import annotations

from core.pipeline_names import PipelineNames
from tests.faults.conftest import index_ids
from tests.faults.workload import Workload


def assert_indices_match(names: PipelineNames, workload: Workload) -> None:
    """Each expected alert present exactly once and nothing else; each post indexed once."""
    alert_ids = index_ids(names.alerts_index)
    assert len(alert_ids) == len(set(alert_ids))
    missing = workload.expected_alert_ids - set(alert_ids)
    extra = set(alert_ids) - workload.expected_alert_ids
    assert not missing and not extra, f"{len(missing)} missing, {len(extra)} unexpected alerts"
    post_ids = index_ids(names.posts_index)
    expected_posts = {
        f"{post.district_id}:{post.platform}:{post.post_id}:{post.version}"
        for post in workload.posts
    }
    assert len(post_ids) == len(set(post_ids))
    assert set(post_ids) == expected_posts, (
        f"{len(expected_posts - set(post_ids))} posts missing, "
        f"{len(set(post_ids) - expected_posts)} unexpected"
    )
