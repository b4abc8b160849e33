"""district.yaml into DistrictSettings, with every problem placed at its YAML node's line."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from core.yaml_file import (
    Node,
    YamlSyntaxError,
    YamlWalker,
    compose_yaml,
    is_null,
    is_sequence,
    line_of,
)
from policy.errors import InvalidValue
from policy.model import (
    CONTENT_CATEGORIES,
    DEFAULT_REPORTING_DEADLINE_HOURS,
    BuildingSettings,
    ConsoleSettings,
    ContentCategory,
    DistrictSettings,
    NotificationSettings,
    SchoolDay,
    Seal,
    StudentNaming,
)
from policy.source import Problems
from policy.values import (
    parse_bool,
    parse_district_id,
    parse_email,
    parse_hhmm,
    parse_timezone,
    parse_token,
    parse_url,
)

DISTRICT_YAML = "district.yaml"

_TOP_KEYS = (
    "id",
    "name",
    "timezone",
    "approved_platforms",
    "school_day",
    "buildings",
    "notifications",
    "console",
    "district_domains",
    "seal",
    "reporting",
    "content",
)
_TOP_REQUIRED = ("id", "name", "timezone", "approved_platforms", "school_day")
_DAY_KEYS = ("start", "end")
_BUILDING_KEYS = ("school_day", "principal_emails")
_CONSOLE_KEYS = ("issuer", "client_id", "client_secret_env", "public_url", "reviewers")
_CONSOLE_REQUIRED = ("issuer", "client_id", "client_secret_env", "public_url")
_SEAL_KEYS = ("image_url", "sha256")
_REPORTING_KEYS = ("deadline_hours",)
_CONTENT_KEYS = ("categories",)
_CATEGORY_KEYS = ("enabled", "threshold")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_NOTIFICATION_KEYS = ("it_emails", "digest_time", "student_names", "record_url")

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class YamlDistrict:
    """The settings, and the line of each `buildings` key for checks against orgs.csv."""

    settings: DistrictSettings
    building_lines: Mapping[str, int]


def read_district_yaml(text: str, problems: Problems) -> YamlDistrict | None:
    """The settings, or None when any problem was found (all of them added to `problems`)."""
    try:
        root = compose_yaml(text)
    except YamlSyntaxError as exc:
        problems.add(DISTRICT_YAML, exc.line, "(syntax)", exc.message)
        return None
    if root is None:
        problems.add(DISTRICT_YAML, 1, "(syntax)", "the file is empty")
        return None
    reader = _Reader()
    try:
        return reader.district(root)
    finally:
        # Even when the walk ends in a surprise, what it found so far is reported.
        for problem in reader.problems:
            problems.add(DISTRICT_YAML, problem.line, problem.path, problem.message)


class _Reader(YamlWalker):
    """Walks the composed node tree along district.yaml's schema."""

    def __init__(self) -> None:
        super().__init__(root_label="(syntax)")

    def district(self, root: Node) -> YamlDistrict | None:
        top = self.mapping(root, "", _TOP_KEYS, _TOP_REQUIRED)
        if top is None:
            return None
        district_id = self.parse(top.get("id"), "id", parse_district_id)
        name = self.parse(top.get("name"), "name", str)
        timezone = self.parse(top.get("timezone"), "timezone", parse_timezone)
        platforms = self.scalar_list(
            top.get("approved_platforms"), "approved_platforms", parse_token
        )
        school_day = self.school_day(top.get("school_day"), "school_day")
        buildings, lines = self.buildings(top.get("buildings"))
        notifications = self.notifications(top.get("notifications"))
        console = self.console(top.get("console"))
        domains = self.scalar_list(top.get("district_domains"), "district_domains", _parse_domain)
        seal = self.seal(top.get("seal"))
        deadline = self.reporting(top.get("reporting"))
        content = self.content(top.get("content"))
        if not self.ok or district_id is None or name is None or timezone is None:
            return None
        if platforms is None or school_day is None or notifications is None:
            return None
        settings = DistrictSettings(
            district_id,
            name,
            timezone,
            platforms,
            school_day,
            buildings,
            notifications,
            console=console,
            district_domains=domains or (),
            seal=seal,
            reporting_deadline_hours=deadline,
            content_categories=content,
        )
        return YamlDistrict(settings, lines)

    def parse(self, node: Node | None, path: str, parser: Callable[[str], _T]) -> _T | None:
        """A required scalar through `parser`; a missing node was reported by `mapping`."""
        text = self.scalar(node, path)
        if text is None:
            return None
        try:
            return parser(text)
        except InvalidValue as exc:
            self.fail(node, path, exc.reason)
            return None

    def scalar_list(
        self, node: Node | None, path: str, parser: Callable[[str], _T]
    ) -> tuple[_T, ...] | None:
        if node is None:
            return None
        if is_null(node):
            return ()
        if not is_sequence(node):
            self.fail(node, path, "expected a list")
            return None
        items = [self.parse(item, f"{path}[{i}]", parser) for i, item in enumerate(node.value)]
        values = [item for item in items if item is not None]
        return tuple(dict.fromkeys(values)) if len(values) == len(items) else None

    def school_day(self, node: Node | None, path: str) -> SchoolDay | None:
        if node is None:
            return None
        keys = self.mapping(node, path, _DAY_KEYS, _DAY_KEYS)
        if keys is None:
            return None
        start = self.parse(keys.get("start"), f"{path}.start", parse_hhmm)
        end = self.parse(keys.get("end"), f"{path}.end", parse_hhmm)
        if start is None or end is None:
            return None
        if start >= end:
            self.fail(keys["end"], f"{path}.end", f"{end:%H:%M} is not after start {start:%H:%M}")
            return None
        return SchoolDay(start, end)

    def seal(self, node: Node | None) -> Seal | None:
        """`seal: {image_url: ...}` or `seal: {sha256: ...}`; absent: sites are not checked
        for a seal."""
        if node is None or is_null(node):
            return None
        keys = self.mapping(node, "seal", _SEAL_KEYS)
        if keys is None:
            return None
        if len(keys) != 1:
            self.fail(node, "seal", "give exactly one of image_url and sha256")
            return None
        if "image_url" in keys:
            url = self.parse(keys["image_url"], "seal.image_url", parse_url)
            return Seal(image_url=url) if url else None
        digest = self.parse(keys["sha256"], "seal.sha256", _parse_sha256)
        return Seal(sha256=digest) if digest else None

    def reporting(self, node: Node | None) -> float:
        """`reporting: {deadline_hours: H}`: hours to report a questionable communication."""
        if node is None or is_null(node):
            return DEFAULT_REPORTING_DEADLINE_HOURS
        keys = self.mapping(node, "reporting", _REPORTING_KEYS)
        if keys is None or "deadline_hours" not in keys:
            return DEFAULT_REPORTING_DEADLINE_HOURS
        hours = self.parse(keys["deadline_hours"], "reporting.deadline_hours", _parse_hours)
        return hours if hours is not None else DEFAULT_REPORTING_DEADLINE_HOURS

    def content(self, node: Node | None) -> dict[str, ContentCategory]:
        """`content: {categories: {<name>: {enabled, threshold}}}`; absent: the defaults."""
        if node is None or is_null(node):
            return {}
        keys = self.mapping(node, "content", _CONTENT_KEYS)
        if keys is None or "categories" not in keys or is_null(keys["categories"]):
            return {}
        names = self.mapping(keys["categories"], "content.categories", CONTENT_CATEGORIES)
        out: dict[str, ContentCategory] = {}
        for name, value in (names or {}).items():
            path = f"content.categories.{name}"
            fields = self.mapping(value, path, _CATEGORY_KEYS)
            if fields is None:
                continue
            enabled = True
            if "enabled" in fields:
                parsed = self.parse(fields["enabled"], f"{path}.enabled", parse_bool)
                enabled = parsed if parsed is not None else True
            threshold = None
            if "threshold" in fields:
                threshold = self.parse(fields["threshold"], f"{path}.threshold", _parse_score)
            out[name] = ContentCategory(enabled, threshold)
        return out

    def notifications(self, node: Node | None) -> NotificationSettings | None:
        if node is None or is_null(node):
            return NotificationSettings()
        keys = self.mapping(node, "notifications", _NOTIFICATION_KEYS)
        if keys is None:
            return None
        ok = True
        it_emails: tuple[str, ...] = ()
        if "it_emails" in keys:
            emails = self.scalar_list(keys["it_emails"], "notifications.it_emails", parse_email)
            ok &= emails is not None
            it_emails = emails or ()
        digest_time = NotificationSettings().digest_time
        if "digest_time" in keys:
            parsed = self.parse(keys["digest_time"], "notifications.digest_time", parse_hhmm)
            ok &= parsed is not None
            digest_time = parsed or digest_time
        naming = StudentNaming.NONE
        if "student_names" in keys:
            parsed_naming = self.parse(
                keys["student_names"], "notifications.student_names", _parse_student_naming
            )
            ok &= parsed_naming is not None
            naming = parsed_naming or naming
        record_url = None
        if "record_url" in keys:
            record_url = self.parse(keys["record_url"], "notifications.record_url", _parse_url)
            ok &= record_url is not None
        if not ok:
            return None
        return NotificationSettings(it_emails, digest_time, naming, record_url)

    def console(self, node: Node | None) -> ConsoleSettings | None:
        """The optional `console` section; problems are reported and make the file fail."""
        if node is None or is_null(node):
            return None
        keys = self.mapping(node, "console", _CONSOLE_KEYS, _CONSOLE_REQUIRED)
        if keys is None:
            return None
        issuer = self.parse(keys.get("issuer"), "console.issuer", _parse_base_url)
        client_id = self.parse(keys.get("client_id"), "console.client_id", parse_token)
        secret_env = self.parse(
            keys.get("client_secret_env"), "console.client_secret_env", _parse_env_name
        )
        public_url = self.parse(keys.get("public_url"), "console.public_url", _parse_base_url)
        reviewers: tuple[str, ...] | None = ()
        if "reviewers" in keys:
            reviewers = self.scalar_list(keys["reviewers"], "console.reviewers", parse_email)
        if None in (issuer, client_id, secret_env, public_url) or reviewers is None:
            return None
        assert issuer and client_id and secret_env and public_url  # for mypy, checked above
        return ConsoleSettings(issuer, client_id, secret_env, public_url, reviewers)

    def buildings(self, node: Node | None) -> tuple[dict[str, BuildingSettings], dict[str, int]]:
        settings: dict[str, BuildingSettings] = {}
        lines: dict[str, int] = {}
        if node is None or is_null(node):
            return settings, lines
        entries = self.mapping(node, "buildings", ())
        if entries:
            lines = {str(key.value): line_of(key) for key, _ in node.value}
        for building_id, value in (entries or {}).items():
            path = f"buildings.{building_id}"
            if is_null(value):
                settings[building_id] = BuildingSettings()
                continue
            keys = self.mapping(value, path, _BUILDING_KEYS)
            if keys is None:
                continue
            day = keys.get("school_day")
            emails = keys.get("principal_emails")
            settings[building_id] = BuildingSettings(
                school_day=self.school_day(day, f"{path}.school_day") if day else None,
                principal_emails=self.scalar_list(emails, f"{path}.principal_emails", parse_email)
                or (),
            )
        return settings, lines


