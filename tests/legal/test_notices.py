"""Customer notices of legal requests, over a real local SMTP server: told when the request is accepted for review
(an emergency after delivery), withheld while a nondisclosure order binds and sent once it expires or is lifted,
recorded "sent" only after the mail server accepted the message, and a civil production waits the objection period.

DRG VIII: "SpectrumVoIP's notifies its customers of Data Requests unless precluded from doing so by law or court
order. ... When a Data Request is accompanied by a nondisclosure order, SpectrumVoIP will notify the affected
customer(s) as soon as the order is overturned or expires."
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.message import Message
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from custodian.audit.tables import audit_event
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.jobs.registry import JOBS
from custodian.legal import notices, production, service, submission
from custodian.legal.delivery import deliver
from custodian.legal.tables import legal_notice
from custodian.mail.smtp import Mailer
from custodian.runtime import Runtime
from tests.builders.legal import CIVIL, a_request, activate_spectrumvoip, spectrumvoip
from tests.builders.records import CANARY_EMAIL
from tests.builders.smtp import Inbox, smtp_server
from tests.legal.test_production import NOW, _load

ORDER_UNTIL = {"nondisclosure_order": {"expires_on": "2026-09-01"}}


@pytest.fixture
def mail() -> Iterator[tuple[Inbox, Mailer]]:
    with smtp_server() as (inbox, port):
        yield inbox, Mailer(host="127.0.0.1", port=port, sender="legal@spectrumvoip.example")


def _refusing_mailer() -> Mailer:
    """A mailer whose server is down: nothing listens on its port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return Mailer(host="127.0.0.1", port=port, sender="legal@spectrumvoip.example", timeout_s=2)


def _accepted(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp: Path, **changes: object) -> int:
    _load(engine, keyring, blobs, tmp)
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(**changes), channel="staff", actor="staff",
                              now=NOW)
    assert done.state == "in_review", done.problems
    return done.request_id


def _send(engine: Engine, keyring: Keyring, mailer: Mailer | None, now: datetime = NOW, **kw: object) -> dict[str, int]:
    return notices.send_due(engine, keyring, spectrumvoip(), mailer, actor="staff", now=now, **kw)  # type: ignore[arg-type]


def _outcomes(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return sorted((r.outcome, r.occasion) for r in conn.execute(select(legal_notice.c.outcome,
                                                                           legal_notice.c.occasion)))


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def _actions(engine: Engine, prefix: str) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(audit_event.c.action).where(audit_event.c.action.like(prefix + "%"))
                                 .order_by(audit_event.c.seq)).scalars())


def _job(engine: Engine, master_key: bytes, blobs: LocalBlobStore, mailer: Mailer, at: datetime) -> str:
    with transaction(engine) as conn:
        activate_spectrumvoip(conn, NOW)
    runtime = Runtime(engine=engine, master_key=master_key, blobs=blobs, mailer=mailer)
    return JOBS["legal-notices"](runtime, at)


def test_the_customer_is_told_when_the_request_is_accepted_for_review_not_after_delivery(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path,
        mail: tuple[Inbox, Mailer]) -> None:
    """DRG VIII: 'SpectrumVoIP's notifies its customers of Data Requests unless precluded from doing so by law or
    court order.' The notice goes when the request naming them is accepted, so they can object before production."""
    inbox, mailer = mail
    request_id = _accepted(engine, keyring, blobs, tmp_path)
    assert _outcomes(engine) == [("pending", "accepted"), ("pending", "accepted")]
    assert _actions(engine, "legal.notice.") == ["legal.notice.queued", "legal.notice.queued"]
    assert _send(engine, keyring, mailer, request_id=request_id) == {"sent": 2, "failed": 0, "withheld": 0,
                                                                     "released": 0}
    assert sorted(m["To"] for m in inbox.messages) == ["b@example.com", CANARY_EMAIL]
    assert "received a legal request" in _body(inbox.messages[0])
    with transaction(engine) as conn:
        service.approve(conn, keyring, spectrumvoip(), request_id, ["subscriber.basic"], rationale="order",
                        actor="staff", now=NOW)
        production.produce(conn, keyring, blobs, spectrumvoip(), request_id, custodian_name="Pat", actor="staff",
                           now=NOW)
        assert deliver(conn, keyring, spectrumvoip(), request_id, actor="staff", now=NOW) == 0
    assert _send(engine, keyring, mailer, request_id=request_id)["sent"] == 0 and len(inbox.messages) == 2


