"""Vendors and contracts in a real headless Chromium: the officer records a contract review from the keyboard
through the labelled form, the overdue warning gives way to the review, and the page has no serious axe violation
(light and dark). Screenshots go to /tmp/shots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from custodian.kernel.clock import utcnow
from custodian.runtime import Runtime
from tests.builders.staff import STAFF_PASSWORD
from tests.web.browser import BrowserTab, first_sign_in
from tests.web.console.test_axe_pages import serious_violations
from tests.web.console.test_browser_homes import new_staff, shoot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_officer_records_a_contract_review_from_the_keyboard(
        scheme: str, live_server: str, served_runtime: Runtime, browser_page: BrowserTab) -> None:
    page = browser_page.page
    page.emulate_media(color_scheme=scheme)
    first_sign_in(page, live_server, new_staff(served_runtime, "olivia", "privacy_officer"), STAFF_PASSWORD)
    page.goto(live_server + "/console/vendors")
    row = page.locator("#vendor-gravatar")
    expect(row).to_contain_text("No contract review is recorded")
    problems = {"list": serious_violations(page)}
    page.get_by_label("Recipient reviewed").select_option("gravatar")
    page.get_by_label("Reviewed on").fill((utcnow() - timedelta(days=2)).date().isoformat())
    page.get_by_label("Note").fill("Checked the onward-transfer terms")
    page.get_by_role("button", name="Record review").focus()
    page.keyboard.press("Enter")
    expect(row).to_contain_text("Reviewed " + (utcnow() - timedelta(days=2)).date().isoformat())
    expect(row).not_to_contain_text("No contract review is recorded")
    problems["after review"] = serious_violations(page)
    shoot(page, f"vendors-{scheme}")
    assert {where: found for where, found in problems.items() if found} == {}
    assert browser_page.console_errors == []
