"""The two requests about minors get a real fulfilment (issue 15 §3): removal of content a minor posted (Cal. Bus.
& Prof. Code 22581), the items picked by the agent and deleted through the customer-deletion path, and a parent's
report of a child's data (seed 002 P88), which marks the account as a child's, erases it at once and leaves the
rest to the retention engine's purge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.db.engine import transaction
from custodian.dsr import service
from custodian.dsr.fulfillers import Answered, Desk, answer
from custodian.dsr.minors import content_to_choose
from custodian.records.tables import account, content_item, person
from custodian.retention.executor import run_retention
from custodian.retention.hold_store import insert_hold
from custodian.retention.planner import schedule_of
from custodian.retention.tables import account_purge
from tests.builders.dsr import LINK_BASE, RECEIVED_AT, a_request
from tests.builders.legal import spectrumvoip
from tests.builders.records import an_account
from tests.builders.retention import add_content

NOW = RECEIVED_AT + timedelta(hours=2)
POSTED = RECEIVED_AT - timedelta(days=30)


def verified(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, request_type: str) -> str:
    receipt, token = a_request(engine, keyring, blobs, request_type=request_type, account_ref="ACC-0001",
                               details="the chat messages I sent last month")
    with transaction(engine) as conn:
        service.verify(conn, keyring, spectrumvoip(), token, now=RECEIVED_AT + timedelta(hours=1))
    return receipt.reference


def fulfilled(engine: Engine, keyring: Keyring, blobs: LocalBlobStore, reference: str,
              chosen: tuple[str, ...] = ()) -> Answered:
    with transaction(engine) as conn:
        return answer(conn, keyring, Desk(blobs, spectrumvoip(), LINK_BASE, chosen=chosen), reference,
                      actor="staff:dana", now=NOW)


def content_keys(engine: Engine, account_id: int) -> set[str]:
    with engine.connect() as conn:
        return {bytes(k).hex() for k in conn.execute(select(content_item.c.record_key)
                                                     .where(content_item.c.account_id == account_id)).scalars()}


def test_the_agent_picks_the_content_the_minor_identifies_and_only_that_is_removed(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        chat = add_content(conn, account_id, "content.chat", POSTED, keyring=keyring, body=b"posted at 15").hex()
        sms = add_content(conn, account_id, "content.sms_body", POSTED + timedelta(hours=1), keyring=keyring,
                          body=b"also mine").hex()
        voice = add_content(conn, account_id, "content.voice_message", POSTED, keyring=keyring, blobs=blobs,
                            body=b"RIFF a caller's message").hex()
    reference = verified(engine, keyring, blobs, "minor_content_removal")
    with transaction(engine) as conn:
        request = service.read(conn, keyring, reference, actor="staff:dana", now=NOW)
        offered = content_to_choose(conn, request, actor="staff:dana", now=NOW)
        assert {c.key for c in offered} == {chat, sms, voice}
        assert audit.search(conn, action="dsr.content_listed")[0].account_id == account_id  # an audited read
    reply = fulfilled(engine, keyring, blobs, reference, chosen=(chat, sms))
    assert content_keys(engine, account_id) == {voice}
    assert "Chat messages: removed" in reply.mail.body and "Text message contents: removed" in reply.mail.body
    assert "22581" in reply.mail.body and "reposted" in reply.mail.body
    assert "does not ensure that every copy of it is removed" in reply.mail.body


def test_minor_content_removal_needs_the_agents_pick_and_only_the_accounts_own_content(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    an_account(engine, keyring)
    other = an_account(engine, keyring, ref="ACC-0002", email="other@example.net")
    with transaction(engine) as conn:
        theirs = add_content(conn, other, "content.chat", POSTED, keyring=keyring, body=b"not yours").hex()
    reference = verified(engine, keyring, blobs, "minor_content_removal")
    with pytest.raises(service.StepNotAllowed, match="pick the content"):
        fulfilled(engine, keyring, blobs, reference)
    with pytest.raises(service.StepNotAllowed, match="not removable content of the matched account"):
        fulfilled(engine, keyring, blobs, reference, chosen=(theirs,))
    assert content_keys(engine, other) == {theirs}


def test_a_picked_item_under_a_legal_hold_stays_and_the_answer_names_no_hold(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        chat = add_content(conn, account_id, "content.chat", POSTED, keyring=keyring, body=b"held").hex()
        insert_hold(conn, account_id=account_id, classes=["content.chat"], window_start=None, window_end=None,
                    until=NOW + timedelta(days=90), reason="Sealed warrant 4410", source="legal",
                    actor="staff:counsel", now=RECEIVED_AT - timedelta(days=1))
    reply = fulfilled(engine, keyring, blobs, verified(engine, keyring, blobs, "minor_content_removal"),
                      chosen=(chat,))
    assert content_keys(engine, account_id) == {chat}
    assert "kept where the law requires" in reply.mail.body
    assert "warrant" not in reply.mail.body.lower() and "hold" not in reply.mail.body.lower()


def test_a_parents_report_marks_the_account_as_a_childs_and_erases_it(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    """Seed 002 P88: "If we become aware that we have collected personal information from children without
    verification of parental consent, we take steps to remove that information from our servers.\""""
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        add_content(conn, account_id, "content.chat", POSTED, keyring=keyring, body=b"a child's words")
    reply = fulfilled(engine, keyring, blobs, verified(engine, keyring, blobs, "child_data_report"))
    with engine.connect() as conn:
        marked = conn.execute(select(account.c.child_reported_at).where(account.c.id == account_id)).scalar()
        assert marked is not None
        assert conn.execute(select(func.count()).select_from(content_item)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(person)
                            .where(person.c.account_id == account_id)).scalar() == 0
        with pytest.raises(AccountShredded):
            keyring.cipher(conn, account_id)  # nothing kept: its key is destroyed
        assert [e.account_id for e in audit.search(conn, action="account.child_reported")] == [account_id]
    assert "Chat messages: 1 record deleted" in reply.mail.body and "a child's information" in reply.mail.body


def test_what_a_legal_hold_keeps_of_a_childs_account_the_retention_engine_purges_once_the_hold_ends(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        add_content(conn, account_id, "content.chat", POSTED, keyring=keyring, body=b"held words")
        insert_hold(conn, account_id=account_id, classes=["content.chat"], window_start=None, window_end=None,
                    until=NOW + timedelta(days=10), reason="Preservation letter 88", source="legal",
                    actor="staff:counsel", now=RECEIVED_AT - timedelta(days=1))
    reply = fulfilled(engine, keyring, blobs, verified(engine, keyring, blobs, "child_data_report"))
    assert "kept where the law requires" in reply.mail.body and "preservation" not in reply.mail.body.lower()
    policy = spectrumvoip()
    schedule = schedule_of(policy)
    run_retention(engine, keyring, blobs, schedule, policy_hash=policy.version_hash, now=NOW + timedelta(days=1),
                  actor="job:retention")
    with engine.connect() as conn:  # still held: kept
        assert conn.execute(select(func.count()).select_from(content_item)).scalar() == 1
    run_retention(engine, keyring, blobs, schedule, policy_hash=policy.version_hash, now=NOW + timedelta(days=11),
                  actor="job:retention")
    with engine.connect() as conn:  # the hold ended: the child's account is purged though it was never closed
        assert conn.execute(select(func.count()).select_from(content_item)).scalar() == 0
        purged = conn.execute(select(account_purge.c.purged_at).where(account_purge.c.account_id == account_id))
        assert purged.scalar() is not None
