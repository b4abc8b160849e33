"""Tests of the artifact cache: reuse of complete fetches, unpacking, and fetch errors."""

import stat
import zipfile
from pathlib import Path

import pytest

from deploy import artifacts
from deploy.errors import ArtifactFetchError


def _complete_kafka_cache(cache_dir: Path) -> None:
    libs = artifacts.kafka_libs_dir(cache_dir)
    libs.mkdir(parents=True)
    (libs / f"kafka_2.13-{artifacts.KAFKA_VERSION}.jar").write_bytes(b"jar")
    (artifacts.kafka_dir(cache_dir) / artifacts.COMPLETE_MARKER).write_text("done\n")


class TestCacheReuse:
    def test_a_complete_kafka_cache_is_used_without_maven(self, tmp_path, monkeypatch):
        """With the marker present, no mvn is needed (PATH is emptied to prove it)."""
        _complete_kafka_cache(tmp_path)
        monkeypatch.setenv("PATH", "")
        messages: list[str] = []
        libs = artifacts.fetch_kafka(tmp_path, messages.append)
        assert libs == artifacts.kafka_libs_dir(tmp_path)
        assert messages == []

    def test_a_half_finished_fetch_is_not_trusted(self, tmp_path, monkeypatch):
        """A cache dir without the completion marker triggers a fetch (which fails here)."""
        _complete_kafka_cache(tmp_path)
        (artifacts.kafka_dir(tmp_path) / artifacts.COMPLETE_MARKER).unlink()
        monkeypatch.setenv("PATH", "")
        with pytest.raises(ArtifactFetchError, match="mvn is not on PATH"):
            artifacts.fetch_kafka(tmp_path, lambda _message: None)

    def test_cache_dirs_are_keyed_by_version(self, tmp_path: Path):
        """Another version gets another directory, so an upgrade never reuses old jars."""
        assert artifacts.kafka_dir(tmp_path).name == f"kafka-{artifacts.KAFKA_VERSION}"
        assert artifacts.es_home_dir(tmp_path).name == f"elasticsearch-{artifacts.ES_VERSION}"

    def test_a_failed_fetch_leaves_no_staging_dir(self, tmp_path, monkeypatch):
        """The scratch directory of a failed fetch is removed."""
        monkeypatch.setenv("PATH", "")
        with pytest.raises(ArtifactFetchError):
            artifacts.fetch_elasticsearch(tmp_path, lambda _message: None)
        assert list(tmp_path.iterdir()) == []


class TestUnzip:
    def test_exec_bits_survive_unpacking(self, tmp_path: Path):
        """bin/elasticsearch stays executable, unlike with a plain ZipFile.extractall."""
        archive = tmp_path / "dist.zip"
        with zipfile.ZipFile(archive, "w") as bundle:
            script = zipfile.ZipInfo("es/bin/elasticsearch")
            script.external_attr = (stat.S_IFREG | 0o755) << 16
            bundle.writestr(script, "#!/bin/sh\n")
            bundle.writestr(zipfile.ZipInfo("es/README"), "plain\n")
        artifacts.unzip_with_modes(archive, tmp_path / "out")
        assert (tmp_path / "out" / "es" / "bin" / "elasticsearch").stat().st_mode & 0o111
        assert (tmp_path / "out" / "es" / "README").read_text() == "plain\n"

    def test_a_corrupt_archive_raises_artifact_fetch_error(self, tmp_path: Path):
        """A truncated download is reported as a fetch error naming the file."""
        archive = tmp_path / "broken.zip"
        archive.write_bytes(b"PK\x03\x04 not really a zip")
        with pytest.raises(ArtifactFetchError, match=r"broken\.zip"):
            artifacts.unzip_with_modes(archive, tmp_path / "out")


class TestPom:
    def test_pom_versions_match_the_python_constants(self):
        """The pom's default versions are the ones the cache is keyed by."""
        pom = artifacts.POM_PATH.read_text()
        assert f"<kafka.version>{artifacts.KAFKA_VERSION}</kafka.version>" in pom
        assert f"<elasticsearch.version>{artifacts.ES_VERSION}</elasticsearch.version>" in pom
