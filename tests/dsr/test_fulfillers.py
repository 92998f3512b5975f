"""Fulfilling verified requests: an access or CPNI copy is a stored ZIP whose e-mailed link works for 7 days,
a deletion goes through the retention engine (held records kept, the key shredded when the whole account
goes), a correction is recorded for staff, and every answer tells the requester what was done and kept."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from custodian.consent import allowed
from custodian.consent import service as consent
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.db.engine import transaction
from custodian.dsr import service, store
from custodian.dsr.choices import sensitive_uses
from custodian.dsr.erasure import erase_account
from custodian.dsr.export_links import DOWNLOAD_PATH, expire_exports, exports_dir, open_download
from custodian.dsr.fulfillers import Answered, Desk, answer
from custodian.dsr.tables import privacy_request
from custodian.jobs.registry import JOBS
from custodian.policy.check import check_text
from custodian.policy.compiled import CompiledPolicy, compile_policy
from custodian.records.tables import person
from custodian.retention.hold_store import insert_hold
from custodian.runtime import Runtime
from tests.builders.dsr import LINK_BASE, RECEIVED_AT, a_request
from tests.builders.legal import spectrumvoip
from tests.builders.records import CANARY_EMAIL, an_account
from tests.builders.staff import SPECTRUMVOIP

NOW = RECEIVED_AT + timedelta(hours=2)


def fulfilled(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, request_type: str,
              **changes: str) -> tuple[int, Answered]:
    """Verify a request of `request_type` from the canary account's holder, then fulfil it."""
    account_id = an_account(engine, keyring)
    receipt, token = a_request(engine, keyring, blobs, request_type=request_type, account_ref="ACC-0001", **changes)
    with transaction(engine) as conn:
        service.verify(conn, keyring, spectrumvoip(), token, now=RECEIVED_AT + timedelta(hours=1))
    with transaction(engine) as conn:
        answered = answer(conn, keyring, Desk(blobs, spectrumvoip(), LINK_BASE), receipt.reference,
                          actor="staff:dana", now=NOW)
    return account_id, answered


def link_token(body: str) -> str:
    return body.split(LINK_BASE + DOWNLOAD_PATH, 1)[1].split()[0]


@pytest.mark.parametrize("request_type", ["access", "cpni_copy"])
def test_an_access_request_is_answered_with_a_link_to_the_stored_zip(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, request_type: str) -> None:
    _, answered = fulfilled(engine, keyring, blobs, request_type)
    with transaction(engine) as conn:
        path = open_download(conn, blobs, link_token(answered.mail.body), now=NOW + timedelta(days=6))
    assert path is not None and path.parent == exports_dir(blobs)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(path.read_bytes())).read("manifest.json"))
    assert manifest["account"] == "ACC-0001" and "7 days" in answered.mail.body
    assert answered.mail.to == CANARY_EMAIL


