"""Keycloak's launch plan: its own copy of the distribution, the realm to import, secrets."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from deploy import keycloak_server


def _dist(root: Path) -> Path:
    home = root / "keycloak-26.5.6"
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "kc.sh").write_text("#!/bin/sh\n")
    return home


class TestPrepare:
    def test_copies_the_distribution_and_places_the_realm(self, tmp_path: Path):
        """The stack runs its own copy (the cache stays read-only) with the realm to import."""
        base = tmp_path / "stack" / "keycloak"
        plan = keycloak_server.prepare(base, _dist(tmp_path), Path("/jdk"), 18081)
        files = keycloak_server.KeycloakFiles(base)
        assert (files.home / "bin" / "kc.sh").is_file()
        realm = json.loads((files.import_dir / "tapwatch-realm.json").read_text())
        assert realm["realm"] == "tapwatch"
        assert {c["clientId"] for c in realm["clients"]} == {"tapwatch-console", "tapwatch-tests"}
        assert plan.command[:2] == (str(files.home / "bin" / "kc.sh"), "start-dev")
        assert "--http-port=18081" in plan.command and "--import-realm" in plan.command
        assert plan.env["JAVA_HOME"] == "/jdk"
        assert plan.marker == str(base)

    def test_secrets_are_generated_once_and_private(self, tmp_path: Path):
        """Admin password and client secret: made on first start, kept, owner-only."""
        base = tmp_path / "keycloak"
        dist = _dist(tmp_path)
        first = keycloak_server.prepare(base, dist, Path("/jdk"), 18081)
        second = keycloak_server.prepare(base, dist, Path("/jdk"), 18081)
        files = keycloak_server.KeycloakFiles(base)
        secret = first.env[keycloak_server.CONSOLE_SECRET_ENV]
        assert secret == second.env[keycloak_server.CONSOLE_SECRET_ENV] == files.console_secret()
        assert first.env["KC_BOOTSTRAP_ADMIN_PASSWORD"] == files.admin_password()
        for path in (files.admin_password_file, files.console_secret_file):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600

    def test_the_realm_file_holds_no_secret(self):
        """The console client's secret is a placeholder filled from the environment."""
        realm = json.loads(keycloak_server.REALM_FILE.read_text())
        [console] = [c for c in realm["clients"] if c["clientId"] == "tapwatch-console"]
        assert console["secret"] == "${TAPWATCH_CONSOLE_CLIENT_SECRET}"
        [tests] = [c for c in realm["clients"] if c["clientId"] == "tapwatch-tests"]
        assert tests["directAccessGrantsEnabled"] and tests["publicClient"]
