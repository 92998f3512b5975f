"""Re-importing a provider's file after retention deleted its old rows brings none back — for every call importer,
billing and support comments (SMS and content: tests/retention/test_reimport.py), and after a restore of a backup
taken before the deletion (the floors travel in the deletion log)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update

from custodian.backup import archive
from custodian.backup.deletion_log import DeletionLog
from custodian.backup.restore import restore
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.ingest.registry import lookup
from custodian.ingest.runner import run_import
from custodian.records.tables import account, billing_transaction, call_log, comment_log
from custodian.retention.executor import run_retention
from custodian.retention.rules import TIME, Schedule, ScheduledRule
from tests.builders.files import (
    ACCOUNTS_HEADER,
    BILLING_HEADER,
    CALLS_HEADER,
    COMMENTS_HEADER,
    account_line,
    asterisk_line,
    billing_line,
    comment_line,
    csv_file,
    custodian_call_line,
    freeswitch_line,
    write_lines,
)
from tests.builders.records import an_account

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
OWN, OTHER = "+15125550100", "+15125550199"
CALLS_90_DAYS = Schedule((ScheduledRule(TIME, frozenset({"cpni.call_log"}), "standard", days=90),),
                         frozenset(), None, None)


def _file(fmt: str, tmp_path: Path) -> Path:
    starts = ["2026-01-05 10:00:00", "2026-05-20 10:00:00"]  # one older than 90 days, one younger
    if fmt == "asterisk":
        return write_lines(tmp_path / "Master.csv", [asterisk_line(OWN, OTHER, s, accountcode="ACC-1",
                                                                   uniqueid=f"u{i}") for i, s in enumerate(starts)])
    if fmt == "freeswitch":
        return write_lines(tmp_path / "cdr.csv", [freeswitch_line(OWN, OTHER, s, accountcode="ACC-1",
                                                                  uuid=f"uuid-{i}") for i, s in enumerate(starts)])
    return csv_file(tmp_path / "calls.csv", CALLS_HEADER,
                    [custodian_call_line("ACC-1", "out", OWN, OTHER, s.replace(" ", "T") + "Z") for s in starts])


def _import(engine: Engine, master_key: bytes, blobs: LocalBlobStore, fmt: str, path: Path) -> int:
    return run_import(engine, Keyring(master_key), blobs, lookup("calls", fmt), path, actor="test").imported


def _calls(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(call_log)).scalar_one())


@pytest.mark.parametrize("fmt", ["asterisk", "freeswitch", "custodian"])
def test_calls_retention_deleted_stay_deleted_on_reimport_and_after_a_restore(
        fmt: str, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, deletion_log: DeletionLog,
        tmp_path: Path, database_url: str) -> None:
    an_account(engine, keyring, ref="ACC-1")
    path = _file(fmt, tmp_path)
    assert _import(engine, keyring.master_key, blobs, fmt, path) == 2
    backup = tmp_path / "backup"
    archive.create(database_url, blobs.root, deletion_log, backup)
    run_retention(engine, Keyring(keyring.master_key), blobs, CALLS_90_DAYS, policy_hash="t", now=NOW, actor="t")
    assert _calls(engine) == 1
    assert _import(engine, keyring.master_key, blobs, fmt, path) == 0
    assert _calls(engine) == 1
    engine.dispose()
    receipt = restore(database_url, blobs.root, deletion_log, backup, actor="cli:test", now=NOW)
    assert receipt["rows_deleted"] == {"call_log": 1}
    assert _calls(engine) == 1
    assert _import(engine, keyring.master_key, blobs, fmt, path) == 0
    assert _calls(engine) == 1


LEDGER_FILES = {  # kind: (record class, table, header, one row per start time)
    "billing": ("billing.transactions", billing_transaction, BILLING_HEADER,
                lambda i, at: billing_line("ACC-1", at, f"INV-{i}")),
    "comments": ("support.comment_log", comment_log, COMMENTS_HEADER,
                 lambda i, at: comment_line("ACC-1", at, f"called about invoice {i}")),
}


@pytest.mark.parametrize("kind", sorted(LEDGER_FILES))
def test_billing_and_comments_a_closure_purge_deleted_stay_deleted_on_reimport_and_after_a_restore(
        kind: str, engine: Engine, keyring: Keyring, blobs: LocalBlobStore, deletion_log: DeletionLog,
        tmp_path: Path, database_url: str) -> None:
    """Billing and support notes are kept while the account is open and go with its closure purge; the importer
    then refuses the account's rows (its key is shredded) and consults the retention floors like the others."""
    record_class, table, header, line = LEDGER_FILES[kind]
    schedule = Schedule((), frozenset({(record_class, "standard")}), purge_after_days=30, deadline_days=60)
    account_id = an_account(engine, keyring, ref="ACC-1")
    path = csv_file(tmp_path / f"{kind}.csv", header,
                    [line(i, at) for i, at in enumerate(["2025-11-05T10:00:00Z", "2025-12-20T10:00:00Z"])])

    def imported() -> int:
        return run_import(engine, Keyring(keyring.master_key), blobs, lookup(kind), path, actor="test").imported

    def stored() -> int:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

    assert imported() == 2
    with transaction(engine) as conn:
        conn.execute(update(account).where(account.c.id == account_id).values(status="closed",
                                                                             closed_on=date(2026, 1, 2)))
    backup = tmp_path / "backup"
    archive.create(database_url, blobs.root, deletion_log, backup)
    run_retention(engine, Keyring(keyring.master_key), blobs, schedule, policy_hash="t", now=NOW, actor="t")
    assert stored() == 0
    assert imported() == 0 and stored() == 0
    engine.dispose()
    restore(database_url, blobs.root, deletion_log, backup, actor="cli:test", now=NOW)
    assert stored() == 0
    assert imported() == 0 and stored() == 0


def test_a_purged_customer_is_not_imported_again_from_the_accounts_file_nor_after_a_restore(
        engine: Engine, keyring: Keyring, blobs: LocalBlobStore, deletion_log: DeletionLog,
        tmp_path: Path, database_url: str) -> None:
    """The purge replaces the account's reference with a pseudonym; the accounts importer refuses the old one."""
    schedule = Schedule((), frozenset(), purge_after_days=30, deadline_days=60)
    path = csv_file(tmp_path / "accounts.csv", ACCOUNTS_HEADER,
                    [account_line("ACC-1", status="closed", closed_on="2026-01-02"), account_line("ACC-2")])

    def imported() -> tuple[int, list[tuple[int, str]]]:
        result = run_import(engine, Keyring(keyring.master_key), blobs, lookup("accounts"), path, actor="test")
        return result.imported, result.errors

    assert imported() == (2, [])
    backup = tmp_path / "backup"
    archive.create(database_url, blobs.root, deletion_log, backup)
    run_retention(engine, Keyring(keyring.master_key), blobs, schedule, policy_hash="t", now=NOW, actor="t")
    refused = [(2, "account_ref: this account was closed and its data purged under the retention schedule; "
                   "it is not imported again")]
    assert imported() == (0, refused)  # ACC-2 is a duplicate, ACC-1 refused by its line
    engine.dispose()
    restore(database_url, blobs.root, deletion_log, backup, actor="cli:test", now=NOW)
    assert imported() == (0, refused)
    with engine.connect() as conn:
        refs = set(conn.execute(select(account.c.ref)).scalars())
    assert "ACC-1" not in refs and "ACC-2" in refs
