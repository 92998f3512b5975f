"""The legal desk journey in a real headless Chromium over real HTTP: a requester submits in the portal → a
legal-desk member signs in with TOTP and acknowledges the policy → opens the request → approves classes (the
customer notice queued when the request was accepted goes to a real local SMTP server) → produces (the
passphrase shown once) → delivers (a governmental production is not held for payment) → invoices → records the
payment → the requester's status page says delivered."""

from __future__ import annotations

from pathlib import Path

import pytest

from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from custodian.kernel.clock import utcnow
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from custodian.staff import service as staff_service
from tests.builders.files import NUMBERS_HEADER, csv_file, number_line
from tests.builders.records import CANARY_EMAIL, an_account
from tests.builders.smtp import smtp_server
from tests.builders.staff import STAFF_PASSWORD, policy_in_force
from tests.web.browser import BrowserTab, first_sign_in

pytestmark = pytest.mark.browser
REQUESTER = {"agency": "Plano Police Department", "agent_name": "Det. Ana Ruiz", "badge_number": "4471",
             "email": "aruiz@plano.gov", "phone": "+1 972 555 0142", "phone_extension": "12",
             "address_street": "909 E 14th St", "address_city": "Plano", "address_state": "TX",
             "address_postal_code": "75074", "instrument_jurisdiction": "US-TX",
             "instrument_case_number": "26-0042", "instrument_issued_by": "Collin County District Court",
             "instrument_issued_on": "2026-02-27",
             "target_0_phone_number": "+1 512 555 0100", "date_from": "2026-01-01", "date_to": "2026-02-28",
             "requested_response_on": "2099-01-01"}


def test_a_portal_request_is_approved_with_the_customer_told_then_produced_delivered_and_paid_from_the_console(
        live_server: str, served_runtime: Runtime, browser_page: BrowserTab, tmp_path: Path) -> None:
    """DRG VIII: 'SpectrumVoIP notifies its customers of Data Requests unless precluded from doing so by law
    or court order'; 18 U.S.C. 2706: a governmental entity's fee is a claim for reimbursement, paid after."""
    runtime, keyring = served_runtime, served_runtime.keyring()
    rules = policy_in_force(runtime.engine)
    an_account(runtime.engine, keyring, ref="ACC-1")
    run_import(runtime.engine, keyring, runtime.blobs, lookup("numbers"),
               csv_file(tmp_path / "n.csv", NUMBERS_HEADER, [number_line("+15125550100", "ACC-1", "2025-01-01")]),
               actor="test")
    with transaction(runtime.engine) as conn:
        made = staff_service.add_staff(conn, runtime.master_key, username="lena", display_name="Lena Desk",
                                       role="legal_desk", roles=rules.staff_roles(), actor="t", channel="shell",
                                       now=utcnow())
    order = tmp_path / "order.pdf"
    order.write_bytes(b"%PDF-1.4 signed 2703(d) order")
    page = browser_page.page

    page.goto(live_server + "/legal")
    page.locator("#form-law_enforcement").click()
    for name, value in REQUESTER.items():
        page.locator(f"#{name}").fill(value)
    page.locator("#instrument_type").select_option("court_order_2703d")
    page.locator("input[name=record_classes][value='subscriber.basic']").check()
    page.locator("#instrument_pdf").set_input_files(str(order))
    page.locator("#submit-request").click()
    tracking = page.locator("#tracking-number").inner_text()
    secret = page.locator("#status-secret").inner_text()

    first_sign_in(page, live_server, made, STAFF_PASSWORD)
    page.get_by_role("link", name="Legal desk").click()
    page.get_by_role("link", name=tracking).click()
    assert page.locator("#request-state").inner_text() == "In review"
    assert "Det. Ana Ruiz" in page.locator("#request-document").inner_text()

    assert page.locator('#customer-notices [data-outcome="pending"]').count() == 1
    page.get_by_label("Subscriber details").check()
    page.get_by_label("Rationale").fill("2703(d) order reviewed; subscriber records only")
    with smtp_server() as (inbox, port):
        runtime.mailer = Mailer("127.0.0.1", port, "legal@spectrumvoip.example")
        page.locator("#approve-classes").click()
        assert page.locator("#request-state").inner_text() == "Approved"
    assert page.locator('#customer-notices [data-outcome="sent"]').count() == 1
    assert len(inbox.messages) == 1 and inbox.messages[0]["To"] == CANARY_EMAIL
    assert tracking in inbox.messages[0].get_payload()
    page.locator("#produce").click()
    passphrase = page.locator("#package-passphrase").inner_text()
    assert len(passphrase) >= 16 and "ACC-1" in page.locator("#matched-accounts").inner_text()
    page.screenshot(path=str(tmp_path / "produced.png"), full_page=True)
    page.goto(page.url.removesuffix("/produce"))  # the request page again: the passphrase is gone
    assert page.locator("#package-passphrase").count() == 0 and passphrase not in page.content()

    assert page.locator("#delivery-blocker").count() == 0
    page.locator("#deliver").click()
    assert page.locator("#request-state").inner_text() == "Delivered"
    page.locator("#issue-invoice").click()
    page.get_by_label("Amount (USD)").fill(page.locator("#outstanding").inner_text().lstrip("$"))
    page.get_by_label("Reference").fill("CHK-1001")
    page.locator("#record-payment").click()
    assert page.locator("#outstanding").inner_text() == "$0.00"
    assert len(inbox.messages) == 1  # no second notice after delivery

    page.goto(live_server + "/legal/status")
    page.locator("#tracking_number").fill(tracking)
    page.locator("#secret").fill(secret)
    page.locator("#see-status").click()
    assert page.locator("#request-state").inner_text() == "Delivered"
    assert browser_page.console_errors == []


