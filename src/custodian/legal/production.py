"""Producing an approved request: per matched account, the approved classes inside the matched window,
a certification, a manifest and an AES-256 zip; each account produced is recorded as a disclosure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.legal import service, store
from custodian.legal.desk_key import DESK_OWNER, desk_cipher
from custodian.legal.documents import certification_pdf, subscriber_pdf, subscriber_rows
from custodian.legal.exports import ExportFile, account_files, csv_bytes
from custodian.legal.lifecycle import check_transition
from custodian.legal.package import Package, manifest_of, seal_package
from custodian.legal.scope import Match
from custodian.legal.tables import legal_production, legal_request
from custodian.policy.compiled import CompiledPolicy
from custodian.records import store as records
from custodian.records.tables import account


@dataclass(frozen=True)
class Production:
    """The sealed package (its passphrase is shown once, never stored) and the accounts it discloses."""

    package: Package
    accounts: tuple[str, ...]


def produce(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, policy: CompiledPolicy, request_id: int, *,
            custodian_name: str, actor: str, now: datetime) -> Production:
    """Build and record the production of an approved request."""
    current = service.get(conn, keyring, request_id)
    check_transition(current.state, "producing")
    if current.kind == "emergency" and not store.verified_by_callback(conn, request_id):
        raise service.DeskRuleBroken("an emergency request needs a recorded call-back before any disclosure")
    if current.kind == "preservation":
        raise service.DeskRuleBroken("a preservation request preserves; it is never produced")
    matches = store.matches_of(conn, request_id) or store.matches_of(
        conn, service.scope(conn, keyring, request_id, actor=actor, now=now).id)
    classes = frozenset(store.approved_classes(conn, request_id))
    provider = policy.document.provider.name
    refs = dict(conn.execute(select(account.c.id, account.c.ref)
                             .where(account.c.id.in_({m.account_id for m in matches}))).all())
    files: list[ExportFile] = []
    for match in matches:
        ref = refs[match.account_id]
        own = _account_production(conn, keyring, blobs, provider, current.tracking_number, ref, match, classes)
        digests = manifest_of(own, {})["files"]
        listed = [(str(d["path"]), str(d["sha256"])) for d in digests]  # type: ignore[attr-defined]
        own.append(ExportFile("certification.pdf", certification_pdf(provider, current.tracking_number, ref,
                                                                     custodian_name, listed, now)))
        files += [ExportFile(f"{ref}/{f.name}", f.data) for f in own]
        _record_disclosure(conn, request_id, current.tracking_number, match, classes, len(own), actor, now)
    header = {"request": current.tracking_number, "provider": provider, "produced_at": now.isoformat(),
              "record_classes": sorted(classes),
              "accounts": [{"account_ref": refs[m.account_id], "from": m.window.start.isoformat(),
                            "to": m.window.end.isoformat()} for m in matches]}
    package = seal_package(files, header)
    key, _, _ = blobs.put(desk_cipher(conn, keyring), DESK_OWNER, [package.data])
    store.set_state(conn, request_id, "producing", now, package_blob_key=key)
    conn.execute(update(legal_production).where(legal_production.c.request_id == request_id)
                 .values(package_sha256=package.sha256))
    audit.append(conn, actor=actor, action="legal.request.produced", reason="production package sealed",
                 record_classes=sorted(classes),
                 detail={"request": current.tracking_number, "accounts": len(matches), "sha256": package.sha256},
                 now=now)
    return Production(package, tuple(refs[m.account_id] for m in matches))


def package_bytes(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, request_id: int) -> bytes:
    """The stored production zip of a request (still AES-encrypted under its one-time passphrase)."""
    key = conn.execute(select(legal_request.c.package_blob_key).where(legal_request.c.id == request_id)).scalar()
    if not key:
        raise service.DeskRuleBroken("this request has no production package")
    return blobs.read(desk_cipher(conn, keyring), DESK_OWNER, key)


def _account_production(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, provider: str, tracking: str,
                        ref: str, match: Match, classes: frozenset[str]) -> list[ExportFile]:
    cipher = keyring.cipher(conn, match.account_id)
    files: list[ExportFile] = []
    if "subscriber.basic" in classes:
        view = records.read_account(conn, keyring, match.account_id)
        rows = subscriber_rows(view)
        files.append(ExportFile("subscriber.csv", csv_bytes([r[0] for r in rows], [[r[1] for r in rows]])))
        files.append(ExportFile("subscriber.pdf", subscriber_pdf(provider, tracking, view)))
    files.extend(account_files(conn, cipher, blobs, match.account_id, match.window, classes))
    return files


def _record_disclosure(conn: Connection, request_id: int, tracking: str, match: Match, classes: frozenset[str],
                       count: int, actor: str, now: datetime) -> None:
    conn.execute(insert(legal_production).values(
        request_id=request_id, account_id=match.account_id, record_classes=json.dumps(sorted(classes)),
        files=count, package_sha256="", produced_by=actor, produced_at=now))
    audit.append(conn, actor=actor, action="legal.disclosure", account_id=match.account_id,
                 record_classes=sorted(classes), reason="produced in response to legal process",
                 detail={"request": tracking, "from": match.window.start.isoformat(),
                         "to": match.window.end.isoformat()}, now=now)
