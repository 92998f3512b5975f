"""Queries on staff identities, sessions and acknowledgements. Joins the caller's transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, delete, insert, literal, null, select, update

from custodian.staff.tables import policy_acknowledgement, staff_credential_issue, staff_member, staff_session


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
    credentials_pending: bool = False
    time_zone: str | None = None  # IANA name; None: the provider's default


@dataclass(frozen=True)
class Attempt:
    """One counted sign-in attempt: who, and its place among the failures since the last sign-in."""

    member: StaffMember
    position: int
    password_hash: str


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


def claim_attempt(conn: Connection, username: str, now: datetime, limit: int, lockout: timedelta) -> Attempt | None:
    """Count one sign-in attempt in a single atomic UPDATE ... RETURNING, before any password is checked.

    Parallel attempts each get their own position, so no failure is lost to a race. The attempt that
    reaches `limit` locks the member at once (it is still checked, and clears the lock if right); an
    attempt after it finds the lock. A lock that has run out restarts the count at one.
    """
    c = staff_member.c
    active = and_(c.locked_until.is_not(None), c.locked_until > now)
    restart = and_(c.failed_attempts >= limit, ~active)
    lock_at = literal(now + lockout, c.locked_until.type)
    row = conn.execute(update(staff_member).where(c.username == username).values(
        failed_attempts=case((restart, 1), else_=c.failed_attempts + 1),
        locked_until=case((active, c.locked_until), (restart, lock_at if limit <= 1 else null()),
                          (c.failed_attempts + 1 >= limit, lock_at), else_=null()),
    ).returning(*staff_member.c)).first()
    return Attempt(_member(row), row.failed_attempts, row.password_hash) if row else None


def count_failure(conn: Connection, staff_id: int, now: datetime, limit: int, lockout: timedelta) -> int:
    """Count a failed step atomically (a wrong second-factor code, a wrong current password); lock at `limit`."""
    c = staff_member.c
    active = and_(c.locked_until.is_not(None), c.locked_until > now)
    lock_at = literal(now + lockout, c.locked_until.type)
    return int(conn.execute(update(staff_member).where(c.id == staff_id).values(
        failed_attempts=c.failed_attempts + 1,
        locked_until=case((active, c.locked_until), (c.failed_attempts + 1 >= limit, lock_at), else_=null()),
    ).returning(c.failed_attempts)).scalar_one())


def release_lock(conn: Connection, staff_id: int, locked_until: datetime) -> None:
    """Lift the lock an attempt set itself, when that attempt turned out right."""
    conn.execute(update(staff_member).where(staff_member.c.id == staff_id,
                                            staff_member.c.locked_until == locked_until).values(locked_until=None))


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


def delete_sessions(conn: Connection, *, hashed: str | None = None, staff_id: int | None = None,
                    keep: str | None = None) -> None:
    """End one session, or every session of a staff member (but the one hashed `keep`)."""
    where = staff_session.c.token_hash == hashed if hashed else staff_session.c.staff_id == staff_id
    if keep:
        where = and_(where, staff_session.c.token_hash != keep)
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


@dataclass(frozen=True)
class CredentialIssue:
    """One-time credentials given to a member: by whom, where, and whether they may be used yet."""

    id: int
    staff_id: int
    username: str
    role: str
    action: str
    channel: str
    issued_by: str
    issued_at: datetime
    state: str
    decided_by: str | None
    decided_at: datetime | None


def insert_issue(conn: Connection, **values: Any) -> int:
    """Record an issue of one-time credentials; return its id."""
    return int(conn.execute(insert(staff_credential_issue).values(**values)
                            .returning(staff_credential_issue.c.id)).scalar_one())


def supersede_pending(conn: Connection, staff_id: int, now: datetime) -> None:
    """Earlier pending issues of a member lapse when new credentials are issued."""
    conn.execute(update(staff_credential_issue).where(staff_credential_issue.c.staff_id == staff_id,
                                                      staff_credential_issue.c.state == "pending")
                 .values(state="superseded", decided_at=now))


def decide_issue(conn: Connection, issue_id: int, state: str, by: str, now: datetime) -> bool:
    """Approve a pending issue (only if still pending); True when this call decided it."""
    done = conn.execute(update(staff_credential_issue).where(staff_credential_issue.c.id == issue_id,
                                                             staff_credential_issue.c.state == "pending")
                        .values(state=state, decided_by=by, decided_at=now))
    return done.rowcount == 1


def issues(conn: Connection, *, issue_id: int | None = None, limit: int = 200) -> list[CredentialIssue]:
    """Credential issues, pending first, then newest first (or just the one with `issue_id`)."""
    i, m = staff_credential_issue.c, staff_member.c
    query = (select(i.id, i.staff_id, m.username, m.role, i.action, i.channel, i.issued_by, i.issued_at, i.state,
                    i.decided_by, i.decided_at).join(staff_member, m.id == i.staff_id)
             .order_by(case((i.state == "pending", 0), else_=1), i.id.desc()).limit(limit))
    if issue_id is not None:
        query = query.where(i.id == issue_id)
    return [CredentialIssue(*row) for row in conn.execute(query)]


def _member(row: Any) -> StaffMember:
    return StaffMember(row.id, row.username, row.display_name, row.role, row.password_must_change,
                       row.totp_enrolled, row.failed_attempts, row.locked_until, row.disabled_at,
                       row.credentials_pending, row.time_zone)
