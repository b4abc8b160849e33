"""Tests of `tapwatch kibana import` against a local HTTP server that answers like Kibana."""

import base64
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from core.pipeline_names import PipelineNames
from deploy.kibana_import import (
    SAVED_OBJECTS_FILE,
    InvalidConsoleUrl,
    console_base_url,
    import_url,
    render_saved_objects,
)
from deploy.kibana_settings import KibanaSettings
from tapwatch.cli import main
from tapwatch.commands.kibana import import_objects
from tapwatch.user_errors import UsageError

USERNAME = "tapwatch-test"
PASSWORD = "not-a-real-password"
API_KEY = "bm90LWEtcmVhbC1rZXk="
BASIC = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
CONSOLE = "https://tapwatch.example.org"


@dataclass
class Received:
    """One import request as the stub saw it."""

    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    filename: str | None
    file: bytes | None


@dataclass
class KibanaStub:
    """What the stub expects and how it answers; reset for every test."""

    expected_auth: str = BASIC
    # None: answer success with one successResults entry per object in the file.
    verdict: dict[str, Any] | None = None
    received: list[Received] = field(default_factory=list)


class _StubServer(ThreadingHTTPServer):
    stub: KibanaStub


class _KibanaHandler(BaseHTTPRequestHandler):
    server: _StubServer

    def do_POST(self) -> None:
        stub = self.server.stub
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        filename, content = _file_field(self.headers.get("Content-Type", ""), body)
        stub.received.append(
            Received(url.path, parse_qs(url.query), dict(self.headers.items()), filename, content)
        )
        if not url.path.endswith("/api/saved_objects/_import"):
            return self._answer(404, {"statusCode": 404, "error": "Not Found", "message": ""})
        if self.headers.get("kbn-xsrf") is None:
            return self._answer(
                400,
                {
                    "statusCode": 400,
                    "error": "Bad Request",
                    "message": "Request must contain a kbn-xsrf header.",
                },
            )
        if self.headers.get("Authorization") != stub.expected_auth:
            return self._answer(
                401,
                {
                    "statusCode": 401,
                    "error": "Unauthorized",
                    "message": "[security_exception]: unable to authenticate user",
                },
            )
        if content is None or not (filename or "").endswith(".ndjson"):
            return self._answer(
                415,
                {
                    "statusCode": 415,
                    "error": "Unsupported Media Type",
                    "message": "Invalid file extension",
                },
            )
        if stub.verdict is not None:
            return self._answer(200, stub.verdict)
        objects = [json.loads(line) for line in content.splitlines() if line.strip()]
        results = [{"type": o["type"], "id": o["id"], "meta": {}} for o in objects if "type" in o]
        verdict = {"success": True, "successCount": len(results), "successResults": results}
        self._answer(200, verdict)

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


def _file_field(content_type: str, body: bytes) -> tuple[str | None, bytes | None]:
    """The filename and bytes of the multipart field `file`, if the body has one."""
    if not content_type.startswith("multipart/form-data"):
        return None, None
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            return part.get_filename(), part.get_payload(decode=True)
    return None, None


@pytest.fixture(scope="module")
def kibana_server() -> Iterator[_StubServer]:
    """One stub Kibana on a loopback port for the module's tests."""
    server = _StubServer(("127.0.0.1", 0), _KibanaHandler)
    server.stub = KibanaStub()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def kibana(kibana_server: _StubServer) -> Iterator[tuple[str, KibanaStub]]:
    """The stub's base URL and a fresh expectation/answer state."""
    kibana_server.stub = KibanaStub()
    host, port = kibana_server.server_address[:2]
    yield f"http://{host}:{port}", kibana_server.stub


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _basic_settings(**overrides: Any) -> KibanaSettings:
    fields: dict[str, Any] = {"username": USERNAME, "password": PASSWORD, "console_url": CONSOLE}
    return KibanaSettings(**(fields | overrides))


def _sent_objects(request: Received) -> list[dict[str, Any]]:
    assert request.file is not None
    return [json.loads(line) for line in request.file.splitlines() if line.strip()]


def _object_count() -> int:
    lines = SAVED_OBJECTS_FILE.read_text().splitlines()
    return sum(1 for line in lines if "type" in json.loads(line))


