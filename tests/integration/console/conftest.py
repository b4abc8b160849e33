"""Console fixtures: a test district, its Keycloak accounts, seeded alerts and a console server.

The district is the sample one with test-only addresses (so the demo's accounts are left
alone); the console runs as `tapwatch console` in the module's namespace on port 18010,
which the local realm lists as a redirect URI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml
from elasticsearch import Elasticsearch

from alerts.audit_index_template import AUDIT_TEMPLATE
from alerts.index_template import ALERTS_TEMPLATE
from console.authz import console_people
from core.kafka_admin import ensure_topics
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings, StackSettings
from deploy import keycloak_server
from deploy.keycloak_users import KeycloakAdmin, Person, seed_users
from deploy.layout import StackLayout
from policy.context import DistrictContext
from policy.loader import load_district
from tests.builders import make_alert_document
from tests.integration.conftest import REPO, TAPWATCH, service_env

CONSOLE_PORT = 18010
CONSOLE_URL = f"http://127.0.0.1:{CONSOLE_PORT}"
KEYCLOAK_URL = f"http://127.0.0.1:{StackSettings().stack_keycloak_port}"
TOKEN_URL = f"{KEYCLOAK_URL}/realms/{keycloak_server.REALM}/protocol/openid-connect/token"
PASSWORD = "console-test-pw-1"
DISTRICT_ID = "wilmington-209u"
# Test-only accounts: a principal of each school, IT, a reviewer, and one nobody named.
PRINCIPAL_WHS = "principal.whs.test@example.org"
PRINCIPAL_WMS = "principal.wms.test@example.org"
IT = "it.test@example.org"
REVIEWER = "reviewer.test@example.org"
STRANGER = "stranger.test@example.org"
WHS_ALERTS = ("whs-1", "whs-2", "whs-3")
WMS_ALERTS = ("wms-1",)
OTHER_DISTRICT_ALERTS = ("other-1",)


@dataclass(frozen=True, slots=True)
class Console:
    url: str
    names: PipelineNames
    district: Path


def _layout() -> StackLayout:
    return StackLayout.from_settings(StackSettings())


def keycloak_files() -> keycloak_server.KeycloakFiles:
    return keycloak_server.KeycloakFiles(_layout().service_dir("keycloak"))


def token_for(email: str, password: str = PASSWORD) -> str:
    """An access token from the realm's test client (password grant)."""
    response = httpx.post(
        TOKEN_URL,
        data={
            "grant_type": "password",
            "client_id": keycloak_server.TESTS_CLIENT_ID,
            "username": email,
            "password": password,
            "scope": "openid email",
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@pytest.fixture(scope="module")
def console_district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample district with test addresses and the test console's public URL."""
    folder = tmp_path_factory.mktemp("district") / "district"
    shutil.copytree(REPO / "samples" / "district", folder)
    path = folder / "district.yaml"
    data = yaml.safe_load(path.read_text())
    data["buildings"] = {
        "org-whs": {"principal_emails": [PRINCIPAL_WHS]},
        "org-wms": {"principal_emails": [PRINCIPAL_WMS]},
    }
    data["notifications"]["it_emails"] = [IT]
    data["console"]["public_url"] = CONSOLE_URL
    # The stack's own Keycloak, which may run on other ports than the sample's.
    data["console"]["issuer"] = f"{KEYCLOAK_URL}/realms/{keycloak_server.REALM}"
    data["console"]["reviewers"] = [REVIEWER]
    path.write_text(yaml.safe_dump(data))
    return folder


@pytest.fixture(scope="module")
def console_users(stack: None, console_district: Path) -> None:
    """The district's people (and one stranger) in the local Keycloak, via seed-users' code."""
    files = keycloak_files()
    admin = KeycloakAdmin(
        KEYCLOAK_URL, keycloak_server.REALM, keycloak_server.ADMIN_USER, files.admin_password()
    )
    try:
        context = DistrictContext(load_district(console_district))
        people = [Person(email, role) for email, role in console_people(context)]
        seed_users([*people, Person(STRANGER, "none")], admin, PASSWORD, lambda _: None)
    finally:
        admin.close()


@pytest.fixture(scope="module")
def seeded_alerts(names: PipelineNames) -> Iterator[PipelineNames]:
    """Alerts of both schools and of another district in the module's namespace."""
    es = Elasticsearch(**ElasticsearchSettings().client_options())
    # Both templates, as the worker installs them at its start.
    for template in (ALERTS_TEMPLATE, AUDIT_TEMPLATE):
        es.indices.put_index_template(name=template.name, **template.body())
    alerts = [
        make_alert_document(a, district_id=DISTRICT_ID, building_id="org-whs") for a in WHS_ALERTS
    ]
    alerts += [
        make_alert_document(a, district_id=DISTRICT_ID, building_id="org-wms") for a in WMS_ALERTS
    ]
    alerts += [
        make_alert_document(a, district_id="another-district", building_id="org-whs")
        for a in OTHER_DISTRICT_ALERTS
    ]
    operations: list[dict[str, object]] = []
    for alert in alerts:
        operations += [{"create": {"_index": names.alerts_index, "_id": alert["alert_id"]}}, alert]
    response = es.bulk(operations=operations, refresh=True)
    assert not response["errors"], response
    yield names
    es.indices.delete(
        index=f"{names.audit_index},{names.console_access_index}", ignore_unavailable=True
    )
    es.close()


@pytest.fixture(scope="module")
def console(
    seeded_alerts: PipelineNames,
    console_users: None,
    console_district: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Console]:
    """`tapwatch console` on CONSOLE_PORT, until the module ends."""
    files = keycloak_files()
    # The console runs as the reviewer identity (docs/security.md), on the topics the admin
    # created; the test's own setup and checks keep the admin's.
    ensure_topics(KafkaSettings(), seeded_alerts)
    env = {
        **service_env(seeded_alerts, "reviewer"),
        keycloak_server.CONSOLE_SECRET_ENV: files.console_secret(),
        "TAPWATCH_CONSOLE_SESSION_SECRET": os.urandom(16).hex(),
    }
    log_path = tmp_path_factory.mktemp("console") / "console.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                *TAPWATCH,
                "console",
                "--district",
                str(console_district),
                "--port",
                str(CONSOLE_PORT),
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_healthy(process, log_path)
            yield Console(CONSOLE_URL, seeded_alerts, console_district)
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_healthy(process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the console exited: {log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"{CONSOLE_URL}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"the console did not answer /healthz: {log_path.read_text()[-3000:]}")
