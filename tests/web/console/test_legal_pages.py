"""The legal desk in the staff console: queue, request file, entry, review, production, invoice, payment,
delivery with customer notices over real SMTP, preservation, the transparency report, and who may do what."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pyzipper
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from custodian.audit.tables import audit_event
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.legal import service
from custodian.legal.tables import legal_request
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.legal import CIVIL, LAW_ENFORCEMENT, a_request, spectrumvoip
from tests.builders.smtp import smtp_server
from tests.builders.staff import Staff, sign_in
from tests.legal.test_production import _load

LATER = "2099-01-01"


def _submit(engine: Engine, keyring: Keyring, base: dict[str, object] = LAW_ENFORCEMENT, **changes: object) -> int:
    with transaction(engine) as conn:
        done = service.submit(conn, keyring, spectrumvoip(), a_request(
            base, requested_response_on=LATER, **changes), channel="portal", actor="requester:portal", now=utcnow())
    return done.request_id


def _error(html: str, name: str) -> str:
    found = re.search(rf'id="{name}-error"[^>]*>([^<]*)<', html)
    assert found, f"no error shown next to {name}"
    return found.group(1)


def test_the_queue_puts_law_enforcement_before_civil_and_filters(
        client: TestClient, engine: Engine, keyring: Keyring, desk: Staff) -> None:
    """DRG V.C: 'Requests are generally handled in the order received, subject to other pending expedited
    requests, with law enforcement requests given priority'."""
    civil = _submit(engine, keyring, CIVIL)
    police = _submit(engine, keyring, expedite=True)
    sign_in(client, desk)
    page = client.get("/console/legal/").text
    order = re.findall(r'data-request="(LR-[^"]+)"', page)
    with engine.connect() as conn:
        tracking = dict(conn.execute(select(legal_request.c.id, legal_request.c.tracking_number)).all())
    assert order == [tracking[police], tracking[civil]]
    assert "<strong>Expedite</strong>" in page and LATER in page
    only_civil = client.get("/console/legal/?requester_type=civil").text
    assert tracking[civil] in only_civil and tracking[police] not in only_civil
    assert tracking[civil] not in client.get("/console/legal/?expedite=yes").text


def test_a_request_received_by_mail_is_validated_like_the_api_with_errors_next_to_the_field(
        client: TestClient, desk: Staff) -> None:
    csrf = sign_in(client, desk)
    bad = dict(LAW_ENFORCEMENT, requester={"type": "pigeon"})
    refused = client.post("/console/legal/new", data={"received_by": "mail", "document": json.dumps(bad),
                                                       "csrf_token": csrf})
    assert refused.status_code == 422 and _error(refused.text, "document").startswith("Requester.type")
    lacking = dict(LAW_ENFORCEMENT, record_classes=["subscriber.basic", "content.sms_body"],
                   requested_response_on=LATER)
    entered = client.post("/console/legal/new", data={"received_by": "email", "document": json.dumps(lacking),
                                                       "csrf_token": csrf})
    assert entered.status_code == 201 and entered.headers["cache-control"] == "no-store"
    assert 'id="status-secret"' in entered.text and "instrument_insufficient" not in entered.text
    assert "record_classes[1]</code>: Content.sms_body needs at least a search_warrant" in entered.text
    page = client.get("/console/legal/requests/1").text
    assert "Needs information" in page and 'id="deficiency-letter"' in page and "by Email" in page
    assert "Det. Ana Ruiz" in page  # the document as received
    assert "legal.request.received" in page and "legal.request.needs_information" in page  # the history