def test_the_desk_enters_a_mailed_request_through_the_portals_form_and_downloads_its_letter(
        live_server: str, served_runtime: Runtime, browser_page: BrowserTab, tmp_path: Path) -> None:
    """DRG V: 'SpectrumVoIP cannot reasonably consider a Data Request unless it includes at least the following
    information': a paper request lacking the badge number is entered as received and answered by a letter."""
    runtime = served_runtime
    rules = policy_in_force(runtime.engine)
    with transaction(runtime.engine) as conn:
        made = staff_service.add_staff(conn, runtime.master_key, username="lena", display_name="Lena Desk",
                                       role="legal_desk", roles=rules.staff_roles(), actor="t", channel="shell",
                                       now=utcnow())
    page = browser_page.page
    page.goto(live_server + "/legal/requests/new?type=law_enforcement")
    page.locator("#agency").fill("Plano Police Department")
    page.locator("#submit-request").click()
    assert page.locator("#badge_number-error").inner_text() == "Badge / identification number is missing"
    assert page.locator("#agency").input_value() == "Plano Police Department"
    page.screenshot(path=str(tmp_path / "portal-errors.png"), full_page=True)

    first_sign_in(page, live_server, made, STAFF_PASSWORD)
    page.goto(live_server + "/console/legal/new?type=law_enforcement")
    assert "2 calendar months" in page.locator("#limit-date-range").inner_text()
    page.get_by_label("Mail", exact=True).check()
    page.get_by_label("Date it arrived, if before today").fill("2026-01-02")
    page.get_by_label("Why this date").fill("postmarked Dec 30, opened Jan 2")
    for name, value in {**REQUESTER, "badge_number": ""}.items():
        page.locator(f"#{name}").fill(value)
    page.locator("#date_from").fill("2025-11-01")
    page.locator("#date_to").fill("2025-12-31")
    page.locator("#instrument_type").select_option("court_order_2703d")
    page.locator("#instrument_case_number").fill("26-0042")  # a judge's order names its court, date and case
    page.locator("#instrument_issued_by").fill("Collin County District Court")
    page.locator("#instrument_issued_on").fill("2025-12-31")
    page.locator("input[name=record_classes][value='subscriber.basic']").check()
    page.screenshot(path=str(tmp_path / "desk-entry.png"), full_page=True)
    page.locator("#enter-request").click()
    assert page.locator("#request-state").inner_text() == "Needs information"
    assert page.locator("#problems").inner_text() == "Badge / identification number is missing."
    page.screenshot(path=str(tmp_path / "desk-entered.png"), full_page=True)
    page.get_by_role("link", name="Open the request").click()
    letter = page.locator("#deficiency-letter").inner_text()
    assert "Dear Det. Ana Ruiz," in letter and "We received your request on January 2, 2026" in letter
    page.screenshot(path=str(tmp_path / "desk-request.png"), full_page=True)
    with page.expect_download() as download:
        page.locator("#letter-pdf").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    assert [e for e in browser_page.console_errors if "status of 422" not in e] == []  # the refused portal post
