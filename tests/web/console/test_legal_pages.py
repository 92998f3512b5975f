"""The legal desk in the staff console: queue, request file, entry, review, production, invoice, payment,
delivery with customer notices over real SMTP, preservation, the transparency report, and who may do what."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pyzipper
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from custodian.audit.tables import audit_event
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.legal import submission
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
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(
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
    assert '<span class="badge badge--warning">Expedite</span>' in page and LATER in page
    only_civil = client.get("/console/legal/?requester_type=civil").text
    assert tracking[civil] in only_civil and tracking[police] not in only_civil
    assert tracking[civil] not in client.get("/console/legal/?expedite=yes").text


PAPER = {
    "requester_type": "law_enforcement", "kind": "data", "agency": "Plano Police Department",
    "agent_name": "Det. Ana Ruiz", "badge_number": "4471", "email": "aruiz@plano.gov", "phone": "+1 972 555 0142",
    "phone_extension": "12", "address_street": "909 E 14th St", "address_city": "Plano", "address_state": "TX",
    "address_postal_code": "75074", "instrument_type": "court_order_2703d", "instrument_jurisdiction": "US-TX",
    "target_0_phone_number": "+1 512 555 0100", "date_from": "2026-01-01", "date_to": "2026-02-28",
    "requested_response_on": LATER, "record_classes": ["subscriber.basic", "content.sms_body"],
}


def test_a_request_received_by_mail_is_entered_through_the_portals_form_with_errors_next_to_the_field(
        client: TestClient, desk: Staff) -> None:
    """One form definition, two pages: the desk types a paper request into the requester portal's fields."""
    csrf = sign_in(client, desk)
    form = client.get("/console/legal/new?type=law_enforcement").text
    assert 'name="badge_number"' in form and 'id="limit-date-range"' in form and 'name="received_by"' in form
    assert "<textarea id=\"document\"" not in form  # never raw JSON
    refused = client.post("/console/legal/new", data={**PAPER, "csrf_token": csrf, "date_from": "01/02/2026"})
    assert refused.status_code == 422
    assert _error(refused.text, "received_by") == "Received by: choose mail, fax or e-mail"
    refused = client.post("/console/legal/new", data={**PAPER, "csrf_token": csrf, "received_by": "mail",
                                                       "date_from": "01/02/2026"})
    assert refused.status_code == 422 and _error(refused.text, "date_from").startswith("Records from: ")
    assert 'value="Det. Ana Ruiz"' in refused.text  # what was typed is kept
    entered = client.post("/console/legal/new", data={**PAPER, "csrf_token": csrf, "received_by": "mail",
                                                       "badge_number": ""})
    assert entered.status_code == 201 and entered.headers["cache-control"] == "no-store"
    assert 'id="status-secret"' in entered.text and "instrument_insufficient" not in entered.text
    assert "Badge / identification number is missing." in entered.text
    assert "Records requested: Text message contents: " in entered.text and "a search warrant" in entered.text
    page = client.get("/console/legal/requests/1").text
    assert "Needs information" in page and 'id="deficiency-letter"' in page and "by Mail" in page
    assert "Det. Ana Ruiz" in page  # the document as received
    assert "legal.request.received" in page and "legal.request.needs_information" in page  # the history


def test_the_desk_records_an_earlier_paper_receipt_date_only_with_a_reason_and_it_is_audited(
        client: TestClient, engine: Engine, desk: Staff) -> None:
    csrf = sign_in(client, desk)
    today = utcnow().date()
    earlier = (today - timedelta(days=3)).isoformat()
    data = {**PAPER, "csrf_token": csrf, "received_by": "fax", "record_classes": ["subscriber.basic"],
            "paper_received_on": earlier}
    refused = client.post("/console/legal/new", data=data)
    assert refused.status_code == 422 and _error(refused.text, "paper_reason").startswith("Why this date: say why")
    entered = client.post("/console/legal/new", data={**data, "paper_reason": "fax arrived Friday evening"})
    assert entered.status_code == 201
    with engine.connect() as conn:
        assert conn.execute(select(legal_request.c.received_on)).scalar_one().isoformat() == earlier
        event = conn.execute(select(audit_event.c.actor, audit_event.c.reason).where(
            audit_event.c.action == "legal.request.receipt_dated")).one()
    assert tuple(event) == ("staff:lena", "fax arrived Friday evening")


