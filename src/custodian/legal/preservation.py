"""Preservation requests (SpectrumVoIP DRG II.B; 18 U.S.C. 2703(f)): "a one-time snapshot of the then-existing
account data that the Preservation Request specifies for ninety (90) days"; "On the ninety-first (91st) day
the preserved data may be deleted unless the requestor has provided a formal Data Request in the interim."

Each matched account gets a legal hold (retention/hold_service; held records survive retention and customer
deletion) and an encrypted snapshot sealed with the desk key, so that shredding the customer's key cannot
destroy preserved evidence. The policy gives the period and the one renewal.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from custodian.audit import store as audit
from custodian.backup.deletions import record_snapshot_expiry
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.legal import service, store
from custodian.legal.desk_key import DESK_OWNER, desk_cipher
from custodian.legal.documents import subscriber_rows
from custodian.legal.exports import ExportFile, account_files, table_files
from custodian.legal.lifecycle import FINAL_STATES, check_transition
from custodian.legal.package import entry_name, manifest_of
from custodian.legal.tables import legal_preservation, legal_request
from custodian.policy.compiled import CompiledPolicy
from custodian.policy.vocabulary import RECORD_CLASSES
from custodian.records import store as records
from custodian.retention import hold_service


def preserve(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, policy: CompiledPolicy, request_id: int, *,
             actor: str, now: datetime) -> list[dict[str, Any]]:
    """Hold and snapshot every matched account's specified records; the request becomes approved (preserved)."""
    request = service.get(conn, keyring, request_id)
    if request.kind != "preservation":
        raise service.DeskRuleBroken("only a preservation request is preserved")
    check_transition(request.state, "approved")
    matches = store.matches_of(conn, service.scope(conn, keyring, request_id, actor=actor, now=now).id)
    named = frozenset(request.document.record_classes)  # none named: every class (the hold's "all")
    classes = named or RECORD_CLASSES
    until = now + timedelta(days=policy.document.legal.preservation.days)
    done = []
    for match in matches:
        hold = hold_service.place_hold(
            conn, account_id=match.account_id, until=until, classes=named, window_start=match.window.start,
            window_end=match.window.end, reason=f"preservation request {request.tracking_number}",
            source=f"legal:preservation:{request_id}", actor=actor, now=now)
        snapshot, count = _snapshot(conn, keyring, match.account_id, match.window, classes, blobs, match.line)
        key, _, digest = blobs.put(desk_cipher(conn, keyring), DESK_OWNER, [snapshot])
        conn.execute(insert(legal_preservation).values(
            request_id=request_id, account_id=match.account_id, hold_id=hold.id, snapshot_blob_key=key,
            snapshot_sha256=digest, snapshot_files=count, window_start=match.window.start,
            window_end=match.window.end, preserved_at=now, expires_at=until, extensions=0))
        done.append({"account_id": match.account_id, "hold_id": hold.id, "sha256": digest, "until": until})
    store.add_approval(conn, request_id, "preservation", actor, "one-time snapshot preserved", now)
    store.set_state(conn, request_id, "approved", now)
    audit.append(conn, actor=actor, action="legal.preservation.preserved", record_classes=sorted(classes),
                 reason="one-time snapshot of existing records preserved",
                 detail={"request": request.tracking_number, "accounts": len(done), "until": until.isoformat()},
                 now=now)
    return done


def extend(conn: Connection, keyring: Keyring, policy: CompiledPolicy, request_id: int, *, actor: str,
           now: datetime) -> datetime:
    """Renew a preservation once (the policy's renewals and renewal days); returns the new end."""
    rules = policy.document.legal.preservation
    rows = _live(conn, request_id)
    if not rows:
        raise service.DeskRuleBroken("nothing is preserved for this request")
    if any(row.extensions >= rules.renewals for row in rows):
        raise service.DeskRuleBroken(f"a preservation may be extended {rules.renewals} time(s) only")
    until = max(row.expires_at for row in rows) + timedelta(days=rules.renewal_days)
    for row in rows:
        hold_service.extend_hold(conn, row.hold_id, until=until, actor=actor, reason="preservation extended",
                                 now=now)
    conn.execute(update(legal_preservation).where(legal_preservation.c.request_id == request_id,
                                                  legal_preservation.c.deleted_at.is_(None))
                 .values(expires_at=until, extensions=legal_preservation.c.extensions + 1))
    audit.append(conn, actor=actor, action="legal.preservation.extended", reason="renewed once (2703(f)(2))",
                 detail={"request": service.get(conn, keyring, request_id).tracking_number,
                         "until": until.isoformat()}, now=now)
    return until


