"""The user guides' screenshots, taken in Chromium over the demo provider: each audience's pages are
opened as that audience would (the requester and the customer signed out, each staff role signed in),
checked for their heading, and photographed.

`make screenshots` runs this module with CUSTODIAN_SCREENSHOTS_DIR=docs/images to refresh the guides'
pictures; otherwise the pictures go to a temporary folder and the walk is a browser test like any other.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from custodian.app import create_app
from custodian.runtime import Runtime
from custodian.staff.service import NewCredentials
from tests.builders.demo import built_demo
from tests.builders.staff import STAFF_PASSWORD
from tests.web.browser import BrowserTab, ServerThread, first_sign_in

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Demo:
    """The demo provider served over HTTP, what `custodian demo` printed, and where pictures go."""

    url: str
    output: str
    runtime: Runtime
    shots: Path


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    shots = Path(os.environ.get("CUSTODIAN_SCREENSHOTS_DIR") or tmp_path_factory.mktemp("shots"))
    shots.mkdir(parents=True, exist_ok=True)
    with built_demo(tmp_path_factory.mktemp("guide")) as built, \
            ServerThread(create_app(built.runtime, outbox_dir=built.data / "outbox")) as server:
        yield Demo(server.url, built.output, built.runtime, shots)


def _signed_in(tab: BrowserTab, demo: Demo, username: str) -> Any:
    found = re.search(rf"{username}\s+one-time password (\S+)\s+TOTP secret (\S+)", demo.output)
    assert found, f"the demo printed no sign-in for {username}"
    made = NewCredentials(0, username, found.group(1), found.group(2))
    page = tab.page
    page.set_viewport_size({"width": 1366, "height": 800})
    first_sign_in(page, demo.url, made, STAFF_PASSWORD)
    return page


def _shoot(page: Any, demo: Demo, name: str, heading: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    page.screenshot(path=str(demo.shots / f"{name}.png"), full_page=False)


def test_the_requester_guide_pages(demo: Demo, browser_page: BrowserTab) -> None:
    page = browser_page.page
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(demo.url + "/legal")
    _shoot(page, demo, "requester-start", "legal")
    page.goto(demo.url + "/legal/requests/new")
    _shoot(page, demo, "requester-form", "request")
    page.goto(demo.url + "/legal/status")
    _shoot(page, demo, "requester-status", "status")
    assert browser_page.console_errors == []


def test_the_customer_guide_pages(demo: Demo, browser_page: BrowserTab) -> None:
    page = browser_page.page
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(demo.url + "/")
    _shoot(page, demo, "customer-privacy-centre", "privacy centre")
    page.goto(demo.url + "/privacy")
    _shoot(page, demo, "customer-notice", "privacy notice")
    assert browser_page.console_errors == []


def test_the_representative_guide_pages(demo: Demo, browser_page: BrowserTab) -> None:
    page = _signed_in(browser_page, demo, "demo-rep")
    _shoot(page, demo, "representative-home", "tickets")
    step = re.search(r"account (\S+), .* CPNI password (\S+);", demo.output)
    assert step, "the guide's first step names an account and its CPNI password"
    page.get_by_label("Account").fill(step.group(1))
    page.get_by_label("Topic").select_option("technical")
    page.get_by_label("Channel").select_option("inbound_call")
    page.get_by_role("button", name="Open ticket").click()
    _shoot(page, demo, "representative-ticket", "Ticket")
    assert browser_page.console_errors == []


def test_the_legal_desk_guide_pages(demo: Demo, browser_page: BrowserTab) -> None:
    page = _signed_in(browser_page, demo, "demo-legal")
    _shoot(page, demo, "legal-desk-queue", "Legal desk")
    page.locator("a[href^='/console/legal/requests/']").first.click()
    _shoot(page, demo, "legal-desk-request", "LR-")
    assert browser_page.console_errors == []


def test_the_privacy_officer_guide_pages(demo: Demo, browser_page: BrowserTab) -> None:
    page = _signed_in(browser_page, demo, "demo-officer")
    _shoot(page, demo, "officer-overview", "Privacy overview")
    for path, name, heading in (("/console/officer/audit", "officer-audit", "Audit"),
                                ("/console/officer/retention", "officer-retention", "Retention"),
                                ("/console/officer/ledger", "officer-ledger", "ledger"),
                                ("/console/outbox", "officer-outbox", "Outbox")):
        page.goto(demo.url + path)
        _shoot(page, demo, name, heading)
    assert browser_page.console_errors == []
