"""Customer deletion of a voice message, SMS or fax: immediate and final, unless a hold keeps it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.records.tables import content_item
from custodian.retention import hold_service
from custodian.retention.customer_deletion import RecordNotFound, delete_for_customer
from custodian.retention.executor import flush_blobs, run_retention
from tests.builders.records import an_account
from tests.builders.retention import add_content, spectrumvoip_schedule

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _keys(engine: Engine) -> set[bytes]:
    with engine.connect() as conn:
        return set(conn.execute(select(content_item.c.record_key)).scalars())


def test_a_deleted_voice_message_and_its_file_are_gone_at_once(engine: Engine, keyring: Keyring,
                                                               blobs: LocalBlobStore) -> None:
    """"customers have the ability to delete numerous types of data for their accounts, such as voicemails,
    SMS's, and faxes"."""
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        gone = add_content(conn, acc, "content.voice_message", NOW - timedelta(days=1), keyring=keyring,
                           blobs=blobs, body=b"voicemail")
        kept = add_content(conn, acc, "content.voice_message", NOW - timedelta(days=2), keyring=keyring,
                           blobs=blobs, body=b"other")
    with transaction(engine) as conn:
        outcome = delete_for_customer(conn, account_id=acc, record_key=gone, actor="customer:1", now=NOW)
    flush_blobs(engine, blobs)
    assert outcome.outcome == "deleted"
    assert _keys(engine) == {kept}
    assert len(list(blobs.stored())) == 1
    with engine.connect() as conn:
        assert audit.events_for_account(conn, acc)[0].action == "record.delete"


def test_a_held_message_stays_until_the_hold_ends_then_the_next_run_deletes_it(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    acc = an_account(engine, keyring)
    with transaction(engine) as conn:
        key = add_content(conn, acc, "content.sms_body", NOW - timedelta(days=1))
        hold = hold_service.place_hold(conn, account_id=acc, until=NOW + timedelta(days=90), reason="2703(f)",
                                       source="cli", actor="t", now=NOW - timedelta(hours=1))
    with transaction(engine) as conn:
        assert delete_for_customer(conn, account_id=acc, record_key=key, actor="c", now=NOW).outcome == "held"
    run_retention(engine, keyring, blobs, spectrumvoip_schedule(), policy_hash="t", now=NOW, actor="t")
    assert _keys(engine) == {key}
    later = NOW + timedelta(days=1)
    with transaction(engine) as conn:
        hold_service.release_hold(conn, hold.id, actor="t", reason="withdrawn", now=later)
    run_retention(engine, keyring, blobs, spectrumvoip_schedule(), policy_hash="t", now=later, actor="t")
    assert _keys(engine) == set()


def test_only_messages_and_faxes_of_the_customers_own_account_can_be_deleted(
        engine: Engine, keyring: Keyring) -> None:
    mine, theirs = an_account(engine, keyring), an_account(engine, keyring, ref="OTHER")
    with transaction(engine) as conn:
        recording = add_content(conn, mine, "content.call_recording", NOW)
        other = add_content(conn, theirs, "content.voice_message", NOW)
    for key in (recording, other):
        with transaction(engine) as conn, pytest.raises(RecordNotFound):
            delete_for_customer(conn, account_id=mine, record_key=key, actor="c", now=NOW)
