"""Live store figures are counted by SQL on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, insert
from tests.builders.records import an_account

from custodian.audit import store as audit_store
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.db.partitions import ensure_partition
from custodian.ingest.tables import import_run
from custodian.records.figures import store_figures
from custodian.records.tables import (
    billing_transaction,
    call_log,
    comment_log,
    content_item,
    fax_log,
    number_assignment,
    sms_log,
)

MAY = datetime(2025, 5, 3, 14, 30, tzinfo=UTC)
JUNE = datetime(2025, 6, 9, 8, 15, tzinfo=UTC)


def _key(n: int) -> bytes:
    return n.to_bytes(16, "big")


def _add_calls(conn: Connection, account_id: int, *times: datetime) -> None:
    for n, at in enumerate(times):
        ensure_partition(conn, "call_log", at)
        conn.execute(insert(call_log).values(
            account_id=account_id, started_at=at, record_key=_key(n), direction="out",
            source_format="asterisk", duration_s=60, billsec_s=55, disposition="ANSWERED",
            payload_enc=b"sealed"))


def _add_one_of_each_record(conn: Connection, account_id: int) -> None:
    for table in ("sms_log", "fax_log", "content_item"):
        ensure_partition(conn, table, MAY)
    conn.execute(insert(sms_log).values(account_id=account_id, sent_at=MAY, record_key=_key(1),
                                        direction="in", segments=1, payload_enc=b"sealed"))
    conn.execute(insert(fax_log).values(account_id=account_id, occurred_at=MAY, record_key=_key(1),
                                        direction="in", pages=2, status="received",
                                        payload_enc=b"sealed"))
    for n, kind in enumerate(("voice_message", "voice_message", "sms_body")):
        conn.execute(insert(content_item).values(account_id=account_id, occurred_at=MAY,
                                                 record_key=_key(n), kind=kind, direction="in"))
    conn.execute(insert(comment_log).values(account_id=account_id, written_at=MAY,
                                            record_key=_key(1), author="rep-7", text_enc=b"x"))
    conn.execute(insert(billing_transaction).values(
        account_id=account_id, occurred_at=MAY, record_key=_key(1), reference="INV-1",
        amount_cents=1999, currency="USD", method="card", state="settled"))


def _assign(conn: Connection, account_id: int, n: int, *, ended: bool) -> None:
    conn.execute(insert(number_assignment).values(
        number_bidx=_key(n), number_enc=b"sealed", account_id=account_id, assigned_from=MAY,
        assigned_to=JUNE if ended else None, created_at=MAY))


def test_an_empty_store_counts_nothing_and_has_the_genesis_head(engine: Engine) -> None:
    with engine.connect() as conn:
        figures = store_figures(conn)
    assert figures.accounts.total == 0
    assert figures.accounts.by_status == {"active": 0, "suspended": 0, "closed": 0}
    assert figures.call_records == 0 and figures.newest_call_at is None
    assert figures.last_import is None
    assert (figures.audit_events, figures.audit_head_hash) == (0, "0" * 64)


def test_accounts_are_counted_by_status_kind_profile_and_controller(
        engine: Engine, keyring: Keyring) -> None:
    an_account(engine, keyring, ref="A1")
    an_account(engine, keyring, ref="A2", status="suspended", profile="hipaa")
    an_account(engine, keyring, ref="A3", kind="business", controller="Clinic LLC",
               status="closed", closed_on=MAY.date())
    with engine.connect() as conn:
        accounts = store_figures(conn).accounts
    assert accounts.total == 3
    assert accounts.by_status == {"active": 1, "suspended": 1, "closed": 1}
    assert accounts.by_kind == {"residential": 2, "business": 1}
    assert accounts.by_profile == {"standard": 2, "hipaa": 1}
    assert accounts.hipaa == 1
    assert accounts.controlled_by_business_client == 1


def test_records_numbers_imports_and_the_audit_head_are_counted(
        engine: Engine, keyring: Keyring) -> None:
    account_id = an_account(engine, keyring)
    with transaction(engine) as conn:
        _add_calls(conn, account_id, MAY, JUNE)
        _add_one_of_each_record(conn, account_id)
        _assign(conn, account_id, 1, ended=True)
        _assign(conn, account_id, 2, ended=False)
        conn.execute(insert(import_run).values(
            kind="calls", source_format="asterisk", file_name="Master.csv", file_sha256="0" * 64,
            actor="ops", status="completed", imported=2, rejected=0, duplicates=0,
            started_at=MAY, finished_at=JUNE))
        conn.execute(insert(import_run).values(
            kind="sms", source_format="custodian", file_name="sms.csv", file_sha256="",
            actor="ops", status="failed", imported=0, rejected=0, duplicates=0,
            started_at=JUNE, finished_at=JUNE.replace(hour=9)))
        event = audit_store.append(conn, actor="ops", action="test.figures", now=JUNE)
    with engine.connect() as conn:
        figures = store_figures(conn)
    assert (figures.call_records, figures.newest_call_at) == (2, JUNE)
    assert (figures.sms_records, figures.fax_records) == (1, 1)
    assert figures.content_by_kind == {"sms_body": 1, "voice_message": 2}
    assert figures.content_items == 3
    assert (figures.comment_entries, figures.billing_transactions) == (1, 1)
    assert (figures.numbers_assigned_now, figures.number_assignments) == (1, 2)
    assert figures.last_import is not None
    assert (figures.last_import.kind, figures.last_import.imported) == ("calls", 2)
    assert figures.last_import.finished_at == JUNE
    assert (figures.audit_events, figures.audit_head_hash) == (1, event.hash)
