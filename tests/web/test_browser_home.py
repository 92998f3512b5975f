"""The home page and API docs in a real headless Chromium, over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from custodian.runtime import Runtime
from tests.builders.records import an_account
from tests.web.browser import BrowserTab

pytestmark = pytest.mark.browser


def test_the_home_page_shows_live_figures_in_a_browser(
        live_server: str, served_runtime: Runtime, browser_page: BrowserTab,
        tmp_path: Path) -> None:
    keyring = served_runtime.keyring()
    an_account(served_runtime.engine, keyring, ref="R-1")
    an_account(served_runtime.engine, keyring, ref="B-1", kind="business", profile="hipaa")
    page = browser_page.page
    page.goto(live_server + "/")
    assert page.title() == "Record store overview · Custodian"
    assert page.locator("#figure-accounts-total").inner_text() == "2"
    assert page.locator("[data-figure=accounts-profile-hipaa] td.num").inner_text() == "1"
    assert page.get_by_role("heading", name="Audit chain").is_visible()
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    assert browser_page.console_errors == []


def test_the_api_docs_load_offline_under_the_strict_policy(
        live_server: str, browser_page: BrowserTab) -> None:
    page = browser_page.page
    page.goto(live_server + "/")
    page.get_by_role("link", name="API", exact=True).click()
    page.wait_for_url("**/api/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=15_000)
    assert "Custodian" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.get_by_text("/api/v1/figures").first.is_visible()
    assert browser_page.console_errors == []
