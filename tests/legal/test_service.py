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
from custodian.legal import service, submission
from custodian.legal.desk_key import DESK_OWNER, desk_cipher
from custodian.legal.letters import letter_text
from custodian.legal.lifecycle import TransitionNotAllowed
from custodian.legal.tables import legal_request
from custodian.records import store as records
from tests.builders.files import NUMBERS_HEADER, csv_file, number_line
from tests.builders.legal import CIVIL, a_request, spectrumvoip
from tests.builders.records import an_account

NOW = datetime(2026, 3, 2, 15, tzinfo=UTC)


def _submit(engine: Engine, keyring: Keyring, **changes: object) -> submission.Submitted:
    with transaction(engine) as conn:
        return submission.submit(conn, keyring, spectrumvoip(), a_request(**changes), channel="staff",
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
    # accepted for review, its targets are resolved at once so the customers named can be told (DRG VIII)
    assert actions[-3:] == ["legal.request.received", "legal.request.in_review", "legal.request.scoped"]


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
        letter = letter_text(service.letter_for(stored, spectrumvoip(), NOW.date()))
        fixed = submission.amend(conn, keyring, spectrumvoip(), done.request_id, a_request(), actor="staff:ana",
                                 now=NOW)
    assert "Badge / identification number is missing" in letter and done.tracking_number in letter
    assert "target_missing" not in letter and "requester." not in letter
    assert fixed.state == "in_review" and fixed.problems == ()


def test_the_signed_instrument_is_stored_encrypted(engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    pdf = b"%PDF-1.4 signed subpoena"
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(), channel="portal", actor="requester",
                              now=NOW, blobs=blobs, instrument_pdf=pdf)
        key = service.get(conn, keyring, done.request_id).instrument_blob_key
        assert key is not None
        assert blobs.read(desk_cipher(conn, keyring), DESK_OWNER, key) == pdf
    assert pdf not in b"".join(p.read_bytes() for p in blobs.root.rglob("*") if p.is_file())
    with transaction(engine) as conn, pytest.raises(service.DeskRuleBroken):
        submission.submit(conn, keyring, spectrumvoip(), a_request(), channel="portal", actor="requester", now=NOW,
                       blobs=blobs, instrument_pdf=b"MZ not a pdf")


def test_review_cannot_approve_a_class_the_instrument_does_not_reach(engine: Engine, keyring: Keyring) -> None:
    done = _submit(engine, keyring, instrument={"type": "subpoena", "jurisdiction": "US-TX"},
                   record_classes=["subscriber.basic", "support.comment_log"])
    assert done.state == "needs_information"  # the comment log is beyond a subpoena
    with transaction(engine) as conn:
        submission.amend(conn, keyring, spectrumvoip(), done.request_id,
                      a_request(instrument={"type": "subpoena", "jurisdiction": "US-TX"},
                                record_classes=["subscriber.basic"]), actor="staff:ana", now=NOW)
    with transaction(engine) as conn, pytest.raises(service.DeskRuleBroken, match="not requested"):
        service.approve(conn, keyring, spectrumvoip(), done.request_id, ["support.comment_log"], rationale="x",
                        actor="staff:ana", now=NOW)
    partly = _submit(engine, keyring, record_classes=["subscriber.basic", "cpni.call_log", "content.sms_body"],
                     instrument__type="court_order_2703d")
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
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(CIVIL), channel="staff", actor="staff",
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
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(), channel="portal", actor="requester",
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


def test_a_paper_receipt_date_is_recorded_with_its_reason_in_the_audit_trail(engine: Engine, keyring: Keyring) -> None:
    """Staff may date a request to the day the mail arrived, never silently: the reason is audited."""
    paper = submission.PaperReceipt(datetime(2026, 2, 27).date(), "postmarked Feb 26, opened Feb 27")
    with transaction(engine) as conn:
        done = submission.submit(conn, keyring, spectrumvoip(), a_request(received_on=None), channel="mail",
                              actor="staff:ana", now=NOW, paper=paper)
        stored = service.get(conn, keyring, done.request_id)
        event = conn.execute(select(audit_event.c.actor, audit_event.c.reason).where(
            audit_event.c.action == "legal.request.receipt_dated")).one()
    assert stored.received_on == paper.received_on and stored.document.received_on == paper.received_on
    assert tuple(event) == ("staff:ana", "postmarked Feb 26, opened Feb 27")


def test_a_paper_receipt_date_needs_a_reason_and_cannot_be_in_the_future(engine: Engine, keyring: Keyring) -> None:
    for paper, refusal in ((submission.PaperReceipt(NOW.date(), " "), "say why"),
                           (submission.PaperReceipt(datetime(2026, 3, 3).date(), "typo"), "future")):
        with pytest.raises(service.DeskRuleBroken, match=refusal), transaction(engine) as conn:
            submission.submit(conn, keyring, spectrumvoip(), a_request(received_on=None), channel="mail",
                           actor="staff:ana", now=NOW, paper=paper)
    with engine.connect() as conn:
        assert conn.execute(select(legal_request.c.id)).first() is None


def test_public_intake_refuses_a_sent_receipt_date_and_names_each_missing_field() -> None:
    """DRG V: 'cannot reasonably consider a Data Request unless it includes at least the following information'."""
    sent = submission.intake_errors(a_request(), spectrumvoip(), NOW)
    assert [e.field for e in sent] == ["received_on"]
    lacking = submission.intake_errors(a_request(received_on=None, requester__agency="", date_range=None),
                                       spectrumvoip(),
                                    NOW)
    assert [(e.field, e.message) for e in lacking] == [
        ("requester.agency", "Requesting agency is missing"), ("date_range", "Date range of the records is missing")]
    assert submission.intake_errors(a_request(received_on=None, requester__email="a@gmail.com"), spectrumvoip(),
                                    NOW) == []


def test_a_customers_own_request_is_routed_and_never_stored_on_the_desk(engine: Engine, keyring: Keyring) -> None:
    """47 U.S.C. 222(c)(2): CPNI is disclosed "upon affirmative written request by the customer"; that request
    goes to the customer data-request process and the legal desk never produces it."""
    with transaction(engine) as conn, pytest.raises(submission.CustomerRequestRouted, match="privacy@spectrumvoip"):
        submission.submit(conn, keyring, spectrumvoip(), a_request(requester={"type": "customer", "email": "me@x.io"}),
                       channel="api", actor="requester:api", now=NOW)
    with transaction(engine) as conn:
        assert conn.execute(select(legal_request.c.id)).first() is None


def test_a_national_security_letter_is_stored_gagged_without_expiry(engine: Engine, keyring: Keyring) -> None:
    """18 U.S.C. 2709(c)(1): the provider shall not disclose "that the Federal Bureau of Investigation has
    sought or obtained access to information or records"."""
    done = _submit(engine, keyring, instrument={"type": "national_security_letter"},
                   record_classes=["subscriber.basic", "cpni.call_log"])
    assert done.state == "in_review", done.problems
    with transaction(engine) as conn:
        row = conn.execute(select(legal_request)).one()
    assert row.nondisclosure is True and row.nondisclosure_until is None


def test_review_refuses_what_validation_refuses_for_government_only_rules(engine: Engine, keyring: Keyring) -> None:
    """2703(f): preservation "upon the request of a governmental entity"; a civil preservation request taken
    into review anyway still cannot be approved."""
    with transaction(engine) as conn:
        civil = submission.submit(conn, keyring, spectrumvoip(), a_request(CIVIL, kind="preservation", instrument=None),
                               channel="staff", actor="staff:ana", now=NOW)
    assert [p.code for p in civil.problems] == ["preservation_requires_government"]
    with transaction(engine) as conn:
        service.transition(conn, civil.request_id, keyring, "in_review", actor="staff:ana", reason="try", now=NOW)
    with transaction(engine) as conn, pytest.raises(service.DeskRuleBroken, match="governmental entity"):
        service.approve(conn, keyring, spectrumvoip(), civil.request_id, ["subscriber.basic"], rationale="x",
                        actor="staff:ana", now=NOW)
