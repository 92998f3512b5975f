"""The cookie banner (consent.js) on a provider's website, in a real headless Chromium, with and without
Global Privacy Control.

The provider's site is a second local server (another origin, so the choice crosses to Custodian under
CORS): its page embeds consent.js and holds two third-party scripts waiting for consent, site analytics and
targeted advertising; each script, when it loads, is counted by the site. Seed 002: "These cookies allow
SpectrumVoIP to know whether you've seen a specific ad ... We also utilize cookies to help us direct targeted
advertising."
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from custodian.consent.tables import consent_entry
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.policy import store as policy_store
from custodian.runtime import Runtime
from tests.builders.staff import SPECTRUMVOIP
from tests.web.browser import BrowserTab, ServerThread
from tests.web.console.test_axe_pages import serious_violations

pytestmark = pytest.mark.browser

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SpectrumVoIP</title>
<script src="{custodian}/consent.js" defer></script></head>
<body><main><h1>Welcome to SpectrumVoIP</h1><p>Cloud phone systems.</p>
<p><a href="#" data-consent-open>Cookie settings</a></p></main>
<script type="text/plain" data-consent="site_analytics" data-src="/vendor/analytics.js"></script>
<script type="text/plain" data-consent="targeted_advertising" data-src="/vendor/ads.js"></script>
</body></html>"""


@dataclass
class ProviderSite:
    """The provider's website embedding consent.js, and the third-party scripts it served so far."""

    url: str
    loaded: list[str] = field(default_factory=list)


def _site_app(custodian: str, site: ProviderSite) -> FastAPI:
    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    def home() -> str:
        return PAGE.format(custodian=custodian)

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/vendor/{name}.js")
    def vendor(name: str) -> Response:
        site.loaded.append(name)
        return Response(f"window.vendorRan = (window.vendorRan || []).concat([{name!r}]);",
                        media_type="text/javascript")

    return app


@pytest.fixture
def provider_site(live_server: str, served_runtime: Runtime) -> Iterator[ProviderSite]:
    """The provider's site on its own origin, named as the `website` of the policy in force."""
    site = ProviderSite(url="")
    server = ServerThread(_site_app(live_server, site))
    site.url = server.url
    text = SPECTRUMVOIP.read_text(encoding="utf-8").replace("https://www.spectrumvoip.com", server.url, 1)
    now = utcnow()
    with transaction(served_runtime.engine) as conn:
        policy_store.activate(conn, text, actor="test", effective_at=now - timedelta(days=1), now=now)
    with server:
        yield site


def recorded(runtime: Runtime) -> list[tuple[str, str, str]]:
    """The ledger's (purpose, choice, channel) of web visitors, in order."""
    with runtime.engine.connect() as conn:
        rows = conn.execute(select(consent_entry.c.purpose, consent_entry.c.choice, consent_entry.c.channel)
                            .where(consent_entry.c.subject.is_not(None)).order_by(consent_entry.c.id)).all()
    return [tuple(row) for row in rows]


def recording(page: Any) -> Any:
    """Wait for the banner's record to be answered (the ledger has committed it by then)."""
    return page.expect_response(lambda answer: answer.url.endswith("/api/v1/consent/web")
                                and answer.request.method == "POST" and answer.status == 201)


def open_site(tab: BrowserTab, site: ProviderSite) -> Any:
    """The site's page with the banner shown."""
    page = tab.page
    page.goto(site.url + "/")
    page.get_by_role("region", name="Cookie choices").wait_for()
    return page


def test_no_third_party_script_loads_before_a_choice(provider_site: ProviderSite, served_runtime: Runtime,
                                                     browser_page: BrowserTab) -> None:
    page = open_site(browser_page, provider_site)
    assert page.get_by_role("button", name="Accept all").is_visible()
    page.reload()
    page.get_by_role("region", name="Cookie choices").wait_for()
    assert provider_site.loaded == []
    assert recorded(served_runtime) == []
    assert browser_page.console_errors == []


