"""A real HTTP server on 127.0.0.1 in a thread, answering through a Python handler.

Connector tests point a connector's base URL at `FakeServer.url`; the handler sees
each request (method, path, query, headers, body) and returns the status, headers
and body the real API would. Every request is recorded for assertions, and the
handler can be swapped between test steps. It serves one request per thread, so a
handler that blocks (to hold a connector mid-page) does not stop the others.

    with FakeServer(lambda request: Reply.json({"data": []})) as server:
        httpx.get(server.url + "/2/users/1/tweets")
        assert server.requests[0].path == "/2/users/1/tweets"
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True, slots=True)
class Request:
    """One request as the server received it; header names are lower-case."""

    method: str
    path: str
    query: Mapping[str, tuple[str, ...]]
    headers: Mapping[str, str]
    body: bytes = b""

    def param(self, name: str, default: str | None = None) -> str | None:
        """The first value of query parameter `name`, or `default`."""
        values = self.query.get(name)
        return values[0] if values else default


@dataclass(frozen=True, slots=True)
class Reply:
    """What the server answers: status, headers and the raw body bytes."""

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def json(
        cls, payload: object, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> Reply:
        return cls(
            status,
            json.dumps(payload).encode(),
            {"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        )

    @classmethod
    def raw(cls, body: bytes, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
        """A body sent byte for byte (invalid UTF-8, truncated JSON, ...)."""
        return cls(status, body, {"Content-Type": "application/json", **(headers or {})})


Handler = Callable[[Request], Reply]


class FakeServer:
    """Serves `handler` on an ephemeral 127.0.0.1 port until closed (a context manager)."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _make_request_handler(self))
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}"

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [request for request in self.requests if request.path == path]

    def _serve(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            handler = self.handler
        return handler(request)

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _make_request_handler(server: FakeServer) -> type[BaseHTTPRequestHandler]:
    class _RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(
                method=self.command,
                path=parts.path,
                query={key: tuple(values) for key, values in parse_qs(parts.query).items()},
                headers={name.lower(): value for name, value in self.headers.items()},
                body=body,
            )
            try:
                reply = server._serve(request)
            except Exception as exc:  # a broken test handler answers 599, visibly
                reply = Reply(599, f"fake server handler failed: {exc!r}".encode())
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        do_GET = _handle
        do_POST = _handle
        do_PUT = _handle
        do_DELETE = _handle

        def log_message(self, format: str, *args: object) -> None:
            """Silent: tests assert on `server.requests` instead."""

    return _RequestHandler