def test_the_link_stops_working_after_7_days_and_the_expiry_job_deletes_the_file_once(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    _, answered = fulfilled(engine, keyring, blobs, "access")
    token = link_token(answered.mail.body)
    later = NOW + timedelta(days=7)
    with transaction(engine) as conn:
        assert open_download(conn, blobs, token, now=later) is None
        assert expire_exports(conn, blobs, now=NOW + timedelta(days=6)) == 0
        assert expire_exports(conn, blobs, now=later) == 1
        assert expire_exports(conn, blobs, now=later) == 0
    assert list(exports_dir(blobs).iterdir()) == []


def test_an_unknown_token_opens_nothing(engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    fulfilled(engine, keyring, blobs, "access")
    with transaction(engine) as conn:
        assert open_download(conn, blobs, "not-a-real-token", now=NOW) is None


def test_deleting_the_whole_account_deletes_its_records_and_shreds_its_key(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    account_id, answered = fulfilled(engine, keyring, blobs, "deletion")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(person)
                            .where(person.c.account_id == account_id)).scalar() == 0
        with pytest.raises(AccountShredded):
            Keyring(keyring.master_key).cipher(conn, account_id)
    assert "key that protected your information is destroyed" in answered.mail.body
    assert "What we kept" not in answered.mail.body and answered.outcome.kept == []


def test_records_under_a_legal_hold_are_kept_and_the_answer_names_no_hold(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    account_id = an_account(engine, keyring, ref="ACC-HELD", email="held@example.net")
    with transaction(engine) as conn:
        insert_hold(conn, account_id=account_id, classes=["subscriber.basic"], window_start=None, window_end=None,
                    until=NOW + timedelta(days=90), reason="Sealed grand jury subpoena 7781", source="legal",
                    actor="staff:counsel", now=RECEIVED_AT - timedelta(days=1))
    receipt, token = a_request(engine, keyring, blobs, request_type="deletion", email="held@example.net",
                               account_ref="ACC-HELD")
    with transaction(engine) as conn:
        service.verify(conn, keyring, spectrumvoip(), token, now=RECEIVED_AT + timedelta(hours=1))
        answered = answer(conn, keyring, Desk(blobs, spectrumvoip(), LINK_BASE), receipt.reference,
                          actor="staff:dana", now=NOW)
    with engine.connect() as conn:
        kept = conn.execute(select(func.count()).select_from(person).where(person.c.account_id == account_id))
        assert kept.scalar() == 1
        keyring.cipher(conn, account_id)  # not shredded: the held records must stay readable
    assert "kept where the law requires" in answered.mail.body
    assert "subpoena" not in answered.mail.body.lower() and "hold" not in answered.mail.body.lower()


def test_a_correction_is_recorded_for_staff_and_the_answer_says_what_is_corrected(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    _, answered = fulfilled(engine, keyring, blobs, "correction", details="My street is 12 Elm Row, not 21")
    with engine.connect() as conn:
        request_id = conn.execute(select(privacy_request.c.id)).scalar_one()
        actions = [event.action for event in store.events(conn, request_id)]
    assert "correction_recorded" in actions and "fulfilled" in actions
    assert "12 Elm Row, not 21" in answered.mail.body


def test_classes_the_policy_keeps_after_closure_stay_and_the_key_with_them(
        engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        erased = erase_account(conn, keyring, account_id, kept_classes=frozenset({"subscriber.basic"}),
                               actor="staff:dana", now=NOW)
        assert conn.execute(select(func.count()).select_from(person)
                            .where(person.c.account_id == account_id)).scalar() == 1
        keyring.cipher(conn, account_id)
    assert erased.kept["subscriber.basic"] >= 1 and not erased.shredded


def test_a_deletion_also_deletes_the_accounts_stored_exports(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    _, access = fulfilled(engine, keyring, blobs, "access")
    receipt, token = a_request(engine, keyring, blobs, request_type="deletion", account_ref="ACC-0001")
    with transaction(engine) as conn:
        service.verify(conn, keyring, spectrumvoip(), token, now=RECEIVED_AT + timedelta(hours=1))
        answer(conn, keyring, Desk(blobs, spectrumvoip(), LINK_BASE), receipt.reference, actor="staff:dana", now=NOW)
        assert open_download(conn, blobs, link_token(access.mail.body), now=NOW) is None
    assert list(exports_dir(blobs).iterdir()) == []


def test_the_export_expiry_job_runs_from_the_registry(engine: Engine, keyring: Keyring, blobs: LocalBlobStore,
                                                      master_key: bytes) -> None:
    fulfilled(engine, keyring, blobs, "access")
    runtime = Runtime(engine=engine, master_key=master_key, blobs=blobs)
    assert JOBS["export-expiry"](runtime, NOW + timedelta(days=8)) == "1 expired export files deleted"
    assert JOBS["export-expiry"](runtime, NOW + timedelta(days=9)) == "0 expired export files deleted"


def test_an_opt_out_of_sale_or_sharing_is_recorded_in_the_consent_ledger_and_obeyed(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    """Cal. Civ. Code 1798.120(a): a consumer "shall have the right, at any time, to direct a business that sells
    or shares personal information about the consumer to third parties not to sell or share". The choice goes
    into the ledger, so every later use that asks `consent.allowed` obeys it."""
    account_id, answered = fulfilled(engine, keyring, blobs, "opt_out")
    with engine.connect() as conn:
        [entry] = consent.history(conn, account_id)
        snapshot = consent.load_snapshot(conn, spectrumvoip(), NOW)
    assert (entry.purpose, entry.choice, entry.channel) == ("targeted_advertising", "denied", "privacy_request")
    assert allowed(snapshot, account_id, "targeted_advertising", NOW).basis == "opted out"
    assert "We no longer use your information for: Advertising cookies" in answered.mail.body


def test_limiting_sensitive_information_leaves_the_services_the_customer_asked_for(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    """Cal. Civ. Code 1798.121(a): the consumer may limit the use of sensitive personal information "to that
    use which is necessary to perform the services ... reasonably expected". SpectrumVoIP uses content only for
    the service (call recording and transcription the customer turned on), so nothing is stopped - and the
    answer says so."""
    account_id, answered = fulfilled(engine, keyring, blobs, "limit_sensitive")
    with engine.connect() as conn:
        assert consent.history(conn, account_id) == []
    assert "only to provide the service" in answered.mail.body
    with_marketing = policy_with_sensitive_marketing()
    assert sensitive_uses(with_marketing) == ["voice_marketing"]


def policy_with_sensitive_marketing() -> CompiledPolicy:
    """SpectrumVoIP's policy with an opt-in marketing use of voice messages."""
    text = SPECTRUMVOIP.read_text(encoding="utf-8").replace("staff:\n  topics:", """  voice_marketing:
    data_use: marketing.communications
    choice: opt_in
    classes: [content.voice_message]
    description: Suggest products from what callers say in voice messages.
staff:
  topics:""", 1)
    return compile_policy(check_text(text).document, text)  # type: ignore[arg-type]
