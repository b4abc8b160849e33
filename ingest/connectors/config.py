"""connectors.yaml (optional, in the district folder) into frozen per-account settings.

The file says which accounts, pages and sites the live connectors follow, how often
and through which endpoints, and the NAMES of the environment variables that hold
each credential (never a secret itself). Every problem names the file, the line and
the key path, like district.yaml's:

    # connectors.yaml: what `tapwatch ingest run --district DIR` follows.
    defaults:                  # optional; each key can be set again per platform or account
      poll_interval: 5m        # between two polls of one endpoint (s, m, h, d or seconds)
      max_interval: 30m        # no successful poll for this long: the endpoint is overdue
      known_items_days: 14     # remember each fetched item's id and version this long ...
      known_items_max: 2000    # ... and at most this many per endpoint (duplicates, edits)
    twitter:                   # a platform name, as in accounts.csv
      base_url: https://api.x.com            # optional: the API's root (tests use a local one)
      credentials:                           # credential -> environment variable NAME
        bearer_token: TAPWATCH_X_BEARER_TOKEN
      accounts:
        - account_id: "1500000000000000003"  # the platform's id, as in accounts.csv
          endpoints: [timeline, mentions, conversations, dm_events]
          credentials: {user_token: TAPWATCH_X_USER_TOKEN_WHS}   # overrides/extends
          poll_interval: 2m
    wordpress:
      accounts:
        - account_id: ayers-bio              # a short name of the blog (the site has no id)
          url: https://blogs.example.org/ayers
          user: tapwatch-reader              # application-password user
          credentials: {app_password: TAPWATCH_WP_AYERS_APP_PASSWORD}
          endpoints: [posts, comments]

Keys of an account other than the common ones (`account_id`, `endpoints`,
`credentials`, `base_url` and the timing keys) are platform options (`url`, `user`,
`window_days`, ...); each platform's connector says which it accepts
(`ingest.connectors.registry`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from core.yaml_file import (
    Node,
    YamlProblem,
    YamlSyntaxError,
    YamlWalker,
    compose_yaml,
    is_null,
    is_sequence,
    line_of,
)
from ingest.connectors.errors import ConnectorConfigError

CONNECTORS_YAML = "connectors.yaml"

# Defaults when connectors.yaml does not say: poll every 5 minutes, overdue after 30.
DEFAULT_POLL_INTERVAL_S = 300.0
DEFAULT_MAX_INTERVAL_S = 1800.0
# Items remembered per endpoint (days and count): bounds the cursor record's size
# (about 100 bytes per item) while covering every platform's re-delivery window.
DEFAULT_KNOWN_ITEMS_DAYS = 14.0
DEFAULT_KNOWN_ITEMS_MAX = 2000
# The shortest poll interval accepted (seconds): tests use 1, nothing should go lower.
MIN_POLL_INTERVAL_S = 0.1

_TIMING_KEYS = ("poll_interval", "max_interval", "known_items_days", "known_items_max")
_PLATFORM_KEYS = ("base_url", "credentials", "accounts", *_TIMING_KEYS)
_ACCOUNT_COMMON_KEYS = ("account_id", "endpoints", "credentials", "base_url", *_TIMING_KEYS)
_PLATFORM_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,127}")
# The only variables connectors.yaml may name as credentials (docs/security.md): whoever
# edits the file must not be able to send TAPWATCH_ES_PASSWORD, the SMTP or Kafka
# password, or ELASTIC_PASSWORD to a base_url of their choosing.
CREDENTIAL_PREFIXES = (
    "TAPWATCH_CONNECTOR_",
    "TAPWATCH_X_",
    "TAPWATCH_WP_",
    "TAPWATCH_FB_",
    "TAPWATCH_FACEBOOK_",
    "TAPWATCH_BLUESKY_",
)
# Set to true (tests only) to accept http:// base URLs on loopback hosts.
ALLOW_LOOPBACK_HTTP_ENV = "TAPWATCH_CONNECTORS_ALLOW_LOOPBACK_HTTP"
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(s|m|h|d)?")
_UNIT_S = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


class ConnectorsFileError(ConnectorConfigError):
    """connectors.yaml is refused; `problems` lists each as `file:line: key: what`."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Timing:
    """How often an endpoint is polled, when it is overdue, and what it remembers."""

    poll_interval_s: float = DEFAULT_POLL_INTERVAL_S
    max_interval_s: float = DEFAULT_MAX_INTERVAL_S
    known_items_days: float = DEFAULT_KNOWN_ITEMS_DAYS
    known_items_max: int = DEFAULT_KNOWN_ITEMS_MAX


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """One followed account, page or site of one platform, and the endpoints to poll.

    `credentials` maps a credential name (`bearer_token`, `app_password`, ...) to the
    name of the environment variable holding it; `options` holds the platform's own
    keys as text. `line` is where the account starts in connectors.yaml.
    """

    platform: str
    account_id: str
    endpoints: tuple[str, ...]
    timing: Timing = field(default_factory=Timing)
    base_url: str | None = None
    credentials: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, str] = field(default_factory=dict)
    line: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "credentials", MappingProxyType(dict(self.credentials)))
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))

    @property
    def where(self) -> str:
        """`connectors.yaml:LINE`, to place an error found after parsing."""
        return f"{CONNECTORS_YAML}:{self.line}"


