"""A customer deleting their own voice message, SMS or fax: immediate and final, unless a hold keeps it.

SpectrumVoIP: "customers have the ability to delete numerous types of data for their accounts, such
as voicemails, SMS's, and faxes" and "SpectrumVoIP is not able to recover customer data once it has
been deleted". A record under a legal hold stays until the hold ends; the deletion is recorded at
once (a tombstone) and the first retention run after the hold carries it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from custodian.audit import store as audit
from custodian.backup.deletions import record_customer_deletion
from custodian.policy.vocabulary import CLASS_LABELS
from custodian.records.rules import CONTENT_KINDS
from custodian.records.tables import content_item
from custodian.retention.hold_store import active_holds
from custodian.retention.holds import is_held
from custodian.retention.tables import blob_deletion, retention_tombstone

CUSTOMER_DELETABLE = frozenset({"content.voice_message", "content.sms_body", "content.fax_incoming",
                                "content.fax_outgoing", "content.fax_sent"})


class RecordNotFound(LookupError):
    """The account has no such record (or it is not one a customer may delete)."""


@dataclass(frozen=True)
class ContentChoice:
    """One stored communication offered for deletion: never its text or file, only what identifies it."""

    key: str  # the record key, hex (what a deletion form posts)
    record_class: str
    occurred_at: datetime
    direction: str

    @property
    def label(self) -> str:
        """The notice's label of the item's class."""
        return CLASS_LABELS.get(self.record_class, self.record_class)


def content_choices(conn: Connection, account_id: int, classes: frozenset[str], *, actor: str, action: str,
                    reason: str, now: datetime, limit: int = 500) -> list[ContentChoice]:
    """The account's stored communications of `classes`, newest first (at most `limit`), for a person to pick
    which to delete; an audited read of metadata (`action`), never of content."""
    kinds = [kind for kind, name in CONTENT_KINDS.items() if name in classes]
    rows = conn.execute(select(content_item.c.record_key, content_item.c.kind, content_item.c.occurred_at,
                               content_item.c.direction)
                        .where(content_item.c.account_id == account_id, content_item.c.kind.in_(kinds))
                        .order_by(content_item.c.occurred_at.desc()).limit(limit)).all()
    audit.append(conn, actor=actor, action=action, account_id=account_id, now=now, reason=reason,
                 record_classes=sorted({CONTENT_KINDS[r.kind] for r in rows}))
    return [ContentChoice(bytes(r.record_key).hex(), CONTENT_KINDS[r.kind], r.occurred_at, r.direction) for r in rows]


@dataclass(frozen=True)
class CustomerDeletion:
    """What happened: "deleted" now, or "held" (deleted once the hold ends)."""

    outcome: str
    record_class: str


def delete_for_customer(conn: Connection, *, account_id: int, record_key: bytes, actor: str, now: datetime,
                        deletable: frozenset[str] = CUSTOMER_DELETABLE,
                        reason: str = "deleted by the customer") -> CustomerDeletion:
    """Delete one of the account's messages or faxes (of the `deletable` classes) in the caller's transaction;
    its blob file is queued and unlinked by `executor.flush_blobs` after commit."""
    row = conn.execute(select(content_item.c.kind, content_item.c.occurred_at, content_item.c.blob_key)
                       .where(content_item.c.account_id == account_id, content_item.c.record_key == record_key)).first()
    record_class = CONTENT_KINDS.get(row.kind, "") if row else ""
    if row is None or record_class not in deletable:
        raise RecordNotFound("record: no voice message, SMS or fax with that key on this account")
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(retention_tombstone).values(
        account_id=account_id, record_key=record_key, record_class=record_class, deleted_at=now)
        .on_conflict_do_nothing())
    if is_held(active_holds(conn, now, [account_id]), account_id, record_class, row.occurred_at, now):
        record_customer_deletion(conn, account_id, record_key, record_class, deleted=False)
        audit.append(conn, actor=actor, action="record.delete_deferred", account_id=account_id,
                     record_classes=[record_class], now=now,
                     reason="customer deletion: kept under a legal hold until it ends")
        return CustomerDeletion("held", record_class)
    conn.execute(delete(content_item).where(content_item.c.account_id == account_id,
                                            content_item.c.occurred_at == row.occurred_at,
                                            content_item.c.record_key == record_key))
    if row.blob_key:
        conn.execute(dialect.insert(blob_deletion).values(blob_key=row.blob_key, queued_at=now)
                     .on_conflict_do_nothing())
    record_customer_deletion(conn, account_id, record_key, record_class, deleted=True)
    audit.append(conn, actor=actor, action="record.delete", account_id=account_id, record_classes=[record_class],
                 now=now, reason=reason)
    return CustomerDeletion("deleted", record_class)
