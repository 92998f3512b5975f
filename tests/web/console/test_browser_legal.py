"""The legal desk journey in a real headless Chromium over real HTTP: a requester submits in the portal → a
legal-desk member signs in with TOTP and acknowledges the policy → opens the request → approves classes →
produces (the passphrase shown once) → invoices → records the payment → delivers → the customer notice goes
to a real local SMTP server → the requester's status page says delivered."""

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
             "target_0_phone_number": "+1 512 555 0100", "date_from": "2026-01-01", "date_to": "2026-02-28",
             "requested_response_on": "2099-01-01"}


def test_a_portal_request_is_approved_produced_paid_delivered_and_the_customer_told_from_the_console(
        live_server: str, served_runtime: Runtime, browser_page: BrowserTab, tmp_path: Path) -> None:
    """DRG VIII: 'SpectrumVoIP notifies its customers of Data Requests unless precluded from doing so by law
    or court order'; DRG IV: 'to withhold delivery of information until payment is received'."""
    runtime, keyring = served_runtime, served_runtime.keyring()
    rules = policy_in_force(runtime.engine)
    an_account(runtime.engine, keyring, ref="ACC-1")
    run_import(runtime.engine, keyring, runtime.blobs, lookup("numbers"),
               csv_file(tmp_path / "n.csv", NUMBERS_HEADER, [number_line("+15125550100", "ACC-1", "2025-01-01")]),
               actor="test")
    with transaction(runtime.engine) as conn:
        made = staff_service.add_staff(conn, runtime.master_key, username="lena", display_name="Lena Desk",
                                       role="legal_desk", roles=rules.staff_roles(), actor="t", now=utcnow())
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

    page.get_by_label("subscriber.basic").check()
    page.get_by_label("Rationale").fill("2703(d) order reviewed; subscriber records only")
    page.locator("#approve-classes").click()
    assert page.locator("#request-state").inner_text() == "Approved"
    page.locator("#produce").click()
    passphrase = page.locator("#package-passphrase").inner_text()
    assert len(passphrase) >= 16 and "ACC-1" in page.locator("#matched-accounts").inner_text()
    page.screenshot(path=str(tmp_path / "produced.png"), full_page=True)
    page.goto(page.url.removesuffix("/produce"))  # the request page again: the passphrase is gone
    assert page.locator("#package-passphrase").count() == 0 and passphrase not in page.content()

    page.locator("#issue-invoice").click()
    assert page.locator("#request-state").inner_text() == "Awaiting payment"
    assert "Delivery withheld" in page.locator("#delivery-blocker").inner_text()
    page.get_by_label("Amount (USD)").fill(page.locator("#outstanding").inner_text().lstrip("$"))
    page.get_by_label("Reference").fill("CHK-1001")
    page.locator("#record-payment").click()
    assert page.locator("#outstanding").inner_text() == "$0.00"
    with smtp_server() as (inbox, port):
        runtime.mailer = Mailer("127.0.0.1", port, "legal@spectrumvoip.example")
        page.locator("#deliver").click()
        assert page.locator("#request-state").inner_text() == "Delivered"
    assert page.locator('#customer-notices [data-outcome="sent"]').count() == 1
    assert len(inbox.messages) == 1 and inbox.messages[0]["To"] == CANARY_EMAIL
    assert tracking in inbox.messages[0].get_payload()

    page.goto(live_server + "/legal/status")
    page.locator("#tracking_number").fill(tracking)
    page.locator("#secret").fill(secret)
    page.locator("#see-status").click()
    assert page.locator("#request-state").inner_text() == "Delivered"
    assert browser_page.console_errors == []