def test_accept_all_loads_the_scripts_and_records_the_choice(provider_site: ProviderSite, served_runtime: Runtime,
                                                             browser_page: BrowserTab) -> None:
    page = open_site(browser_page, provider_site)
    with recording(page):
        page.get_by_role("button", name="Accept all").click()
    page.wait_for_function("(window.vendorRan || []).length === 2")
    assert sorted(provider_site.loaded) == ["ads", "analytics"]
    assert recorded(served_runtime) == [("site_analytics", "granted", "web_banner"),
                                                        ("targeted_advertising", "granted", "web_banner")]
    assert page.get_by_role("region", name="Cookie choices").count() == 0
    page.reload()  # the choice is kept on the site: not asked again, the scripts load at once
    page.wait_for_function("(window.vendorRan || []).length === 2")
    assert page.get_by_role("region", name="Cookie choices").count() == 0
    assert browser_page.console_errors == []


def test_reject_all_never_loads_them(provider_site: ProviderSite, served_runtime: Runtime,
                                     browser_page: BrowserTab) -> None:
    page = open_site(browser_page, provider_site)
    with recording(page):
        page.get_by_role("button", name="Reject all").click()
    assert recorded(served_runtime) == [("site_analytics", "denied", "web_banner"),
                                                        ("targeted_advertising", "denied", "web_banner")]
    page.reload()
    page.wait_for_load_state("load")
    assert page.get_by_role("region", name="Cookie choices").count() == 0
    assert provider_site.loaded == []


def test_with_gpc_advertising_never_loads_and_is_recorded_as_gpc_without_asking(
        provider_site: ProviderSite, served_runtime: Runtime, chromium: Any) -> None:
    """Cal. Civ. Code §1798.135(b)(1): the opt-out preference signal is honoured without asking."""
    context = chromium.new_context(extra_http_headers={"Sec-GPC": "1"})
    context.add_init_script("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', "
                            "{get: () => true, configurable: true});")
    page = context.new_page()
    try:
        with recording(page):
            page.goto(provider_site.url + "/")
        assert recorded(served_runtime) == [("targeted_advertising", "denied", "gpc")]
        banner = page.get_by_role("region", name="Cookie choices")
        banner.wait_for()
        assert "Global Privacy Control" in banner.inner_text()
        assert "Targeted advertising" not in banner.locator("p").first.inner_text()  # not asked about
        with recording(page):
            page.get_by_role("button", name="Accept all").click()
        page.wait_for_function("(window.vendorRan || []).length === 1")
        assert recorded(served_runtime)[1:] == [("site_analytics", "granted", "web_banner"),
                                                ("targeted_advertising", "denied", "gpc")]
        assert provider_site.loaded == ["analytics"]
    finally:
        context.close()


def test_the_banner_works_from_the_keyboard_alone_and_passes_axe(
        provider_site: ProviderSite, served_runtime: Runtime, browser_page: BrowserTab) -> None:
    page = open_site(browser_page, provider_site)
    assert serious_violations(page) == []
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Choose"
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Choose cookies")
    dialog.wait_for()
    assert page.evaluate("document.activeElement.name") == "site_analytics"  # focus moved into the dialog
    assert serious_violations(page) == []
    page.keyboard.press("Space")  # site analytics on; advertising stays off
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "targeted_advertising"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Save choices"
    with recording(page):
        page.keyboard.press("Enter")
    page.wait_for_function("(window.vendorRan || []).length === 1")
    assert provider_site.loaded == ["analytics"]
    assert recorded(served_runtime) == [("site_analytics", "granted", "web_banner"),
                                                        ("targeted_advertising", "denied", "web_banner")]


def test_escape_closes_the_dialog_and_focus_returns_to_choose(provider_site: ProviderSite,
                                                              browser_page: BrowserTab) -> None:
    page = open_site(browser_page, provider_site)
    page.get_by_role("button", name="Choose").click()
    page.get_by_role("dialog", name="Choose cookies").wait_for()
    page.keyboard.press("Escape")
    page.wait_for_function("document.activeElement && document.activeElement.textContent === 'Choose'")
    assert page.get_by_role("dialog").count() == 0
    assert provider_site.loaded == []


def test_a_choice_made_under_other_cookie_categories_is_asked_again(provider_site: ProviderSite,
                                                                    browser_page: BrowserTab) -> None:
    page = open_site(browser_page, provider_site)
    page.evaluate("localStorage.setItem('custodian-consent', JSON.stringify({id: 'a-visitor-from-last-year-0001', "
                  "version: 'the categories of an earlier policy', choices: {site_analytics: 'granted'}, "
                  "gpc: false, decided: true}))")
    page.reload()
    page.get_by_role("region", name="Cookie choices").wait_for()
    assert provider_site.loaded == []
