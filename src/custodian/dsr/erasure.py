"""A deletion request for a whole account, carried out through the retention engine's own pieces: every record
the engine knows of is planned with a closure sweep against the account's legal holds. What is neither held
nor kept by the policy's closure rule is deleted (content files queued for unlinking after commit); the rest
stays. When nothing stays, the whole account is gone and its data key is crypto-shredded, so no copy of its
data (backups included) can be read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert

from custodian.audit import store as audit
from custodian.backup.deletions import record_rows
from custodian.crypto.keyring import Keyring
from custodian.records.tables import content_item
from custodian.retention.account_records import read_records
from custodian.retention.hold_store import active_holds
from custodian.retention.plan import plan_records
from custodian.retention.rules import purge_sweep
from custodian.retention.sources import every_source
from custodian.retention.tables import blob_deletion

REASON = "the requester asked us to delete their personal information"


@dataclass
class Erased:
    """Records deleted and kept per record class, and whether the account's key was shredded."""

    deleted: Counter[str] = field(default_factory=Counter)
    kept: Counter[str] = field(default_factory=Counter)
    shredded: bool = False


def erase_account(conn: Connection, keyring: Keyring, account_id: int, *, kept_classes: frozenset[str],
                  actor: str, now: datetime) -> Erased:
    """Delete every record of the account that neither a legal hold nor the policy (`kept_classes`: what a
    closure purge keeps de-identified, e.g. billing for tax law) keeps; shred its key when nothing is kept."""
    sources = every_source()
    located = read_records(conn, account_id, sources)
    plan = plan_records(account_id, [purge_sweep(kept_classes)], list(located),
                        active_holds(conn, now, [account_id]), now)
    erased = Erased(kept=Counter(ref.record_class for ref in plan.held))
    erased.kept.update(ref.record_class for ref in located if ref.record_class in kept_classes)
    doomed: dict[int, list[Any]] = {}
    for ref in plan.deleted:
        doomed.setdefault(id(located[ref].source), []).append(located[ref].key)
        erased.deleted[ref.record_class] += 1
    for source in sources:  # the purge order: rows before the rows they point at
        keys = doomed.get(id(source), [])
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            where = (source.table.c.account_id == account_id) & source.key.in_(chunk)
            record_rows(conn, source.table.name, source.key_column, ((account_id, k, None, None) for k in chunk))
            if source.table is content_item:
                blob_keys = [k for k in conn.execute(delete(content_item).where(where)
                                                     .returning(content_item.c.blob_key)).scalars() if k]
                if blob_keys:
                    conn.execute(insert(blob_deletion), [{"blob_key": k, "queued_at": now} for k in blob_keys])
            else:
                conn.execute(delete(source.table).where(where))
    audit.append(conn, actor=actor, action="record.delete", account_id=account_id,
                 record_classes=sorted(erased.deleted), reason=REASON, now=now,
                 detail={"deleted": sum(erased.deleted.values()), "kept": sum(erased.kept.values())})
    if not erased.kept:
        erased.shredded = keyring.shred(conn, account_id)
        audit.append(conn, actor=actor, action="keys.shred", account_id=account_id, now=now,
                     reason="the whole account was deleted on request: its data key is destroyed")
    return erased