def test_the_signed_legal_process_is_viewed_inline_and_downloaded_each_time_audited(
        client: TestClient, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, desk: Staff,
        officer: Staff) -> None:
    pdf = b"%PDF-1.4 signed 2703(d) order"
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(requested_response_on=LATER),
                              channel="portal", actor="requester:portal", now=utcnow(), blobs=blobs,
                              instrument_pdf=pdf)
    sign_in(client, desk)
    assert 'id="instrument-view"' in client.get(f"/console/legal/requests/{done.request_id}").text
    shown = client.get(f"/console/legal/requests/{done.request_id}/instrument.pdf")
    assert shown.status_code == 200 and shown.content == pdf and shown.headers["content-type"] == "application/pdf"
    assert shown.headers["content-disposition"].startswith("inline;") and shown.headers["cache-control"] == "no-store"
    saved = client.get(f"/console/legal/requests/{done.request_id}/instrument.pdf?download=1")
    assert saved.content == pdf and saved.headers["content-disposition"].startswith("attachment;")
    sign_in(client, officer)
    assert client.get(f"/console/legal/requests/{done.request_id}/instrument.pdf").content == pdf
    with engine.connect() as conn:
        events = conn.execute(select(audit_event.c.actor, audit_event.c.action, audit_event.c.detail)
                              .where(audit_event.c.action.like("legal.instrument.%"))
                              .order_by(audit_event.c.seq)).all()
    assert [(e.actor, e.action) for e in events] == [
        ("staff:lena", "legal.instrument.viewed"), ("staff:lena", "legal.instrument.downloaded"),
        ("staff:petra", "legal.instrument.viewed")]
    assert all(done.tracking_number in str(e.detail) for e in events)