def test_review_never_offers_and_the_server_refuses_a_class_the_instrument_does_not_reach(
        client: TestClient, engine: Engine, keyring: Keyring, desk: Staff) -> None:
    """DRG: content needs a search warrant; a 2703(d) order reaches call detail but not message bodies."""
    request_id = _submit(engine, keyring, record_classes=["subscriber.basic", "content.sms_body"])
    csrf = sign_in(client, desk)
    base = f"/console/legal/requests/{request_id}"
    refused = client.post(f"{base}/move/review", data={"reason": "", "csrf_token": csrf})
    assert refused.status_code == 422 and _error(refused.text, "review") == "Reason: say why."
    client.post(f"{base}/move/review", data={"reason": "content to be refused, rest is fine", "csrf_token": csrf})
    page = client.get(base).text
    assert 'data-refused="content.sms_body"' in page and 'value="content.sms_body"' not in page
    assert 'value="subscriber.basic"' in page
    forged = client.post(f"{base}/approve", data={"record_class": ["subscriber.basic", "content.sms_body"],
                                                  "rationale": "order reviewed", "csrf_token": csrf})
    assert forged.status_code == 422 and "Cannot approve content.sms_body" in _error(forged.text, "approve")
    done = client.post(f"{base}/approve", data={"record_class": ["subscriber.basic"], "rationale": "order reviewed",
                                                "csrf_token": csrf})
    assert "Approved" in done.text and "order reviewed" in done.text


def test_produce_invoice_pay_deliver_and_notify_from_the_console(
        client: TestClient, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, runtime: Runtime,
        desk: Staff, officer: Staff, tmp_path: Path) -> None:
    """DRG IV: 'to withhold delivery of information until payment is received'; DRG VIII: 'SpectrumVoIP
    notifies its customers of Data Requests unless precluded from doing so by law or court order'."""
    _load(engine, keyring, blobs, tmp_path)
    request_id = _submit(engine, keyring, record_classes=["subscriber.basic", "cpni.call_log"])
    csrf = sign_in(client, desk)
    base = f"/console/legal/requests/{request_id}"
    client.post(f"{base}/approve", data={"record_class": ["subscriber.basic", "cpni.call_log"],
                                         "rationale": "2703(d) order", "csrf_token": csrf})
    produced = client.post(f"{base}/produce", data={"custodian_name": "Pat Custodian", "csrf_token": csrf})
    passphrase = re.search(r'id="package-passphrase">([^<]+)<', produced.text)
    assert passphrase and produced.headers["cache-control"] == "no-store"
    assert passphrase.group(1) not in client.get(base).text  # shown once
    with engine.connect() as conn:
        trail = " ".join(f"{r.reason} {r.detail}" for r in conn.execute(select(audit_event)).all())
    assert passphrase.group(1) not in trail
    package = client.get(f"{base}/package")
    with pyzipper.AESZipFile(io.BytesIO(package.content)) as archive:
        archive.setpassword(passphrase.group(1).encode())
        assert "ACC-1/certification.pdf" in archive.namelist() and archive.read("manifest.json")
    assert "ACC-1" in client.get(base).text and "ACC-2" in client.get(base).text  # matched accounts
    blocked = client.post(f"{base}/deliver", data={"csrf_token": csrf})
    assert blocked.status_code == 422 and "issue the invoice first" in _error(blocked.text, "deliver")
    client.post(f"{base}/invoice", data={"paralegal_hours": "1", "csrf_token": csrf})
    page = client.get(base).text
    assert "Awaiting payment" in page and 'id="outstanding">$' in page and 'id="delivery-blocker"' in page
    assert "INV-" in client.get(f"{base}/invoice").text
    assert client.get(f"{base}/invoice.pdf").content.startswith(b"%PDF-")
    wrong = client.post(f"{base}/payment", data={"amount": "lots", "method": "check", "reference": "1",
                                                 "csrf_token": csrf})
    assert wrong.status_code == 422 and "Amount" in _error(wrong.text, "payment")
    total = re.search(r'id="outstanding">\$([\d,.]+)<', page)
    assert total
    client.post(f"{base}/payment", data={"amount": total.group(1), "method": "check", "reference": "CHK-1",
                                         "csrf_token": csrf})
    with smtp_server() as (inbox, port):
        runtime.mailer = Mailer("127.0.0.1", port, "legal@spectrumvoip.example")
        delivered = client.post(f"{base}/deliver", data={"csrf_token": csrf})
    assert 'id="request-state">Delivered<' in delivered.text
    assert delivered.text.count('data-outcome="sent"') == 2 and len(inbox.messages) == 2
    client.cookies.clear()
    sign_in(client, officer)
    assert 'id="view-only"' in client.get(base).text and client.get(f"{base}/package").status_code == 403


