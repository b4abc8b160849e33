"""Which connector builds the endpoints of each platform named in connectors.yaml.

Each platform module exposes a builder; this module checks the account's endpoint
names and options against what the builder accepts and collects every problem, so
that `tapwatch ingest run` refuses a wrong configuration at start with all of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from core.clock import Clock
from ingest.connectors.config import AccountConfig, ConnectorsConfig, ConnectorsFileError
from ingest.connectors.errors import ConnectorConfigError
from ingest.connectors.source import Endpoint

Builder = Callable[[AccountConfig, Clock, Mapping[str, str]], Sequence[Endpoint]]


@dataclass(frozen=True, slots=True)
class FollowedEndpoint:
    """One endpoint to poll and the account settings (timing) it was built from."""

    endpoint: Endpoint
    account: AccountConfig


@dataclass(frozen=True, slots=True)
class ConnectorSpec:
    """What a platform's accounts may say in connectors.yaml, and how to build them."""

    endpoints: tuple[str, ...]
    options: tuple[str, ...]
    build: Builder


def _twitter(account: AccountConfig, clock: Clock, environ: Mapping[str, str]) -> list[Endpoint]:
    from ingest.connectors.x_api import x_endpoints

    return list(x_endpoints(account, clock, environ))


def _wordpress(account: AccountConfig, clock: Clock, environ: Mapping[str, str]) -> list[Endpoint]:
    from ingest.connectors.wordpress_api import wordpress_endpoints

    return list(wordpress_endpoints(account, clock, environ))


def _facebook(account: AccountConfig, clock: Clock, environ: Mapping[str, str]) -> list[Endpoint]:
    from ingest.connectors.facebook_api import facebook_page_endpoints

    token_env = account.credentials.get("page_token")
    if token_env is None:
        raise ConnectorConfigError(
            f"{account.where}: facebook page {account.account_id}: needs credentials.page_token"
        )
    extra: dict[str, object] = {}
    if account.base_url:
        extra["base_url"] = account.base_url
    if "reread_days" in account.options:
        extra["reread"] = timedelta(days=float(account.options["reread_days"]))
    built = facebook_page_endpoints(
        account.account_id,
        token_env,
        clock,
        environ=environ,
        **extra,  # type: ignore[arg-type]
    )
    return [endpoint for endpoint in built if endpoint.name in account.endpoints]


def _bluesky(account: AccountConfig, clock: Clock, environ: Mapping[str, str]) -> list[Endpoint]:
    from ingest.connectors.bluesky_api import BlueskyAuthorFeed

    extra: dict[str, object] = {}
    if account.base_url:
        extra["base_url"] = account.base_url
    if "reread_days" in account.options:
        extra["reread"] = timedelta(days=float(account.options["reread_days"]))
    return [BlueskyAuthorFeed(account.account_id, clock, **extra)]  # type: ignore[arg-type]


SPECS: Mapping[str, ConnectorSpec] = {
    "twitter": ConnectorSpec(
        ("timeline", "mentions", "conversations", "dm_events"),
        ("backfill_days", "follow_days", "max_results", "window_days", "window_every"),
        _twitter,
    ),
    "wordpress": ConnectorSpec(
        ("posts", "comments"),
        ("url", "user", "backfill_days", "window_days", "per_page"),
        _wordpress,
    ),
    "facebook": ConnectorSpec(("feed", "conversations"), ("reread_days",), _facebook),
    "bluesky": ConnectorSpec(("author_feed",), ("reread_days",), _bluesky),
}


def build_endpoints(
    config: ConnectorsConfig, clock: Clock, environ: Mapping[str, str] = os.environ
) -> list[FollowedEndpoint]:
    """Every configured endpoint; ConnectorsFileError lists every account that is wrong."""
    problems: list[str] = []
    followed: list[FollowedEndpoint] = []
    for account in config.accounts:
        where = f"{account.where}: {account.platform} account {account.account_id}"
        spec = SPECS.get(account.platform)
        if spec is None:
            known = ", ".join(sorted(SPECS))
            problems.append(f"{where}: no live connector for this platform (known: {known})")
            continue
        unknown = [name for name in account.endpoints if name not in spec.endpoints]
        if unknown:
            problems.append(
                f"{where}: unknown endpoint {', '.join(unknown)} "
                f"(expected {', '.join(spec.endpoints)})"
            )
        options = [key for key in account.options if key not in spec.options]
        if options:
            problems.append(
                f"{where}: unknown key {', '.join(options)} "
                f"(platform options: {', '.join(spec.options) or 'none'})"
            )
        if unknown or options:
            continue
        try:
            endpoints = spec.build(account, clock, environ)
        except (ConnectorConfigError, ValueError) as exc:
            problems.append(str(exc) if str(exc).startswith(account.where) else f"{where}: {exc}")
            continue
        followed.extend(FollowedEndpoint(endpoint, account) for endpoint in endpoints)
    if problems:
        raise ConnectorsFileError(tuple(problems))
    return followed
