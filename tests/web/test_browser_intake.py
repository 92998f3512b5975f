"""The requester portal in a real headless Chromium: submit with the signed instrument, then the desk reviews,
produces, invoices and delivers (service layer, as the staff console will), and the requester follows the
status in the browser. Customer notices go to a real local SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from custodian.db.engine import transaction
from custodian.legal import invoices, notices, production, service
from custodian.legal.delivery import deliver
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.files import NUMBERS_HEADER, csv_file, number_line
from tests.builders.legal import activate_spectrumvoip, spectrumvoip
from tests.builders.records import an_account
from tests.legal.test_invoices_and_notices import Inbox, smtp  # noqa: F401  (fixture)
from tests.web.browser import BrowserTab

pytestmark = pytest.mark.browser


def test_a_request_submitted_in_the_portal_is_followed_to_delivery(
        live_server: str, served_runtime: Runtime, browser_page: BrowserTab, tmp_path: Path,
        smtp: tuple[Inbox, Mailer]) -> None:  # noqa: F811
    """'please allow SpectrumVoIP ten (10) business days to respond to your request before you inquire as to
    its status.'"""
    inbox, mailer = smtp
    runtime, keyring = served_runtime, served_runtime.keyring()
    from custodian.ingest.registry import lookup
    from custodian.ingest.runner import run_import

    an_account(runtime.engine, keyring, ref="ACC-1")
    run_import(runtime.engine, keyring, runtime.blobs, lookup("numbers"),
               csv_file(tmp_path / "n.csv", NUMBERS_HEADER, [number_line("+15125550100", "ACC-1", "2025-01-01")]),
               actor="test")
    with transaction(runtime.engine) as conn:
        activate_spectrumvoip(conn, datetime(2026, 1, 1, tzinfo=UTC))
    order = tmp_path / "order.pdf"
    order.write_bytes(b"%PDF-1.4 signed 2703(d) order")
    page = browser_page.page
    page.goto(live_server + "/legal")
    page.locator("#form-law_enforcement").click()
    for name, value in {"agency": "Plano Police Department", "agent_name": "Det. Ana Ruiz", "badge_number": "4471",
                        "email": "aruiz@plano.gov", "phone": "+1 972 555 0142", "phone_extension": "12",
                        "address_street": "909 E 14th St", "address_city": "Plano", "address_state": "TX",
                        "address_postal_code": "75074", "instrument_jurisdiction": "US-TX",
                        "instrument_case_number": "26-0042", "instrument_issued_by": "Collin County District Court",
                        "instrument_issued_on": "2026-02-27",
                        "target_0_phone_number": "+1 512 555 0100", "date_from": "2026-01-01",
                        "date_to": "2026-02-28", "requested_response_on": "2099-01-01"}.items():
        page.locator(f"#{name}").fill(value)
    page.locator("#instrument_type").select_option("court_order_2703d")
    page.locator("input[name=record_classes][value='subscriber.basic']").check()
    page.locator("#instrument_pdf").set_input_files(str(order))
    page.locator("#submit-request").click()
    page.wait_for_selector("#tracking-number")
    tracking = page.locator("#tracking-number").inner_text()
    secret = page.locator("#status-secret").inner_text()
    assert page.locator("#request-state").inner_text() == "In review"
    assert "ten (10) business days" in page.locator("#inquiry-note").inner_text()
    page.screenshot(path=str(tmp_path / "receipt.png"), full_page=True)

    now = datetime.now(UTC)
    with transaction(runtime.engine) as conn:
        request = service.by_tracking(conn, keyring, tracking, secret)
        assert request.instrument_blob_key is not None
        service.approve(conn, keyring, spectrumvoip(), request.id, ["subscriber.basic"], rationale="order reviewed",
                        actor="staff:ana", now=now)
        production.produce(conn, keyring, runtime.blobs, spectrumvoip(), request.id, custodian_name="Pat",
                           actor="staff:ana", now=now)
        invoice = invoices.issue(conn, keyring, spectrumvoip(), request.id, {}, actor="staff:ana", now=now)
        invoices.record_payment(conn, request.id, invoice.total_cents, method="check", reference="CHK-1",
                                actor="staff:ana", now=now)
        deliver(conn, keyring, spectrumvoip(), request.id, actor="staff:ana", now=now)
    # the notice queued when the portal request was accepted for review goes once the change has committed
    assert notices.send_due(runtime.engine, keyring, spectrumvoip(), mailer, actor="staff:ana", now=now,
                            request_id=request.id)["sent"] == 1
    assert len(inbox.messages) == 1

    page.goto(live_server + "/legal/status")
    page.locator("#tracking_number").fill(tracking)
    page.locator("#secret").fill(secret)
    page.locator("#see-status").click()
    page.wait_for_selector("#request-state")
    assert page.locator("#request-state").inner_text() == "Delivered"
    assert browser_page.console_errors == []
