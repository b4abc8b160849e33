"""`tapwatch sites check` against local HTTP servers serving fixture sites: compliant, missing
each check, redirect loops, huge and slow pages, robots.txt, ETag caching; alerts on the real
Elasticsearch, one per site."""

from __future__ import annotations

import dataclasses
import hashlib
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from elasticsearch import Elasticsearch

from alerts.alert_codec import alert_from_json
from alerts.kafka_alert_publisher import AlertPublisher
from alerts.site_checks import SiteAlerts, check_site
from classifiers.external_site import (
    DISTRICT_PAGE_LINKS_SITE,
    SEAL_SHOWN,
    SITE_LINKS_DISTRICT_PAGE,
    SITE_REACHABLE,
)
from core.kafka_admin import ensure_topics
from core.settings import ElasticsearchSettings, KafkaSettings
from ingest.site_client import USER_AGENT, SiteFetcher
from policy.context import DistrictContext
from policy.model import ExternalSite, Seal
from tests.builders import sample_context
from tests.integration.conftest import read_topic

SEAL_BYTES = b"\x89PNG invented seal of approval"
SLOW_S = 3.0


class FixtureSites:
    """The pages each path serves; `state` lets a test fix a site between rounds."""

    def __init__(self) -> None:
        self.state = {"noseal_fixed": False}
        self.hits: dict[str, int] = {}
        self.agents: set[str] = set()

    def page(self, base: str, path: str) -> tuple[int, dict[str, str], bytes]:
        seal = f'<img src="{base}/seal.png" alt="seal">'
        back = f'<a href="{base}/district/ayers">My district page</a>'
        sites = {
            "/sites/compliant/": back + seal,
            "/sites/nolinkback/": seal,
            "/sites/noseal/": back + (seal if self.state["noseal_fixed"] else ""),
            "/sites/unlinked/": back + seal,
        }
        if path in sites:
            return (
                200,
                {"Content-Type": "text/html"},
                f"<html><body>{sites[path]}</body></html>".encode(),
            )
        if path == "/district/ayers":
            links = "".join(
                f'<a href="/sites/{name}/">{name}</a>'
                for name in ("compliant", "nolinkback", "noseal", "private")
            )
            return 200, {"Content-Type": "text/html"}, f"<p>Quick Links: {links}</p>".encode()
        if path == "/seal.png":
            return 200, {"Content-Type": "image/png"}, SEAL_BYTES
        if path == "/robots.txt":
            return 200, {}, b"User-agent: *\nDisallow: /private/\n"
        if path == "/loop/a":
            return 302, {"Location": "/loop/b"}, b""
        if path == "/loop/b":
            return 302, {"Location": "/loop/a"}, b""
        if path == "/cached":
            return 200, {"ETag": '"v1"', "Content-Type": "text/html"}, b"<p>cached</p>"
        return 404, {}, b"not found"


class _Handler(BaseHTTPRequestHandler):
    sites: FixtureSites

    def do_GET(self) -> None:
        sites = self.server.sites  # type: ignore[attr-defined]
        sites.hits[self.path] = sites.hits.get(self.path, 0) + 1
        sites.agents.add(self.headers.get("User-Agent", ""))
        if self.path == "/huge":
            self.send_response(200)
            self.end_headers()
            chunk = b"<p>" + b"x" * 65_536
            for _ in range(64):  # 4 MiB, no Content-Length: the reader must stop itself
                self.wfile.write(chunk)
            return
        if self.path == "/slow":
            time.sleep(SLOW_S)
        if self.path == "/cached" and self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        status, headers, body = sites.page(base, self.path)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, FixtureSites]]:
    """One local server for the module (started once)."""
    sites = FixtureSites()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.sites = sites  # type: ignore[attr-defined]
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", sites
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetcher() -> Iterator[SiteFetcher]:
    with SiteFetcher.build_client(connect_timeout_s=2, read_timeout_s=1) as client:
        yield SiteFetcher(client, total_timeout_s=5)


def _site(base: str, name: str) -> ExternalSite:
    return ExternalSite(
        "t-ayers", f"{base}/sites/{name}/", f"{base}/district/ayers", date(2026, 8, 20)
    )


class TestFetcher:
    def test_redirect_loop_is_named(self, served, fetcher):
        """A redirect loop ends with an error naming it, not a hang."""
        base, _ = served
        assert "redirect loop" in (fetcher.fetch(f"{base}/loop/a").error or "")

    def test_huge_page_is_cut_off(self, served, fetcher):
        """A page over the size limit is refused while streaming."""
        base, _ = served
        result = fetcher.fetch(f"{base}/huge", max_bytes=1_000_000)
        assert result.body is None and result.error == "larger than 1000000 bytes"

    def test_slow_page_times_out(self, served, fetcher):
        """A page slower than the read timeout is reported as timed out."""
        base, _ = served
        started = time.monotonic()
        assert fetcher.fetch(f"{base}/slow").error == "timed out"
        assert time.monotonic() - started < SLOW_S

    def test_robots_disallow_is_obeyed(self, served, fetcher):
        """A path robots.txt disallows is never requested."""
        base, sites = served
        result = fetcher.fetch(f"{base}/private/site")
        assert result.error and "robots.txt disallows" in result.error
        assert sites.hits.get("/private/site", 0) == 0

    def test_unreachable_origin_is_named_unreachable(self, fetcher):
        """A host nobody answers on is reported unreachable, not "disallowed by robots.txt"."""
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        result = fetcher.fetch(f"http://127.0.0.1:{port}/site/")
        assert result.error is not None and result.error.startswith("unreachable")

    def test_etag_revalidates_instead_of_downloading(self, served, fetcher):
        """The second fetch sends If-None-Match and gets 304: the cached body is used."""
        base, _ = served
        first = fetcher.fetch(f"{base}/cached")
        second = fetcher.fetch(f"{base}/cached")
        assert (first.cached, second.cached) == (False, True)
        assert second.body == first.body == b"<p>cached</p>"

    def test_user_agent_says_who_we_are(self, served, fetcher):
        """Every request carries tapwatch's User-Agent."""
        base, sites = served
        fetcher.fetch(f"{base}/district/ayers")
        assert USER_AGENT in sites.agents


