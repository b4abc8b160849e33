"""Sends the dashboard's saved objects to Kibana's saved objects import API.

TapwatchError
 └── KibanaImportError           the import did not happen, or not completely
      ├── KibanaUnreachable      no HTTP answer at all (also a TransientError)
      └── KibanaRefused          Kibana answered with a non-2xx status
ValueError
 └── InvalidConsoleUrl           no console URL, or one links cannot be built from (the
                                 CLI's usage error, before anything is sent)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from core.errors import TapwatchError, TransientError
from deploy.kibana_settings import KibanaSettings

# The data view, four Lens panels, the saved search and the dashboard (Kibana 8.x export).
SAVED_OBJECTS_FILE = Path(__file__).resolve().parent / "kibana" / "tapwatch.ndjson"
IMPORT_PATH = "/api/saved_objects/_import"
# The file holds placeholders, filled in at import time: every link to an alert opens the
# review console's incident page (`<console URL>/incidents/<alert_id>`), an absolute URL so
# it works under any Kibana space or base path; the data view reads this namespace's
# alerts index only (core/pipeline_names.py), never every namespace's.
CONSOLE_URL_PLACEHOLDER = "__TAPWATCH_CONSOLE_URL__"
ALERTS_INDEX_PLACEHOLDER = "__TAPWATCH_ALERTS_INDEX__"
# Characters that have no place in a base URL and would break the url format's template
# or the JSON it sits in ({{ }} is the template's own syntax).
_URL_FORBIDDEN = frozenset('"\\<>{}|^`')


class InvalidConsoleUrl(ValueError):
    """The console URL is missing, relative or otherwise unusable as a link's base."""


def console_base_url(value: str | None) -> str:
    """The console's public URL as a link base: absolute http(s), no query or fragment,
    no credentials; without a trailing slash. InvalidConsoleUrl says what is wrong."""
    if not value or not value.strip():
        raise InvalidConsoleUrl(
            "no console URL: pass --console-url or set TAPWATCH_KIBANA_CONSOLE_URL to the "
            "review console's public URL (district.yaml console.public_url), e.g. "
            "https://tapwatch.example.org"
        )
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidConsoleUrl(
            f"the console URL must be an absolute http(s) URL such as "
            f"https://tapwatch.example.org, not {value!r}: Kibana resolves a relative link "
            f"against its own space and base path"
        )
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise InvalidConsoleUrl(
            f"the console URL must be a base URL without query, fragment or credentials: {value!r}"
        )
    if any(c.isspace() or c in _URL_FORBIDDEN for c in value):
        raise InvalidConsoleUrl(f"the console URL holds a character links cannot carry: {value!r}")
    return value.rstrip("/")


def render_saved_objects(ndjson: bytes, console_url: str, alerts_index: str) -> bytes:
    """The saved objects with their placeholders filled: links to `console_url` (checked
    by console_base_url) and the data view on `alerts_index` (a PipelineNames index name).

    Strings are replaced inside the decoded JSON and each object is encoded again, so the
    file's own quoting always holds; the JSON kept inside strings (the data view's field
    formats) is safe because console_base_url admits no quote or backslash.
    """
    base = console_base_url(console_url)
    lines = []
    for line in ndjson.splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        lines.append(
            _filled(obj, {CONSOLE_URL_PLACEHOLDER: base, ALERTS_INDEX_PLACEHOLDER: alerts_index})
        )
    return b"".join(
        json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode() + b"\n" for obj in lines
    )


def _filled(value: Any, replacements: dict[str, str]) -> Any:
    if isinstance(value, str):
        for placeholder, text in replacements.items():
            value = value.replace(placeholder, text)
        return value
    if isinstance(value, list):
        return [_filled(item, replacements) for item in value]
    if isinstance(value, dict):
        return {key: _filled(item, replacements) for key, item in value.items()}
    return value


# Kibana's own rule for space ids (lower-case letters, digits, '_' and '-').
_SPACE_ID = re.compile(r"^[a-z0-9_-]+$")
# How much of an unexpected response body an error message quotes (characters).
_BODY_EXCERPT_CHARS = 300


class KibanaImportError(TapwatchError):
    """Base of the import command's failures."""


