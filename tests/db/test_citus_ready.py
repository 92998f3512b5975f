"""The schema is ready to distribute on Citus by `account_id` (issue 19 §5; DESIGN.md "Storage": "Every query
on subscriber data is scoped by account: that keeps the schema ready for Citus").

Citus needs the distribution column in every primary key and unique constraint of a distributed table, and a
query that names one account is routed to one shard. The tables are listed once, in
`records.tables.DISTRIBUTED_BY_ACCOUNT`; the queries are the ones the account readers build.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Delete, Engine, PrimaryKeyConstraint, UniqueConstraint, Update, event, update
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression
from sqlalchemy.sql.selectable import Select

from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.envelope import FieldCipher, new_key
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.db.metadata import metadata
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from custodian.records import account_rows
from custodian.records.tables import DISTRIBUTED_BY_ACCOUNT, account
from custodian.retention.executor import run_retention
from tests.builders.files import (
    BILLING_HEADER,
    COMMENTS_HEADER,
    NUMBERS_HEADER,
    billing_line,
    comment_line,
    csv_file,
    number_line,
)
from tests.builders.records import an_account
from tests.builders.retention import add_call, spectrumvoip_schedule

PURGE_AT = datetime(2026, 6, 1, 12, tzinfo=UTC)  # a month after the closure: SpectrumVoIP purges within 30-45 days


def _keys_without_account(table_name: str) -> list[str]:
    table = metadata.tables[table_name]
    return [f"{type(c).__name__}({', '.join(col.name for col in c.columns)})" for c in table.constraints
            if isinstance(c, PrimaryKeyConstraint | UniqueConstraint) and "account_id" not in c.columns]


@pytest.mark.parametrize("table_name", DISTRIBUTED_BY_ACCOUNT)
def test_every_key_of_a_distributed_table_contains_account_id(table_name: str) -> None:
    assert _keys_without_account(table_name) == []


class _Span:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    end = datetime(2026, 2, 1, tzinfo=UTC)


def _readers(conn: Any) -> Iterator[Any]:
    cipher, span, acc = FieldCipher(new_key()), _Span(), 7
    yield account_rows.call_rows(conn, cipher, acc, span)
    yield account_rows.call_rows(conn, cipher, acc, span, line=b"\0" * 16)
    logs = (("fax_log", "occurred_at", ("pages", "status")), ("sms_log", "sent_at", ("segments",)))
    for table, column, extra in logs:
        yield account_rows.log_rows(conn, cipher, acc, span, metadata.tables[table], column, extra)
    yield account_rows.billing_rows(conn, acc, span, with_card=True)
    yield account_rows.number_rows(conn, cipher, acc, span)
    yield account_rows.comment_rows(conn, cipher, acc, span)
    yield account_rows.content_rows(conn, cipher, acc, span, ["voice_message"])
    yield account_rows.e911_rows(conn, cipher, acc)
    yield account_rows.card_rows(conn, acc)


def _names_one_account(stmt: Select[Any], table_name: str) -> bool:
    """The statement compares `table_name.account_id` with a value, or joins it on another table's account_id."""
    for node in visitors.iterate(stmt):
        if isinstance(node, BinaryExpression) and node.operator is operators.eq:
            sides = [s for s in (node.left, node.right) if isinstance(s, Column) and s.name == "account_id"]
            if any(s.table.name == table_name for s in sides):
                return True
    return False


def test_every_account_reader_names_its_account_for_every_distributed_table(engine: Engine) -> None:
    seen: list[Select[Any]] = []
    event.listen(engine, "before_execute", lambda _c, clause, *_a: seen.append(clause))
    with engine.connect() as conn:
        for rows in _readers(conn):
            list(rows)
    selects = [s for s in seen if isinstance(s, Select)]
    assert len(selects) >= 10
    unscoped = []
    for stmt in selects:
        touched = {t.name for t in visitors.iterate(stmt) if getattr(t, "name", None) in DISTRIBUTED_BY_ACCOUNT
                   and hasattr(t, "c")}
        unscoped += [f"{name}: {stmt}" for name in touched if not _names_one_account(stmt, name)]
    assert unscoped == []


def _names_its_accounts(stmt: Update | Delete, table_name: str) -> bool:
    """The statement's WHERE compares `table_name.account_id` (alone, in arithmetic or in a tuple) by = or IN."""
    for node in visitors.iterate(stmt):
        if isinstance(node, BinaryExpression) and node.operator in (operators.eq, operators.in_op):
            for side in (node.left, node.right):
                if any(isinstance(c, Column) and c.name == "account_id" and c.table.name == table_name
                       for c in visitors.iterate(side)):
                    return True
    return False


def _changed_tables(stmt: Any) -> set[str]:
    return {stmt.table.name} & set(DISTRIBUTED_BY_ACCOUNT) if isinstance(stmt, Update | Delete) else set()


def test_a_closure_purge_changes_the_distributed_tables_one_named_account_at_a_time(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, tmp_path: Path) -> None:
    # The purge de-identifies the kept billing (an UPDATE) and deletes every other row (DELETEs), per table.
    closed = an_account(engine, keyring, ref="ACC-1")
    an_account(engine, keyring, ref="ACC-2")
    for kind, header, lines in (
            ("billing", BILLING_HEADER, [billing_line("ACC-1", "2026-03-01T09:00:00Z", "INV-1", last4="4242")]),
            ("comments", COMMENTS_HEADER, [comment_line("ACC-1", "2026-03-02T10:00:00Z", "called about porting"),
                                           comment_line("ACC-2", "2026-03-02T10:00:00Z", "asked for a copy")]),
            ("numbers", NUMBERS_HEADER, [number_line("+15125550161", "ACC-1", "2026-01-01", "2026-05-01"),
                                         number_line("+15125550162", "ACC-2", "2026-01-01")])):
        path = csv_file(tmp_path / f"{kind}.csv", header, lines)
        assert run_import(engine, keyring, blobs, lookup(kind), path, actor="test").imported == len(lines)
    with transaction(engine) as conn:
        add_call(conn, closed, PURGE_AT - timedelta(days=40))
        conn.execute(update(account).where(account.c.id == closed).values(status="closed", closed_on=date(2026, 5, 1)))
    seen: list[Any] = []
    event.listen(engine, "before_execute", lambda _c, clause, *_a: seen.append(clause))
    run_retention(engine, Keyring(keyring.master_key), blobs, spectrumvoip_schedule(), policy_hash="t",
                  now=PURGE_AT, actor="test")
    changed = [(name, stmt) for stmt in seen for name in _changed_tables(stmt)]
    assert {name for name, _ in changed} >= {"billing_transaction", "comment_log", "number_assignment", "call_log"}
    assert [f"{name}: {stmt}" for name, stmt in changed if not _names_its_accounts(stmt, name)] == []
