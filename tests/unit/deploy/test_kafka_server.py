"""Tests of Kafka's rendered configuration and cluster id handling."""

import base64
from pathlib import Path

from deploy import kafka_server


def _properties(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {key: value for key, value in pairs}


class TestRenderServerProperties:
    def test_one_node_is_broker_and_controller_on_loopback(self, tmp_path: Path):
        """The node plays both KRaft roles and listens only on 127.0.0.1 at the given ports."""
        props = _properties(
            kafka_server.render_server_properties(tmp_path, 19092, 19093, "admin", "pw")
        )
        assert props["process.roles"] == "broker,controller"
        assert props["controller.quorum.voters"] == "1@127.0.0.1:19093"
        assert props["listeners"] == "CLIENT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
        assert props["advertised.listeners"] == "CLIENT://127.0.0.1:19092"

    def test_internal_topics_use_a_single_replica(self, tmp_path: Path):
        """Offsets and transaction topics ask for one replica, which one node can provide."""
        props = _properties(kafka_server.render_server_properties(tmp_path, 1, 2, "admin", "pw"))
        assert props["offsets.topic.replication.factor"] == "1"
        assert props["transaction.state.log.replication.factor"] == "1"
        assert props["transaction.state.log.min.isr"] == "1"

    def test_log_dirs_point_into_the_given_data_dir(self, tmp_path: Path):
        """Partitions are stored under the stack's data dir, not in /tmp."""
        props = _properties(
            kafka_server.render_server_properties(tmp_path / "data", 1, 2, "admin", "pw")
        )
        assert props["log.dirs"] == str(tmp_path / "data")

    def test_clients_authenticate_with_scram_and_acls_apply(self, tmp_path: Path):
        """Every listener wants SASL; SCRAM-SHA-512 for clients; no ACL means no access."""
        props = _properties(kafka_server.render_server_properties(tmp_path, 1, 2, "admin", "pw"))
        assert props["listener.security.protocol.map"] == (
            "CONTROLLER:SASL_PLAINTEXT,CLIENT:SASL_PLAINTEXT"
        )
        assert props["sasl.enabled.mechanisms"] == "SCRAM-SHA-512"
        assert props["authorizer.class.name"].endswith("StandardAuthorizer")
        assert props["allow.everyone.if.no.acl.found"] == "false"
        assert props["super.users"] == "User:admin"

    def test_topics_are_not_auto_created(self, tmp_path: Path):
        """A mistyped topic name fails instead of silently creating a topic."""
        props = _properties(kafka_server.render_server_properties(tmp_path, 1, 2, "admin", "pw"))
        assert props["auto.create.topics.enable"] == "false"


class TestClusterId:
    def test_new_cluster_id_is_16_bytes_in_unpadded_urlsafe_base64(self):
        """The id has the shape kafka-storage format accepts."""
        cluster_id = kafka_server.new_cluster_id()
        assert len(cluster_id) == 22
        assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16

    def test_cluster_id_is_created_once_and_then_reused(self, tmp_path: Path):
        """A restart formats nothing new: the stored id comes back unchanged."""
        path = tmp_path / "cluster-id"
        first = kafka_server.read_or_create_cluster_id(path)
        assert kafka_server.read_or_create_cluster_id(path) == first

    def test_storage_counts_as_formatted_only_with_meta_properties(self, tmp_path: Path):
        """An empty data dir still needs formatting; one with meta.properties does not."""
        assert not kafka_server.is_formatted(tmp_path)
        (tmp_path / "meta.properties").write_text("version=1\n")
        assert kafka_server.is_formatted(tmp_path)


def test_new_cluster_ids_never_start_with_a_dash():
    """A cluster id starting with '-' would be read as an option by the storage tool."""
    from deploy import kafka_server

    assert not any(kafka_server.new_cluster_id().startswith("-") for _ in range(5_000))
