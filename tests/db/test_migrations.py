"""Migrations on a fresh, empty database of each kind: up, down, up again, and no drift from the code."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, insert, inspect, make_url, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.expression import TableClause

from custodian.audit.chain import GENESIS_HASH
from custodian.audit.tables import audit_head
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db import schema
from custodian.db.engine import make_engine, normalise_url, transaction
from custodian.db.metadata import UtcDateTime
from custodian.db.partitions import PARTITIONED, ensure_ahead, partition_name
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from tests.builders.files import SMS_HEADER, csv_file, sms_line
from tests.builders.records import an_account

PG_URL = os.environ.get("CUSTODIAN_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)


@contextmanager
def _throwaway_postgres() -> Iterator[Engine]:
    """A new, empty PostgreSQL database, dropped afterwards (as tests/conftest.py makes its own)."""
    name = f"custodian_migrate_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(normalise_url(PG_URL)).set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a brand-new database with no schema: a new SQLite file, or a throwaway PostgreSQL database."""
    if request.param == "postgresql":
        with _throwaway_postgres() as engine:
            yield engine
        return
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """A brand-new PostgreSQL database: partitioning exists only there."""
    if not PG_URL:
        pytest.skip("PostgreSQL tests need CUSTODIAN_TEST_DATABASE_URL")
    with _throwaway_postgres() as engine:
        yield engine


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _schema_drift(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True,
                                                         "include_object": schema.include_object})
        return list(compare_metadata(context, schema.metadata))


def _partitions(engine: Engine, parent: str) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(text(
            "SELECT child.relname FROM pg_inherits JOIN pg_class parent ON parent.oid = pg_inherits.inhparent "
            "JOIN pg_class child ON child.oid = pg_inherits.inhrelid WHERE parent.relname = :parent"),
            {"parent": parent}).scalars())


def test_a_fresh_database_has_no_schema(empty_engine: Engine) -> None:
    assert schema.current_revision(empty_engine) is None
    assert _tables(empty_engine) == set()


def test_upgrade_to_head_creates_every_table_of_the_code(empty_engine: Engine) -> None:
    schema.upgrade(empty_engine)
    assert schema.current_revision(empty_engine) == schema.head_revision(empty_engine)
    assert _tables(empty_engine) == set(schema.metadata.tables) | {"alembic_version"}


def test_upgrade_seeds_the_genesis_audit_head(empty_engine: Engine) -> None:
    schema.upgrade(empty_engine)
    with empty_engine.connect() as conn:
        rows = conn.execute(select(audit_head.c.id, audit_head.c.seq, audit_head.c.hash)).all()
    assert [tuple(row) for row in rows] == [(1, 0, GENESIS_HASH)]


def test_downgrade_to_base_removes_every_table(empty_engine: Engine) -> None:
    schema.upgrade(empty_engine)
    schema.downgrade(empty_engine, "base")
    assert schema.current_revision(empty_engine) is None
    assert _tables(empty_engine) <= {"alembic_version"}


def test_upgrade_after_downgrade_builds_the_schema_again(empty_engine: Engine) -> None:
    schema.upgrade(empty_engine)
    schema.downgrade(empty_engine, "base")
    schema.upgrade(empty_engine)
    assert schema.current_revision(empty_engine) == schema.head_revision(empty_engine)
    assert set(schema.metadata.tables) <= _tables(empty_engine)
    assert _schema_drift(empty_engine) == []


def test_upgrading_an_up_to_date_database_changes_nothing(empty_engine: Engine) -> None:
    schema.upgrade(empty_engine)
    schema.upgrade(empty_engine)
    assert schema.current_revision(empty_engine) == schema.head_revision(empty_engine)
    assert _schema_drift(empty_engine) == []


def test_the_migrated_schema_matches_the_tables_in_code(empty_engine: Engine) -> None:
    # Types, nullability, indexes, unique and foreign keys, server defaults: all compared, no filter needed.
    schema.upgrade(empty_engine)
    assert _schema_drift(empty_engine) == []


def test_monthly_partitions_are_not_mistaken_for_schema_drift(postgres_engine: Engine) -> None:
    schema.upgrade(postgres_engine)
    with transaction(postgres_engine) as conn:
        ensure_ahead(conn, NOW)
    assert _schema_drift(postgres_engine) == []


def test_high_volume_tables_are_range_partitioned_on_postgresql(postgres_engine: Engine) -> None:
    schema.upgrade(postgres_engine)
    with postgres_engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.relname, p.partstrat FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
        )).all()
    assert {row.relname: row.partstrat for row in rows} == {table: "r" for table in PARTITIONED}


def test_partitions_are_created_ahead_for_this_month_and_the_next_three(postgres_engine: Engine) -> None:
    schema.upgrade(postgres_engine)
    with transaction(postgres_engine) as conn:
        assert ensure_ahead(conn, NOW) == 4 * len(PARTITIONED)
    months = [datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC),
              datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC)]
    for table in PARTITIONED:
        assert _partitions(postgres_engine, table) == {partition_name(table, month) for month in months}
    with transaction(postgres_engine) as conn:
        ensure_ahead(conn, NOW)  # running it again is harmless
    assert _partitions(postgres_engine, "call_log") == {partition_name("call_log", m) for m in months}