@dataclass(frozen=True, slots=True)
class ConnectorsConfig:
    """Every followed account of one district, in file order."""

    accounts: tuple[AccountConfig, ...] = ()

    def for_platform(self, platform: str) -> tuple[AccountConfig, ...]:
        return tuple(account for account in self.accounts if account.platform == platform)


def load_connectors_config(district_dir: Path) -> ConnectorsConfig | None:
    """The district's connectors.yaml, or None when the folder has none."""
    path = district_dir / CONNECTORS_YAML
    if not path.is_file():
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConnectorsFileError(
            (f"{CONNECTORS_YAML}:{line}: (encoding): invalid UTF-8 byte",)
        ) from None
    return parse_connectors_yaml(text)


def parse_connectors_yaml(text: str, allow_loopback_http: bool | None = None) -> ConnectorsConfig:
    """Parse the file's text; ConnectorsFileError lists every problem found. http:// base
    URLs pass only for loopback hosts and only when allowed (None: the environment's flag)."""
    reader = _Reader()
    reader.allow_loopback_http = (
        loopback_http_allowed() if allow_loopback_http is None else allow_loopback_http
    )
    try:
        root = compose_yaml(text)
    except YamlSyntaxError as exc:
        raise ConnectorsFileError(
            (f"{CONNECTORS_YAML}:{exc.line}: (syntax): {exc.message}",)
        ) from None
    config = ConnectorsConfig() if root is None else reader.read(root)
    if reader.problems:
        raise ConnectorsFileError(tuple(_problem_text(problem) for problem in reader.problems))
    return config


def _is_loopback(url: str) -> bool:
    host = url.removeprefix("http://").split("/", 1)[0]
    host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return host in _LOOPBACK_HOSTS


def url_allowed(url: str, allow_loopback_http: bool | None = None) -> bool:
    """https://, or http:// to a loopback host when allowed (None: the environment's flag)."""
    if url.startswith("https://"):
        return True
    allowed = loopback_http_allowed() if allow_loopback_http is None else allow_loopback_http
    return url.startswith("http://") and allowed and _is_loopback(url)


def loopback_http_allowed() -> bool:
    return os.environ.get(ALLOW_LOOPBACK_HTTP_ENV, "").strip().lower() in ("1", "true", "yes")


def _problem_text(problem: YamlProblem) -> str:
    return f"{CONNECTORS_YAML}:{problem.line}: {problem.path}: {problem.message}"