def test_a_gagged_request_withholds_the_notice_until_the_order_expires(
        client: TestClient, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, desk: Staff,
        tmp_path: Path) -> None:
    """DRG VIII: 'When a Data Request is accompanied by a nondisclosure order, SpectrumVoIP will notify the
    affected customer(s) as soon as the order is overturned or expires.'"""
    _load(engine, keyring, blobs, tmp_path)
    request_id = _submit(engine, keyring, record_classes=["subscriber.basic"],
                         nondisclosure_order={"expires_on": LATER})
    csrf = sign_in(client, desk)
    base = f"/console/legal/requests/{request_id}"
    client.post(f"{base}/approve", data={"record_class": "subscriber.basic", "rationale": "ok", "csrf_token": csrf})
    client.post(f"{base}/produce", data={"custodian_name": "Pat", "csrf_token": csrf})
    client.post(f"{base}/invoice", data={"csrf_token": csrf})
    page = client.get(base).text
    paid = re.search(r'id="outstanding">\$([\d,.]+)<', page)
    assert paid
    client.post(f"{base}/payment", data={"amount": paid.group(1), "method": "wire", "reference": "W1",
                                         "csrf_token": csrf})
    page = client.post(f"{base}/deliver", data={"csrf_token": csrf}).text
    assert f"nondisclosure order until {LATER}" in page and 'data-outcome="withheld"' in page


def test_an_emergency_is_produced_only_after_the_recorded_call_back(
        client: TestClient, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, desk: Staff,
        tmp_path: Path) -> None:
    """DRG: an emergency request is verified by calling the agency back before anything is disclosed."""
    _load(engine, keyring, blobs, tmp_path)
    request_id = _submit(engine, keyring, kind="emergency", instrument={"type": "emergency_form"},
                         record_classes=["cpni.call_log"],
                         emergency={"basis": "hostage situation", "imminent_harm_attested": True})
    csrf = sign_in(client, desk)
    base = f"/console/legal/requests/{request_id}"
    client.post(f"{base}/approve", data={"record_class": "cpni.call_log", "rationale": "exigent",
                                         "csrf_token": csrf})
    early = client.post(f"{base}/produce", data={"csrf_token": csrf})
    assert early.status_code == 422 and "call-back" in _error(early.text, "produce")
    missing = client.post(f"{base}/callback", data={"who": "", "number": "+1 972 555 0100", "csrf_token": csrf})
    assert missing.status_code == 422 and "Who answered" in _error(missing.text, "callback")
    client.post(f"{base}/callback", data={"who": "Sgt. Lee, dispatch", "number": "+1 972 555 0100",
                                          "called_at": "2026-11-01T10:15", "csrf_token": csrf})
    page = client.get(base).text
    assert "Sgt. Lee, dispatch" in page and "+1 972 555 0100" in page and "2026-11-01 10:15 UTC" in page
    assert 'id="package-passphrase"' in client.post(f"{base}/produce", data={"csrf_token": csrf}).text


