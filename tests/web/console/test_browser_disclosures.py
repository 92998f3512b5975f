"""The accounting of disclosures in a real headless Chromium: the customer reaches "Who received my data" from the
portal's navigation by keyboard, the officer reads the chart and its table, and neither page has a serious axe
violation (light and dark). Screenshots go to /tmp/shots."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from custodian.mail.smtp import Mailer
from custodian.records.tables import account
from custodian.runtime import Runtime
from tests.builders.smtp import smtp_server
from tests.builders.staff import STAFF_PASSWORD
from tests.web.browser import BrowserTab, first_sign_in
from tests.web.console.test_axe_pages import serious_violations
from tests.web.console.test_browser_homes import new_staff, shoot
from tests.web.console.test_disclosure_pages import disclosed
from tests.web.portal.conftest import REF
from tests.web.portal.test_browser_portal import customer_with_records, enrol_in_browser

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_customer_and_the_officer_read_the_accounting_of_disclosures(
        scheme: str, live_server: str, served_runtime: Runtime, browser_page: BrowserTab, tmp_path: Path) -> None:
    page = browser_page.page
    page.emulate_media(color_scheme=scheme)
    customer_with_records(served_runtime, tmp_path)
    with served_runtime.engine.connect() as conn:
        account_id = conn.execute(select(account.c.id).where(account.c.ref == REF)).scalar_one()
    disclosed(served_runtime.engine, account_id)
    problems: dict[str, list[str]] = {}
    with smtp_server() as (inbox, port):
        served_runtime.mailer = Mailer("127.0.0.1", port, "privacy@spectrumvoip.example")
        enrol_in_browser(page, live_server, inbox, problems)
    page.get_by_role("link", name="Who received my data").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Who received my data", exact=True)).to_be_visible()
    expect(page.locator("#disclosures tbody tr")).to_have_count(2)
    expect(page.locator("#disclosures")).not_to_contain_text("Plano Police Department")  # sealed: not shown
    problems[page.url] = serious_violations(page)
    shoot(page, f"portal-disclosures-{scheme}")
    page.context.clear_cookies()
    first_sign_in(page, live_server, new_staff(served_runtime, "olivia", "privacy_officer"), STAFF_PASSWORD)
    page.goto(live_server + "/console/officer/disclosures")
    expect(page.locator("svg.totals-chart")).to_be_visible()
    expect(page.locator("#disclosure-totals")).to_contain_text("Advertising and third-party cookie providers")
    problems[page.url] = serious_violations(page)
    shoot(page, f"officer-disclosures-{scheme}")
    assert {url: found for url, found in problems.items() if found} == {}
    assert browser_page.console_errors == []