def test_a_notice_is_recorded_sent_only_after_the_mail_server_accepted_it_and_a_failure_is_retried(
        engine: Engine, keyring: Keyring, master_key: bytes, blobs: LocalBlobStore, tmp_path: Path,
        mail: tuple[Inbox, Mailer]) -> None:
    """A customer notice is 'sent' in the audit trail only once the mail server accepted it; the transaction that
    accepts the request records it queued. A failed send keeps the mailer's reason and the job retries it."""
    inbox, mailer = mail
    request_id = _accepted(engine, keyring, blobs, tmp_path)
    assert "legal.notice.sent" not in _actions(engine, "legal.notice.")
    counts = _send(engine, keyring, _refusing_mailer(), request_id=request_id)
    assert counts["failed"] == 2 and counts["sent"] == 0
    with engine.connect() as conn:
        reasons = set(conn.execute(select(legal_notice.c.reason)).scalars())
    assert reasons == {"mail not sent (the mail server could not be reached)"}
    assert "legal.notice.sent" not in _actions(engine, "legal.notice.")
    later = NOW + timedelta(hours=1)
    assert _job(engine, master_key, blobs, mailer, later).startswith("2 customer notices sent, 0 failed")
    assert _job(engine, master_key, blobs, mailer, later).startswith("0 customer notices sent")  # idempotent
    assert len(inbox.messages) == 2
    assert _actions(engine, "legal.notice.")[-2:] == ["legal.notice.sent", "legal.notice.sent"]


def test_a_civil_production_waits_the_objection_period_after_the_notice(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path,
        mail: tuple[Inbox, Mailer]) -> None:
    """Civil requests wait the policy's objection period (legal.notification.objection_days, 14 by default)
    after the customer notice before anything is produced, so the customer can move to quash."""
    inbox, mailer = mail
    _load(engine, keyring, blobs, tmp_path)
    classes = ["subscriber.basic"]
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(CIVIL, record_classes=classes),
                              channel="staff", actor="staff", now=NOW)
        service.approve(conn, keyring, spectrumvoip(), done.request_id, classes, rationale="subpoena",
                        actor="staff", now=NOW)
    request_id = done.request_id

    def produce(at: datetime) -> None:
        with transaction(engine) as conn:
            production.produce(conn, keyring, blobs, spectrumvoip(), request_id, custodian_name="Pat",
                               actor="staff", now=at)

    with pytest.raises(service.DeskRuleBroken, match="customer notice has not been sent yet"):
        produce(NOW)
    assert _send(engine, keyring, mailer, request_id=request_id)["sent"] == 1
    assert "We will not produce any records before 2026-03-16" in _body(inbox.messages[0])
    with pytest.raises(service.DeskRuleBroken, match="production may start on 2026-03-16"):
        produce(NOW + timedelta(days=13))
    produce(NOW + timedelta(days=14))