def test_reject_and_withdraw_need_a_reason_and_are_in_the_history(
        client: TestClient, engine: Engine, keyring: Keyring, desk: Staff) -> None:
    first, second = _submit(engine, keyring), _submit(engine, keyring, CIVIL)
    csrf = sign_in(client, desk)
    client.post(f"/console/legal/requests/{first}/move/reject", data={"reason": "overbroad", "csrf_token": csrf})
    page = client.post(f"/console/legal/requests/{second}/move/withdraw",
                       data={"reason": "counsel withdrew", "csrf_token": csrf}, follow_redirects=True).text
    assert "Withdrawn" in page and "counsel withdrew" in page
    assert "overbroad" in client.get(f"/console/legal/requests/{first}").text
    again = client.post(f"/console/legal/requests/{first}/move/withdraw", data={"reason": "x", "csrf_token": csrf})
    assert again.status_code == 422 and "cannot become withdrawn" in _error(again.text, "action")


def test_preserve_extend_once_link_and_see_the_snapshot_expiry(
        client: TestClient, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, desk: Staff,
        tmp_path: Path) -> None:
    """DRG II.B: 'a one-time snapshot ... for ninety (90) days'; 18 U.S.C. 2703(f)(2): renewed once."""
    _load(engine, keyring, blobs, tmp_path)
    kept = _submit(engine, keyring, kind="preservation", instrument=None,
                   record_classes=["cpni.call_log", "subscriber.basic"])
    later = _submit(engine, keyring)
    csrf = sign_in(client, desk)
    base = f"/console/legal/requests/{kept}"
    page = client.post(f"{base}/preserve", data={"csrf_token": csrf}, follow_redirects=True).text
    assert page.count('class="snapshot-expiry"') == 2
    client.post(f"{base}/extend", data={"csrf_token": csrf})
    twice = client.post(f"{base}/extend", data={"csrf_token": csrf})
    assert twice.status_code == 422 and "1 time(s) only" in _error(twice.text, "extend")
    unknown = client.post(f"{base}/link", data={"data_request": "LR-NOPE", "csrf_token": csrf})
    assert unknown.status_code == 422
    with engine.connect() as conn:
        tracking = conn.execute(select(legal_request.c.tracking_number)
                                .where(legal_request.c.id == later)).scalar_one()
    page = client.post(f"{base}/link", data={"data_request": tracking, "csrf_token": csrf},
                       follow_redirects=True).text
    assert tracking in page and "legal.preservation.linked" in page


def test_the_transparency_report_is_linked_from_the_desk_with_its_chart(
        client: TestClient, engine: Engine, keyring: Keyring, desk: Staff) -> None:
    _submit(engine, keyring)
    sign_in(client, desk)
    assert 'href="/console/legal/transparency"' in client.get("/console/legal/").text
    bad = client.get("/console/legal/transparency?period=soon")
    assert bad.status_code == 422 and "use YEAR" in _error(bad.text, "period")
    report = client.get("/console/legal/transparency?period=2026").text
    assert "<svg" in report and "Requests by requester type" in report


def test_without_a_mail_server_delivery_goes_ahead_and_each_notice_is_logged_as_failed(
        client: TestClient, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, runtime: Runtime, desk: Staff,
        tmp_path: Path) -> None:
    """Every notice — sent, withheld or failed — is logged; none is lost silently."""
    _load(engine, keyring, blobs, tmp_path)
    request_id = _submit(engine, keyring, record_classes=["subscriber.basic"])
    assert runtime.mailer is None
    csrf = sign_in(client, desk)
    base = f"/console/legal/requests/{request_id}"
    client.post(f"{base}/approve", data={"record_class": "subscriber.basic", "rationale": "ok", "csrf_token": csrf})
    client.post(f"{base}/produce", data={"csrf_token": csrf})
    client.post(f"{base}/invoice", data={"csrf_token": csrf})
    owed = re.search(r'id="outstanding">\$([\d,.]+)<', client.get(base).text)
    assert owed
    client.post(f"{base}/payment", data={"amount": owed.group(1), "method": "ach", "reference": "A1",
                                         "csrf_token": csrf})
    page = client.post(f"{base}/deliver", data={"csrf_token": csrf}, follow_redirects=True).text
    assert 'id="request-state">Delivered<' in page
    assert page.count('data-outcome="failed"') == 2 and "no mail server is configured" in page