class TestChecks:
    def test_compliant_site_passes(self, served, fetcher):
        """Linked both ways and showing the seal: nothing fails."""
        base, _ = served
        seal = Seal(image_url=f"{base}/seal.png")
        assert check_site(fetcher, _site(base, "compliant"), seal) == {}

    @pytest.mark.parametrize(
        ("name", "failed"),
        [
            ("nolinkback", SITE_LINKS_DISTRICT_PAGE),
            ("noseal", SEAL_SHOWN),
            ("unlinked", DISTRICT_PAGE_LINKS_SITE),
        ],
    )
    def test_each_missing_check_is_named(self, served, fetcher, name, failed):
        """Each site missing one thing fails exactly that check."""
        base, _ = served
        seal = Seal(image_url=f"{base}/seal.png")
        assert list(check_site(fetcher, _site(base, name), seal)) == [failed]

    def test_seal_by_sha256(self, served, fetcher):
        """A seal given by the image's sha256 is found by hashing the site's images."""
        base, _ = served
        seal = Seal(sha256=hashlib.sha256(SEAL_BYTES).hexdigest())
        assert check_site(fetcher, _site(base, "compliant"), seal) == {}

    def test_robots_disallowed_site_is_unreachable_for_the_check(self, served, fetcher):
        """A site robots.txt keeps us out of fails `site_reachable`, saying why."""
        base, _ = served
        site = ExternalSite(
            "t-ayers", f"{base}/private/", f"{base}/district/ayers", date(2026, 8, 20)
        )
        failed = check_site(fetcher, site, None)
        assert "robots.txt" in failed[SITE_REACHABLE]


@pytest.fixture(scope="module")
def es(names):
    client = Elasticsearch(**ElasticsearchSettings().client_options())
    yield client
    client.close()


def test_one_alert_per_site_and_compliance_noted(served, fetcher, es, names):
    """A failing site raises one alert (platform web, post_id its url); the same problems
    never raise a second; once fixed, its compliance is noted on the alert."""
    base, sites = served
    site = _site(base, "noseal")
    context = sample_context()
    settings = dataclasses.replace(context.settings, seal=Seal(image_url=f"{base}/seal.png"))
    context = DistrictContext(
        dataclasses.replace(context.data, settings=settings, external_sites=(site,))
    )
    alerts = SiteAlerts(es, names)
    alerts.ensure_template()
    now = datetime.now(UTC)

    def round_() -> str:
        failed = check_site(fetcher, site, settings.seal)
        return alerts.record(site, failed, context, now).action

    assert round_() == "raised"
    assert round_() == "unchanged"
    sites.state["noseal_fixed"] = True
    assert round_() == "compliance_noted"
    assert round_() == "compliant"
    es.indices.refresh(index=names.alerts_index)
    hits = es.search(index=names.alerts_index, query={"term": {"rule": "external_site"}})["hits"]
    [alert] = [hit["_source"] for hit in hits["hits"]]
    assert (alert["platform"], alert["post_id"]) == ("web", site.url)
    assert alert["evidence"]["failed_checks"] == [SEAL_SHOWN]
    assert alert["site_check"]["compliant"] is True


def test_a_new_site_alert_is_announced_on_the_alerts_topic_once(served, fetcher, es, names):
    """The new alert goes to the alerts topic (so the principal is mailed); the same
    problems in a later round announce nothing."""
    base, _ = served
    site = _site(base, "nolinkback")
    context = sample_context()
    settings = dataclasses.replace(context.settings, seal=Seal(image_url=f"{base}/seal.png"))
    context = DistrictContext(
        dataclasses.replace(context.data, settings=settings, external_sites=(site,))
    )
    ensure_topics(KafkaSettings(), names)
    publisher = AlertPublisher(KafkaSettings(), names)
    alerts = SiteAlerts(es, names, lambda alert: publisher.publish([alert]))
    alerts.ensure_template()
    try:
        for _ in range(2):
            alerts.record(
                site, check_site(fetcher, site, settings.seal), context, datetime.now(UTC)
            )
    finally:
        publisher.close()
    announced = [alert_from_json(value) for _, value in read_topic(names.alerts)]
    assert [(a.rule, a.platform, a.post_id) for a in announced] == [
        ("external_site", "web", site.url)
    ]