def link(conn: Connection, keyring: Keyring, preservation_id: int, data_request_id: int, *, actor: str,
         now: datetime) -> None:
    """Link the later formal data request: the snapshot is then kept past day 90 while that request is open."""
    data_request = service.get(conn, keyring, data_request_id)
    if data_request.kind != "data":
        raise service.DeskRuleBroken("a preservation is linked to a data request")
    if not _live(conn, preservation_id):
        raise service.DeskRuleBroken("nothing is preserved for this request")
    conn.execute(update(legal_preservation).where(legal_preservation.c.request_id == preservation_id)
                 .values(linked_request_id=data_request_id))
    audit.append(conn, actor=actor, action="legal.preservation.linked", reason="formal data request received",
                 detail={"preservation": preservation_id, "request": data_request.tracking_number}, now=now)


def expire(conn: Connection, blobs: LocalBlobStore, *, actor: str, now: datetime) -> list[dict[str, Any]]:
    """Delete every snapshot past its end (day 91) whose linked data request, if any, is finished; receipts. Each
    deletion is in the deletion log before its file goes (a restored backup deletes the snapshot again)."""
    receipts = []
    for row in conn.execute(select(legal_preservation).where(legal_preservation.c.deleted_at.is_(None),
                                                             legal_preservation.c.expires_at <= now)).all():
        if row.linked_request_id is not None and _state(conn, row.linked_request_id) not in FINAL_STATES:
            continue
        receipt = {"preservation": row.request_id, "account_id": row.account_id, "sha256": row.snapshot_sha256,
                   "preserved_at": row.preserved_at.isoformat(), "expired_at": row.expires_at.isoformat(),
                   "deleted_at": now.isoformat()}
        record_snapshot_expiry(conn, row.id, receipt)
        receipt["blob_removed"] = blobs.delete(row.snapshot_blob_key) if row.snapshot_blob_key else False
        conn.execute(update(legal_preservation).where(legal_preservation.c.id == row.id).values(
            snapshot_blob_key=None, deleted_at=now, receipt=json.dumps(receipt)))
        hold = hold_service.get_hold(conn, row.hold_id)
        if hold.active_at(now):
            hold_service.release_hold(conn, row.hold_id, actor=actor, reason="preservation period ended", now=now)
        audit.append(conn, actor=actor, action="legal.preservation.deleted", account_id=row.account_id,
                     reason="preserved snapshot deleted after its period", detail=receipt, now=now)
        receipts.append(receipt)
        if _state(conn, row.request_id) == "approved" and not _live(conn, row.request_id):
            store.set_state(conn, row.request_id, "closed", now)
    return receipts


def snapshot_bytes(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, request_id: int,
                   account_id: int) -> bytes:
    """The preserved snapshot (a zip with manifest) of one account, while it is kept."""
    key = conn.execute(select(legal_preservation.c.snapshot_blob_key).where(
        legal_preservation.c.request_id == request_id, legal_preservation.c.account_id == account_id)).scalar()
    if not key:
        raise service.DeskRuleBroken("no snapshot is kept for this account")
    return blobs.read(desk_cipher(conn, keyring), DESK_OWNER, key)


def _snapshot(conn: Connection, keyring: Keyring, account_id: int, window: Any, classes: frozenset[str],
              blobs: LocalBlobStore, line: bytes | None) -> tuple[bytes, int]:
    files: list[ExportFile] = []
    if "subscriber.basic" in classes:
        rows = subscriber_rows(records.read_account(conn, keyring, account_id))
        files += table_files("subscriber", [r[0] for r in rows], [[r[1] for r in rows]])
    files += account_files(conn, keyring.cipher(conn, account_id), blobs, account_id, window, classes, line)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in files:
            archive.writestr(entry_name(item.name), item.data)
        archive.writestr("manifest.json", json.dumps(manifest_of(files, {"account_id": account_id}), indent=1))
    return buffer.getvalue(), len(files)


def _live(conn: Connection, request_id: int) -> list[Any]:
    return list(conn.execute(select(legal_preservation).where(legal_preservation.c.request_id == request_id,
                                                              legal_preservation.c.deleted_at.is_(None))).all())


def _state(conn: Connection, request_id: int) -> str:
    return str(conn.execute(select(legal_request.c.state).where(legal_request.c.id == request_id)).scalar_one())

