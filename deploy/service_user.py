"""The unprivileged system user Elasticsearch runs as when tapwatch itself runs as root."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from deploy.errors import ServiceStartError

ES_USER = "tapwatch-es"


@dataclass(frozen=True, slots=True)
class ServiceUser:
    name: str
    uid: int
    gid: int


def running_as_root() -> bool:
    return os.geteuid() == 0


def ensure_user(name: str = ES_USER) -> ServiceUser:
    """Look the user up, creating it as a system user (no home, no login) when missing."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        useradd = shutil.which("useradd")
        if useradd is None:
            raise ServiceStartError(
                "elasticsearch", f"user {name} is missing and useradd is not available"
            ) from None
        result = subprocess.run(
            [
                useradd,
                "--system",
                "--user-group",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                name,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise ServiceStartError(
                "elasticsearch", f"useradd {name} failed: {result.stderr.strip()}"
            ) from None
        entry = pwd.getpwnam(name)
    return ServiceUser(name=entry.pw_name, uid=entry.pw_uid, gid=entry.pw_gid)


def chown_tree(root: Path, user: ServiceUser) -> None:
    """Give `root` and everything under it to `user` (only ever called on the user's own dirs)."""
    os.chown(root, user.uid, user.gid)
    for parent, dirs, files in os.walk(root):
        for name in dirs + files:
            os.chown(Path(parent) / name, user.uid, user.gid, follow_symlinks=False)


def can_read_as(user: ServiceUser, paths: Sequence[Path]) -> bool:
    """True when `user` can open every path (so all their parent directories are searchable)."""
    test = ["test", "-r", str(paths[0])]
    for path in paths[1:]:
        test += ["-a", "-r", str(path)]
    result = subprocess.run(
        [*_setpriv(user, read_anything=False), *test], capture_output=True, check=False
    )
    return result.returncode == 0


def run_as_command(user: ServiceUser, command: Sequence[str], read_anything: bool) -> list[str]:
    """Prefix `command` so it runs as `user`.

    With `read_anything`, the process keeps CAP_DAC_READ_SEARCH (read and search any path,
    never write): needed when the cache or stack dir lies under a 0700 home such as /root,
    which we will not chmod.
    """
    return [*_setpriv(user, read_anything), *command]


def _setpriv(user: ServiceUser, read_anything: bool) -> list[str]:
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        raise ServiceStartError("elasticsearch", "setpriv (util-linux) is needed to drop root")
    prefix = [
        setpriv,
        f"--reuid={user.uid}",
        f"--regid={user.gid}",
        "--init-groups",
    ]
    if read_anything:
        prefix += [
            "--inh-caps=+dac_read_search",
            "--ambient-caps=+dac_read_search",
            # Java checks files with access(2), which drops capabilities for a non-root
            # real uid unless this bit is set.
            "--securebits=+no_setuid_fixup",
        ]
    return [*prefix, "--"]
