"""The officer's breach register and data map in a real headless Chromium: an incident recorded by keyboard
through the labelled form, its clocks shown, and no serious axe violation on the register, the incident page or
the data map (light and dark). Screenshots go to /tmp/shots."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from custodian.runtime import Runtime
from tests.builders.staff import STAFF_PASSWORD
from tests.web.browser import BrowserTab, first_sign_in
from tests.web.console.test_axe_pages import serious_violations
from tests.web.console.test_browser_homes import new_staff, shoot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_officer_records_an_incident_and_reads_its_clocks_and_the_data_map(
        scheme: str, live_server: str, served_runtime: Runtime, browser_page: BrowserTab) -> None:
    page = browser_page.page
    page.emulate_media(color_scheme=scheme)
    first_sign_in(page, live_server, new_staff(served_runtime, "olivia", "privacy_officer"), STAFF_PASSWORD)
    page.goto(live_server + "/console/officer/breaches")
    page.get_by_label("Discovered on").fill("2026-11-16")
    page.get_by_label("Determined to be a breach on").fill("2026-11-20")
    page.get_by_label("What happened").fill("A representative browsed call detail without a ticket need")
    page.get_by_label("Call detail records").check()
    expect(page.get_by_label("CPNI breach notification (FCC, 2023 rule)", exact=False)).to_be_checked()  # suggested
    page.get_by_label("Texas breach notification", exact=False).uncheck()
    page.get_by_label("Customers affected").fill("40")
    page.get_by_label("Customers affected").press("Enter")  # the form submits from the keyboard
    expect(page.get_by_role("heading", name="Clocks")).to_be_visible()
    due = page.locator('[data-key="law_enforcement_due"]')
    expect(due).to_contain_text("2026-12-02")  # 47 CFR 64.2011(a) (2024): 7 business days, Thanksgiving skipped
    expect(page.locator('[data-key="customer_notice_due"]')).to_contain_text("2026-12-20")
    problems = {page.url: serious_violations(page)}
    shoot(page, f"breach-incident-{scheme}")
    for path in ("/console/officer/breaches", "/console/officer/data-map"):
        page.goto(live_server + path)
        problems[path] = serious_violations(page)
        shoot(page, f"{path.rsplit('/', 1)[-1]}-{scheme}")
    page.get_by_role("link", name="Billing").first.focus()
    page.keyboard.press("Enter")  # a node of the map leads to its rule
    assert page.url.endswith("#purpose-billing")
    assert {url: found for url, found in problems.items() if found} == {}
    assert browser_page.console_errors == []
