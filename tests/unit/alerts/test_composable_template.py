"""The one index-template shape: every tapwatch index gets the same base, its own extras."""

from alerts.audit_index_template import AUDIT_TEMPLATE
from alerts.composable_template import BASE_SETTINGS, DEFAULT_PRIORITY, ComposableTemplate
from alerts.ops_writer import OPS_TEMPLATE
from alerts.posts_index_template import POSTS_TEMPLATE

TEMPLATE = ComposableTemplate(
    name="tapwatch-things",
    pattern="tapwatch-things*",
    mappings={"dynamic": "false", "properties": {"at": {"type": "date"}}},
    description="things",
    settings={"refresh_interval": "2s"},
)


class TestComposableTemplate:
    def test_body_covers_the_pattern_with_the_mappings(self):
        """The body names the pattern, the default priority, the mappings and the description."""
        body = TEMPLATE.body()
        assert body["index_patterns"] == ["tapwatch-things*"]
        assert body["priority"] == DEFAULT_PRIORITY
        assert body["template"]["mappings"] is TEMPLATE.mappings
        assert body["_meta"] == {"description": "things"}

    def test_extra_settings_join_the_base(self):
        """A template's own settings are added to the single-shard base settings."""
        assert TEMPLATE.body()["template"]["settings"] == {
            **BASE_SETTINGS,
            "refresh_interval": "2s",
        }

    def test_every_index_shares_the_base_settings(self):
        """Posts, audit and ops indices are single-shard with replicas only on a cluster."""
        for template in (POSTS_TEMPLATE, AUDIT_TEMPLATE, OPS_TEMPLATE):
            assert template.body()["template"]["settings"] == dict(BASE_SETTINGS)
