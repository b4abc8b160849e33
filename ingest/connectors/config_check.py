"""`district check` of connectors.yaml: every problem, and every environment variable it
names that is unset, without starting a connector or reading a secret's value."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core.clock import SystemClock
from ingest.connectors.config import ConnectorsFileError, load_connectors_config
from ingest.connectors.registry import build_endpoints

# Stands in for every named variable while the endpoints are built, so a missing
# secret does not hide the account's other problems (never printed, never sent).
_PLACEHOLDER = "set-for-the-check"


@dataclass(frozen=True, slots=True)
class UnsetVariable:
    """An environment variable connectors.yaml names and the environment lacks."""

    variable: str
    credential: str
    where: str  # `connectors.yaml:LINE: platform account ID`


@dataclass(frozen=True, slots=True)
class ConnectorsCheck:
    """What `district check` says of connectors.yaml; `present` is False without one."""

    present: bool
    problems: tuple[str, ...] = ()
    unset: tuple[UnsetVariable, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unset


def check_connectors(
    district_dir: Path, environ: Mapping[str, str] = os.environ
) -> ConnectorsCheck:
    """Parse the folder's connectors.yaml and build its endpoints (no network)."""
    try:
        config = load_connectors_config(district_dir)
    except ConnectorsFileError as exc:
        return ConnectorsCheck(True, exc.problems)
    if config is None:
        return ConnectorsCheck(False)
    unset: list[UnsetVariable] = []
    named: dict[str, str] = {}
    for account in config.accounts:
        where = f"{account.where}: {account.platform} account {account.account_id}"
        for credential, variable in sorted(account.credentials.items()):
            named[variable] = _PLACEHOLDER
            if not environ.get(variable, "").strip():
                unset.append(UnsetVariable(variable, credential, where))
    try:
        set_ones = {name: value for name, value in environ.items() if value.strip()}
        build_endpoints(config, SystemClock(), {**named, **set_ones})
    except ConnectorsFileError as exc:
        return ConnectorsCheck(True, exc.problems, tuple(unset))
    return ConnectorsCheck(True, (), tuple(unset))
