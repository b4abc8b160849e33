"""The local stack's generated passwords and per-identity env files."""

from __future__ import annotations

import stat
from pathlib import Path

from core.settings import StackSettings
from deploy import credentials
from deploy.identities import IDENTITIES, by_name


def test_passwords_are_generated_once_and_kept_private(tmp_path: Path) -> None:
    """A second load returns the same passwords; the file is mode 0600."""
    first = credentials.load_or_create(tmp_path)
    assert credentials.load_or_create(tmp_path) == first
    assert len(set(first.passwords.values())) == len(IDENTITIES)
    mode = stat.S_IMODE(credentials.credentials_file(tmp_path).stat().st_mode)
    assert mode == 0o600


def test_each_identity_gets_its_own_private_env_file(tmp_path: Path) -> None:
    """admin.env and identities/<name>.env are 0600 and hold only that identity's password."""
    creds = credentials.load_or_create(tmp_path)
    credentials.write_env_files(tmp_path, creds, StackSettings())
    admin = credentials.read_env_file(credentials.admin_env_file(tmp_path))
    worker_file = credentials.identity_env_file(tmp_path, by_name("worker"))
    worker = credentials.read_env_file(worker_file)
    assert admin["TAPWATCH_KAFKA_USERNAME"] == "tapwatch-admin"
    assert worker["TAPWATCH_ES_PASSWORD"] == creds.passwords["worker"]
    assert creds.passwords["admin"] not in worker_file.read_text()
    assert stat.S_IMODE(worker_file.stat().st_mode) == 0o600


def test_the_webhook_env_file_has_no_elasticsearch_variable(tmp_path: Path) -> None:
    """The internet-facing webhook holds no Elasticsearch credential at all."""
    creds = credentials.load_or_create(tmp_path)
    credentials.write_env_files(tmp_path, creds, StackSettings())
    webhook = credentials.identity_env_file(tmp_path, by_name("webhook"))
    assert "TAPWATCH_ES_" not in webhook.read_text()