def parse_duration(text: str) -> float:
    """Seconds from `90`, `90s`, `5m`, `2h` or `1d`; ValueError otherwise."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"expected seconds or a number with s, m, h or d, not {text!r}")
    return float(match.group(1)) * _UNIT_S[match.group(2) or "s"]


class _Reader(YamlWalker):
    """Walks the composed YAML along connectors.yaml's schema, collecting every problem."""

    def __init__(self) -> None:
        super().__init__(root_label="(file)")
        self.allow_loopback_http = False

    def read(self, root: Node) -> ConnectorsConfig:
        top = self.mapping(root, "")
        if top is None:
            return ConnectorsConfig()
        timing = Timing()
        if "defaults" in top:
            defaults = self.mapping(top.pop("defaults"), "defaults", _TIMING_KEYS)
            timing = self.timing(defaults or {}, "defaults", timing)
        accounts: list[AccountConfig] = []
        for platform, node in top.items():
            if not _PLATFORM_NAME.fullmatch(platform):
                self.fail(node, platform, "a platform name is lower-case letters, digits and _")
                continue
            accounts.extend(self.platform(platform, node, timing))
        seen: dict[tuple[str, str], int] = {}
        for account in accounts:
            key = (account.platform, account.account_id)
            if key in seen:
                self.fail_at(
                    account.line,
                    f"{account.platform}.accounts",
                    f"account {account.account_id} is listed twice (first on line {seen[key]})",
                )
            seen.setdefault(key, account.line)
        return ConnectorsConfig(tuple(accounts))

    def platform(self, platform: str, node: Node, inherited: Timing) -> list[AccountConfig]:
        keys = self.mapping(node, platform, _PLATFORM_KEYS, required=("accounts",))
        if keys is None:
            return []
        timing = self.timing(keys, platform, inherited)
        base_url = self.url(keys.get("base_url"), f"{platform}.base_url")
        credentials = self.credentials(keys.get("credentials"), f"{platform}.credentials")
        accounts_node = keys.get("accounts")
        if accounts_node is None:
            return []
        if not is_sequence(accounts_node):
            self.fail(accounts_node, f"{platform}.accounts", "expected a list of accounts")
            return []
        accounts = []
        for index, item in enumerate(accounts_node.value):
            path = f"{platform}.accounts[{index}]"
            account = self.account(platform, path, item, timing, base_url, credentials)
            if account is not None:
                accounts.append(account)
        return accounts

    def account(
        self,
        platform: str,
        path: str,
        node: Node,
        inherited: Timing,
        base_url: str | None,
        credentials: Mapping[str, str],
    ) -> AccountConfig | None:
        keys = self.mapping(node, path, (), required=("account_id", "endpoints"))
        if keys is None:
            return None
        before = len(self.problems)
        account_id = self.scalar(keys.get("account_id"), f"{path}.account_id")
        if account_id is not None and not _TOKEN.fullmatch(account_id):
            self.fail(keys["account_id"], f"{path}.account_id", "expected a short id token")
        endpoints = self.endpoints(keys.get("endpoints"), f"{path}.endpoints")
        timing = self.timing(keys, path, inherited)
        own_url = self.url(keys.get("base_url"), f"{path}.base_url")
        own_credentials = self.credentials(keys.get("credentials"), f"{path}.credentials")
        options: dict[str, str] = {}
        for key, value in keys.items():
            if key in _ACCOUNT_COMMON_KEYS:
                continue
            text = self.scalar(value, f"{path}.{key}")
            if text is not None:
                options[key] = text
        if len(self.problems) > before or account_id is None or endpoints is None:
            return None
        return AccountConfig(
            platform=platform,
            account_id=account_id,
            endpoints=endpoints,
            timing=timing,
            base_url=own_url or base_url,
            credentials={**credentials, **own_credentials},
            options=options,
            line=line_of(node),
        )

    def timing(self, keys: Mapping[str, Node], path: str, inherited: Timing) -> Timing:
        timing = inherited
        for key in ("poll_interval", "max_interval", "known_items_days"):
            text = self.scalar(keys.get(key), f"{path}.{key}")
            if text is None:
                continue
            try:
                value = float(text) if key == "known_items_days" else parse_duration(text)
            except ValueError as exc:
                self.fail(keys[key], f"{path}.{key}", str(exc))
                continue
            if value <= 0 or (key == "poll_interval" and value < MIN_POLL_INTERVAL_S):
                self.fail(keys[key], f"{path}.{key}", f"must be positive, not {text!r}")
                continue
            if key == "poll_interval":
                timing = replace(timing, poll_interval_s=value)
            elif key == "max_interval":
                timing = replace(timing, max_interval_s=value)
            else:
                timing = replace(timing, known_items_days=value)
        text = self.scalar(keys.get("known_items_max"), f"{path}.known_items_max")
        if text is not None:
            if not text.isdigit() or int(text) < 1:
                self.fail(keys["known_items_max"], f"{path}.known_items_max", "expected a count")
            else:
                timing = replace(timing, known_items_max=int(text))
        if timing.max_interval_s < timing.poll_interval_s:
            node = keys.get("max_interval") or keys.get("poll_interval")
            if node is not None:
                self.fail(node, path, "max_interval is shorter than poll_interval")
        return timing

    def endpoints(self, node: Node | None, path: str) -> tuple[str, ...] | None:
        if node is None:
            return None
        if not is_sequence(node) or not node.value:
            self.fail(node, path, "expected a non-empty list of endpoint names")
            return None
        names = [self.scalar(item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        if any(name is None for name in names):
            return None
        return tuple(dict.fromkeys(name for name in names if name is not None))

    def url(self, node: Node | None, path: str) -> str | None:
        text = self.scalar(node, path)
        if text is None:
            return None
        if not url_allowed(text, self.allow_loopback_http):
            hint = f" (plain http only on loopback with {ALLOW_LOOPBACK_HTTP_ENV}=true)"
            self.fail(node, path, f"expected an https:// URL, not {text[:60]!r}{hint}")
            return None
        return text.rstrip("/")

    def credentials(self, node: Node | None, path: str) -> dict[str, str]:
        if node is None or is_null(node):
            return {}
        keys = self.mapping(node, path)
        names: dict[str, str] = {}
        for key, value in (keys or {}).items():
            text = self.scalar(value, f"{path}.{key}")
            if text is None:
                continue
            if not _ENV_NAME.fullmatch(text):
                # Never echo the value: someone may have pasted the secret itself.
                self.fail(
                    value,
                    f"{path}.{key}",
                    "must be the NAME of an environment variable ([A-Z_][A-Z0-9_]*), "
                    "never the secret itself",
                )
                continue
            if not text.startswith(CREDENTIAL_PREFIXES):
                self.fail(
                    value,
                    f"{path}.{key}",
                    f"{text} is not a connector credential variable (names start with "
                    f"{', '.join(CREDENTIAL_PREFIXES)})",
                )
                continue
            names[key] = text
        return names
