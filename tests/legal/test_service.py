"""The desk's use cases on a real store: intake, routing, verification, scoping and review, each audited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select

from custodian.audit.tables import audit_event
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.envelope import FieldCipher
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.legal import service
from custodian.legal.desk_key import DESK_OWNER, desk_cipher
from custodian.legal.lifecycle import TransitionNotAllowed
from custodian.legal.tables import legal_request
from custodian.records import store as records
from tests.builders.files import NUMBERS_HEADER, csv_file, number_line
from tests.builders.legal import CIVIL, a_request, spectrumvoip
from tests.builders.records import an_account

NOW = datetime(2026, 3, 2, 15, tzinfo=UTC)


def _submit(engine: Engine, keyring: Keyring, **changes: object) -> service.Submitted:
    with transaction(engine) as conn:
        return service.submit(conn, keyring, spectrumvoip(), a_request(**changes), channel="staff",
                              actor="staff:ana", now=NOW)


def test_a_valid_request_goes_to_review_and_its_document_is_stored_sealed(engine: Engine, keyring: Keyring) -> None:
    done = _submit(engine, keyring)
    assert done.state == "in_review" and done.problems == ()
    assert done.tracking_number.startswith("LR-2026-") and len(done.secret) >= 24
    with transaction(engine) as conn:
        row = conn.execute(select(legal_request)).one()
        stored = service.by_tracking(conn, keyring, done.tracking_number, done.secret)
        actions = list(conn.execute(select(audit_event.c.action).order_by(audit_event.c.seq)).scalars())
    assert b"Plano" not in row.document_enc and row.secret_hash != done.secret
    assert stored.document.requester.agency == "Plano Police Department"
    assert str(stored.due_on) == "2026-03-20" and str(stored.inquiry_on) == "2026-03-16"
    assert actions[-2:] == ["legal.request.received", "legal.request.in_review"]


def test_a_wrong_secret_reveals_nothing(engine: Engine, keyring: Keyring) -> None:
    done = _submit(engine, keyring)
    with transaction(engine) as conn, pytest.raises(service.RequestNotFound):
        service.by_tracking(conn, keyring, done.tracking_number, "guess")


def test_a_deficient_request_needs_information_with_a_letter_listing_the_problems(
        engine: Engine, keyring: Keyring) -> None:
    done = _submit(engine, keyring, requester__badge_number="", targets=[])
    assert done.state == "needs_information"
    with transaction(engine) as conn:
        stored = service.get(conn, keyring, done.request_id)
        letter = service.letter_for(stored, spectrumvoip())
        fixed = service.amend(conn, keyring, spectrumvoip(), done.request_id, a_request(), actor="staff:ana", now=NOW)
    assert "requester.badge_number" in letter and "[target_missing]" in letter and done.tracking_number in letter
    assert fixed.state == "in_review" and fixed.problems == ()


def test_the_signed_instrument_is_stored_encrypted(engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    pdf = b"%PDF-1.4 signed subpoena"
    with transaction(engine) as conn:
        done = service.submit(conn, keyring, spectrumvoip(), a_request(), channel="portal", actor="requester",
                              now=NOW, blobs=blobs, instrument_pdf=pdf)
        key = service.get(conn, keyring, done.request_id).instrument_blob_key
        assert key is not None
        assert blobs.read(desk_cipher(conn, keyring), DESK_OWNER, key) == pdf
    assert pdf not in b"".join(p.read_bytes() for p in blobs.root.rglob("*") if p.is_file())
    with transaction(engine) as conn, pytest.raises(service.DeskRuleBroken):
        service.submit(conn, keyring, spectrumvoip(), a_request(), channel="portal", actor="requester", now=NOW,
                       blobs=blobs, instrument_pdf=b"MZ not a pdf")


def test_review_cannot_approve_a_class_the_instrument_does_not_reach(engine: Engine, keyring: Keyring) -> None:
    done = _submit(engine, keyring, instrument={"type": "subpoena", "jurisdiction": "US-TX"},
                   record_classes=["subscriber.basic", "cpni.call_log"])
    assert done.state == "needs_information"  # the call log is beyond a subpoena
    with transaction(engine) as conn:
        service.amend(conn, keyring, spectrumvoip(), done.request_id,
                      a_request(instrument={"type": "subpoena", "jurisdiction": "US-TX"},
                                record_classes=["subscriber.basic"]), actor="staff:ana", now=NOW)
    with transaction(engine) as conn, pytest.raises(service.DeskRuleBroken, match="not requested"):
        service.approve(conn, keyring, spectrumvoip(), done.request_id, ["cpni.call_log"], rationale="x",
                        actor="staff:ana", now=NOW)
    partly = _submit(engine, keyring, record_classes=["subscriber.basic", "cpni.call_log", "content.sms_body"],
                     instrument={"type": "court_order_2703d", "jurisdiction": "US-TX"})
    with transaction(engine) as conn:  # the desk decides to review what the order does reach
        service.transition(conn, partly.request_id, keyring, "in_review", actor="staff:ana",
                           reason="proceed on the classes the order reaches", now=NOW)
    with transaction(engine) as conn, pytest.raises(service.DeskRuleBroken, match="search_warrant"):
        service.approve(conn, keyring, spectrumvoip(), partly.request_id, ["content.sms_body"], rationale="x",
                        actor="staff:ana", now=NOW)
    with transaction(engine) as conn:
        approved = service.approve(conn, keyring, spectrumvoip(), partly.request_id,
                                   ["subscriber.basic", "cpni.call_log"], rationale="2703(d)", actor="staff:ana",
                                   now=NOW)
    assert approved.state == "approved"


def test_an_approval_records_classes_and_rationale_and_is_audited(engine: Engine, keyring: Keyring) -> None:
    done = _submit(engine, keyring)
    with transaction(engine) as conn:
        with pytest.raises(service.DeskRuleBroken, match="rationale"):
            service.approve(conn, keyring, spectrumvoip(), done.request_id, ["subscriber.basic"], rationale=" ",
                            actor="staff:ana", now=NOW)
        approved = service.approve(conn, keyring, spectrumvoip(), done.request_id,
                                   ["subscriber.basic", "cpni.call_log"], rationale="2703(d) order reviewed",
                                   actor="staff:ana", now=NOW)
        event = conn.execute(select(audit_event).order_by(audit_event.c.seq.desc()).limit(1)).one()
    assert approved.state == "approved"
    assert event.action == "legal.request.approved" and event.reason == "2703(d) order reviewed"


def test_a_civil_request_cannot_have_call_logs_approved(engine: Engine, keyring: Keyring) -> None:
    with transaction(engine) as conn:
        done = service.submit(conn, keyring, spectrumvoip(), a_request(CIVIL), channel="staff", actor="staff",
                              now=NOW)
        assert done.state == "in_review"
        with pytest.raises(service.DeskRuleBroken):
            service.approve(conn, keyring, spectrumvoip(), done.request_id, ["cpni.call_log"], rationale="r",
                            actor="staff", now=NOW)


def test_closed_requests_cannot_be_reopened(engine: Engine, keyring: Keyring) -> None:
    done = _submit(engine, keyring)
    with transaction(engine) as conn:
        service.transition(conn, done.request_id, keyring, "withdrawn", actor="staff", reason="requester withdrew",
                           now=NOW)
        with pytest.raises(TransitionNotAllowed):
            service.transition(conn, done.request_id, keyring, "in_review", actor="staff", reason="", now=NOW)


def test_scoping_keeps_each_holder_of_the_number_with_its_window(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: object) -> None:
    from pathlib import Path

    from custodian.ingest.registry import lookup
    from custodian.ingest.runner import run_import

    first = an_account(engine, keyring, ref="ACC-1")
    second = an_account(engine, keyring, ref="ACC-2", email="other@example.com")
    path = csv_file(Path(str(tmp_path)) / "n.csv", NUMBERS_HEADER, [
        number_line("+15125550100", "ACC-1", "2025-01-01", "2026-01-15"),
        number_line("+15125550100", "ACC-2", "2026-01-15")])
    run_import(engine, keyring, blobs, lookup("numbers"), path, actor="test")
    done = _submit(engine, keyring)
    with transaction(engine) as conn:
        service.scope(conn, keyring, done.request_id, actor="staff", now=NOW)
        from custodian.legal import store

        matches = store.matches_of(conn, done.request_id)
        assert records.account_id_by_ref(conn, "ACC-1") == first
    assert [(m.account_id, m.window.first_day().isoformat(), m.window.last_day().isoformat()) for m in matches] == [
        (first, "2026-01-01", "2026-01-14"), (second, "2026-01-15", "2026-02-28")]


def test_account_and_email_targets_resolve_through_the_store_for_the_whole_window(
        engine: Engine, keyring: Keyring) -> None:
    from custodian.legal.scope import Window
    from custodian.legal.targets import scope_targets
    from custodian.legal.types import Target
    from tests.builders.records import CANARY_EMAIL

    by_ref = an_account(engine, keyring, ref="ACC-7")
    by_email = an_account(engine, keyring, ref="ACC-8", email="Holder@Example.com")
    window = Window.of_days(NOW.date().replace(day=1), NOW.date())
    with transaction(engine) as conn:
        matches = scope_targets(conn, keyring, [Target(account_ref="ACC-7"), Target(email="holder@example.com"),
                                                Target(account_ref="ACC-404"), Target(email=CANARY_EMAIL)], window)
    assert [(m.account_id, m.window) for m in matches] == [(by_ref, window), (by_email, window)]


def test_the_email_domain_check_is_recorded_as_a_verification(engine: Engine, keyring: Keyring) -> None:
    from custodian.legal.tables import legal_verification

    _submit(engine, keyring)
    _submit(engine, keyring, requester__email="agent@gmail.com")
    with transaction(engine) as conn:
        rows = conn.execute(select(legal_verification.c.method, legal_verification.c.passed)
                            .order_by(legal_verification.c.id)).all()
    assert [tuple(r) for r in rows] == [("email_domain", True), ("email_domain", False)]


def test_the_blob_sweep_spares_the_desk_blobs(engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    from datetime import timedelta

    from custodian.jobs.registry import sweep_blobs
    from custodian.runtime import Runtime

    with transaction(engine) as conn:
        done = service.submit(conn, keyring, spectrumvoip(), a_request(), channel="portal", actor="requester",
                              now=NOW, blobs=blobs, instrument_pdf=b"%PDF-1.4 order")
    stray, _, _ = blobs.put(desk_cipher_for(engine, keyring), DESK_OWNER, [b"left by a failed upload"])
    sweep_blobs(Runtime(engine, keyring.master_key, blobs), datetime.now(UTC) + timedelta(hours=2))
    with transaction(engine) as conn:
        key = service.get(conn, keyring, done.request_id).instrument_blob_key
        assert key is not None and blobs.read(desk_cipher(conn, keyring), DESK_OWNER, key).startswith(b"%PDF")
    assert not any(path.name == stray for path in blobs.root.rglob("*"))


def desk_cipher_for(engine: Engine, keyring: Keyring) -> FieldCipher:
    with transaction(engine) as conn:
        return desk_cipher(conn, keyring)
