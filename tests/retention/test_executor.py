"""A retention run deletes exactly the plan: rows and blobs together, held records kept, a receipt."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.db.engine import transaction
from custodian.records import credentials
from custodian.records.tables import account, account_credential, call_log, content_item, person
from custodian.retention import hold_service
from custodian.retention.executor import run_retention
from custodian.retention.planner import build_plan
from custodian.retention.service import receipts
from custodian.retention.tables import retention_floor
from tests.builders.records import an_account
from tests.builders.retention import add_call, add_content, spectrumvoip_schedule

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _run(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, batch: int = 3) -> int:
    result = run_retention(engine, Keyring(keyring.master_key), blobs, spectrumvoip_schedule(), policy_hash="t",
                           now=NOW, actor="test", batch=batch)
    return result.deleted


def _keys(engine: Engine) -> set[bytes]:
    with engine.connect() as conn:
        return set(conn.execute(select(content_item.c.record_key)).scalars())


def test_a_run_deletes_rows_and_their_blobs_and_nothing_else(engine: Engine, keyring: Keyring,
                                                              blobs: LocalBlobStore) -> None:
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        old = [add_content(conn, acc, "content.call_recording", NOW - timedelta(days=91 + i), keyring=keyring,
                           blobs=blobs, body=b"old recording") for i in range(7)]
        young = add_content(conn, acc, "content.call_recording", NOW - timedelta(days=10), keyring=keyring,
                            blobs=blobs, body=b"young recording")
    with engine.connect() as conn:
        planned = build_plan(conn, spectrumvoip_schedule(), NOW).deletions
    assert _run(engine, keyring, blobs) == planned["content.call_recording"] == 7
    assert _keys(engine) == {young}
    assert not set(old) & _keys(engine)
    assert [key for key, _ in blobs.stored()] == _blob_keys(engine)


def test_held_records_survive_a_run_until_the_hold_ends(engine: Engine, keyring: Keyring,
                                                        blobs: LocalBlobStore) -> None:
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        kept = add_content(conn, acc, "content.fax_sent", NOW - timedelta(days=40))
        add_content(conn, acc, "content.fax_outgoing", NOW - timedelta(days=40))
        hold_service.place_hold(conn, account_id=acc, until=NOW + timedelta(days=1), reason="preservation",
                                source="cli", actor="t", now=NOW - timedelta(days=2), classes=["content.fax_sent"])
    assert _run(engine, keyring, blobs) == 1
    assert _keys(engine) == {kept}


def test_each_run_writes_a_receipt_with_counts_per_class_per_account(engine: Engine, keyring: Keyring,
                                                                     blobs: LocalBlobStore) -> None:
    one = an_account(engine, keyring, ref="A-1")
    two = an_account(engine, keyring, ref="A-2", profile="hipaa")
    with transaction(engine) as conn:
        add_content(conn, one, "content.fax_sent", NOW - timedelta(days=40))
        add_content(conn, two, "content.sms_body", NOW - timedelta(days=1))
        add_content(conn, two, "content.voice_message", NOW - timedelta(days=31))
    _run(engine, keyring, blobs)
    with engine.connect() as conn:
        [receipt] = receipts(conn)
        assert audit.verify(conn) is None
    assert receipt.accounts == {str(one): {"content.fax_sent": 1},
                                str(two): {"content.sms_body": 1, "content.voice_message": 1}}
    assert receipt.deleted == {"content.fax_sent": 1, "content.sms_body": 1, "content.voice_message": 1}


def test_a_second_run_at_the_same_time_deletes_nothing_more(engine: Engine, keyring: Keyring,
                                                            blobs: LocalBlobStore) -> None:
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        for i in range(5):
            add_content(conn, acc, "content.fax_sent", NOW - timedelta(days=40 + i))
    assert _run(engine, keyring, blobs) == 5
    assert _run(engine, keyring, blobs) == 0


def test_a_run_raises_the_floor_importers_consult(engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    acc = an_account(engine, keyring)
    newest_gone = NOW - timedelta(days=31)
    with transaction(engine) as conn:
        add_content(conn, acc, "content.fax_sent", newest_gone)
        add_content(conn, acc, "content.fax_sent", NOW - timedelta(days=50))
    _run(engine, keyring, blobs)
    with engine.connect() as conn:
        assert conn.execute(select(retention_floor.c.deleted_through)).scalar_one() == newest_gone


def test_a_closure_purge_shreds_the_key_then_deletes_every_record(engine: Engine, keyring: Keyring,
                                                                  blobs: LocalBlobStore) -> None:
    """"Upon termination, services on the account will be discontinued and all files will be removed from our
    servers without further notice." — purge 30 days after closure."""
    acc = an_account(engine, keyring)
    other = an_account(engine, keyring, ref="ACC-2")
    with transaction(engine) as conn:
        add_content(conn, acc, "content.voice_message", NOW - timedelta(days=35), keyring=keyring, blobs=blobs,
                    body=b"voicemail")
        add_call(conn, acc, NOW - timedelta(days=35))
        add_call(conn, other, NOW - timedelta(days=35))
        for owner in (acc, other):
            credentials.store_secret(conn, keyring, owner, "secret_question", "the quill", question="Which river?",
                                     by="rita", now=NOW - timedelta(days=40))
        conn.execute(update(account).where(account.c.id == acc).values(status="closed", closed_on=date(2026, 5, 1)))
    _run(engine, keyring, blobs)
    with engine.connect() as conn:
        with pytest.raises(AccountShredded):
            Keyring(keyring.master_key).cipher(conn, acc)
        assert conn.execute(select(call_log.c.account_id)).scalars().all() == [other]
        assert conn.execute(select(person.c.account_id)).scalars().all() == [other]
        assert conn.execute(select(account_credential.c.account_id)).scalars().all() == [other]
        ref, status = conn.execute(select(account.c.ref, account.c.status).where(account.c.id == acc)).one()
        assert (ref.startswith("deidentified-"), status) == (True, "closed")  # a shell under a pseudonym
    assert list(blobs.stored()) == []


def _blob_keys(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(content_item.c.blob_key).where(content_item.c.blob_key.is_not(None)))
                      .scalars())


def test_a_count_cap_breaks_ties_in_time_by_id_keeping_the_higher(engine: Engine, keyring: Keyring,
                                                                   blobs: LocalBlobStore) -> None:
    """Keep the newest 200 "then begin deleting oldest": three messages at the same second straddle the cap."""
    acc = an_account(engine, keyring)
    tied_at = NOW - timedelta(days=10)
    with transaction(engine) as conn:
        for i in range(199):
            add_content(conn, acc, "content.voice_message", NOW - timedelta(hours=i + 1))
        tied = [add_content(conn, acc, "content.fax_incoming", tied_at, key=bytes([n]) * 16) for n in (3, 1, 2)]
    with engine.connect() as conn:
        assert build_plan(conn, spectrumvoip_schedule(), NOW).deletions == {"content.fax_incoming": 2}
    _run(engine, keyring, blobs)
    survivors = _keys(engine)
    assert len(survivors) == 200
    assert set(tied) & survivors == {bytes([3]) * 16}
