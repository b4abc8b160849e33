"""Fetches Kafka's jars and the Elasticsearch distribution through Maven into the shared cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from deploy.errors import ArtifactFetchError

KAFKA_VERSION = "3.9.1"
ES_VERSION = "8.19.7"
KEYCLOAK_VERSION = "26.5.6"
POM_PATH = Path(__file__).resolve().parent / "local" / "pom.xml"
# Written last into a fetched directory; a directory without it is a half-finished fetch.
COMPLETE_MARKER = ".tapwatch-complete"
# How many lines of Maven's output an error carries.
OUTPUT_TAIL_LINES = 40


def kafka_dir(cache_dir: Path) -> Path:
    return cache_dir / f"kafka-{KAFKA_VERSION}"


def kafka_libs_dir(cache_dir: Path) -> Path:
    """The directory holding kafka_2.13 and every jar it needs at run time."""
    return kafka_dir(cache_dir) / "libs"


def es_home_dir(cache_dir: Path) -> Path:
    """ES_HOME of the unpacked integ-test-zip distribution (bin/, lib/, modules/, config/)."""
    return cache_dir / f"elasticsearch-{ES_VERSION}"


def is_complete(directory: Path) -> bool:
    return (directory / COMPLETE_MARKER).is_file()


def fetch_kafka(cache_dir: Path, say: Callable[[str], None]) -> Path:
    """Return Kafka's libs dir, copying the jars from Maven first unless the cache has them."""
    target = kafka_dir(cache_dir)
    if not is_complete(target):
        say(f"kafka {KAFKA_VERSION}: fetching jars with Maven into {target}")
        began = time.monotonic()
        with _staging_dir(cache_dir, target.name) as staging:
            run_maven(
                "kafka",
                [
                    "-P",
                    "kafka",
                    "dependency:copy-dependencies",
                    f"-Dkafka.version={KAFKA_VERSION}",
                    f"-DoutputDirectory={staging / 'libs'}",
                ],
            )
            if not any((staging / "libs").glob(f"kafka_2.13-{KAFKA_VERSION}.jar")):
                raise ArtifactFetchError("kafka", "Maven finished but kafka_2.13 is not there")
            _publish(staging, target)
        say(f"kafka {KAFKA_VERSION}: fetched in {time.monotonic() - began:.1f}s")
    return kafka_libs_dir(cache_dir)


def fetch_elasticsearch(cache_dir: Path, say: Callable[[str], None]) -> Path:
    """Return ES_HOME, fetching and unpacking the distribution zip first unless cached."""
    return _fetch_distribution(
        _Distribution("elasticsearch", ES_VERSION, f"elasticsearch-{ES_VERSION}.zip",
                      f"elasticsearch-{ES_VERSION}", "bin/elasticsearch", ()),
        es_home_dir(cache_dir), say,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Distribution:
    """A zip on Maven Central holding a server's home folder (its Maven profile is `name`)."""

    name: str
    version: str
    archive: str
    home: str  # the folder inside the zip
    launcher: str  # a file the home must hold
    maven_options: tuple[str, ...]


def _fetch_distribution(dist: _Distribution, target: Path, say: Callable[[str], None]) -> Path:
    """Fetch the zip with Maven, unpack it and publish its home as `target`, unless cached."""
    if is_complete(target):
        return target
    say(f"{dist.name} {dist.version}: fetching the distribution with Maven into {target}")
    began = time.monotonic()
    with _staging_dir(target.parent, target.name) as staging:
        download = staging / "download"
        run_maven(
            dist.name,
            [
                "-P",
                dist.name,
                "dependency:copy-dependencies",
                *dist.maven_options,
                f"-D{dist.name}.version={dist.version}",
                f"-DoutputDirectory={download}",
            ],
        )
        archive = download / dist.archive
        if not archive.is_file():
            raise ArtifactFetchError(dist.name, f"Maven finished but {archive} is missing")
        unpacked = staging / "unpacked"
        unzip_with_modes(archive, unpacked)
        home = unpacked / dist.home
        if not (home / dist.launcher).is_file():
            raise ArtifactFetchError(dist.name, f"{archive} holds no {dist.launcher}")
        _publish(home, target)
    say(f"{dist.name} {dist.version}: fetched in {time.monotonic() - began:.1f}s")
    return target


def keycloak_home_dir(cache_dir: Path) -> Path:
    """The unpacked keycloak-quarkus-dist (bin/kc.sh, lib/, conf/); read-only once fetched."""
    return cache_dir / f"keycloak-{KEYCLOAK_VERSION}"


def fetch_keycloak(cache_dir: Path, say: Callable[[str], None]) -> Path:
    """Return the Keycloak distribution's home, fetching and unpacking it first unless cached."""
    # The zip holds its own lib/; its pom's dependencies are not wanted.
    return _fetch_distribution(
        _Distribution("keycloak", KEYCLOAK_VERSION, f"keycloak-quarkus-dist-{KEYCLOAK_VERSION}.zip",
                      f"keycloak-{KEYCLOAK_VERSION}", "bin/kc.sh", ("-DexcludeTransitive=true",)),
        keycloak_home_dir(cache_dir), say,
    )  # fmt: skip


def run_maven(artifact: str, arguments: list[str]) -> None:
    """Run mvn on deploy/local/pom.xml; raise ArtifactFetchError with its output on failure."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ArtifactFetchError(artifact, "mvn is not on PATH (install Maven 3.6+)")
    command = [
        mvn,
        "-B",
        "-q",
        "--no-transfer-progress",
        "-Dstyle.color=never",
        "-f",
        str(POM_PATH),
        *arguments,
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = "\n".join((result.stdout + result.stderr).splitlines()[-OUTPUT_TAIL_LINES:])
        raise ArtifactFetchError(artifact, f"mvn exited with {result.returncode}", output)


def unzip_with_modes(archive: Path, destination: Path) -> None:
    """Extract a zip keeping the unix permission bits (zipfile alone drops the exec bits)."""
    try:
        with zipfile.ZipFile(archive) as bundle:
            for member in bundle.infolist():
                extracted = Path(bundle.extract(member, destination))
                mode = (member.external_attr >> 16) & 0o777
                if mode:
                    extracted.chmod(mode)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArtifactFetchError(archive.name, f"cannot unpack {archive}: {exc}") from exc


@contextmanager
def _staging_dir(cache_dir: Path, name: str) -> Iterator[Path]:
    """A scratch directory beside the target, removed on exit whatever happened."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=cache_dir))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _publish(source: Path, target: Path) -> None:
    """Mark `source` complete and rename it into place (atomic within the cache's filesystem)."""
    (source / COMPLETE_MARKER).write_text(f"{target.name}\n")
    if target.exists():
        if is_complete(target):  # a concurrent fetch won the race; keep its copy
            return
        shutil.rmtree(target)
    os.replace(source, target)
