"""The console's access log: every view and export of an incident, readable by IT.

One document per access (who, when, which alert, what), in its own index. Writes wait
for nothing but the index's acknowledgement: an access that cannot be logged is not
served (the caller turns the error into a 503), so the log has no gaps.
"""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from console.identity import Identity
from core.clock import Clock

# The most entries the IT page shows at once.
MAX_ENTRIES = 200
MAPPINGS: dict[str, Any] = {
    "properties": {
        "at": {"type": "date"},
        "alert_id": {"type": "keyword"},
        "district_id": {"type": "keyword"},
        "what": {"type": "keyword"},
        "issuer": {"type": "keyword"},
        "subject": {"type": "keyword"},
        "email": {"type": "keyword"},
    }
}


class AccessLog:
    """Appends and lists access entries of one index."""

    def __init__(self, client: Elasticsearch, index: str, clock: Clock) -> None:
        self._client = client
        self._index = index
        self._clock = clock
        self._ready = False

    def _ensure_index(self) -> None:
        if self._ready:
            return
        if not self._client.indices.exists(index=self._index):
            # 400: another console process created it first.
            client = self._client.options(ignore_status=400)
            client.indices.create(index=self._index, mappings=MAPPINGS)
        self._ready = True

    def record(self, who: Identity, district_id: str, alert_id: str, what: str) -> None:
        self._ensure_index()
        at = self._clock.now().isoformat().replace("+00:00", "Z")
        self._client.index(
            index=self._index,
            document={"at": at, "alert_id": alert_id, "district_id": district_id, "what": what}
            | who.to_dict(),
            refresh="wait_for",
        )

    def recent(self, district_id: str, alert_id: str | None = None) -> list[dict[str, Any]]:
        """The newest entries of the district (of one alert when given), newest first."""
        filters: list[dict[str, Any]] = [{"term": {"district_id": district_id}}]
        if alert_id:
            filters.append({"term": {"alert_id": alert_id}})
        response = self._client.search(
            index=self._index,
            query={"bool": {"filter": filters}},
            sort=[{"at": {"order": "desc"}}],
            size=MAX_ENTRIES,
            ignore_unavailable=True,
            allow_no_indices=True,
        )
        return [hit["_source"] for hit in response["hits"]["hits"]]
