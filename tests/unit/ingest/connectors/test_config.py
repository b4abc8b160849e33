"""connectors.yaml parsing: settings per account, and every problem at its line and key."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.clock import ManualClock
from ingest.connectors.config import (
    ConnectorsFileError,
    load_connectors_config,
    parse_connectors_yaml,
    parse_duration,
)
from ingest.connectors.registry import build_endpoints
from tests.builders import SAMPLE_DISTRICT

# Building endpoints never reads the clock; any fixed time will do.
NOW = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)

GOOD = """\
defaults: {poll_interval: 2m, max_interval: 1h}
twitter:
  base_url: https://127.0.0.1:9/
  credentials: {bearer_token: TAPWATCH_X_TOKEN}
  accounts:
    - account_id: "1500000000000000001"
      endpoints: [timeline, mentions]
    - account_id: 1500000000000000003
      endpoints: [dm_events]
      credentials: {user_token: TAPWATCH_X_USER_TOKEN}
      poll_interval: 30
"""


def _problems(text: str) -> tuple[str, ...]:
    with pytest.raises(ConnectorsFileError) as caught:
        parse_connectors_yaml(text)
    return caught.value.problems


class TestParse:
    def test_accounts_inherit_platform_and_default_settings(self) -> None:
        """Each account gets the platform's URL and credentials and the defaults' timing."""
        config = parse_connectors_yaml(GOOD)
        first, second = config.accounts
        assert first.account_id == "1500000000000000001"
        assert first.base_url == "https://127.0.0.1:9"
        assert first.timing.poll_interval_s == 120 and first.timing.max_interval_s == 3600
        assert dict(second.credentials) == {
            "bearer_token": "TAPWATCH_X_TOKEN",
            "user_token": "TAPWATCH_X_USER_TOKEN",
        }
        assert second.timing.poll_interval_s == 30 and second.line == 8

    def test_unknown_key_is_placed_at_its_line(self) -> None:
        """A misspelt key names the file, line and key path."""
        text = GOOD.replace("  base_url:", "  base_ulr:")
        assert _problems(text) == (
            "connectors.yaml:3: twitter.base_ulr: unknown key (expected one of base_url, "
            "credentials, accounts, poll_interval, max_interval, known_items_days, "
            "known_items_max)",
        )

    def test_a_secret_in_place_of_a_variable_name_is_refused_without_echoing_it(self) -> None:
        """A credential value must be an environment variable name; the value is not shown."""
        problems = _problems(GOOD.replace("X_TOKEN}", "AAAA%2Fsecret-token}"))
        assert len(problems) == 1
        assert problems[0].startswith("connectors.yaml:4: twitter.credentials.bearer_token:")
        assert "secret-token" not in problems[0]

    def test_missing_endpoints_and_bad_durations_are_all_reported(self) -> None:
        """Every problem of the file is listed, not only the first."""
        text = "twitter:\n  accounts:\n    - account_id: '1'\n      poll_interval: soon\n"
        assert _problems(text) == (
            "connectors.yaml:3: twitter.accounts[0].endpoints: required key is missing",
            "connectors.yaml:4: twitter.accounts[0].poll_interval: expected seconds or a "
            "number with s, m, h or d, not 'soon'",
        )

    def test_an_account_listed_twice_is_refused(self) -> None:
        """The same platform account twice would poll it twice."""
        text = GOOD.replace("1500000000000000003", '"1500000000000000001"')
        assert any("listed twice" in problem for problem in _problems(text))

    def test_invalid_yaml_names_its_line(self) -> None:
        """A syntax error is one problem at the line the parser stopped."""
        (problem,) = _problems("twitter:\n  accounts: [\n")
        assert problem.startswith("connectors.yaml:3: (syntax): not valid YAML")

    def test_durations_accept_units(self) -> None:
        """Seconds, minutes, hours and days."""
        assert [parse_duration(t) for t in ("90", "90s", "5m", "2h", "1d")] == [
            90,
            90,
            300,
            7200,
            86400,
        ]


class TestBuild:
    def test_unknown_endpoint_and_missing_variable_are_reported_per_account(self) -> None:
        """Building names the account's line and what is wrong, never a secret."""
        config = parse_connectors_yaml(GOOD.replace("[timeline, mentions]", "[timeline, likes]"))
        with pytest.raises(ConnectorsFileError) as caught:
            build_endpoints(config, ManualClock(NOW), {})
        assert caught.value.problems == (
            "connectors.yaml:6: twitter account 1500000000000000001: unknown endpoint likes "
            "(expected timeline, mentions, conversations, dm_events)",
            "connectors.yaml:8: twitter account 1500000000000000003: environment variable "
            "TAPWATCH_X_USER_TOKEN (user_token) is not set",
        )

    def test_the_sample_district_file_builds_with_its_variables_set(self) -> None:
        """samples/district/connectors.yaml is valid and names only variables."""
        config = load_connectors_config(SAMPLE_DISTRICT)
        assert config is not None
        names = {name for account in config.accounts for name in account.credentials.values()}
        endpoints = build_endpoints(config, ManualClock(NOW), dict.fromkeys(names, "x"))
        assert {e.endpoint.platform for e in endpoints} == {"twitter", "wordpress"}

    def test_a_folder_without_the_file_has_no_config(self, tmp_path: Path) -> None:
        """connectors.yaml is optional."""
        assert load_connectors_config(tmp_path) is None


class TestTransportRules:
    def test_http_base_url_is_refused_by_default(self) -> None:
        """A plain-http base URL is refused unless the loopback flag is given."""
        text = GOOD.replace("https://127.0.0.1:9/", "http://127.0.0.1:9/")
        with pytest.raises(ConnectorsFileError) as caught:
            parse_connectors_yaml(text, allow_loopback_http=False)
        assert "expected an https:// URL" in caught.value.problems[0]

    def test_http_is_allowed_only_on_loopback_with_the_flag(self) -> None:
        """With the flag, http://127.0.0.1 passes and http to any other host is still refused."""
        loopback = GOOD.replace("https://127.0.0.1:9/", "http://127.0.0.1:9/")
        parse_connectors_yaml(loopback, allow_loopback_http=True)
        remote = GOOD.replace("https://127.0.0.1:9/", "http://api.evil.example/")
        with pytest.raises(ConnectorsFileError):
            parse_connectors_yaml(remote, allow_loopback_http=True)

    def test_an_infrastructure_secret_cannot_be_named_as_a_credential(self) -> None:
        """TAPWATCH_ES_PASSWORD is not a connector variable: the file is refused."""
        text = GOOD.replace("TAPWATCH_X_TOKEN", "TAPWATCH_ES_PASSWORD")
        assert "not a connector credential variable" in _problems(text)[0]
