"""Finds the Java the servers run on: any JDK 17+ for Kafka and ES, 21+ for Keycloak."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

from deploy.errors import StackError

# Where Debian, Ubuntu and the Temurin/Adoptium packages put their JDKs.
JVM_ROOTS = (Path("/usr/lib/jvm"), Path("/opt/java"), Path("/opt"))
# Keycloak 26 refuses to start on a Java older than this.
KEYCLOAK_MIN_JAVA = 21
_VERSION_LINE = re.compile(r'^JAVA_VERSION="(\d+)', re.MULTILINE)


def find_java_home() -> Path:
    """JAVA_HOME if it holds bin/java, else the JDK behind the `java` on PATH."""
    env_home = os.environ.get("JAVA_HOME")
    if env_home and (Path(env_home) / "bin" / "java").is_file():
        return Path(env_home)
    java = shutil.which("java")
    if java is None:
        raise StackError("no Java found: install a JDK 17+ or set JAVA_HOME")
    # /usr/bin/java -> /etc/alternatives/java -> <home>/bin/java
    return Path(java).resolve().parent.parent


def java_executable(java_home: Path) -> Path:
    return java_home / "bin" / "java"


def java_major(java_home: Path) -> int | None:
    """The major version from the JDK's `release` file (None when it has none)."""
    try:
        text = (java_home / "release").read_text(errors="replace")
    except OSError:
        return None
    match = _VERSION_LINE.search(text)
    return int(match.group(1)) if match else None


def find_java_home_at_least(minimum: int, roots: tuple[Path, ...] = JVM_ROOTS) -> Path:
    """A JDK of at least `minimum`: TAPWATCH_KEYCLOAK_JAVA_HOME, JAVA_HOME or the default
    Java when new enough, else the newest JDK under /usr/lib/jvm, /opt/java or /opt."""
    candidates: list[Path] = []
    for variable in ("TAPWATCH_KEYCLOAK_JAVA_HOME", "JAVA_HOME"):
        value = os.environ.get(variable)
        if value:
            candidates.append(Path(value))
    with contextlib.suppress(StackError):
        candidates.append(find_java_home())
    for root in roots:
        if root.is_dir():
            found = [home for home in root.iterdir() if java_executable(home).is_file()]
            candidates += sorted(found, key=lambda home: java_major(home) or 0, reverse=True)
    for home in candidates:
        major = java_major(home)
        if java_executable(home).is_file() and major is not None and major >= minimum:
            return home
    raise StackError(
        f"no JDK {minimum}+ found (looked at TAPWATCH_KEYCLOAK_JAVA_HOME, JAVA_HOME, the default "
        f"java and {', '.join(map(str, roots))}): install one, e.g. temurin-25-jdk"
    )
