"""The customer's own door to their records: every read is a decision "customer reads own account" appended
to the audit chain, like every staff read (access.reading), and reads only through the same section readers.

Seed 004: customers may "examine, confirm and correct" their information through an "online personal
control panel". Which classes the customer sees, and why any is withheld, is decided once, by
access/self_access_rules.py (compiled into `AccessRules.own`), which the export ZIP uses too: the pages and the
download always agree. Classes withheld from self-access are listed with the reason, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from custodian.access.reading import AccountPage
from custodian.access.rules import AccessRules
from custodian.access.sections import READERS, RowWindow
from custodian.access.types import Decision
from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.records import payload
from custodian.records.rules import CONTENT_KINDS
from custodian.records.tables import content_item
from custodian.retention.tables import retention_tombstone

SELF_ACTOR = "customer"
SELF_REASON = "customer reads own account"
CONTENT_CLASSES = frozenset(CONTENT_KINDS.values())


@dataclass(frozen=True)
class ContentRow:
    """One voice message, fax, recording, SMS body or chat message of the customer's own."""

    key: str  # hex record key: names it for download and deletion
    when: datetime
    direction: str
    media_type: str
    size: int | None
    text: str  # SMS and chat bodies kept in the row; "" for files
    has_file: bool


def own_classes(rules: AccessRules) -> tuple[str, ...]:
    """The classes the customer sees (the same the export holds), in the export's order."""
    return rules.own.included


def withheld(rules: AccessRules) -> dict[str, str]:
    """The stored classes the customer does not see (nor get in the export), each with the reason."""
    return dict(rules.own.withheld)


def elsewhere(rules: AccessRules) -> tuple[str, ...]:
    """The classes the policy lists that Custodian does not keep (the provider keeps them elsewhere)."""
    return rules.own.elsewhere


def decide_own(rules: AccessRules, record_class: str) -> Decision:
    """Permit a class of the customer's own account that the self-access rule lets them see."""
    if record_class in rules.own.included:
        return Decision(True, record_class, SELF_REASON, "self_access")
    if record_class in rules.own.withheld:
        return Decision(False, record_class, "withheld from self-access by the policy")
    if record_class not in rules.collected:
        return Decision(False, record_class, "the policy does not collect this record class")
    return Decision(False, record_class, "Custodian does not keep this record class")


def read_own(conn: Connection, keyring: Keyring, rules: AccessRules, account_id: int, classes: Iterable[str],
             now: datetime, window: RowWindow | None = None) -> AccountPage:
    """Decide and audit each class, then read the permitted ones (one page each inside `window`)."""
    decisions = tuple(decide_own(rules, name) for name in classes)
    record(conn, rules, account_id, decisions, "read", now)
    window = window or RowWindow()
    sections = {d.record_class: READERS[d.record_class](conn, keyring, account_id, None, window)
                for d in decisions if d.permit and d.record_class in READERS}
    return AccountPage(account_id, decisions, sections)


def record(conn: Connection, rules: AccessRules, account_id: int, decisions: Iterable[Decision], action: str,
           now: datetime) -> None:
    """Append the customer's decisions to the audit chain."""
    audit.append_many(conn, ({
        "actor": SELF_ACTOR, "action": "access.permit" if d.permit else "access.deny", "account_id": account_id,
        "record_classes": (d.record_class,), "reason": d.reason,
        "detail": {"action": action, "channel": "portal", "purpose": d.purpose, "policy": rules.version[:16]},
    } for d in decisions), now=now)


def own_content(conn: Connection, keyring: Keyring, rules: AccessRules, account_id: int, record_class: str,
                now: datetime, window: RowWindow | None = None) -> tuple[list[ContentRow], int] | None:
    """One page of a content class of the customer's own, newest first, with the count inside the window; None
    when refused (audited either way)."""
    decision = decide_own(rules, record_class)
    record(conn, rules, account_id, (decision,), "read", now)
    kind = {cls: kind for kind, cls in CONTENT_KINDS.items()}.get(record_class)
    if not decision.permit or kind is None:
        return None
    window = window or RowWindow()
    c = content_item.c
    where = [c.account_id == account_id, c.kind == kind, *([c.occurred_at >= window.start] if window.start else []),
             *([c.occurred_at < window.end] if window.end else []),
             ~select(retention_tombstone.c.record_key).where(  # deleted by the customer, kept only where the law says
                 retention_tombstone.c.account_id == account_id, retention_tombstone.c.record_key == c.record_key)
             .exists()]
    total = int(conn.execute(select(func.count()).select_from(content_item).where(*where)).scalar_one())
    page = window.page(record_class)
    rows = conn.execute(select(content_item).where(*where).order_by(c.occurred_at.desc())
                        .limit(window.per_page).offset((page - 1) * window.per_page)).all()
    cipher = keyring.cipher(conn, account_id)
    aad = payload.aad("content_item", "inline", account_id)
    return [ContentRow(r.record_key.hex(), r.occurred_at, r.direction, r.media_type or "", r.size_bytes,
                       cipher.open(r.inline_enc, aad) if r.inline_enc else "", bool(r.blob_key)) for r in rows], total


def own_file(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, rules: AccessRules, account_id: int,
             record_key: bytes, now: datetime) -> tuple[str, str, Iterator[bytes]] | None:
    """(record class, media type, decrypted chunks) of one content file of the customer's own; None when there is
    no such file or its class is withheld. The download is audited before a byte is read."""
    row = conn.execute(select(content_item.c.kind, content_item.c.media_type, content_item.c.blob_key)
                       .where(content_item.c.account_id == account_id,
                              content_item.c.record_key == record_key)).first()
    if row is None or not row.blob_key:
        return None
    record_class = CONTENT_KINDS.get(row.kind, "")
    decision = decide_own(rules, record_class)
    record(conn, rules, account_id, (decision,), "download", now)
    if not decision.permit:
        return None
    return record_class, row.media_type or "application/octet-stream", \
        blobs.open(keyring.cipher(conn, account_id), account_id, row.blob_key)
