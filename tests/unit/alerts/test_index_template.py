"""The alerts index template: alerts become searchable faster than Elasticsearch's default."""

from alerts.index_template import ALERTS_INDEX_PATTERN, ALERTS_TEMPLATE


def test_alerts_index_refreshes_every_half_second():
    template = ALERTS_TEMPLATE.body()
    assert template["index_patterns"] == [ALERTS_INDEX_PATTERN]
    assert template["template"]["settings"]["refresh_interval"] == "500ms"
