"""The home page (the privacy centre) and API docs in a real headless Chromium, over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from custodian.runtime import Runtime
from tests.builders.staff import policy_in_force
from tests.web.browser import BrowserTab

pytestmark = pytest.mark.browser


def test_the_privacy_centre_leads_to_the_notice_in_a_browser(
        live_server: str, served_runtime: Runtime, browser_page: BrowserTab, tmp_path: Path) -> None:
    policy_in_force(served_runtime.engine)
    page = browser_page.page
    page.goto(live_server + "/")
    assert page.title() == "SpectrumVoIP, Inc. privacy centre · Custodian"
    for heading in ("Privacy notice", "Your account and your data", "Legal requests", "Staff"):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), heading
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    page.get_by_role("link", name="Read the privacy notice").click()
    page.wait_for_url("**/privacy")
    assert page.title() == "Privacy notice · Custodian"
    assert "SpectrumVoIP" in page.locator("main").inner_text()
    assert browser_page.console_errors == []


def test_the_api_docs_load_offline_under_the_strict_policy(
        live_server: str, browser_page: BrowserTab) -> None:
    page = browser_page.page
    page.goto(live_server + "/")
    page.get_by_role("link", name="API documentation", exact=True).click()
    page.wait_for_url("**/api/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=15_000)
    assert "Custodian" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.get_by_text("/api/v1/figures").first.is_visible()
    assert browser_page.console_errors == []
