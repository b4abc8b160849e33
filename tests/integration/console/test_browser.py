"""The console in a real browser against the real stack and Keycloak: sign-in, scope,
actions from the keyboard, CSRF, sign-out, and axe-core on every page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.integration.console.browser import CHROMIUM, axe_violations, require_browser
from tests.integration.console.conftest import (
    IT,
    PASSWORD,
    PRINCIPAL_WHS,
    REVIEWER,
    WHS_ALERTS,
    WMS_ALERTS,
    Console,
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_browser()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


def sign_in(browser: Browser, console: Console, email: str) -> tuple[BrowserContext, Page]:
    """A fresh browser context signed in through Keycloak's login form, on the queue."""
    # axe is injected as a script; the console's CSP (rightly) forbids that, so the test's
    # browser bypasses it.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{console.url}/incidents")
    page.fill("#username", email)
    page.fill("#password", PASSWORD)
    page.click("#kc-login")
    page.wait_for_url(f"{console.url}/incidents")
    return context, page


def _queue_ids(page: Page) -> set[str]:
    hrefs = page.eval_on_selector_all(
        "main table tbody a[href^='/incidents/']", "links => links.map(a => a.getAttribute('href'))"
    )
    return {href.rsplit("/", 1)[-1] for href in hrefs}


class TestConsoleInABrowser:
    def test_a_principal_sees_only_their_building_and_acknowledges_by_keyboard(
        self, browser: Browser, console: Console
    ) -> None:
        """Sign in, queue holds WHS only; acknowledge from the keyboard; history names them."""
        context, page = sign_in(browser, console, PRINCIPAL_WHS)
        try:
            assert _queue_ids(page) == set(WHS_ALERTS)
            alert_id = WHS_ALERTS[1]
            page.goto(f"{console.url}/incidents/{alert_id}")
            page.focus("#note-acknowledge")
            page.keyboard.type("spoke with the teacher")
            page.keyboard.press("Tab")  # to the form's submit button
            page.keyboard.press("Enter")
            page.wait_for_url(f"{console.url}/incidents/{alert_id}?done=acknowledge")
            history = page.inner_text("#history-h + p + table")
            assert PRINCIPAL_WHS in history
            assert "status: open → acknowledged" in history
            assert "verified" in page.inner_text("#history-h + p")
        finally:
            context.close()

    def test_dismiss_with_a_reason_works_from_the_keyboard(
        self, browser: Browser, console: Console
    ) -> None:
        """Note, close reason (arrow keys) and submit, all without a mouse."""
        context, page = sign_in(browser, console, REVIEWER)
        try:
            alert_id = WHS_ALERTS[2]
            page.goto(f"{console.url}/incidents/{alert_id}")
            page.focus("#note-dismiss")
            page.keyboard.type("a parent's account, not a student")
            page.keyboard.press("Tab")
            page.keyboard.press("ArrowDown")  # false_positive -> duplicate
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            page.wait_for_url(f"{console.url}/incidents/{alert_id}?done=dismiss")
            assert "close_reason: None → duplicate" in page.inner_text("#history-h + p + table")
        finally:
            context.close()

    def test_another_buildings_incident_url_is_404(
        self, browser: Browser, console: Console
    ) -> None:
        """The WHS principal typing a WMS incident's URL gets 404."""
        context, page = sign_in(browser, console, PRINCIPAL_WHS)
        try:
            response = page.goto(f"{console.url}/incidents/{WMS_ALERTS[0]}")
            assert response is not None and response.status == 404
        finally:
            context.close()

    def test_a_change_without_the_csrf_token_is_refused(
        self, browser: Browser, console: Console
    ) -> None:
        """A POST carrying the session cookie but no CSRF token changes nothing (403)."""
        context, page = sign_in(browser, console, PRINCIPAL_WHS)
        try:
            url = f"{console.url}/incidents/{WHS_ALERTS[0]}/actions"
            response = page.request.post(url, form={"action": "hold", "note": "forged"})
            assert response.status == 403
            page.goto(f"{console.url}/incidents/{WHS_ALERTS[0]}")
            assert "forged" not in page.inner_text("main")
        finally:
            context.close()

    def test_a_signed_out_session_is_refused(self, browser: Browser, console: Console) -> None:
        """After sign-out (by keyboard), the old cookie replayed is sent to sign in again."""
        context, page = sign_in(browser, console, PRINCIPAL_WHS)
        try:
            cookies = context.cookies()
            page.focus("header form button")
            page.keyboard.press("Enter")
            page.wait_for_url(f"{console.url}/signed-out")
            replay = browser.new_context()
            replay.add_cookies(cookies)  # type: ignore[arg-type]
            try:
                response = replay.request.get(f"{console.url}/incidents", max_redirects=0)
                assert response.status == 303
                assert response.headers["location"] == "/login"
                posted = replay.request.post(
                    f"{console.url}/incidents/{WHS_ALERTS[0]}/actions",
                    form={"action": "hold", "note": "after sign-out"},
                )
                assert posted.status == 401
            finally:
                replay.close()
        finally:
            context.close()

    def test_no_page_has_a_serious_or_critical_axe_violation(
        self, browser: Browser, console: Console
    ) -> None:
        """Queue, incident, overview, access log, a 404 and the signed-out page pass axe."""
        context, page = sign_in(browser, console, IT)
        try:
            found: dict[str, object] = {}
            for path in (
                "/incidents",
                "/incidents?status=open&sort=severity:asc",
                f"/incidents/{WHS_ALERTS[0]}",
                "/overview",
                "/access-log",
                "/incidents/no-such-alert",
            ):
                page.goto(f"{console.url}{path}")
                violations = axe_violations(page)
                if violations:
                    found[path] = violations
            page.click("header form button")
            page.wait_for_url(f"{console.url}/signed-out")
            if violations := axe_violations(page):
                found["/signed-out"] = violations
            assert found == {}
        finally:
            context.close()
