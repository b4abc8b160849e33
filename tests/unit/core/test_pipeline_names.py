import pytest

from core.pipeline_names import PipelineNames


class TestPipelineNames:
    def test_default_names_are_the_contract_names(self):
        """Without a namespace the topics, group and index carry their plain names."""
        names = PipelineNames()
        assert (names.posts, names.group_id, names.alerts_index) == (
            "tapwatch-posts",
            "tapwatch",
            "tapwatch-alerts",
        )

    def test_namespace_suffixes_everything_and_keeps_the_alerts_pattern(self):
        """A namespace suffixes every name; the index still matches tapwatch-alerts*."""
        names = PipelineNames("t1")
        assert names.posts_deadletter == "tapwatch-posts-deadletter-t1"
        assert names.group_id == "tapwatch-t1"
        assert names.alerts_index.startswith("tapwatch-alerts")

    def test_namespace_with_unsafe_characters_is_refused(self):
        """A namespace that could not name a Kafka topic and an index is refused."""
        with pytest.raises(ValueError, match="namespace"):
            PipelineNames("Bad Name/..")


class TestConversationPartitioning:
    def test_table_partition_matches_the_posts_producers_partitioner(self):
        """The state partition of a key equals the one aiokafka's default partitioner picks."""
        from aiokafka.partitioner import DefaultPartitioner

        from streams.thread_table import kafka_default_partition

        for key in (b"wilmington-209u:twitter:1", b"d:facebook:thread-42", b"x" * 300):
            expected = DefaultPartitioner()(key, list(range(12)), list(range(12)))
            assert kafka_default_partition(key, 12) == expected


class TestIndexPatterns:
    @pytest.mark.parametrize("namespace", ["", "t1"])
    def test_patterns_match_no_other_namespace(self, namespace):
        """A reader's target is this pipeline's index only: no `*` reaching `-t10` or `-t1`."""
        names = PipelineNames(namespace)
        for pattern, index in (
            (names.alerts_pattern, names.alerts_index),
            (names.posts_pattern, names.posts_index),
            (names.audit_pattern, names.audit_index),
        ):
            assert pattern == index and "*" not in pattern
