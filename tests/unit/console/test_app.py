"""The console app without servers: what a request without a session or token gets."""

from __future__ import annotations

import pytest
from elasticsearch import Elasticsearch
from starlette.testclient import TestClient

from console.app import build_app, build_services
from console.config import ConsoleConfig
from core.clock import SystemClock
from core.pipeline_names import PipelineNames
from tests.builders import sample_context


@pytest.fixture()
def client(monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("TAPWATCH_CONSOLE_CLIENT_SECRET", "not-a-real-secret")
    config = ConsoleConfig.from_district(sample_context())
    # Nothing listens here: these requests must be answered before any store is asked.
    es = Elasticsearch("http://127.0.0.1:9")
    services = build_services(config, es, PipelineNames("unit"), SystemClock())
    return TestClient(build_app(services), base_url="https://testserver")


class TestWithoutASession:
    def test_pages_send_you_to_sign_in(self, client: TestClient):
        """Every page asks for sign-in first, never shows data."""
        for path in ("/incidents", "/incidents/x", "/overview", "/access-log"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 303, path
            assert response.headers["location"] == "/login"

    def test_a_change_is_refused(self, client: TestClient):
        """A POST without a session is 401 and changes nothing."""
        response = client.post("/incidents/x/actions", data={"action": "hold", "note": "n"})
        assert response.status_code == 401

    def test_sign_out_without_the_csrf_token_is_refused(self, client: TestClient):
        """Sign-out is a change too: it needs the form's token."""
        assert client.post("/logout", data={}).status_code == 403

    def test_pages_forbid_framing_and_caching(self, client: TestClient):
        """Rendered pages carry the CSP (no framing), no-store and nosniff."""
        response = client.post("/incidents/x/actions", data={})
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"


class TestApiWithoutAToken:
    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("GET", "/api/incidents"),
            ("GET", "/api/incidents/x"),
            ("POST", "/api/incidents/x/actions"),
        ],
    )
    def test_every_api_call_needs_a_bearer_token(self, client: TestClient, method, path):
        """No Authorization header: 401 with WWW-Authenticate: Bearer."""
        response = client.request(method, path)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"

    def test_a_session_cookie_is_not_a_token(self, client: TestClient):
        """Basic or cookie auth is not accepted by the API."""
        response = client.get("/api/incidents", headers={"Authorization": "Basic dTpw"})
        assert response.status_code == 401
