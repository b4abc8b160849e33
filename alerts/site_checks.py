"""`tapwatch sites check`: each registered external site checked, one alert per failing site.

A round: for each site of external_sites.csv, fetch the site and the staff member's
district page (ingest/site_client.py), and with a seal given by sha256 the site's
images; judge them (classifiers/external_site.py); then keep the site's one alert
(`platform: web`, `post_id` = the registered url, so its id never changes):
- failing, no alert yet: announce it (the alerts topic, so the mailer mails the
  principal) and create it (`create`: never a second alert for the site);
- failing, alert present: the same failed checks change nothing; other ones are
  written to the alert's `site_check` (the problems as now), never a new alert;
- passing, alert present and not yet noted: `site_check.compliant` and its time are
  written on the alert, for its reviewer to close it;
- passing, no alert: nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from elasticsearch import ConflictError, Elasticsearch, NotFoundError

from alerts.alert import Alert, alert_id, building_name_of, iso_utc, staff_name_of
from alerts.index_template import ALERTS_TEMPLATE
from classifiers.external_site import FetchedPage, failed_checks, site_finding
from core.pipeline_names import PipelineNames
from ingest.site_client import MAX_IMAGE_BYTES, FetchResult, SiteFetcher
from ingest.site_page import page_urls
from policy.context import DistrictContext
from policy.model import ExternalSite, Seal

PLATFORM = "web"
# Images fetched per site to look for a seal given by sha256.
MAX_SEAL_IMAGES = 20


@dataclass(frozen=True, slots=True)
class SiteOutcome:
    """What one round did for one site."""

    url: str
    staff_id: str
    failed_checks: tuple[str, ...]
    action: str  # raised, unchanged, updated, compliance_noted, compliant
    alert_id: str


def fetch_page(fetcher: SiteFetcher, url: str, seal: Seal | None) -> FetchedPage:
    """The page's links and images, and their digests when the seal is known by sha256."""
    result = fetcher.fetch(url)
    if result.body is None:
        return FetchedPage(url, error=result.error or "no body")
    urls = page_urls(result.body.decode("utf-8", "replace"), result.final_url)
    digests: dict[str, str] | None = None
    if seal is not None and seal.sha256 is not None:
        digests = {}
        for image in urls.images[:MAX_SEAL_IMAGES]:
            fetched: FetchResult = fetcher.fetch(image, MAX_IMAGE_BYTES)
            if fetched.body is not None:
                digests[image] = hashlib.sha256(fetched.body).hexdigest()
    return FetchedPage(url, urls.links, urls.images, digests)


def check_site(fetcher: SiteFetcher, site: ExternalSite, seal: Seal | None) -> dict[str, str]:
    """Failed check -> why, for one site (empty: compliant)."""
    site_page = fetch_page(fetcher, site.url, seal)
    district_page = fetch_page(fetcher, site.district_page_url, None)
    return failed_checks(site, site_page, district_page, seal)


class SiteAlerts:
    """The sites' alerts in the pipeline's alerts index (one per site, ever)."""

    def __init__(
        self,
        client: Elasticsearch,
        names: PipelineNames,
        announce: Callable[[Alert], None] | None = None,
    ) -> None:
        self._client = client
        self._index = names.alerts_index
        # Called with a new alert before it is created here, so that it reaches the
        # alerts topic (and the principal's mail) even if this round fails after it.
        self._announce = announce

    def ensure_template(self) -> None:
        self._client.indices.put_index_template(name=ALERTS_TEMPLATE.name, **ALERTS_TEMPLATE.body())

    def record(
        self,
        site: ExternalSite,
        failed: Mapping[str, str],
        context: DistrictContext,
        now: datetime,
    ) -> SiteOutcome:
        district_id = context.settings.id
        key = alert_id(district_id, "external_site", PLATFORM, site.url)
        checks = tuple(sorted(failed))
        existing = self._get(key)
        if existing is None:
            finding = site_finding(site, failed, context)
            if finding is None:
                return SiteOutcome(site.url, site.staff_id, (), "compliant", key)
            alert = Alert(
                key, district_id, finding.rule, finding.severity, "open", PLATFORM, site.url,
                finding.staff_id, (), finding.building_id, now, now, finding.summary,
                dict(finding.evidence), site.url, None,
                staff_name_of(context, finding.staff_id),
                building_name_of(context, finding.building_id),
            )  # fmt: skip
            document = {**alert.to_document(), "site_check": _site_check(checks, now)}
            if self._announce is not None:
                self._announce(alert)
            try:
                self._client.create(index=self._index, id=key, document=document, refresh=True)
            except ConflictError:  # another checker created it meanwhile: one alert still
                return SiteOutcome(site.url, site.staff_id, checks, "unchanged", key)
            return SiteOutcome(site.url, site.staff_id, checks, "raised", key)
        state = existing.get("site_check") or {}
        previous = tuple(state.get("failed_checks") or existing["evidence"]["failed_checks"])
        if not checks:
            if state.get("compliant"):
                return SiteOutcome(site.url, site.staff_id, (), "compliant", key)
            self._update(key, {**_site_check((), now), "compliant_since": iso_utc(now)})
            return SiteOutcome(site.url, site.staff_id, (), "compliance_noted", key)
        if checks == previous and not state.get("compliant"):
            return SiteOutcome(site.url, site.staff_id, checks, "unchanged", key)
        self._update(key, _site_check(checks, now))
        return SiteOutcome(site.url, site.staff_id, checks, "updated", key)

    def _get(self, key: str) -> dict[str, Any] | None:
        try:
            return dict(self._client.get(index=self._index, id=key)["_source"])
        except NotFoundError:
            return None

    def _update(self, key: str, site_check: dict[str, Any]) -> None:
        self._client.update(index=self._index, id=key, doc={"site_check": site_check}, refresh=True)


def _site_check(checks: tuple[str, ...], now: datetime) -> dict[str, Any]:
    return {
        "failed_checks": list(checks),
        "compliant": not checks,
        "checked_at": iso_utc(now),
    }
