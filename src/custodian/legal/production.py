"""Producing an approved request: per match, the approved classes inside the matched window (a number target:
only that line's records, Fourth Amendment particularity), a certification, a manifest stating per file the
target and window it answers, and an AES-256 zip; each account produced is recorded as a disclosure."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from custodian.audit import store as audit
from custodian.crypto.blobs import LocalBlobStore
from custodian.crypto.keyring import Keyring
from custodian.kernel.phone import InvalidPhoneNumber, to_e164
from custodian.legal import notice_store, service, store
from custodian.legal.desk_key import DESK_OWNER, desk_cipher
from custodian.legal.documents import certification_pdf, subscriber_pdf, subscriber_rows
from custodian.legal.exports import ExportFile, account_files, table_files, withheld_counts
from custodian.legal.lifecycle import check_transition
from custodian.legal.package import Package, manifest_of, seal_package
from custodian.legal.scope import Match
from custodian.legal.tables import legal_production, legal_request
from custodian.legal.targets import line_of
from custodian.legal.types import Target
from custodian.policy.compiled import CompiledPolicy
from custodian.records import store as records
from custodian.records.tables import account

WITHHELD_REASON = ("the record's own number (line) is unknown, so it cannot be shown to be on the target line; "
                   "a number target reaches only that line's records (particularity)")


@dataclass(frozen=True)
class Production:
    """The sealed package (its passphrase is shown once, never stored) and the accounts it discloses."""

    package: Package
    accounts: tuple[str, ...]


@dataclass(frozen=True)
class _Part:
    """One match's folder in the package: neutral name, the account it holds and what it answers."""

    folder: str
    ref: str
    match: Match
    target: str


def produce(conn: Connection, keyring: Keyring, blobs: LocalBlobStore, policy: CompiledPolicy, request_id: int, *,
            custodian_name: str, actor: str, now: datetime) -> Production:
    """Build and record the production of an approved request: per match, its account's records inside the
    window (a number target: that line's records only), in a neutral folder named in the manifest alone."""
    current = service.get(conn, keyring, request_id)
    check_transition(current.state, "producing")
    if current.kind == "emergency" and not store.verified_by_callback(conn, request_id):
        raise service.DeskRuleBroken("an emergency request needs a recorded call-back before any disclosure")
    if current.kind == "preservation":
        raise service.DeskRuleBroken("a preservation request preserves; it is never produced")
    matches = store.matches_of(conn, request_id) or store.matches_of(
        conn, service.scope(conn, keyring, request_id, actor=actor, now=now).id)
    waiting = notice_store.production_refusal(conn, policy, current, now.date())
    if waiting is not None:
        raise service.DeskRuleBroken(waiting)
    classes = frozenset(store.approved_classes(conn, request_id))
    provider = policy.document.provider.name
    files: list[ExportFile] = []
    listing: list[dict[str, object]] = []
    parts = _parts(conn, keyring, current.document.targets, matches)
    for part in parts:
        own = _account_production(conn, keyring, blobs, provider, current.tracking_number, part.ref, part.match,
                                  classes)
        digests = manifest_of(own, {})["files"]
        listed = [(str(d["path"]), str(d["sha256"])) for d in digests]  # type: ignore[attr-defined]
        own.append(ExportFile("certification.pdf", certification_pdf(provider, current.tracking_number, part.ref,
                                                                     custodian_name, listed, now)))
        files += [ExportFile(f"{part.folder}/{f.name}", f.data) for f in own]
        listing.append(_listed(conn, part, classes))
        _record_disclosure(conn, request_id, current.tracking_number, part.match, classes, len(own), actor, now)
    header = {"request": current.tracking_number, "provider": provider, "produced_at": now.isoformat(),
              "record_classes": sorted(classes), "accounts": listing}
    package = seal_package(files, header, {p.folder: _answers(p) for p in parts})
    key, _, _ = blobs.put(desk_cipher(conn, keyring), DESK_OWNER, [package.data])
    store.set_state(conn, request_id, "producing", now, package_blob_key=key)
    conn.execute(update(legal_production).where(legal_production.c.request_id == request_id)
                 .values(package_sha256=package.sha256))
    audit.append(conn, actor=actor, action="legal.request.produced", reason="production package sealed",
                 record_classes=sorted(classes),
                 detail={"request": current.tracking_number, "accounts": len({m.account_id for m in matches}),
                         "sha256": package.sha256}, now=now)
    return Production(package, tuple(dict.fromkeys(p.ref for p in parts)))


def _parts(conn: Connection, keyring: Keyring, targets: Sequence[Target], matches: list[Match]) -> list[_Part]:
    """Neutral folders: `account-01` per account in order, `account-01-2` for its second match, and so on."""
    refs = dict(conn.execute(select(account.c.id, account.c.ref)
                             .where(account.c.id.in_({m.account_id for m in matches}))).all())
    numbers = _numbers_by_line(conn, keyring, targets)
    ordinals: dict[int, int] = {}
    seen: dict[int, int] = {}
    parts = []
    for match in matches:
        ordinal = ordinals.setdefault(match.account_id, len(ordinals) + 1)
        seen[match.account_id] = seen.get(match.account_id, 0) + 1
        folder = f"account-{ordinal:02d}" + (f"-{seen[match.account_id]}" if seen[match.account_id] > 1 else "")
        target = "account" if match.line is None else f"number {numbers.get(match.line, 'named in the request')}"
        parts.append(_Part(folder, refs[match.account_id], match, target))
    return parts


def _numbers_by_line(conn: Connection, keyring: Keyring, targets: Sequence[Target]) -> dict[bytes, str]:
    """The E.164 number of each line the request names (its own words, shown only in the encrypted manifest)."""
    found = {}
    for target in targets:
        try:
            if target.phone_number:
                found[line_of(conn, keyring, target.phone_number)] = to_e164(target.phone_number)
        except InvalidPhoneNumber:
            continue
    return found


def _answers(part: _Part) -> dict[str, str]:
    return {"target": part.target, "from": part.match.window.start.isoformat(),
            "to": part.match.window.end.isoformat()}


def _listed(conn: Connection, part: _Part, classes: frozenset[str]) -> dict[str, object]:
    """The manifest's entry of one folder: the account it holds, the target and window, what was withheld."""
    entry: dict[str, object] = {"folder": part.folder, "account_ref": part.ref, **_answers(part)}
    if part.match.line is not None:
        withheld = withheld_counts(conn, part.match.account_id, part.match.window, classes)
        if withheld:
            entry["withheld"] = withheld
            entry["withheld_reason"] = WITHHELD_REASON
    return entry


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
        files += table_files("subscriber", [r[0] for r in rows], [[r[1] for r in rows]])
        files.append(ExportFile("subscriber.pdf", subscriber_pdf(provider, tracking, view)))
    files.extend(account_files(conn, cipher, blobs, match.account_id, match.window, classes, match.line))
    return files


def _record_disclosure(conn: Connection, request_id: int, tracking: str, match: Match, classes: frozenset[str],
                       count: int, actor: str, now: datetime) -> None:
    conn.execute(insert(legal_production).values(
        request_id=request_id, account_id=match.account_id, record_classes=json.dumps(sorted(classes)),
        files=count, package_sha256="", produced_by=actor, produced_at=now))
    audit.append(conn, actor=actor, action="legal.disclosure", account_id=match.account_id,
                 record_classes=sorted(classes), reason="produced in response to legal process",
                 detail={"request": tracking, "from": match.window.start.isoformat(),
                         "to": match.window.end.isoformat(), "target": "account" if match.line is None else "line"},
                 now=now)
