"""Tests of Elasticsearch's rendered configuration and command line."""

from pathlib import Path

import yaml

from deploy import es_server


class TestRenderElasticsearchYml:
    def test_single_node_on_loopback_with_the_given_ports(self):
        """One node, bound to 127.0.0.1 (so bootstrap checks stay warnings), on our ports."""
        settings = yaml.safe_load(es_server.render_elasticsearch_yml(19200, 19300))
        assert settings["discovery.type"] == "single-node"
        assert settings["network.host"] == "127.0.0.1"
        assert settings["http.port"] == 19200
        assert settings["transport.port"] == 19300

    def test_security_is_on_without_tls(self):
        """The local node wants credentials, as production does; plain HTTP on loopback."""
        settings = yaml.safe_load(es_server.render_elasticsearch_yml(1, 2))
        assert settings["xpack.security.enabled"] is True
        assert settings["xpack.security.http.ssl.enabled"] is False

    def test_roles_file_holds_one_role_per_line(self):
        """roles.yml parses back to the roles given (JSON lines are YAML)."""
        roles = {"tapwatch-worker": {"cluster": ["monitor"], "indices": []}}
        assert yaml.safe_load(es_server.render_roles_yml(roles)) == roles

    def test_disk_watermarks_are_absolute_free_space_values(self):
        """Watermarks are byte sizes, so a large, mostly full disk does not go read-only."""
        settings = yaml.safe_load(es_server.render_elasticsearch_yml(1, 2))
        assert settings["cluster.routing.allocation.disk.watermark.flood_stage"] == "512mb"
        assert settings["cluster.routing.allocation.disk.watermark.low"] == "2gb"


class TestJvmOptions:
    def test_heap_is_bounded(self, tmp_path: Path):
        """The heap starts at 512 MB and may grow to 1 GB."""
        lines = es_server.render_jvm_options(tmp_path).splitlines()
        assert "-Xms512m" in lines
        assert "-Xmx1g" in lines


class TestWriteConfig:
    def _fake_home(self, tmp_path: Path) -> Path:
        home = tmp_path / "home"
        (home / "config").mkdir(parents=True)
        (home / "config" / "log4j2.properties").write_text("status = error\n")
        (home / "config" / "elasticsearch.yml").write_text("cluster.name: stock\n")
        return home

    def test_distribution_files_are_copied_and_our_settings_win(self, tmp_path: Path):
        """log4j2.properties comes from the distribution; elasticsearch.yml is ours."""
        files = es_server.EsFiles(tmp_path / "es")
        es_server.write_config(files, self._fake_home(tmp_path), 19200, 19300)
        assert (files.config_dir / "log4j2.properties").read_text() == "status = error\n"
        written = yaml.safe_load((files.config_dir / "elasticsearch.yml").read_text())
        assert written["cluster.name"] == es_server.CLUSTER_NAME

    def test_a_keystore_from_an_earlier_start_is_kept(self, tmp_path: Path):
        """Rewriting the config does not delete the keystore Elasticsearch created."""
        files = es_server.EsFiles(tmp_path / "es")
        home = self._fake_home(tmp_path)
        es_server.write_config(files, home, 1, 2)
        (files.config_dir / "elasticsearch.keystore").write_bytes(b"keystore")
        es_server.write_config(files, home, 1, 2)
        assert (files.config_dir / "elasticsearch.keystore").read_bytes() == b"keystore"


class TestServerCommand:
    def test_command_names_the_stack_dir_so_the_pid_check_can_find_it(self, tmp_path: Path):
        """The data and log paths are on the command line, inside the node's base dir."""
        files = es_server.EsFiles(tmp_path / "es")
        command = es_server.server_command(tmp_path / "home", files)
        assert command[0] == str(tmp_path / "home" / "bin" / "elasticsearch")
        assert f"path.data={files.data_dir}" in command
        assert all(str(files.base) in part for part in command if part.startswith("path."))


def test_update_roles_rewrites_a_changed_roles_file_only(tmp_path: Path) -> None:
    """A running node's roles.yml is rewritten when the roles change, and left alone when not."""
    roles: dict[str, dict[str, object]] = {"r": {"cluster": [], "indices": []}}
    (es_server.EsFiles(tmp_path).config_dir).mkdir(parents=True)
    assert es_server.update_roles(tmp_path, roles) is True
    assert es_server.update_roles(tmp_path, roles) is False
    changed: dict[str, dict[str, object]] = {"r": {"cluster": ["monitor"], "indices": []}}
    assert es_server.update_roles(tmp_path, changed) is True
    path = es_server.EsFiles(tmp_path).config_dir / "roles.yml"
    assert yaml.safe_load(path.read_text()) == changed
