"""Queries of data-subject requests (flushes, never commits). Details go in and out sealed with the request
desk's cipher; verification tokens are stored and looked up by their SHA-256 only."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from custodian.crypto.envelope import FieldCipher
from custodian.dsr.tables import privacy_request, privacy_request_event, privacy_request_token
from custodian.dsr.types import PrivacyRequest, RequestDetails, RequestEvent
from custodian.portal.tables import portal_account

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
NOT_OPENED = RequestDetails(name="", email="")  # the details of a listed request, left sealed


class PrivacyRequestNotFound(LookupError):
    """No request has this reference."""


def new_reference() -> str:
    """A reference a person can read out: PR- and ten unambiguous characters."""
    return "PR-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))


def token_hash(token: str) -> str:
    """The SHA-256 a verification token is stored as."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aad(reference: str) -> bytes:
    return f"privacy_request.details:{reference}".encode()


def insert_request(conn: Connection, cipher: FieldCipher, values: dict[str, Any], details: RequestDetails) -> int:
    """Store a new request; return its id."""
    sealed = cipher.seal(json.dumps(asdict(details)), _aad(values["reference"]))
    return int(conn.execute(insert(privacy_request).values(**values, details_enc=sealed)
                            .returning(privacy_request.c.id)).scalar_one())


def update_request(conn: Connection, request_id: int, **values: Any) -> None:
    """Change columns of one request."""
    conn.execute(update(privacy_request).where(privacy_request.c.id == request_id).values(**values))


def add_event(conn: Connection, request_id: int, *, actor: str, action: str, note: str, now: datetime) -> None:
    """One step of the request's history (words only, never personal data)."""
    conn.execute(insert(privacy_request_event).values(request_id=request_id, at=now, actor=actor, action=action,
                                                      note=note))


def issue_token(conn: Connection, request_id: int, *, now: datetime, expires_at: datetime) -> str:
    """A new verification token for the request; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    conn.execute(insert(privacy_request_token).values(request_id=request_id, token_hash=token_hash(token),
                                                      created_at=now, expires_at=expires_at))
    return token


def request_of_token(conn: Connection, token: str, now: datetime) -> int | None:
    """The request a live token belongs to (unused, not expired), or None."""
    row = conn.execute(select(privacy_request_token.c.request_id, privacy_request_token.c.expires_at,
                              privacy_request_token.c.used_at)
                       .where(privacy_request_token.c.token_hash == token_hash(token))).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    return int(row.request_id)


def use_tokens(conn: Connection, request_id: int, now: datetime) -> None:
    """Spend every token of the request (the link works once)."""
    conn.execute(update(privacy_request_token).where(privacy_request_token.c.request_id == request_id,
                                                     privacy_request_token.c.used_at.is_(None)).values(used_at=now))


def read(conn: Connection, cipher: FieldCipher, request_id: int) -> PrivacyRequest:
    """One request, its details opened."""
    row = conn.execute(select(privacy_request).where(privacy_request.c.id == request_id)).first()
    if row is None:
        raise PrivacyRequestNotFound(f"no privacy request {request_id}")
    return _request(cipher, row)


def id_of(conn: Connection, reference: str) -> int:
    """The id of the request with this reference; PrivacyRequestNotFound if none."""
    found = conn.execute(select(privacy_request.c.id).where(privacy_request.c.reference == reference.strip().upper())
                         ).scalar()
    if found is None:
        raise PrivacyRequestNotFound(f"no privacy request {reference}")
    return int(found)


def listing(conn: Connection, states: tuple[str, ...] | None) -> list[PrivacyRequest]:
    """Requests in `states` (all when None), the earliest due first, those without a deadline last. The
    requester's details stay sealed (NOT_OPENED): the queue shows none, so it reads none."""
    query = select(privacy_request)
    if states is not None:
        query = query.where(privacy_request.c.state.in_(states))
    rows = conn.execute(query.order_by(privacy_request.c.due_on.is_(None), privacy_request.c.due_on,
                                       privacy_request.c.id)).all()
    return [_request(None, row) for row in rows]


def ids_in_state(conn: Connection, state: str) -> list[tuple[int, datetime, datetime | None]]:
    """(id, received_at, reminded_at) of every request in `state`."""
    rows = conn.execute(select(privacy_request.c.id, privacy_request.c.received_at, privacy_request.c.reminded_at)
                        .where(privacy_request.c.state == state)).all()
    return [(int(r.id), r.received_at, r.reminded_at) for r in rows]


def events(conn: Connection, request_id: int) -> list[RequestEvent]:
    """The history of a request, oldest first."""
    rows = conn.execute(select(privacy_request_event).where(privacy_request_event.c.request_id == request_id)
                        .order_by(privacy_request_event.c.id)).all()
    return [RequestEvent(r.at, r.actor, r.action, r.note) for r in rows]


def referenced_blob_keys(conn: Connection) -> set[str]:
    """Blob keys of authorization uploads (so the blob sweep keeps them)."""
    return set(conn.execute(select(privacy_request.c.authorization_blob_key)
                            .where(privacy_request.c.authorization_blob_key.is_not(None))).scalars())


def _request(cipher: FieldCipher | None, row: Any) -> PrivacyRequest:
    details = (RequestDetails(**json.loads(cipher.open(row.details_enc, _aad(row.reference))))
               if cipher is not None else NOT_OPENED)
    return PrivacyRequest(
        id=int(row.id), reference=row.reference, request_type=row.request_type, scope=row.scope,
        jurisdiction=row.jurisdiction, by_agent=bool(row.by_agent), state=row.state, received_at=row.received_at,
        received_on=row.received_on, due_on=row.due_on, extendable_to=row.extendable_to,
        extended_at=row.extended_at, account_id=row.account_id, matched_points=row.matched_points,
        deny_reason=row.deny_reason, verified_at=row.verified_at, closed_at=row.closed_at,
        has_authorization=row.authorization_blob_key is not None, details=details,
        portal_showing=None if row.portal_showing is None else bool(row.portal_showing))


def has_online_account(conn: Connection, account_id: int) -> bool:
    """Whether the account's holder has a customer portal account (seed 002 P154: the "Admin Portal")."""
    found = conn.execute(select(portal_account.c.id).where(portal_account.c.account_id == account_id)).first()
    return found is not None
