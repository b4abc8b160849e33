"""The identity table: docs/security.md in step with it, and the rules it must keep."""

from __future__ import annotations

from pathlib import Path

from deploy.identities import IDENTITIES, by_name, es_roles, render_identity_table

REPO = Path(__file__).resolve().parents[3]


def test_security_doc_holds_the_current_table() -> None:
    """docs/security.md carries the table rendered from deploy/identities.py."""
    assert render_identity_table() in (REPO / "docs" / "security.md").read_text()


def test_only_the_admin_is_a_super_user() -> None:
    """No service identity is a super user."""
    assert [i.name for i in IDENTITIES if i.super_user] == ["admin"]


def test_the_webhook_has_no_elasticsearch_role() -> None:
    """The internet-facing webhook gets no Elasticsearch user or role."""
    assert not by_name("webhook").has_es
    assert "tapwatch-webhook" not in es_roles()


def test_no_service_role_may_delete_alerts_or_audit_entries() -> None:
    """Only retention deletes, and only posts."""
    for name, role in es_roles().items():
        for grant in role["indices"]:  # type: ignore[attr-defined]
            if "delete" in grant["privileges"] or "all" in grant["privileges"]:
                assert name == "tapwatch-retention"
                assert grant["names"] == ["tapwatch-posts*"]
