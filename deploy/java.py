"""Finds the Java installation both servers run on."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from deploy.errors import StackError


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
