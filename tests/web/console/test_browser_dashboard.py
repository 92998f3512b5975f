"""The privacy officer's home in a real headless Chromium (issue 18 §4): the deadlines, the charts drawn inline,
the retention alarm and "Run now" through its confirmation by keyboard, and no serious axe violation on the
dashboard, the confirmation or the CPNI registers (light and dark). Screenshots go to /tmp/shots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from custodian.compliance import breach_service, registers
from custodian.compliance.breach_service import NewIncident
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.legal import submission
from custodian.policy.document_compliance import default_rule_sets
from custodian.runtime import Runtime
from tests.builders.legal import LAW_ENFORCEMENT, a_request, spectrumvoip
from tests.builders.records import an_account
from tests.builders.staff import STAFF_PASSWORD, a_call
from tests.web.browser import BrowserTab, first_sign_in
from tests.web.console.test_axe_pages import serious_violations
from tests.web.console.test_browser_homes import new_staff, shoot

pytestmark = pytest.mark.browser


def _a_busy_year(runtime: Runtime) -> None:
    keyring, now = runtime.keyring(), utcnow()
    a_call(runtime.engine, keyring, an_account(runtime.engine, keyring, ref="ACC-0001"))
    with transaction(runtime.engine) as conn:
        submission.submit(conn, keyring, spectrumvoip(), a_request(LAW_ENFORCEMENT), channel="portal",
                          actor="requester:portal", now=now)
        breach_service.record_incident(conn, "staff:olivia", NewIncident(
            now - timedelta(days=3), now - timedelta(days=2), "A representative browsed call detail",
            ("cpni.call_log",), True, ("fcc_2023",)), list(default_rule_sets()), now, known_classes=["cpni.call_log"])
        registers.record_complaint(conn, "staff:olivia", received_on=now.date(), category="employee_access",
                                   summary="says a representative read their calls", ticket_id=None, now=now)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_officer_reads_the_dashboard_and_runs_overdue_retention_by_keyboard(
        scheme: str, live_server: str, served_runtime: Runtime, browser_page: BrowserTab) -> None:
    page = browser_page.page
    page.emulate_media(color_scheme=scheme)
    first_sign_in(page, live_server, new_staff(served_runtime, "olivia", "privacy_officer"), STAFF_PASSWORD)
    _a_busy_year(served_runtime)
    page.goto(live_server + "/console/officer/")
    deadlines = page.locator("#deadlines")
    for kind in ("Legal request", "Breach clock", "CPNI certification"):
        expect(deadlines).to_contain_text(kind)
    expect(page.locator("#chart-legal svg.chart")).to_be_visible()
    expect(page.locator("#figure-accounts-total")).to_have_text("1")
    alarm = page.locator("#retention-alarm")
    expect(alarm).to_contain_text("The retention schedule has never run")
    problems = {"overview": serious_violations(page)}
    shoot(page, f"officer-dashboard-{scheme}")
    page.get_by_role("link", name="Run now").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Run retention now")).to_be_visible()
    problems["run-now"] = serious_violations(page)
    page.get_by_role("button", name="Delete them now").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#overview-done")).to_contain_text("Retention ran: run 1")
    expect(page.locator("#retention-alarm")).to_have_count(0)
    page.goto(live_server + "/console/officer/cpni-registers")
    expect(page.locator("#complaints")).to_contain_text("Improper access by employees")
    problems["cpni-registers"] = serious_violations(page)
    shoot(page, f"cpni-registers-{scheme}")
    assert {name: found for name, found in problems.items() if found} == {}
    assert browser_page.console_errors == []