class KibanaUnreachable(KibanaImportError, TransientError):
    """Kibana did not answer: refused, timed out, DNS or TLS failure."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"Kibana at {url} is unreachable: {reason}")
        self.url = url
        self.reason = reason


class KibanaRefused(KibanaImportError):
    """Kibana answered with a non-2xx status (bad credentials, missing privilege, bad file)."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(f"Kibana answered HTTP {status_code}: {message}")
        self.status_code = status_code
        self.message = message


@dataclass(frozen=True, slots=True)
class ObjectError:
    """One saved object Kibana did not import, and why."""

    type: str
    id: str
    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportResult:
    """Kibana's answer to one import: how many objects went in, which did not."""

    success: bool
    success_count: int
    errors: tuple[ObjectError, ...]

    @property
    def ok(self) -> bool:
        return self.success and not self.errors


def import_url(base_url: str, space: str | None, overwrite: bool) -> str:
    """The import endpoint, in the given space (`/s/<space>`) or the default one."""
    base = base_url.rstrip("/")
    if space and space != "default":
        if not _SPACE_ID.match(space):
            raise ValueError(f"not a Kibana space id: {space!r}")
        base = f"{base}/s/{space}"
    return f"{base}{IMPORT_PATH}?overwrite={'true' if overwrite else 'false'}"


def import_saved_objects(
    base_url: str,
    ndjson: bytes,
    settings: KibanaSettings,
    space: str | None = None,
    overwrite: bool = False,
) -> ImportResult:
    """POST the NDJSON as the multipart field `file`; Kibana's verdict, or an exception."""
    url = import_url(base_url, space, overwrite)
    headers = {"kbn-xsrf": "true", **settings.auth_headers()}
    verify: str | bool = str(settings.ca_certs) if settings.ca_certs else True
    try:
        with httpx.Client(timeout=settings.request_timeout_s, verify=verify) as client:
            response = client.post(
                url,
                headers=headers,
                files={"file": (SAVED_OBJECTS_FILE.name, ndjson, "application/ndjson")},
            )
    except httpx.HTTPError as exc:
        raise KibanaUnreachable(base_url, str(exc) or type(exc).__name__) from exc
    if not response.is_success:
        raise KibanaRefused(response.status_code, _error_message(response))
    try:
        body = response.json()
    except ValueError:
        raise KibanaRefused(
            response.status_code, f"not JSON: {response.text[:_BODY_EXCERPT_CHARS]!r}"
        ) from None
    return parse_import_response(body)


def parse_import_response(body: Any) -> ImportResult:
    """Kibana's `{success, successCount, errors}` as an ImportResult."""
    if not isinstance(body, dict):
        raise KibanaRefused(200, f"unexpected answer: {json.dumps(body)[:_BODY_EXCERPT_CHARS]}")
    errors = tuple(_object_error(item) for item in body.get("errors") or [])
    return ImportResult(
        success=bool(body.get("success")),
        success_count=int(body.get("successCount") or 0),
        errors=errors,
    )


def describe(result: ImportResult) -> list[str]:
    """Printable lines: the count, then one line per object Kibana refused."""
    lines = [f"imported {result.success_count} saved object(s)"]
    lines += [f"error: {e.type} {e.id} ({e.title}): {e.reason}" for e in result.errors]
    if result.errors and any(e.reason == "conflict" for e in result.errors):
        lines.append("hint: the objects already exist; rerun with --overwrite to replace them")
    if not result.success and not result.errors:
        lines.append("error: Kibana reported failure without naming an object")
    return lines


def _object_error(item: Any) -> ObjectError:
    if not isinstance(item, dict):
        return ObjectError("?", "?", "?", f"unexpected error entry: {item!r}")
    error = item.get("error") or {}
    reason = str(error.get("type") or "unknown")
    if error.get("message"):
        reason += f": {error['message']}"
    missing = error.get("references") or []
    if missing:
        reason += " " + ", ".join(f"{ref.get('type')}/{ref.get('id')}" for ref in missing)
    title = item.get("title") or (item.get("meta") or {}).get("title") or ""
    return ObjectError(str(item.get("type") or "?"), str(item.get("id") or "?"), title, reason)


def _error_message(response: httpx.Response) -> str:
    """Kibana's `{statusCode, error, message}` body as one line, else an excerpt."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:_BODY_EXCERPT_CHARS] or response.reason_phrase
    if isinstance(body, dict) and (body.get("message") or body.get("error")):
        return str(body.get("message") or body.get("error"))
    return json.dumps(body)[:_BODY_EXCERPT_CHARS]
