"""Receiving, verifying, extending and denying data-subject requests (issue 15 §3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.dsr import service, store
from custodian.dsr.desk_key import DSR_OWNER, dsr_cipher
from custodian.dsr.tables import privacy_request, privacy_request_token
from tests.builders.dsr import A_PDF, RECEIVED_AT, a_form, a_request, pdf_base64
from tests.builders.legal import spectrumvoip
from tests.builders.records import CANARY_EMAIL, CANARY_NAME, an_account


def _state(engine: Engine, reference: str) -> tuple[str, int | None, int | None]:
    with engine.connect() as conn:
        row = conn.execute(select(privacy_request.c.state, privacy_request.c.account_id,
                                  privacy_request.c.matched_points)
                           .where(privacy_request.c.reference == reference)).one()
    return row.state, row.account_id, row.matched_points


def _verify(engine: Engine, keyring: Keyring, token: str, *, hours: int = 2) -> str:
    with transaction(engine) as conn:
        return service.verify(conn, keyring, spectrumvoip(), token, now=RECEIVED_AT + timedelta(hours=hours))


def test_a_request_is_stored_sealed_with_its_deadline_and_only_the_hash_of_its_token(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    receipt, token = a_request(engine, keyring, blobs)
    assert receipt.due_on == date(2026, 4, 16)  # 45 days in California
    with engine.connect() as conn:
        row = conn.execute(select(privacy_request)).one()
        hashes = list(conn.execute(select(privacy_request_token.c.token_hash)).scalars())
    assert CANARY_EMAIL.encode() not in row.details_enc and CANARY_NAME.encode() not in row.details_enc
    assert (row.state, row.extendable_to) == ("awaiting_verification", date(2026, 5, 31))
    assert hashes == [store.token_hash(token)] and token not in hashes
    assert receipt.mail[0].to == CANARY_EMAIL and "within 7 days" in receipt.mail[0].body


def test_the_verification_link_matches_the_requester_to_the_account_by_blind_index(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    account_id = an_account(engine, keyring)
    receipt, token = a_request(engine, keyring, blobs)
    assert _verify(engine, keyring, token) == receipt.reference
    assert _state(engine, receipt.reference) == ("in_progress", account_id, 2)  # e-mail, name + ZIP
    with engine.connect() as conn:
        reads = audit.search(conn, action="dsr.identity_matched")
    assert [event.account_id for event in reads] == [account_id]


def test_deletion_needs_more_matching_data_points_than_access_to_categories(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    an_account(engine, keyring)
    receipt, token = a_request(engine, keyring, blobs, request_type="deletion")
    _verify(engine, keyring, token)
    assert _state(engine, receipt.reference) == ("unverified", None, 2)  # deletion needs 3
    receipt, token = a_request(engine, keyring, blobs, request_type="deletion", phone="(512) 555-0100")
    _verify(engine, keyring, token)
    assert _state(engine, receipt.reference)[0::2] == ("in_progress", 3)


def test_a_requester_with_no_account_is_told_the_same_as_one_with_an_account(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    receipt, token = a_request(engine, keyring, blobs, email="nobody@nowhere.example")
    assert _verify(engine, keyring, token) == receipt.reference
    assert _state(engine, receipt.reference) == ("unverified", None, 0)


def test_a_link_works_once_and_not_after_seven_days(engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    _, token = a_request(engine, keyring, blobs)
    _verify(engine, keyring, token)
    with pytest.raises(service.LinkNotValid):
        _verify(engine, keyring, token)
    _, late = a_request(engine, keyring, blobs)
    with pytest.raises(service.LinkNotValid):
        _verify(engine, keyring, late, hours=7 * 24)


def test_an_agent_attaches_a_signed_authorization_kept_sealed(engine: Engine, keyring: Keyring,
                                                               blobs: LocalBlobStore) -> None:
    with pytest.raises(service.RequestRefused, match="signed authorization"):
        a_request(engine, keyring, blobs, agent_name="Agent Orange LLC")
    receipt, _ = a_request(engine, keyring, blobs, agent_name="Agent Orange LLC",
                           authorization_pdf_base64=pdf_base64())
    with transaction(engine) as conn:
        key = conn.execute(select(privacy_request.c.authorization_blob_key)).scalar_one()
        assert store.referenced_blob_keys(conn) == {key}
        assert blobs.read(dsr_cipher(conn, keyring), DSR_OWNER, key) == A_PDF
    assert A_PDF not in blobs._path(key).read_bytes()  # sealed at rest
    assert receipt.reference.startswith("PR-")


def test_a_correction_says_what_to_correct(engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    with pytest.raises(service.RequestRefused, match="what is wrong"):
        a_request(engine, keyring, blobs, request_type="correction")


def test_an_extension_is_given_once_inside_the_first_period_with_a_notice(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    receipt, _ = a_request(engine, keyring, blobs)
    with transaction(engine) as conn:
        mail = service.extend(conn, keyring, spectrumvoip(), receipt.reference, reason="The records are archived.",
                              actor="staff:dana", now=RECEIVED_AT, today=date(2026, 4, 16))
    assert "answer by 2026-05-31" in mail.body and "The records are archived." in mail.body
    with transaction(engine) as conn, pytest.raises(service.StepNotAllowed, match="once only"):
        service.extend(conn, keyring, spectrumvoip(), receipt.reference, reason="again", actor="staff:dana",
                       now=RECEIVED_AT, today=date(2026, 4, 20))


def test_no_extension_after_the_first_period_or_for_an_opt_out(engine: Engine, keyring: Keyring,
                                                               blobs: LocalBlobStore) -> None:
    late, _ = a_request(engine, keyring, blobs)
    opt_out, _ = a_request(engine, keyring, blobs, request_type="opt_out")
    with transaction(engine) as conn, pytest.raises(service.StepNotAllowed, match="first period ended 2026-04-16"):
        service.extend(conn, keyring, spectrumvoip(), late.reference, reason="late", actor="staff:dana",
                       now=RECEIVED_AT, today=date(2026, 4, 17))
    with transaction(engine) as conn, pytest.raises(service.StepNotAllowed, match="cannot be extended"):
        service.extend(conn, keyring, spectrumvoip(), opt_out.reference, reason="busy", actor="staff:dana",
                       now=RECEIVED_AT, today=date(2026, 3, 3))


def test_a_denial_gives_a_reason_of_the_fixed_list_without_naming_a_legal_request(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    receipt, _ = a_request(engine, keyring, blobs, request_type="deletion")
    with transaction(engine) as conn, pytest.raises(service.StepNotAllowed, match="unknown reason"):
        service.deny(conn, keyring, spectrumvoip(), receipt.reference, reason="subpoena 42", actor="staff:dana",
                     now=RECEIVED_AT)
    with transaction(engine) as conn:
        mail = service.deny(conn, keyring, spectrumvoip(), receipt.reference, reason="legal_obligation",
                            actor="staff:dana", now=RECEIVED_AT)
    assert "A legal obligation requires us to keep it." in mail.body
    assert "subpoena" not in mail.body.lower() and "legal request" not in mail.body.lower()
    assert _state(engine, receipt.reference)[0] == "denied"


def test_reading_a_request_for_staff_is_audited(engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    receipt, _ = a_request(engine, keyring, blobs)
    with transaction(engine) as conn:
        found = service.read(conn, keyring, receipt.reference, actor="staff:dana", now=RECEIVED_AT)
        events = audit.search(conn, action="dsr.request_read")
    assert found.details.email == CANARY_EMAIL
    assert [e.actor for e in events] == ["staff:dana"]


def test_the_form_model_refuses_an_unknown_type() -> None:
    with pytest.raises(ValueError):
        a_form(request_type="everything")


def test_the_queue_leaves_the_requesters_details_sealed(engine: Engine, keyring: Keyring,
                                                        blobs: LocalBlobStore) -> None:
    a_request(engine, keyring, blobs)
    with engine.connect() as conn:
        [listed] = service.queue(conn)
    assert listed.details == store.NOT_OPENED and listed.due_on == date(2026, 4, 16)
