"""Queries of the legal desk. Joins the caller's transaction; never commits."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from custodian.crypto.envelope import FieldCipher
from custodian.legal.scope import Match
from custodian.legal.tables import (
    legal_approval,
    legal_intake_rejection,
    legal_match,
    legal_request,
    legal_verification,
)
from custodian.legal.types import LegalRequest
from custodian.legal.validate import Problem


@dataclass(frozen=True)
class StoredRequest:
    """One request as the desk sees it (the document opened)."""

    id: int
    tracking_number: str
    kind: str
    requester_type: str
    instrument_type: str
    state: str
    expedite: bool
    received_at: datetime
    received_on: date
    due_on: date
    inquiry_on: date
    nondisclosure: bool
    nondisclosure_until: date | None
    nondisclosure_lifted_on: date | None
    channel: str
    document: LegalRequest
    problems: tuple[Problem, ...]
    instrument_blob_key: str | None
    secret_hash: str


def document_aad(request_id: int) -> bytes:
    """Binds a sealed document to its request row."""
    return f"legal_request:{request_id}:document".encode()


def insert_request(conn: Connection, values: dict[str, Any]) -> int:
    """Insert a request row (document sealed afterwards, once its id is known); return the id."""
    return int(conn.execute(insert(legal_request).values(document_enc=b"", **values)
                            .returning(legal_request.c.id)).scalar_one())


def save_document(conn: Connection, cipher: FieldCipher, request_id: int, document: LegalRequest,
                  problems: list[Problem], now: datetime) -> None:
    """Seal and store the request document and its current problems."""
    text = document.model_dump_json(by_alias=True)
    conn.execute(update(legal_request).where(legal_request.c.id == request_id).values(
        document_enc=cipher.seal(text, document_aad(request_id)), updated_at=now,
        problems=json.dumps([p.__dict__ for p in problems])))


def set_state(conn: Connection, request_id: int, state: str, now: datetime, **values: Any) -> None:
    """Move a request to `state` (the caller checked the transition)."""
    conn.execute(update(legal_request).where(legal_request.c.id == request_id)
                 .values(state=state, updated_at=now, **values))


def set_instrument(conn: Connection, request_id: int, blob_key: str, now: datetime) -> None:
    """Link the sealed signed-instrument PDF to its request."""
    conn.execute(update(legal_request).where(legal_request.c.id == request_id)
                 .values(instrument_blob_key=blob_key, updated_at=now))


def read_request(conn: Connection, cipher: FieldCipher, request_id: int) -> StoredRequest | None:
    """A request by id, its document opened."""
    row = conn.execute(select(legal_request).where(legal_request.c.id == request_id)).first()
    return _stored(row, cipher) if row else None


def request_id_by_tracking(conn: Connection, tracking_number: str) -> tuple[int, str] | None:
    """(id, secret hash) of the request with this tracking number."""
    row = conn.execute(select(legal_request.c.id, legal_request.c.secret_hash)
                       .where(legal_request.c.tracking_number == tracking_number)).first()
    return (int(row.id), str(row.secret_hash)) if row else None


def open_requests(conn: Connection) -> list[Any]:
    """Rows of every request not yet closed, rejected or withdrawn (for the queue)."""
    return list(conn.execute(select(legal_request.c.id, legal_request.c.tracking_number, legal_request.c.kind,
                                    legal_request.c.requester_type, legal_request.c.state,
                                    legal_request.c.expedite, legal_request.c.received_at,
                                    legal_request.c.due_on)
                             .where(legal_request.c.state.not_in(("closed", "rejected", "withdrawn")))).all())


def replace_matches(conn: Connection, request_id: int, matches: list[Match]) -> None:
    """Store the scoped accounts and windows of a request."""
    conn.execute(legal_match.delete().where(legal_match.c.request_id == request_id))
    if matches:
        conn.execute(insert(legal_match), [
            {"request_id": request_id, "account_id": m.account_id, "window_start": m.window.start,
             "window_end": m.window.end, "line_bidx": m.line} for m in matches])


def matches_of(conn: Connection, request_id: int) -> list[Match]:
    """The scoped accounts, windows and lines of a request (whole-account matches first per account)."""
    from custodian.legal.scope import Window

    rows = conn.execute(select(legal_match).where(legal_match.c.request_id == request_id)).all()
    found = [Match(int(r.account_id), Window(r.window_start, r.window_end),
                   bytes(r.line_bidx) if r.line_bidx is not None else None) for r in rows]
    return sorted(found, key=Match.sort_key)


def add_approval(conn: Connection, request_id: int, record_class: str, actor: str, rationale: str,
                 now: datetime) -> None:
    """Record one approved class with its rationale."""
    conn.execute(insert(legal_approval).values(request_id=request_id, record_class=record_class,
                                               approved_by=actor, rationale=rationale, approved_at=now))


def approved_classes(conn: Connection, request_id: int) -> list[str]:
    """The classes approved for a request."""
    return list(conn.execute(select(legal_approval.c.record_class)
                             .where(legal_approval.c.request_id == request_id)
                             .order_by(legal_approval.c.id)).scalars())


def add_verification(conn: Connection, values: dict[str, Any]) -> None:
    """Record one verification step."""
    conn.execute(insert(legal_verification).values(**values))


def verified_by_callback(conn: Connection, request_id: int) -> bool:
    """True when a passed call-back to the agency is on record."""
    return conn.execute(select(legal_verification.c.id).where(
        legal_verification.c.request_id == request_id, legal_verification.c.method == "callback",
        legal_verification.c.passed.is_(True)).limit(1)).first() is not None


def referenced_blob_keys(conn: Connection) -> set[str]:
    """Blob keys the desk keeps (signed instruments, production packages), so a blob sweep spares them."""
    from custodian.legal.tables import legal_preservation

    rows = conn.execute(select(legal_request.c.instrument_blob_key, legal_request.c.package_blob_key)).all()
    snapshots = conn.execute(select(legal_preservation.c.snapshot_blob_key)
                             .where(legal_preservation.c.snapshot_blob_key.is_not(None))).scalars()
    return {key for row in rows for key in row if key} | set(snapshots)


def _stored(row: Any, cipher: FieldCipher) -> StoredRequest:
    document = LegalRequest.model_validate_json(cipher.open(row.document_enc, document_aad(row.id)))
    problems = tuple(Problem(**item) for item in json.loads(row.problems))
    return StoredRequest(
        id=row.id, tracking_number=row.tracking_number, kind=row.kind, requester_type=row.requester_type,
        instrument_type=row.instrument_type, state=row.state, expedite=row.expedite, received_at=row.received_at,
        received_on=row.received_on, due_on=row.due_on, inquiry_on=row.inquiry_on, nondisclosure=row.nondisclosure,
        nondisclosure_until=row.nondisclosure_until, nondisclosure_lifted_on=row.nondisclosure_lifted_on,
        channel=row.channel, document=document, problems=problems,
        instrument_blob_key=row.instrument_blob_key, secret_hash=row.secret_hash)


def transparency_facts(conn: Connection, cipher: FieldCipher) -> list[Any]:
    """Per request: what the transparency report counts (documents opened only to count targets and classes)."""
    from sqlalchemy import func

    from custodian.legal.tables import legal_notice, legal_production
    from custodian.legal.transparency import RequestFacts

    produced = dict(conn.execute(select(legal_production.c.request_id, func.count(legal_production.c.id))
                                 .group_by(legal_production.c.request_id)).all())
    sent = dict(conn.execute(select(legal_notice.c.request_id, func.count(legal_notice.c.id))
                             .where(legal_notice.c.outcome == "sent").group_by(legal_notice.c.request_id))
                .all())
    facts = []
    for row in conn.execute(select(legal_request)).all():
        document = _stored(row, cipher).document
        classes = approved_classes(conn, row.id) or list(document.record_classes)
        facts.append(RequestFacts(
            received_on=row.received_on, kind=row.kind, requester_type=row.requester_type,
            instrument_type=row.instrument_type, state=row.state,
            targets=sum(1 for t in document.targets if t.identifies()), accounts_produced=produced.get(row.id, 0),
            content=any(name.startswith("content.") for name in classes), nondisclosure=row.nondisclosure,
            notices_sent=sent.get(row.id, 0)))
    return facts


def record_intake_rejection(conn: Connection, channel: str, now: datetime) -> None:
    """Count one public submission refused for missing required fields (nothing of it is kept)."""
    conn.execute(insert(legal_intake_rejection).values(rejected_at=now, rejected_on=now.date(), channel=channel))


def intake_rejection_days(conn: Connection) -> list[date]:
    """The day of every submission refused at intake (the transparency report counts them per period)."""
    return list(conn.execute(select(legal_intake_rejection.c.rejected_on)).scalars())