class TestSuccess:
    def test_imports_the_file_and_reports_the_count(self, kibana, capsys):
        """Kibana's success answer gives exit 0 and the number of imported objects."""
        url, stub = kibana
        assert import_objects(url, None, False, _basic_settings()) == 0
        assert capsys.readouterr().out.strip() == f"imported {_object_count()} saved object(s)"
        (request,) = stub.received
        assert request.path == "/api/saved_objects/_import"
        assert request.query == {"overwrite": ["false"]}
        assert request.headers["kbn-xsrf"] == "true"
        assert request.filename == "tapwatch.ndjson"
        # Sent with the links pointing at the configured console, on the default namespace.
        assert request.file == render_saved_objects(
            SAVED_OBJECTS_FILE.read_bytes(), CONSOLE, "tapwatch-alerts"
        )

    def test_space_and_overwrite_go_into_the_url(self, kibana):
        """--space posts under /s/<space> and --overwrite sets overwrite=true."""
        url, stub = kibana
        assert import_objects(url, "district-it", True, _basic_settings()) == 0
        (request,) = stub.received
        assert request.path == "/s/district-it/api/saved_objects/_import"
        assert request.query == {"overwrite": ["true"]}

    def test_api_key_is_preferred_over_basic_auth(self, kibana):
        """With an API key set, the request carries `Authorization: ApiKey ...`."""
        url, stub = kibana
        stub.expected_auth = f"ApiKey {API_KEY}"
        assert import_objects(url, None, False, _basic_settings(api_key=API_KEY)) == 0

    def test_cli_reads_credentials_from_the_environment(self, kibana, monkeypatch, capsys):
        """`tapwatch kibana import --url` authenticates with TAPWATCH_KIBANA_* variables."""
        url, stub = kibana
        monkeypatch.setenv("TAPWATCH_KIBANA_USERNAME", USERNAME)
        monkeypatch.setenv("TAPWATCH_KIBANA_PASSWORD", PASSWORD)
        monkeypatch.delenv("TAPWATCH_KIBANA_API_KEY", raising=False)
        monkeypatch.setenv("TAPWATCH_KIBANA_CONSOLE_URL", CONSOLE)
        assert main(["kibana", "import", "--url", url + "/", "--overwrite"]) == 0
        assert stub.received[0].query == {"overwrite": ["true"]}
        assert "imported" in capsys.readouterr().out


class TestFailures:
    def test_objects_kibana_refused_give_a_nonzero_exit_and_are_listed(self, kibana, capsys):
        """An answer with `errors` exits 1 and prints each refused object with its reason."""
        url, stub = kibana
        stub.verdict = {
            "success": False,
            "successCount": 5,
            "errors": [
                {
                    "id": "tapwatch-policy-alerts",
                    "type": "dashboard",
                    "meta": {"title": "tapwatch: policy alerts"},
                    "error": {"type": "conflict"},
                },
                {
                    "id": "tapwatch-alerts-by-building",
                    "type": "lens",
                    "title": "tapwatch: alerts by building",
                    "error": {
                        "type": "missing_references",
                        "references": [{"type": "index-pattern", "id": "elsewhere"}],
                    },
                },
            ],
        }
        assert import_objects(url, None, False, _basic_settings()) == 1
        captured = capsys.readouterr()
        assert "imported 5 saved object(s)" in captured.out
        conflict = "dashboard tapwatch-policy-alerts (tapwatch: policy alerts): conflict"
        assert conflict in captured.err
        assert "lens tapwatch-alerts-by-building" in captured.err
        assert "missing_references index-pattern/elsewhere" in captured.err
        assert "--overwrite" in captured.err

    def test_http_401_exits_nonzero_with_kibanas_message(self, kibana, capsys):
        """Wrong credentials: exit 78 (configuration) and Kibana's status and message."""
        url, _ = kibana
        settings = _basic_settings(password="wrong")
        assert import_objects(url, None, False, settings) == 78
        err = capsys.readouterr().err
        assert "HTTP 401" in err and "unable to authenticate user" in err
        assert "wrong" not in err

    def test_missing_credentials_are_refused(self, kibana, capsys):
        """No credentials at all: the stub (like Kibana with security on) answers 401."""
        url, _ = kibana
        assert import_objects(url, None, False, KibanaSettings(console_url=CONSOLE)) == 78
        assert "HTTP 401" in capsys.readouterr().err

    def test_connection_refused_is_a_clear_message(self, closed_port, capsys):
        """Nothing listening: exit 69 (unavailable) and a message naming the URL, no traceback."""
        url = f"http://127.0.0.1:{closed_port}"
        assert import_objects(url, None, False, _basic_settings()) == 69
        err = capsys.readouterr().err
        assert err.startswith(f"error: Kibana at {url} is unreachable")
        assert "Traceback" not in err

    def test_bad_space_id_is_refused_before_any_request(self, kibana, capsys):
        """A space id Kibana could not have is refused locally, as a usage error (exit 2)."""
        url, stub = kibana
        assert import_objects(url, "../api", False, _basic_settings()) == 2
        assert "not a Kibana space id" in capsys.readouterr().err
        assert stub.received == []


class TestSettingsAndUrl:
    def test_printing_the_settings_masks_the_secrets(self):
        """Password and API key are SecretStr: their repr shows no value."""
        text = repr(KibanaSettings(username=USERNAME, password=PASSWORD, api_key=API_KEY))
        assert PASSWORD not in text and API_KEY not in text

    def test_default_space_uses_the_plain_path(self):
        """The space `default` is the un-prefixed API path."""
        assert import_url("https://kb:5601/", "default", False) == (
            "https://kb:5601/api/saved_objects/_import?overwrite=false"
        )


