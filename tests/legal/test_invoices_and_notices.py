"""Invoices from the fee schedule; delivery withheld until paid for civil requests only; overpayment refused.

DRG IV: "To the extent permitted by law, SpectrumVoIP reserves the right to require payment in advance of any
production related to a Data Request; to withhold delivery of information until payment is received". 18 U.S.C.
2706 makes a governmental entity's fee a claim for reimbursement, not a right to withhold: emergency disclosures
and compelled governmental productions are delivered, then invoiced."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
from sqlalchemy import Engine

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.legal import invoices, notices, production, service, submission
from custodian.legal.delivery import deliver
from custodian.mail.smtp import Mailer
from tests.builders.legal import CIVIL, a_request, spectrumvoip
from tests.legal.test_production import NOW, _load


class Inbox(Sink):
    """Keeps every message the local SMTP server receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, Mailer]]:
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, Mailer(host="127.0.0.1", port=port, sender="legal@spectrumvoip.example")
    finally:
        controller.stop()


def _produced(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp: Path, **changes: object) -> int:
    """A law-enforcement request under a 2703(d) order, produced."""
    _load(engine, keyring, blobs, tmp)
    classes = ["subscriber.basic", "cpni.call_log"]
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(record_classes=classes, **changes),
                              channel="staff", actor="staff", now=NOW)
        service.approve(conn, keyring, spectrumvoip(), done.request_id, classes, rationale="2703(d) order",
                        actor="staff", now=NOW)
        production.produce(conn, keyring, blobs, spectrumvoip(), done.request_id, custodian_name="Pat",
                           actor="staff", now=NOW)
    return done.request_id


def _civil_produced(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp: Path, mailer: Mailer) -> int:
    """A civil subpoena for ACC-1's subscriber and billing records, produced after the objection period."""
    _load(engine, keyring, blobs, tmp)
    classes = ["subscriber.basic", "billing.transactions"]
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(CIVIL, record_classes=classes),
                              channel="staff", actor="staff", now=NOW)
        service.approve(conn, keyring, spectrumvoip(), done.request_id, classes, rationale="subpoena",
                        actor="staff", now=NOW)
    notices.send_due(engine, keyring, spectrumvoip(), mailer, actor="staff", now=NOW, request_id=done.request_id)
    with transaction(engine) as conn:
        production.produce(conn, keyring, blobs, spectrumvoip(), done.request_id, custodian_name="Pat",
                           actor="staff", now=LATER)
    return done.request_id


LATER = NOW + timedelta(days=14)


def test_the_invoice_follows_the_schedule_and_delivery_waits_for_payment(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path,
        smtp: tuple[Inbox, Mailer]) -> None:
    """'SpectrumVoIP reserves the right to require payment in advance of any production ...; to withhold
    delivery of information until payment is received'."""
    inbox, mailer = smtp
    request_id = _civil_produced(engine, keyring, blobs, tmp_path, mailer)
    with transaction(engine) as conn:
        with pytest.raises(service.DeskRuleBroken, match="issue the invoice"):
            deliver(conn, keyring, spectrumvoip(), request_id, actor="staff", now=LATER)
        invoice = invoices.issue(conn, keyring, spectrumvoip(), request_id, {"paralegal_hours": 1}, actor="staff",
                                 now=LATER)
        assert service.get(conn, keyring, request_id).state == "awaiting_payment"
    # one account (ACC-1): $50 basic records + $190 paralegal hour (billing records are free of charge)
    assert invoice.number.startswith("INV-2026-") and invoice.lines[-1].code == "paralegal_time"
    half = invoice.total_cents // 2
    with transaction(engine) as conn:
        invoices.record_payment(conn, request_id, half, method="check", reference="CHK-1", actor="staff", now=LATER)
        with pytest.raises(service.DeskRuleBroken, match=r"is outstanding on invoice"):
            deliver(conn, keyring, spectrumvoip(), request_id, actor="staff", now=LATER)
    with transaction(engine) as conn:
        invoices.record_payment(conn, request_id, invoice.total_cents - half, method="ach", reference="ACH-7",
                                actor="staff", now=LATER)
        assert deliver(conn, keyring, spectrumvoip(), request_id, actor="staff", now=LATER) == 0
        assert service.get(conn, keyring, request_id).state == "delivered"
    assert len(inbox.messages) == 1  # the notice went at acceptance, none after delivery


def test_a_compelled_governmental_production_is_delivered_then_invoiced(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """18 U.S.C. 2706: 'a governmental entity obtaining the contents of communications, records, or other
    information ... shall pay to the person or entity assembling or providing such information a fee for
    reimbursement' -- a claim for reimbursement, not a right to withhold compelled records."""
    request_id = _produced(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        invoices.issue(conn, keyring, spectrumvoip(), request_id, {}, actor="staff", now=NOW)
        assert service.get(conn, keyring, request_id).state == "producing"  # not held for payment
        assert invoices.delivery_blocker(conn, spectrumvoip(), request_id) is None
        deliver(conn, keyring, spectrumvoip(), request_id, actor="staff", now=NOW)
        paid = invoices.record_payment(conn, request_id, 26000, method="check", reference="1", actor="staff",
                                       now=NOW)
        assert service.get(conn, keyring, request_id).state == "delivered" and paid.outstanding_cents == 0


def test_an_emergency_disclosure_is_delivered_before_any_invoice(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """An emergency disclosure (18 U.S.C. 2702(b)(8)) cannot wait for a check: delivered, then invoiced."""
    _load(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(
            kind="emergency", instrument={"type": "emergency_form"}, record_classes=["cpni.call_log"],
            requested_response_on=None, emergency={"basis": "hostage situation", "imminent_harm_attested": True}),
            channel="staff", actor="staff", now=NOW)
        service.record_callback(conn, keyring, done.request_id, who="Sgt. Lee", number="+1 972 555 0100",
                                called_at=NOW, passed=True, actor="staff", now=NOW)
        service.approve(conn, keyring, spectrumvoip(), done.request_id, ["cpni.call_log"], rationale="exigent",
                        actor="staff", now=NOW)
        production.produce(conn, keyring, blobs, spectrumvoip(), done.request_id, custodian_name="Pat",
                           actor="staff", now=NOW)
        deliver(conn, keyring, spectrumvoip(), done.request_id, actor="staff", now=NOW)
        issued = invoices.issue(conn, keyring, spectrumvoip(), done.request_id, {}, actor="staff", now=NOW)
        assert service.get(conn, keyring, done.request_id).state == "delivered" and issued.total_cents > 0


def test_an_overpayment_is_refused_naming_the_amount_outstanding(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """A payment larger than what is outstanding is refused (no silent credit balance); the desk records at most
    the amount outstanding and returns the difference."""
    request_id = _produced(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        invoice = invoices.issue(conn, keyring, spectrumvoip(), request_id, {}, actor="staff", now=NOW)
        with pytest.raises(service.DeskRuleBroken, match=r"exceeds the \$260.00 outstanding on invoice INV-"):
            invoices.record_payment(conn, request_id, invoice.total_cents + 1, method="check", reference="1",
                                    actor="staff", now=NOW)
        invoices.record_payment(conn, request_id, invoice.total_cents, method="check", reference="1",
                                actor="staff", now=NOW)
        with pytest.raises(service.DeskRuleBroken, match=r"exceeds the \$0.00 outstanding"):
            invoices.record_payment(conn, request_id, 100, method="check", reference="2", actor="staff", now=NOW)
    with transaction(engine) as conn:
        assert invoices.invoice_of(conn, request_id).paid_cents == invoice.total_cents  # type: ignore[union-attr]
