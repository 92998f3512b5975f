"""axe-core (bundled by axe-playwright-python) on every console page of each role, on the intake and
public privacy pages, and on the customer portal's pages, in a real Chromium: no serious or critical violation
anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from custodian.crypto.blobs import LocalBlobStore
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.legal import submission
from custodian.runtime import Runtime
from tests.builders.console import a_customer_with_records
from tests.builders.legal import LAW_ENFORCEMENT, a_request, spectrumvoip
from tests.builders.records import an_account
from tests.builders.staff import STAFF_PASSWORD, a_call, policy_in_force
from tests.web.browser import BrowserTab, first_sign_in
from tests.web.console.test_browser_homes import new_staff

pytestmark = pytest.mark.browser
SERIOUS = ("serious", "critical")
PUBLIC = ("/", "/console/login", "/legal", "/legal/requests/new", "/legal/requests/new?type=civil", "/legal/status",
          "/privacy", "/privacy/versions", "/privacy/requests", "/portal/", "/portal/enrol", "/portal/enrol/code")
PORTAL = ("/portal/account", "/portal/records/cpni.call_log", "/portal/records/numbers.assignments",
          "/portal/records/location.e911_address", "/portal/records/content.voice_message",
          "/portal/records/billing.transactions", "/portal/records/cpni.call_log?from=2026-01-01&to=2026-12-31",
          "/portal/details", "/portal/settings", "/portal/close", "/portal/export", "/portal/disclosures")
EVERY_ROLE = ("/console/tickets", "/console/lookup?q=ACC-0001", "/console/lookup?q=nobody", "/console/break-glass",
              "/console/password")
PAGES = {
    "support_representative": EVERY_ROLE,
    "legal_desk": (*EVERY_ROLE, "/console/legal/", "/console/legal/new", "/console/legal/transparency",
                   "/console/legal/transparency?period=2026", "/console/legal/requests/{request}", "/console/vendors"),
    "privacy_officer": (*EVERY_ROLE, "/console/officer/", "/console/legal/", "/console/officer/reviews",
                        "/console/officer/audit", "/console/officer/audit?account=ACC-0001",
                        "/console/officer/chain", "/console/officer/staff", "/console/officer/retention",
                        "/console/officer/ledger", "/console/officer/disclosures", "/console/admin/staff",
                        "/console/vendors", "/console/officer/cpni-registers", "/console/officer/retention/run-now"),
}


def serious_violations(page: Any) -> list[str]:
    """The serious and critical axe violations of the page as 'rule: target' lines."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()  # a page still arriving after a redirect has no document for axe to read yet
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {node['target']}" for v in found if v["impact"] in SERIOUS for node in v["nodes"]]


def _data(runtime: Runtime, tmp_path: Path) -> int:
    keyring = runtime.keyring()
    account = an_account(runtime.engine, keyring, ref="ACC-0001")
    a_call(runtime.engine, keyring, account)
    a_customer_with_records(runtime.engine, keyring, LocalBlobStore(tmp_path / "b"), tmp_path)
    with transaction(runtime.engine) as conn:
        return submission.submit(conn, keyring, spectrumvoip(), a_request(LAW_ENFORCEMENT), channel="portal",
                              actor="requester:portal", now=utcnow()).request_id


def _check(page: Any, url: str, problems: dict[str, list[str]]) -> None:
    answer = page.goto(url)
    assert answer is not None and answer.status == 200, url
    if found := serious_violations(page):
        problems[url] = found


@pytest.mark.parametrize(("role", "scheme"), [*((role, "light") for role in sorted(PAGES)),
                                               ("privacy_officer", "dark"), ("support_representative", "dark")])
def test_every_console_page_of_each_role_has_no_serious_accessibility_violation(
        role: str, scheme: str, live_server: str, served_runtime: Runtime, browser_page: BrowserTab,
        tmp_path: Path) -> None:
    request_id = _data(served_runtime, tmp_path)
    page, problems = browser_page.page, {}
    page.emulate_media(color_scheme=scheme)
    made = new_staff(served_runtime, "avery", role)
    first_sign_in(page, live_server, made, STAFF_PASSWORD)
    for path in PAGES[role]:
        _check(page, live_server + path.format(request=request_id), problems)
    if role == "support_representative":  # a ticket with every list it grants
        page.goto(live_server + "/console/tickets")
        page.get_by_label("Account").fill("ACC-0001")
        page.get_by_label("Topic").select_option("technical")
        page.get_by_role("button", name="Open ticket").click()
        _check(page, page.url + "?from=2026-01-01", problems)
    assert problems == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_home_sign_in_intake_and_privacy_pages_have_no_serious_accessibility_violation(
        scheme: str, live_server: str, served_runtime: Runtime, browser_page: BrowserTab) -> None:
    policy_in_force(served_runtime.engine)
    problems: dict[str, list[str]] = {}
    browser_page.page.emulate_media(color_scheme=scheme)
    for path in PUBLIC:
        _check(browser_page.page, live_server + path, problems)
    assert problems == {}


def test_the_customer_portal_pages_have_no_serious_accessibility_violation(
        live_server: str, served_runtime: Runtime, browser_page: BrowserTab, tmp_path: Path) -> None:
    from custodian.mail.smtp import Mailer
    from tests.builders.smtp import smtp_server
    from tests.web.portal.test_browser_portal import customer_with_records, enrol_in_browser

    customer_with_records(served_runtime, tmp_path)
    problems: dict[str, list[str]] = {}
    with smtp_server() as (inbox, port):
        served_runtime.mailer = Mailer("127.0.0.1", port, "privacy@spectrumvoip.example")
        enrol_in_browser(browser_page.page, live_server, inbox, problems)
    for path in PORTAL:
        _check(browser_page.page, live_server + path, problems)
    assert problems == {}
