"""The abuse queue in a real headless Chromium: the analyst reaches it from the navigation, opens a case, opens an
abuse ticket, records the contact and blocks a number, all by keyboard through labelled forms; no serious axe
violation on the queue or the case (light and dark). Screenshots go to /tmp/shots."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from custodian.abuse.profile import Figure, Finding
from custodian.abuse.store import save_findings
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.runtime import Runtime
from tests.builders.abuse import an_account_with_usage, number_of
from tests.builders.staff import STAFF_PASSWORD
from tests.web.browser import BrowserTab, first_sign_in
from tests.web.console.test_axe_pages import serious_violations
from tests.web.console.test_browser_homes import new_staff, shoot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_analyst_works_a_case_from_the_queue_by_keyboard(scheme: str, live_server: str, served_runtime: Runtime,
                                                             browser_page: BrowserTab) -> None:
    page = browser_page.page
    page.emulate_media(color_scheme=scheme)
    analyst = new_staff(served_runtime, "ana", "abuse_analyst")
    account_id = an_account_with_usage(served_runtime.engine, served_runtime.keyring(), "ACC-SPAM", numbers=2)
    figures = (Figure("calls", 0.1, 0.2, 0.1), Figure("minutes", 0.1, 0.2, 0.1), Figure("messages", 133.3, 0.7, 0.2))
    with transaction(served_runtime.engine) as conn:
        save_findings(conn, [Finding(account_id, "residential", "2-5 numbers", 40, figures)], 30, utcnow())
    first_sign_in(page, live_server, analyst, STAFF_PASSWORD)
    page.get_by_role("link", name="Abuse queue").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Abuse queue")).to_be_visible()
    problems = {"queue": serious_violations(page)}
    shoot(page, f"abuse-queue-{scheme}")
    page.get_by_role("link", name="#1").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Usage against its peers")).to_be_visible()
    page.get_by_role("button", name="Open ticket").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/console/tickets/\d+$"))  # the new ticket's page
    page.goto(live_server + "/console/abuse/cases/1")
    expect(page.locator("#contact-needed")).to_be_visible()
    page.get_by_label("How").select_option("phone")
    page.get_by_label("Outcome").select_option("no_answer")
    page.get_by_role("button", name="Record the contact").press("Enter")
    expect(page.locator("#abuse-done")).to_contain_text("Contact recorded")
    page.locator("#block-number").fill(number_of("ACC-SPAM", 1))
    page.locator("#block-reason").fill("4,000 texts a day to strangers")
    page.get_by_role("button", name="Block the number").press("Enter")
    expect(page.locator("#abuse-done")).to_contain_text("blocked from sending")
    expect(page.locator("#abuse-blocks")).to_contain_text("In force")
    problems["case"] = serious_violations(page)
    shoot(page, f"abuse-case-{scheme}")
    assert {name: found for name, found in problems.items() if found} == {}
    assert browser_page.console_errors == []
