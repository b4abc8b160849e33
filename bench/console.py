"""The review console's queue page and GET /api/incidents: p50/p95 with N alerts indexed.

    python -m bench.console --alerts 100000 [--requests 200] [--keep]

Needs the local stack with Keycloak (`tapwatch stack up`). Writes N synthetic alerts
(invented ids) to a namespace of its own, seeds an IT and a principal account in the
local realm, starts `tapwatch console` on port 18010, then times sequential requests:
the API with a bearer token, the queue page with a signed-in session (signed in
through Keycloak's own login form). Prints a table and, last, one JSON line.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import yaml
from elasticsearch import Elasticsearch, helpers

from alerts.index_template import ALERTS_TEMPLATE
from bench.report import percentile, table
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, StackSettings
from deploy import keycloak_server
from deploy.keycloak_users import KeycloakAdmin, Person, seed_users
from deploy.layout import StackLayout

REPO = Path(__file__).resolve().parent.parent
PORT = 18010
URL = f"http://127.0.0.1:{PORT}"
KEYCLOAK = f"http://127.0.0.1:{StackSettings().stack_keycloak_port}"
DISTRICT_ID = "wilmington-209u"
IT = "bench.it@example.org"
PRINCIPAL = "bench.principal@example.org"
PASSWORD = "bench-console-pw-1"
RULES = ("two_way_dialogue", "school_hours", "off_channel_contact", "personal_page")
BUILDINGS = ("org-whs", "org-wms")
STATUSES = ("open", "open", "open", "acknowledged", "dismissed", "escalated")
_FORM_ACTION = re.compile(r'<form[^>]+id="kc-form-login"[^>]+action="([^"]+)"')


def synthetic_alerts(count: int) -> Iterator[dict[str, object]]:
    for i in range(count):
        day = 1 + i % 28
        yield {
            "alert_id": f"bench-{i:07d}",
            "district_id": DISTRICT_ID,
            "rule": RULES[i % len(RULES)],
            "severity": ("low", "medium", "high")[i % 3],
            "status": STATUSES[i % len(STATUSES)],
            "platform": ("twitter", "facebook", "wordpress")[i % 3],
            "post_id": f"bp-{i}",
            "staff_id": f"t-{i % 400}",
            "student_ids": [f"s-{i % 3000}"],
            "building_id": BUILDINGS[i % len(BUILDINGS)],
            "event_time": f"2026-09-{day:02d}T{i % 24:02d}:00:00Z",
            "detected_at": f"2026-09-{day:02d}T{i % 24:02d}:00:05Z",
            "summary": "Replied to a student outside a registered session",
            "evidence": {"exchange": "reply"},
            "post_url": None,
            "thread_id": f"bt-{i}",
        }


def index_alerts(es: Elasticsearch, names: PipelineNames, count: int) -> float:
    es.indices.put_index_template(name=ALERTS_TEMPLATE.name, **ALERTS_TEMPLATE.body())
    began = time.monotonic()
    actions = (
        {"_op_type": "index", "_index": names.alerts_index, "_id": a["alert_id"], "_source": a}
        for a in synthetic_alerts(count)
    )
    helpers.bulk(es.options(request_timeout=120), actions, chunk_size=2000)
    es.indices.refresh(index=names.alerts_index)
    return time.monotonic() - began


def bench_district(folder: Path) -> Path:
    shutil.copytree(REPO / "samples" / "district", folder)
    path = folder / "district.yaml"
    data = yaml.safe_load(path.read_text())
    data["buildings"] = {"org-whs": {"principal_emails": [PRINCIPAL]}}
    data["notifications"]["it_emails"] = [IT]
    data["console"]["public_url"] = URL
    path.write_text(yaml.safe_dump(data))
    return folder


def token(email: str) -> str:
    response = httpx.post(
        f"{KEYCLOAK}/realms/{keycloak_server.REALM}/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": keycloak_server.TESTS_CLIENT_ID,
            "username": email,
            "password": PASSWORD,
            "scope": "openid email",
        },
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def browser_session(email: str) -> str:
    """The console's session cookie after signing in through Keycloak's login form.

    Cookies are carried by hand: the console's are Secure, which httpx's jar would not
    send over the loopback's plain HTTP (browsers do)."""
    with httpx.Client(follow_redirects=False, timeout=30) as client:
        login = client.get(f"{URL}/login")
        console_cookies = dict(login.cookies)
        page = client.get(login.headers["location"])
        action = html.unescape(_FORM_ACTION.search(page.text).group(1))  # type: ignore[union-attr]
        posted = client.post(
            action, data={"username": email, "password": PASSWORD}, cookies=dict(page.cookies)
        )
        callback = posted.headers["location"]
        done = client.get(callback, cookies=console_cookies)
        return str(done.cookies["tapwatch_console"])


