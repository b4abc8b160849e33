"""The console's JSON API with real Keycloak access tokens, one role at a time."""

from __future__ import annotations

import httpx
import pytest
from elasticsearch import Elasticsearch

from core.settings import ElasticsearchSettings, StackSettings
from tests.integration.console.conftest import (
    IT,
    PRINCIPAL_WHS,
    PRINCIPAL_WMS,
    REVIEWER,
    STRANGER,
    WHS_ALERTS,
    WMS_ALERTS,
    Console,
    token_for,
)


def _get(console: Console, path: str, email: str | None, **params: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token_for(email)}"} if email else {}
    return httpx.get(f"{console.url}{path}", headers=headers, params=params, timeout=30)


def _ids(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {alert["alert_id"] for alert in response.json()["alerts"]}


class TestConsoleApi:
    def test_healthz_answers_without_a_token(self, console: Console) -> None:
        """/healthz needs no sign-in and reports Elasticsearch up."""
        response = httpx.get(f"{console.url}/healthz", timeout=10)
        assert response.json() == {"status": "ok", "elasticsearch": True}

    def test_no_token_is_401(self, console: Console) -> None:
        """A request without a bearer token is refused."""
        assert _get(console, "/api/incidents", None).status_code == 401

    def test_a_forged_token_is_401(self, console: Console) -> None:
        """A token whose signature does not verify is refused."""
        token = token_for(IT)
        forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        response = httpx.get(
            f"{console.url}/api/incidents",
            headers={"Authorization": f"Bearer {forged}"},
            timeout=10,
        )
        assert response.status_code == 401

    def test_an_account_the_district_does_not_name_is_403(self, console: Console) -> None:
        """A valid token of someone with no role in the district sees nothing."""
        assert _get(console, "/api/incidents", STRANGER).status_code == 403

    def test_a_principal_lists_only_their_building(self, console: Console) -> None:
        """The WHS principal's queue holds WHS alerts only, with counts of those alone."""
        response = _get(console, "/api/incidents", PRINCIPAL_WHS)
        assert _ids(response) == set(WHS_ALERTS)
        assert response.json()["counts"]["building_id"] == {"org-whs": len(WHS_ALERTS)}

    @pytest.mark.parametrize("email", [IT, REVIEWER])
    def test_it_and_reviewers_list_the_whole_district_only(
        self, console: Console, email: str
    ) -> None:
        """IT and reviewers see both schools, never another district's alert."""
        assert _ids(_get(console, "/api/incidents", email)) == {*WHS_ALERTS, *WMS_ALERTS}

    def test_filters_apply_within_the_scope(self, console: Console) -> None:
        """A building filter outside a principal's scope finds nothing."""
        assert _ids(_get(console, "/api/incidents", PRINCIPAL_WHS, building="org-wms")) == set()

    def test_another_buildings_alert_is_404(self, console: Console) -> None:
        """A principal asking for another building's alert gets 404, as if it did not exist."""
        mine = _get(console, f"/api/incidents/{WMS_ALERTS[0]}", PRINCIPAL_WMS)
        assert mine.status_code == 200
        theirs = _get(console, f"/api/incidents/{WMS_ALERTS[0]}", PRINCIPAL_WHS)
        assert theirs.status_code == 404
        missing = _get(console, "/api/incidents/no-such-alert", PRINCIPAL_WHS)
        assert theirs.json() == missing.json()

    def test_another_districts_alert_is_404_even_for_it(self, console: Console) -> None:
        """IT of one district cannot read another district's alert."""
        assert _get(console, "/api/incidents/other-1", IT).status_code == 404

    def test_an_action_is_audited_with_the_signed_in_identity(self, console: Console) -> None:
        """Acknowledge through the API: the chain's entry names the token's email and subject."""
        alert_id = WHS_ALERTS[0]
        response = httpx.post(
            f"{console.url}/api/incidents/{alert_id}/actions",
            headers={"Authorization": f"Bearer {token_for(PRINCIPAL_WHS)}"},
            json={"action": "acknowledge", "note": "seen, talking to the teacher"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        detail = _get(console, f"/api/incidents/{alert_id}", PRINCIPAL_WHS).json()
        assert detail["alert"]["status"] == "acknowledged"
        entry = detail["history"][-1]
        issuer = f"http://127.0.0.1:{StackSettings().stack_keycloak_port}/realms/tapwatch"
        assert entry["by"].startswith(f"{PRINCIPAL_WHS} ({issuer}#")
        assert detail["chain_verification"]["ok"] is True

    def test_an_action_on_another_buildings_alert_is_404_and_changes_nothing(
        self, console: Console
    ) -> None:
        """A principal cannot act on another building's alert."""
        alert_id = WMS_ALERTS[0]
        response = httpx.post(
            f"{console.url}/api/incidents/{alert_id}/actions",
            headers={"Authorization": f"Bearer {token_for(PRINCIPAL_WHS)}"},
            json={"action": "acknowledge", "note": "not mine"},
            timeout=30,
        )
        assert response.status_code == 404
        detail = _get(console, f"/api/incidents/{alert_id}", IT).json()
        assert detail["alert"]["status"] == "open"
        assert detail["history"] == []

    def test_a_refused_action_is_409(self, console: Console) -> None:
        """A dismissal without a close reason is refused with the review module's reason."""
        response = httpx.post(
            f"{console.url}/api/incidents/{WHS_ALERTS[1]}/actions",
            headers={"Authorization": f"Bearer {token_for(REVIEWER)}"},
            json={"action": "dismiss", "note": "no reason given"},
            timeout=30,
        )
        assert response.status_code == 409
        assert "close reason" in response.json()["error"]

    def test_every_view_is_in_the_access_log(self, console: Console) -> None:
        """Viewing an incident writes who, when and which alert to the access log."""
        alert_id = WHS_ALERTS[2]
        assert _get(console, f"/api/incidents/{alert_id}", REVIEWER).status_code == 200
        es = Elasticsearch(**ElasticsearchSettings().client_options())
        try:
            es.indices.refresh(index=console.names.console_access_index)
            hits = es.search(
                index=console.names.console_access_index,
                query={"term": {"alert_id": alert_id}},
            )["hits"]["hits"]
        finally:
            es.close()
        assert [(h["_source"]["email"], h["_source"]["what"]) for h in hits] == [(REVIEWER, "view")]