class TestConsoleUrl:
    def test_alert_ids_link_to_the_consoles_incident_page(self):
        """The placeholder becomes the console's URL; nothing else of the file changes."""
        original = SAVED_OBJECTS_FILE.read_bytes()
        linked = render_saved_objects(original, "https://tapwatch.example.org/", "tapwatch-alerts")
        assert b"https://tapwatch.example.org/incidents/{{value}}" in linked
        assert b"__TAPWATCH_" not in linked
        assert len(linked.splitlines()) == len(original.splitlines())

    def test_a_console_url_with_a_path_keeps_it(self):
        """A console served under a path (behind a proxy) keeps its path in every link."""
        linked = render_saved_objects(
            SAVED_OBJECTS_FILE.read_bytes(), "https://district.example.org/tapwatch", "x"
        )
        assert b"https://district.example.org/tapwatch/incidents/{{value}}" in linked

    @pytest.mark.parametrize(
        "bad",
        [
            "/incidents",
            "tapwatch.example.org",
            "//tapwatch.example.org",
            "javascript:alert(1)",
            "ftp://tapwatch.example.org",
            'https://x.org/"',
            "https://x.org/{{value}}",
            "https://x.org/?next=1",
            "https://user:secret@x.org",
            "https://x.org/a b",
        ],
    )
    def test_a_console_url_that_is_not_an_absolute_http_base_is_refused(self, bad):
        """Relative, non-http, quoting-breaking, query or credential URLs are refused."""
        with pytest.raises(InvalidConsoleUrl):
            console_base_url(bad)

    @pytest.mark.parametrize("missing", [None, "", "   "])
    def test_a_missing_console_url_names_the_option_and_the_variable(self, missing):
        """No console URL: the message says how to give one."""
        with pytest.raises(InvalidConsoleUrl, match=r"--console-url.*TAPWATCH_KIBANA_CONSOLE_URL"):
            console_base_url(missing)

    def test_missing_console_url_is_a_usage_error_before_any_request(self, kibana):
        """import_objects without a console URL raises UsageError (exit 2), Kibana untouched."""
        url, stub = kibana
        with pytest.raises(UsageError, match="no console URL"):
            import_objects(url, None, False, KibanaSettings(username=USERNAME, password=PASSWORD))
        assert stub.received == []

    def test_cli_refuses_a_relative_console_url_with_exit_2(self, kibana, monkeypatch, capsys):
        """`--console-url /console` prints one error line and exits 2, no traceback."""
        url, stub = kibana
        monkeypatch.setenv("TAPWATCH_KIBANA_USERNAME", USERNAME)
        monkeypatch.setenv("TAPWATCH_KIBANA_PASSWORD", PASSWORD)
        code = main(["kibana", "import", "--url", url, "--console-url", "/console"])
        err = capsys.readouterr().err
        assert code == 2
        assert err.startswith("error: the console URL must be an absolute http(s) URL")
        assert "Traceback" not in err and stub.received == []

    def test_the_option_overrides_the_variable(self, kibana, monkeypatch):
        """--console-url wins over TAPWATCH_KIBANA_CONSOLE_URL."""
        url, stub = kibana
        monkeypatch.setenv("TAPWATCH_KIBANA_CONSOLE_URL", "https://old.example.org")
        settings = _basic_settings(console_url="https://old.example.org")
        assert import_objects(url, None, False, settings, console_url=CONSOLE) == 0
        assert b"https://tapwatch.example.org/incidents/" in (stub.received[0].file or b"")
        assert b"old.example.org" not in (stub.received[0].file or b"")


class TestNamespace:
    def test_the_data_view_reads_the_namespaces_alerts_index_only(self, kibana):
        """With a namespace, the data view's pattern is that namespace's alerts index."""
        url, stub = kibana
        names = PipelineNames("district2")
        assert import_objects(url, None, False, _basic_settings(), names=names) == 0
        views = [o for o in _sent_objects(stub.received[0]) if o.get("type") == "index-pattern"]
        assert [view["attributes"]["title"] for view in views] == ["tapwatch-alerts-district2"]

    def test_the_namespace_comes_from_tapwatch_namespace(self, kibana, monkeypatch):
        """The CLI reads TAPWATCH_NAMESPACE, as every other command does."""
        url, stub = kibana
        monkeypatch.setenv("TAPWATCH_NAMESPACE", "t1")
        assert import_objects(url, None, False, _basic_settings()) == 0
        views = [o for o in _sent_objects(stub.received[0]) if o.get("type") == "index-pattern"]
        assert views[0]["attributes"]["title"] == "tapwatch-alerts-t1"

    def test_without_a_namespace_the_pattern_has_no_wildcard(self, kibana, monkeypatch):
        """No namespace: exactly `tapwatch-alerts`, not `tapwatch-alerts*` (every namespace)."""
        url, stub = kibana
        monkeypatch.delenv("TAPWATCH_NAMESPACE", raising=False)
        assert import_objects(url, None, False, _basic_settings()) == 0
        views = [o for o in _sent_objects(stub.received[0]) if o.get("type") == "index-pattern"]
        assert views[0]["attributes"]["title"] == "tapwatch-alerts"