def test_governmental_compulsory_process_is_produced_without_waiting_for_the_notice(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """The objection period is for civil process only: 18 U.S.C. 2703(c)(3), a governmental entity 'is not
    required to provide notice to a subscriber or customer', and the provider must comply with the order."""
    request_id = _accepted(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn:
        service.approve(conn, keyring, spectrumvoip(), request_id, ["subscriber.basic"], rationale="order",
                        actor="staff", now=NOW)
        made = production.produce(conn, keyring, blobs, spectrumvoip(), request_id, custodian_name="Pat",
                                  actor="staff", now=NOW)
    assert made.accounts and _outcomes(engine)[0][0] == "pending"


def test_an_emergency_customer_is_told_after_the_disclosure_not_before(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path,
        mail: tuple[Inbox, Mailer]) -> None:
    """18 U.S.C. 2702(b)(8) permits an emergency disclosure with no prior notice: the customer is told after."""
    inbox, mailer = mail
    request_id = _accepted(engine, keyring, blobs, tmp_path, kind="emergency", instrument={"type": "emergency_form"},
                           record_classes=["cpni.call_log"], requested_response_on=None,
                           emergency={"basis": "hostage situation", "imminent_harm_attested": True})
    assert _outcomes(engine) == []
    with transaction(engine) as conn:
        service.record_callback(conn, keyring, request_id, who="Sgt. Lee", number="+1 972 555 0100", called_at=NOW,
                                passed=True, actor="staff", now=NOW)
        service.approve(conn, keyring, spectrumvoip(), request_id, ["cpni.call_log"], rationale="exigent",
                        actor="staff", now=NOW)
        production.produce(conn, keyring, blobs, spectrumvoip(), request_id, custodian_name="Pat", actor="staff",
                           now=NOW)
        assert deliver(conn, keyring, spectrumvoip(), request_id, actor="staff", now=NOW) == 2
    assert _send(engine, keyring, mailer, request_id=request_id)["sent"] == 2
    assert "emergency request" in _body(inbox.messages[0])


def test_a_nondisclosure_order_withholds_the_notice_until_it_expires_then_the_job_sends_it_once(
        engine: Engine, keyring: Keyring, master_key: bytes, blobs: LocalBlobStore, tmp_path: Path,
        mail: tuple[Inbox, Mailer]) -> None:
    """'When a Data Request is accompanied by a nondisclosure order, SpectrumVoIP will notify the affected
    customer(s) as soon as the order is overturned or expires.' (18 U.S.C. 2705(b))"""
    inbox, mailer = mail
    _accepted(engine, keyring, blobs, tmp_path, **ORDER_UNTIL)
    assert _outcomes(engine) == [("withheld", "accepted"), ("withheld", "accepted")]
    assert _job(engine, master_key, blobs, mailer, datetime(2026, 8, 31, 9, tzinfo=UTC)).startswith("0 customer")
    expiry = datetime(2026, 9, 1, 9, tzinfo=UTC)
    reports = [_job(engine, master_key, blobs, mailer, expiry) for _ in range(2)]
    assert reports == ["2 customer notices sent, 0 failed; 2 released by an ended nondisclosure order",
                       "0 customer notices sent, 0 failed; 0 released by an ended nondisclosure order"]
    assert len(inbox.messages) == 2
    assert "that order expired on 2026-09-01" in _body(inbox.messages[0])
    assert _outcomes(engine) == [("sent", "order_ended"), ("sent", "order_ended")]


def test_an_order_lifted_before_it_expires_releases_the_notice_which_says_so(
        engine: Engine, keyring: Keyring, master_key: bytes, blobs: LocalBlobStore, tmp_path: Path,
        mail: tuple[Inbox, Mailer]) -> None:
    """'... will notify the affected customer(s) as soon as the order is overturned or expires.'"""
    inbox, mailer = mail
    request_id = _accepted(engine, keyring, blobs, tmp_path, **ORDER_UNTIL)
    at = datetime(2026, 4, 11, 9, tzinfo=UTC)
    with transaction(engine) as conn:
        with pytest.raises(service.DeskRuleBroken, match="day still to come"):
            service.record_order_lifted(conn, keyring, request_id, date(2026, 4, 12), actor="staff", now=at)
        lifted = service.record_order_lifted(conn, keyring, request_id, date(2026, 4, 10), actor="staff", now=at)
        assert lifted.nondisclosure_lifted_on == date(2026, 4, 10)
        with pytest.raises(service.DeskRuleBroken, match="already recorded as lifted on 2026-04-10"):
            service.record_order_lifted(conn, keyring, request_id, date(2026, 4, 10), actor="staff", now=at)
    assert _job(engine, master_key, blobs, mailer, at).startswith("2 customer notices sent")
    assert _job(engine, master_key, blobs, mailer, at).startswith("0 customer notices sent")
    assert len(inbox.messages) == 2
    assert "that order was lifted on 2026-04-10" in _body(inbox.messages[0])
    assert _actions(engine, "legal.nondisclosure.") == ["legal.nondisclosure.lifted"]


def test_only_a_request_with_a_nondisclosure_order_can_have_it_lifted(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    """The desk records 'lifted on DATE' for an order that exists; a request without one has nothing to lift."""
    request_id = _accepted(engine, keyring, blobs, tmp_path)
    with transaction(engine) as conn, pytest.raises(service.DeskRuleBroken, match="no nondisclosure order"):
        service.record_order_lifted(conn, keyring, request_id, NOW.date(), actor="staff", now=NOW)
