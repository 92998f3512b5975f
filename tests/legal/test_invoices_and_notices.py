"""Invoices from the fee schedule, delivery withheld until paid, and customer notices over real SMTP."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
from sqlalchemy import Engine, select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.jobs.registry import JOBS
from custodian.legal import invoices, notices, production, service
from custodian.legal.delivery import deliver
from custodian.legal.tables import legal_notice
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.legal import a_request, activate_spectrumvoip, spectrumvoip
from tests.builders.records import CANARY_EMAIL
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
    _load(engine, keyring, blobs, tmp)
    classes = ["subscriber.basic", "cpni.call_log"]
    with transaction(engine) as conn:
        done = service.submit(conn, keyring, spectrumvoip(), a_request(record_classes=classes, **changes),
                              channel="staff", actor="staff", now=NOW)
        service.approve(conn, keyring, spectrumvoip(), done.request_id, classes, rationale="2703(d) order",
                        actor="staff", now=NOW)
        production.produce(conn, keyring, blobs, spectrumvoip(), done.request_id, custodian_name="Pat",
                           actor="staff", now=NOW)
    return done.request_id


def test_the_invoice_follows_the_schedule_and_delivery_waits_for_payment(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path,
        smtp: tuple[Inbox, Mailer]) -> None:
    """'SpectrumVoIP reserves the right to require payment in advance of any production ...; to withhold
    delivery of information until payment is received'."""
    inbox, mailer = smtp
    request_id = _produced(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        with pytest.raises(service.DeskRuleBroken, match="issue the invoice"):
            deliver(conn, keyring, spectrumvoip(), mailer, request_id, actor="staff", now=NOW)
        invoice = invoices.issue(conn, keyring, spectrumvoip(), request_id, {"paralegal_hours": 1}, actor="staff",
                                 now=NOW)
        assert service.get(conn, keyring, request_id).state == "awaiting_payment"
    # two accounts matched; 2 months (Jan, Feb): $50x2 + $40x2x2 + $190 paralegal hour
    assert [(line.code, line.amount_cents) for line in invoice.lines] == [
        ("basic_records", 10000), ("call_fax_logs", 16000), ("paralegal_time", 19000)]
    assert invoice.total_cents == 45000 and invoice.number.startswith("INV-2026-")
    with transaction(engine) as conn:
        invoices.record_payment(conn, request_id, 20000, method="check", reference="CHK-1", actor="staff", now=NOW)
        with pytest.raises(service.DeskRuleBroken, match=r"\$250.00 is outstanding"):
            deliver(conn, keyring, spectrumvoip(), mailer, request_id, actor="staff", now=NOW)
    with transaction(engine) as conn:
        invoices.record_payment(conn, request_id, 25000, method="ach", reference="ACH-7", actor="staff", now=NOW)
        counts = deliver(conn, keyring, spectrumvoip(), mailer, request_id, actor="staff", now=NOW)
    assert counts == {"sent": 2, "withheld": 0, "failed": 0}
    assert sorted(to[0] for to, _ in inbox.messages) == ["b@example.com", CANARY_EMAIL]
    body = message_from_bytes(inbox.messages[0][1]).get_payload()
    assert "legal request" in str(body)


def test_a_nondisclosure_order_withholds_the_notice_until_it_expires_then_the_job_sends_it(
        engine: Engine, keyring: Keyring, master_key: bytes, blobs: LocalBlobStore, tmp_path: Path,
        smtp: tuple[Inbox, Mailer]) -> None:
    """'When a Data Request is accompanied by a nondisclosure order, SpectrumVoIP will notify the affected
    customer(s) as soon as the order is overturned or expires.'"""
    inbox, mailer = smtp
    request_id = _produced(engine, keyring, blobs, tmp_path, nondisclosure_order={"expires_on": "2026-09-01"})
    with transaction(engine) as conn:
        invoices.issue(conn, keyring, spectrumvoip(), request_id, {}, actor="staff", now=NOW)
        invoices.record_payment(conn, request_id, 26000, method="check", reference="1", actor="staff", now=NOW)
        counts = deliver(conn, keyring, spectrumvoip(), mailer, request_id, actor="staff", now=NOW)
        assert notices.requests_due_notice(conn, datetime(2026, 8, 31, tzinfo=UTC).date()) == []
    assert counts["withheld"] == 2 and inbox.messages == []
    later = datetime(2026, 9, 1, 9, tzinfo=UTC)
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, NOW)
    runtime = Runtime(engine=engine, master_key=master_key, blobs=blobs, mailer=mailer)
    reports = [JOBS["legal-notices"](runtime, later) for _ in range(2)]  # the job is idempotent
    assert reports == ["2 customer notices sent for expired nondisclosure orders",
                       "0 customer notices sent for expired nondisclosure orders"]
    assert len(inbox.messages) == 2
    with transaction(engine) as conn:
        outcomes = sorted(conn.execute(select(legal_notice.c.outcome)).scalars())
    assert outcomes == ["sent", "sent", "withheld", "withheld"]