def _parse_student_naming(text: str) -> StudentNaming:
    try:
        return StudentNaming(text)
    except ValueError:
        choices = ", ".join(naming.value for naming in StudentNaming)
        raise InvalidValue(f"expected one of {choices}, not {text!r}") from None


def _parse_domain(text: str) -> str:
    domain = text.strip().lower().removeprefix("www.")
    if _DOMAIN.fullmatch(domain) is None:
        raise InvalidValue(f"expected a host name such as wsd209.example.org, not {text!r}")
    return domain


def _parse_sha256(text: str) -> str:
    if _SHA256.fullmatch(text.lower()) is None:
        raise InvalidValue("expected 64 hexadecimal digits (the sha256 of the seal image)")
    return text.lower()


def _parse_hours(text: str) -> float:
    try:
        hours = float(text)
    except ValueError:
        raise InvalidValue(f"expected a number of hours, not {text!r}") from None
    if not 0 < hours <= 24 * 30:
        raise InvalidValue(f"expected hours between 0 and 720, not {text!r}")
    return hours


def _parse_score(text: str) -> float:
    try:
        score = float(text)
    except ValueError:
        raise InvalidValue(f"expected a score between 0 and 1, not {text!r}") from None
    if not 0 < score <= 1:
        raise InvalidValue(f"expected a score above 0 and at most 1, not {text!r}")
    return score


def _parse_url(text: str) -> str:
    if not text.startswith(("https://", "http://")) or "{alert_id}" not in text:
        raise InvalidValue(f"expected an http(s) URL holding {{alert_id}}, not {text!r}")
    return text


def _parse_base_url(text: str) -> str:
    if not text.startswith(("https://", "http://")) or any(c.isspace() for c in text):
        raise InvalidValue(f"expected an http(s) URL, not {text!r}")
    return text.rstrip("/")


def _parse_env_name(text: str) -> str:
    if not text.replace("_", "A").isalnum() or not text.isascii() or text[0].isdigit():
        raise InvalidValue(f"expected an environment variable name (A-Z, 0-9, _), not {text!r}")
    return text