def test_partitions_are_created_for_the_months_an_import_brings(
        postgres_engine: Engine, tmp_path: Path) -> None:
    schema.upgrade(postgres_engine)
    keyring = Keyring(bytes(32))
    an_account(postgres_engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / "sms.csv", SMS_HEADER, [
        sms_line("ACC-1", "out", "+15125550100", "+15125550199", "2019-03-05T10:00:00Z"),
        sms_line("ACC-1", "in", "+15125550199", "+15125550100", "2019-07-31T23:59:59Z"),
    ])
    summary = run_import(postgres_engine, keyring, LocalBlobStore(tmp_path / "blobs"), lookup("sms"), path,
                         actor="test")
    assert summary.imported == 2
    for table in ("sms_log", "content_item"):
        assert {partition_name(table, datetime(2019, 3, 1, tzinfo=UTC)),
                partition_name(table, datetime(2019, 7, 1, tzinfo=UTC))} <= _partitions(postgres_engine, table)
    with postgres_engine.connect() as conn:
        july = partition_name("sms_log", datetime(2019, 7, 1, tzinfo=UTC))
        assert conn.execute(text(f'SELECT count(*) FROM "{july}"')).scalar_one() == 1


def test_downgrade_drops_partitioned_tables_with_their_partitions(postgres_engine: Engine) -> None:
    schema.upgrade(postgres_engine)
    with transaction(postgres_engine) as conn:
        ensure_ahead(conn, NOW)
    schema.downgrade(postgres_engine, "base")
    assert _tables(postgres_engine) <= {"alembic_version"}


# Migration 0030 (issue 19 §5): the keys of the high-volume tables lead with account_id, as Citus requires.
CITUS_KEYED = ("billing_transaction", "comment_log", "number_assignment")
BEFORE_CITUS_KEYS = "0029_compliance_registers"


def _plain(name: str) -> TableClause:
    """The table as a writer that knows nothing of ids sees it: inserting leaves `id` to the database."""
    cols = {"comment_log": ("account_id", "written_at", "record_key", "author", "text_enc"),
            "billing_transaction": ("account_id", "occurred_at", "record_key", "reference", "amount_cents",
                                    "currency", "method", "state", "instrument_id"),
            "number_assignment": ("account_id", "number_bidx", "number_enc", "assigned_from", "created_at")}[name]
    return sa.table(name, *(sa.column(c, UtcDateTime() if c.endswith(("_at", "_from")) else None) for c in cols))


def _one_of_each(conn: Connection, target: Callable[[str], Any], account_id: int, n: int) -> None:
    key = bytes([n]) * 16
    conn.execute(insert(target("comment_log")).values(account_id=account_id, written_at=NOW, record_key=key,
                                                        author="agent", text_enc=b"sealed"))
    conn.execute(insert(target("billing_transaction")).values(
        account_id=account_id, occurred_at=NOW, record_key=key, reference=f"INV-{n}", amount_cents=100,
        currency="USD", method="card", state="settled", instrument_id=None))
    conn.execute(insert(target("number_assignment")).values(
        account_id=account_id, number_bidx=key, number_enc=b"sealed", assigned_from=NOW, created_at=NOW))


def _ids(engine: Engine) -> dict[str, list[int]]:
    with engine.connect() as conn:
        return {name: list(conn.execute(text(f"SELECT id FROM {name} ORDER BY id")).scalars()) for name in CITUS_KEYED}


def test_the_high_volume_tables_are_keyed_by_account_then_id(empty_engine: Engine) -> None:
    schema.upgrade(empty_engine)
    keys = {name: inspect(empty_engine).get_pk_constraint(name)["constrained_columns"] for name in CITUS_KEYED}
    assert keys == {name: ["account_id", "id"] for name in CITUS_KEYED}


def test_the_citus_keys_migration_keeps_every_row_and_id_and_new_rows_still_get_the_next_id(
        empty_engine: Engine) -> None:
    schema.upgrade(empty_engine, BEFORE_CITUS_KEYS)
    account_id = an_account(empty_engine, Keyring(bytes(32)))
    with transaction(empty_engine) as conn:
        _one_of_each(conn, _plain, account_id, 1)
    schema.upgrade(empty_engine)
    assert _ids(empty_engine) == {name: [1] for name in CITUS_KEYED}
    with transaction(empty_engine) as conn:
        _one_of_each(conn, lambda name: schema.metadata.tables[name], account_id, 2)
    assert _ids(empty_engine) == {name: [1, 2] for name in CITUS_KEYED}
    schema.downgrade(empty_engine, BEFORE_CITUS_KEYS)
    with transaction(empty_engine) as conn:
        _one_of_each(conn, _plain, account_id, 3)
    assert _ids(empty_engine) == {name: [1, 2, 3] for name in CITUS_KEYED}


def test_a_billing_transaction_cannot_name_another_accounts_card(empty_engine: Engine) -> None:
    schema.upgrade(empty_engine)
    keyring = Keyring(bytes(32))
    mine, theirs = an_account(empty_engine, keyring, ref="ACC-1"), an_account(empty_engine, keyring, ref="ACC-2")
    instruments = schema.metadata.tables["payment_instrument"]
    with transaction(empty_engine) as conn:
        card = conn.execute(insert(instruments).values(account_id=theirs, brand="visa", last4="4242", created_at=NOW)
                            .returning(instruments.c.id)).scalar_one()
    billing = schema.metadata.tables["billing_transaction"]
    with pytest.raises(IntegrityError), transaction(empty_engine) as conn:
        conn.execute(insert(billing).values(account_id=mine, occurred_at=NOW, record_key=b"k" * 16, reference="INV-1",
                                            amount_cents=100, currency="USD", method="card", state="settled",
                                            instrument_id=card))
