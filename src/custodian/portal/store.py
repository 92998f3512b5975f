"""Rows of online accounts, their sessions and remembered devices. Joins the caller's transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, delete, insert, literal, null, select, update

from custodian.portal.tables import portal_account, portal_device, portal_session
from custodian.records.tables import account, postal_address
from custodian.staff.store import token_hash


@dataclass(frozen=True)
class OnlineAccount:
    """A customer's online account."""

    id: int
    account_id: int
    failed_attempts: int
    locked_until: datetime | None
    password_hash: str
    totp_enrolled: bool = False


@dataclass(frozen=True)
class PortalSession:
    """A signed-in browser: stage "password" waits for the e-mailed code, "full" is signed in."""

    token_hash: str
    portal_account_id: int
    stage: str
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime


def _online(row: Any) -> OnlineAccount:
    return OnlineAccount(row.id, row.account_id, row.failed_attempts, row.locked_until, row.password_hash,
                         bool(row.totp_enrolled))


def insert_online(conn: Connection, account_id: int, password_hash: str, now: datetime) -> int:
    """Create the online account of `account_id`."""
    return int(conn.execute(insert(portal_account).values(
        account_id=account_id, password_hash=password_hash, failed_attempts=0, created_at=now,
        password_set_at=now, totp_enrolled=False, totp_last_step=0).returning(portal_account.c.id)).scalar_one())


def online_of(conn: Connection, *, account_id: int | None = None, online_id: int | None = None) -> OnlineAccount | None:
    """The online account of an account, or by its own id."""
    where = portal_account.c.account_id == account_id if account_id is not None else portal_account.c.id == online_id
    row = conn.execute(select(portal_account).where(where)).first()
    return _online(row) if row else None


def claim_attempt(conn: Connection, account_id: int, now: datetime, limit: int,
                  lockout: timedelta) -> tuple[OnlineAccount, int] | None:
    """Count one sign-in attempt atomically before the password is checked (the rule of the staff console's
    `staff.store.claim_attempt`): the attempt reaching `limit` locks; a lock run out restarts the count."""
    c = portal_account.c
    active = and_(c.locked_until.is_not(None), c.locked_until > now)
    restart = and_(c.failed_attempts >= limit, ~active)
    lock_at = literal(now + lockout, c.locked_until.type)
    row = conn.execute(update(portal_account).where(c.account_id == account_id).values(
        failed_attempts=case((restart, 1), else_=c.failed_attempts + 1),
        locked_until=case((active, c.locked_until), (restart, lock_at if limit <= 1 else null()),
                          (c.failed_attempts + 1 >= limit, lock_at), else_=null()),
    ).returning(*portal_account.c)).first()
    return (_online(row), row.failed_attempts) if row else None


def update_online(conn: Connection, online_id: int, **values: Any) -> None:
    """Change fields of one online account."""
    conn.execute(update(portal_account).where(portal_account.c.id == online_id).values(**values))


def insert_session(conn: Connection, online_id: int, stage: str, now: datetime) -> str:
    """A new session; returns the cookie value (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    conn.execute(insert(portal_session).values(token_hash=token_hash(token), portal_account_id=online_id,
                                               stage=stage, csrf_token=secrets.token_urlsafe(32), created_at=now,
                                               last_seen_at=now))
    return token


def session_by_token(conn: Connection, token: str) -> PortalSession | None:
    """The session a cookie names."""
    row = conn.execute(select(portal_session).where(portal_session.c.token_hash == token_hash(token))).first()
    return PortalSession(row.token_hash, row.portal_account_id, row.stage, row.csrf_token, row.created_at,
                         row.last_seen_at) if row else None


def touch_session(conn: Connection, hashed: str, now: datetime) -> None:
    """Keep a session alive."""
    conn.execute(update(portal_session).where(portal_session.c.token_hash == hashed).values(last_seen_at=now))


def delete_sessions(conn: Connection, *, hashed: str | None = None, online_id: int | None = None,
                    keep: str | None = None) -> None:
    """End one session, or every session of an online account (but `keep`)."""
    c = portal_session.c
    where = [c.token_hash == hashed] if hashed else [c.portal_account_id == online_id]
    if keep:
        where.append(c.token_hash != keep)
    conn.execute(delete(portal_session).where(*where))


def remember_device(conn: Connection, online_id: int, now: datetime, lifetime: timedelta) -> str:
    """Remember this browser for `lifetime`; returns the cookie value (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    conn.execute(delete(portal_device).where(portal_device.c.expires_at <= now))
    conn.execute(insert(portal_device).values(token_hash=token_hash(token), portal_account_id=online_id,
                                              created_at=now, expires_at=now + lifetime))
    return token


def device_known(conn: Connection, online_id: int, token: str, now: datetime) -> bool:
    """True when `token` names a remembered, unexpired browser of this online account."""
    if not token:
        return False
    c = portal_device.c
    return conn.execute(select(c.token_hash).where(c.token_hash == token_hash(token), c.portal_account_id == online_id,
                                                   c.expires_at > now)).first() is not None


def forget_devices(conn: Connection, online_id: int) -> None:
    """Forget every remembered browser of an online account (after a password change)."""
    conn.execute(delete(portal_device).where(portal_device.c.portal_account_id == online_id))


def account_ref(conn: Connection, account_id: int) -> str:
    """The account reference the customer signs in with."""
    return str(conn.execute(select(account.c.ref).where(account.c.id == account_id)).scalar_one())


def account_region(conn: Connection, account_id: int) -> str:
    """The country (ISO 3166 alpha-2) of the account's postal address of record, US when none is given: the
    pages write telephone numbers as people there do."""
    country = conn.execute(select(postal_address.c.country).where(
        postal_address.c.account_id == account_id, postal_address.c.purpose == "contact")
        .order_by(postal_address.c.id.desc()).limit(1)).scalar()
    return str(country).upper() if country else "US"


def totp_of(conn: Connection, online_id: int) -> tuple[bytes | None, int]:
    """(sealed authenticator secret, last accepted time step) of an online account."""
    row = conn.execute(select(portal_account.c.totp_secret_enc, portal_account.c.totp_last_step)
                       .where(portal_account.c.id == online_id)).one()
    return row.totp_secret_enc, int(row.totp_last_step)