def test_the_deficiency_letter_downloads_as_pdf_and_text(client: TestClient, engine: Engine, keyring: Keyring,
                                                         desk: Staff) -> None:
    """DRG V: 'SpectrumVoIP cannot reasonably consider a Data Request unless it includes at least the following
    information'."""
    request_id = _submit(engine, keyring, requester__mailing_address__street="")
    complete = _submit(engine, keyring)
    sign_in(client, desk)
    page = client.get(f"/console/legal/requests/{request_id}").text
    assert 'id="letter-pdf"' in page and "Mailing address: street is missing." in page
    text = client.get(f"/console/legal/requests/{request_id}/letter.txt")
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")
    assert "Dear Det. Ana Ruiz," in text.text and "Mailing address: street is missing." in text.text
    assert "missing_field" not in text.text and "Legal Requests\nSpectrumVoIP" in text.text
    pdf = client.get(f"/console/legal/requests/{request_id}/letter.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert "attachment" in pdf.headers["content-disposition"]
    assert client.get(f"/console/legal/requests/{complete}/letter.pdf").status_code == 403


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


def test_notify_on_acceptance_then_produce_deliver_invoice_and_pay_from_the_console(
        client: TestClient, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, runtime: Runtime,
        desk: Staff, officer: Staff, tmp_path: Path) -> None:
    """DRG VIII: 'SpectrumVoIP notifies its customers of Data Requests unless precluded from doing so by law or
    court order' (told on acceptance, sent on the desk's first action after the portal queued it); 18 U.S.C.
    2706: a governmental entity's fee is a claim for reimbursement, so its production is delivered, then paid."""
    _load(engine, keyring, blobs, tmp_path)
    request_id = _submit(engine, keyring, record_classes=["subscriber.basic", "cpni.call_log"])
    csrf = sign_in(client, desk)
    base = f"/console/legal/requests/{request_id}"
    assert client.get(base).text.count('data-outcome="pending"') == 2
    with smtp_server() as (inbox, port):
        runtime.mailer = Mailer("127.0.0.1", port, "legal@spectrumvoip.example")
        client.post(f"{base}/approve", data={"record_class": ["subscriber.basic", "cpni.call_log"],
                                             "rationale": "2703(d) order", "csrf_token": csrf})
    assert len(inbox.messages) == 2 and client.get(base).text.count('data-outcome="sent"') == 2
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
        assert "account-01/certification.pdf" in archive.namelist() and archive.read("manifest.json")
    page = client.get(base).text
    assert "ACC-1" in page and "ACC-2" in page  # matched accounts
    assert page.count("the named number&#39;s line only") == 2  # a number target reaches its line only
    delivered = client.post(f"{base}/deliver", data={"csrf_token": csrf}, follow_redirects=True)
    assert 'id="request-state">Delivered<' in delivered.text and 'id="delivery-blocker"' not in delivered.text
    client.post(f"{base}/invoice", data={"paralegal_hours": "1", "csrf_token": csrf})
    page = client.get(base).text
    assert 'id="outstanding">$' in page and "INV-" in client.get(f"{base}/invoice").text
    assert client.get(f"{base}/invoice.pdf").content.startswith(b"%PDF-")
    wrong = client.post(f"{base}/payment", data={"amount": "lots", "method": "check", "reference": "1",
                                                 "csrf_token": csrf})
    assert wrong.status_code == 422 and "Amount" in _error(wrong.text, "payment")
    total = re.search(r'id="outstanding">\$([\d,.]+)<', page)
    assert total
    over = client.post(f"{base}/payment", data={"amount": "99999", "method": "check", "reference": "CHK-1",
                                                "csrf_token": csrf})
    assert over.status_code == 422 and "outstanding" in _error(over.text, "payment")
    client.post(f"{base}/payment", data={"amount": total.group(1), "method": "check", "reference": "CHK-1",
                                         "csrf_token": csrf})
    assert 'id="outstanding">$0.00<' in client.get(base).text
    client.cookies.clear()
    sign_in(client, officer)
    assert 'id="view-only"' in client.get(base).text and client.get(f"{base}/package").status_code == 403


def test_a_civil_request_is_produced_only_after_the_objection_period_and_delivered_once_paid(
        client: TestClient, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, runtime: Runtime,
        desk: Staff, tmp_path: Path) -> None:
    """Civil requests wait legal.notification.objection_days after the customer notice, so the customer can move
    to quash; DRG IV: 'to withhold delivery of information until payment is received' (civil requests)."""
    _load(engine, keyring, blobs, tmp_path)
    request_id = _submit(engine, keyring, CIVIL, record_classes=["subscriber.basic"])
    csrf = sign_in(client, desk)
    base = f"/console/legal/requests/{request_id}"
    with smtp_server() as (inbox, port):
        runtime.mailer = Mailer("127.0.0.1", port, "legal@spectrumvoip.example")
        client.post(f"{base}/approve", data={"record_class": "subscriber.basic", "rationale": "subpoena",
                                             "csrf_token": csrf})
    assert len(inbox.messages) == 1
    start = (utcnow().date() + timedelta(days=14)).isoformat()
    assert f"<strong>{start}</strong>" in client.get(base).text
    early = client.post(f"{base}/produce", data={"csrf_token": csrf})
    assert early.status_code == 422 and f"production may start on {start}" in _error(early.text, "produce")


def test_a_gagged_request_withholds_the_notice_until_the_desk_records_the_order_lifted(
        client: TestClient, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, runtime: Runtime, desk: Staff,
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
    page = client.post(f"{base}/deliver", data={"csrf_token": csrf}, follow_redirects=True).text
    assert f"nondisclosure order until {LATER}" in page and 'data-outcome="withheld"' in page
    future = client.post(f"{base}/order-lifted", data={"lifted_on": LATER, "csrf_token": csrf})
    assert future.status_code == 422 and "day still to come" in _error(future.text, "order-lifted")
    today = utcnow().date().isoformat()
    with smtp_server() as (inbox, port):
        runtime.mailer = Mailer("127.0.0.1", port, "legal@spectrumvoip.example")
        page = client.post(f"{base}/order-lifted", data={"lifted_on": today, "csrf_token": csrf},
                           follow_redirects=True).text
    assert f"nondisclosure order lifted on {today}" in page and 'data-outcome="sent"' in page
    assert "(order ended)" in page and len(inbox.messages) == 2  # ACC-1 and ACC-2 held the number


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


def test_review_shows_warnings_and_the_answer_to_a_prospective_order(
        client: TestClient, engine: Engine, keyring: Keyring, desk: Staff) -> None:
    """A judge's order over 'generally up to 2 months' is reviewed with a warning; a pen register order (18 U.S.C.
    3123) is answered: no real-time interception capability, billed at 'SpectrumVoIP's actual cost'."""
    long = _submit(engine, keyring, date_range={"from": "2025-09-01", "to": "2026-02-28"})
    pen = _submit(engine, keyring, instrument__type="pen_register_order", record_classes=[],
                  date_range={"from": "2026-03-05", "to": "2026-04-05"})
    sign_in(client, desk)
    page = client.get(f"/console/legal/requests/{long}").text
    assert 'id="warnings"' in page and "at most 2 calendar months" in page and "date_range_too_long" not in page
    answered = client.get(f"/console/legal/requests/{pen}").text
    assert "no real-time interception capability" in answered and "Pen Register/Trap and Trace" in answered