def timed(call: Callable[[], httpx.Response], count: int) -> list[float]:
    seconds: list[float] = []
    for _ in range(count):
        began = time.perf_counter()
        response = call()
        seconds.append(time.perf_counter() - began)
        response.raise_for_status()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=100_000, help="alerts to index")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per kind")
    parser.add_argument("--keep", action="store_true", help="keep the namespace's index")
    args = parser.parse_args()
    names = PipelineNames("benchconsole")
    es = Elasticsearch(**ElasticsearchSettings().client_options())
    layout = StackLayout.from_settings(StackSettings())
    files = keycloak_server.KeycloakFiles(layout.service_dir("keycloak"))
    admin = KeycloakAdmin(
        KEYCLOAK, keycloak_server.REALM, keycloak_server.ADMIN_USER, files.admin_password()
    )
    seed_users([Person(IT, "it"), Person(PRINCIPAL, "principal")], admin, PASSWORD, print)
    admin.close()
    existing = (
        es.count(index=names.alerts_index, ignore_unavailable=True)["count"]
        if (es.indices.exists(index=names.alerts_index))
        else 0
    )
    index_s = 0.0 if existing >= args.alerts else index_alerts(es, names, args.alerts)
    folder = bench_district(Path(tempfile.mkdtemp(prefix="bench-console-")) / "district")
    env = {
        **os.environ,
        "TAPWATCH_NAMESPACE": names.namespace,
        keycloak_server.CONSOLE_SECRET_ENV: files.console_secret(),
    }
    console = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tapwatch.cli",
            "console",
            "--district",
            str(folder),
            "--port",
            str(PORT),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{URL}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        bearer = {"Authorization": f"Bearer {token(IT)}"}
        cookie = {"Cookie": f"tapwatch_console={browser_session(PRINCIPAL)}"}
        with httpx.Client(timeout=30) as client:
            api = lambda: client.get(f"{URL}/api/incidents", headers=bearer)  # noqa: E731
            api_filtered = lambda: client.get(  # noqa: E731
                f"{URL}/api/incidents",
                headers=bearer,
                params={"status": "open", "rule": "school_hours", "sort": "severity:asc"},
            )
            page = lambda: client.get(f"{URL}/incidents", headers=cookie)  # noqa: E731
            assert "incident(s)" in page().text, "the queue page did not render"
            timed(api, 10)  # warm-up: JWKS, caches
            results = {
                "api": timed(api, args.requests),
                "api_filtered": timed(api_filtered, args.requests),
                "queue_page": timed(page, args.requests),
            }
    finally:
        console.terminate()
        console.wait(30)
        shutil.rmtree(folder.parent, ignore_errors=True)
        if not args.keep:
            es.indices.delete(
                index=f"{names.alerts_index},{names.console_access_index}",
                ignore_unavailable=True,
            )
        es.close()
    summary: dict[str, object] = {"alerts": args.alerts, "requests": args.requests}
    rows: list[tuple[str, str, str]] = []
    for name, seconds in results.items():
        p50, p95 = percentile(seconds, 0.5) * 1000, percentile(seconds, 0.95) * 1000
        rows += [(f"{name} p50", f"{p50:.1f} ms", ""), (f"{name} p95", f"{p95:.1f} ms", "")]
        summary |= {f"{name}_p50_ms": round(p50, 1), f"{name}_p95_ms": round(p95, 1)}
    rows.append(("indexing", f"{index_s:.1f} s", f"{args.alerts} alerts (0: reused)"))
    print(table(rows))
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
