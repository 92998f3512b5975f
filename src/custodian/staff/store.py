"""Queries on staff identities, sessions and acknowledgements. Joins the caller's transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from custodian.staff.tables import policy_acknowledgement, staff_member, staff_session


@dataclass(frozen=True)
class StaffMember:
    """A staff identity without its secrets."""

    id: int
    username: str
    display_name: str
    role: str
    password_must_change: bool
    totp_enrolled: bool
    failed_attempts: int
    locked_until: datetime | None
    disabled_at: datetime | None


@dataclass(frozen=True)
class Session:
    """A console session: who, how far through login, and the CSRF token of its forms."""

    token_hash: str
    staff_id: int
    stage: str
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime


def token_hash(token: str) -> str:
    """What is stored for a session cookie: its SHA-256, so a leaked table opens no session."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def insert_staff(conn: Connection, **values: Any) -> int:
    """Insert a staff identity; return its id."""
    return int(conn.execute(insert(staff_member).values(**values).returning(staff_member.c.id)).scalar_one())


def staff_by_username(conn: Connection, username: str) -> StaffMember | None:
    """The staff member with this username."""
    row = conn.execute(select(staff_member).where(staff_member.c.username == username)).first()
    return _member(row) if row else None


def staff_by_id(conn: Connection, staff_id: int) -> StaffMember | None:
    """The staff member with this id."""
    row = conn.execute(select(staff_member).where(staff_member.c.id == staff_id)).first()
    return _member(row) if row else None


def all_staff(conn: Connection) -> list[StaffMember]:
    """Every staff identity, by username."""
    return [_member(row) for row in conn.execute(select(staff_member).order_by(staff_member.c.username))]


def secrets_of(conn: Connection, staff_id: int) -> tuple[str, bytes, int]:
    """The password hash, sealed TOTP secret and last accepted TOTP step of one staff member."""
    row = conn.execute(select(staff_member.c.password_hash, staff_member.c.totp_secret_enc,
                              staff_member.c.totp_last_step).where(staff_member.c.id == staff_id)).one()
    return row.password_hash, row.totp_secret_enc, row.totp_last_step


def update_staff(conn: Connection, staff_id: int, **values: Any) -> None:
    """Change fields of one staff identity."""
    conn.execute(update(staff_member).where(staff_member.c.id == staff_id).values(**values))


def insert_session(conn: Connection, token: str, staff_id: int, stage: str, csrf_token: str, now: datetime) -> None:
    """Store a new session under the hash of its token."""
    conn.execute(insert(staff_session).values(token_hash=token_hash(token), staff_id=staff_id, stage=stage,
                                              csrf_token=csrf_token, created_at=now, last_seen_at=now))


def session_by_token(conn: Connection, token: str) -> Session | None:
    """The session a cookie names."""
    row = conn.execute(select(staff_session).where(staff_session.c.token_hash == token_hash(token))).first()
    return Session(row.token_hash, row.staff_id, row.stage, row.csrf_token, row.created_at,
                   row.last_seen_at) if row else None


def touch_session(conn: Connection, hashed: str, now: datetime, stage: str | None = None) -> None:
    """Record activity on a session (and move it to `stage`)."""
    values: dict[str, Any] = {"last_seen_at": now}
    if stage:
        values["stage"] = stage
    conn.execute(update(staff_session).where(staff_session.c.token_hash == hashed).values(**values))


def delete_sessions(conn: Connection, *, hashed: str | None = None, staff_id: int | None = None) -> None:
    """End one session, or every session of a staff member."""
    where = staff_session.c.token_hash == hashed if hashed else staff_session.c.staff_id == staff_id
    conn.execute(delete(staff_session).where(where))


def has_acknowledged(conn: Connection, staff_id: int, version_hash: str) -> bool:
    """True when the staff member acknowledged this policy version."""
    return conn.execute(select(policy_acknowledgement.c.id).where(
        policy_acknowledgement.c.staff_id == staff_id,
        policy_acknowledgement.c.version_hash == version_hash)).first() is not None


def insert_acknowledgement(conn: Connection, staff_id: int, version_hash: str, now: datetime) -> None:
    """Record that a staff member acknowledged a policy version."""
    conn.execute(insert(policy_acknowledgement).values(staff_id=staff_id, version_hash=version_hash,
                                                       acknowledged_at=now))


def _member(row: Any) -> StaffMember:
    return StaffMember(row.id, row.username, row.display_name, row.role, row.password_must_change,
                       row.totp_enrolled, row.failed_attempts, row.locked_until, row.disabled_at)
