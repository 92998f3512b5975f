"""The support journey of the issue in a real headless Chromium over real HTTP: sign in with TOTP →
acknowledge the policy → open an inbound-call ticket → call detail hidden → record the CPNI
verification → call detail shown → close the ticket → access gone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.runtime import Runtime
from custodian.staff import service as staff_service
from tests.builders.records import CANARY_COUNTERPART, CANARY_NAME, an_account
from tests.builders.staff import CPNI_PASSWORD, STAFF_PASSWORD, a_call, cpni_secrets, policy_in_force
from tests.web.browser import BrowserTab, first_sign_in

pytestmark = pytest.mark.browser


def test_a_representative_sees_call_detail_only_after_the_cpni_password_and_loses_it_on_closing(
        live_server: str, served_runtime: Runtime, browser_page: BrowserTab, tmp_path: Path) -> None:
    """Seed 002: "the representative is allowed to access only the personal information that he or she needs"."""
    engine, keyring = served_runtime.engine, served_runtime.keyring()
    rules = policy_in_force(engine)
    account_id = an_account(engine, keyring, ref="ACC-0001")
    a_call(engine, keyring, account_id)
    cpni_secrets(engine, keyring, account_id)
    with transaction(engine) as conn:
        made = staff_service.add_staff(conn, served_runtime.master_key, username="rita", display_name="Rita",
                                       role="support_representative", roles=rules.staff_roles(), actor="t",
                                       channel="shell", now=utcnow())
    page = browser_page.page
    first_sign_in(page, live_server, made, STAFF_PASSWORD)
    page.get_by_label("Account").fill("ACC-0001")
    page.get_by_label("Topic").select_option("technical")
    page.get_by_label("Channel").select_option("inbound_call")
    page.get_by_role("button", name="Open ticket").click()
    calls = page.locator('[data-class="cpni.call_log"]')
    assert calls.get_attribute("data-decision") == "deny" and "CPNI password" in calls.inner_text()
    assert CANARY_NAME in page.content() and "42" not in calls.inner_text()
    password_form = page.locator("form", has=page.locator("#record-cpni"))
    password_form.get_by_label("CPNI password the caller gave").fill("not-the-password")
    password_form.get_by_label("Given without being prompted").check()
    password_form.get_by_role("button", name="Check the password").click()
    expect(page.get_by_role("alert")).to_contain_text("not the CPNI password on file")
    page.get_by_role("link", name="Back to the ticket").click()
    assert page.locator('[data-class="cpni.call_log"]').get_attribute("data-decision") == "deny"
    password_form = page.locator("form", has=page.locator("#record-cpni"))
    password_form.get_by_label("CPNI password the caller gave").fill(CPNI_PASSWORD)
    password_form.get_by_label("Given without being prompted").check()
    password_form.get_by_role("button", name="Check the password").click()
    calls = page.locator('[data-class="cpni.call_log"]')
    assert calls.get_attribute("data-decision") == "permit"
    assert "•••••••••42" in calls.inner_text() and CANARY_COUNTERPART not in page.content()
    page.screenshot(path=str(tmp_path / "ticket.png"), full_page=True)
    page.get_by_role("button", name="Close ticket").click()
    assert page.locator("#ticket-state").inner_text() == "Closed"
    assert CANARY_NAME not in page.content() and page.locator('[data-decision="permit"]').count() == 0
    page.reload()
    assert CANARY_NAME not in page.content()
    # the one error is the wrong password's answer (422, as every refused form gets)
    assert [e for e in browser_page.console_errors if "status of 422" not in e] == []
    assert len(browser_page.console_errors) == 1
