"""Staff use cases: enrolment, login with password then TOTP, lockout, sessions, acknowledgement.

Every outcome that matters is appended to the audit chain on the caller's connection.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from custodian.audit import store as audit
from custodian.staff import credentials
from custodian.staff import store as staff_store
from custodian.staff.store import Session, StaffMember

MIN_PASSWORD_LENGTH = 12
USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")


class StaffError(ValueError):
    """A staff operation that cannot be done, with a reason fit to show."""


@dataclass(frozen=True)
class SignInLimits:
    """How sign-in attempts and console sessions are bounded (settings `CUSTODIAN_STAFF_*`)."""

    max_failed_attempts: int = 5
    lockout: timedelta = timedelta(minutes=15)
    idle_timeout: timedelta = timedelta(minutes=15)
    session_lifetime: timedelta = timedelta(hours=12)


DEFAULT_LIMITS = SignInLimits()


@dataclass(frozen=True)
class NewCredentials:
    """What a new or reset staff member is given once: a one-time password and a TOTP secret."""

    staff_id: int
    username: str
    password: str
    totp_secret: str


def add_staff(conn: Connection, master_key: bytes, *, username: str, display_name: str, role: str,
              roles: tuple[str, ...], actor: str, now: datetime) -> NewCredentials:
    """Create a staff identity in `role` (one of `roles`) with a one-time password and a TOTP secret."""
    if not USERNAME.match(username):
        raise StaffError("username: lower-case letters, digits, '.', '_' or '-', starting with a letter")
    if role not in roles:
        raise StaffError(f"role: {role!r} is not a role of the policy in force ({', '.join(roles)})")
    if staff_store.staff_by_username(conn, username) is not None:
        raise StaffError(f"username: {username!r} is taken")
    password, secret = credentials.new_password(), credentials.new_totp_secret()
    staff_id = staff_store.insert_staff(
        conn, username=username, display_name=display_name or username, role=role,
        password_hash=credentials.hash_password(password), password_must_change=True,
        totp_secret_enc=credentials.seal_totp_secret(master_key, secret), totp_enrolled=False, totp_last_step=0,
        failed_attempts=0, created_at=now)
    audit.append(conn, actor=actor, action="staff.add", reason="staff identity created",
                 detail={"staff": username, "role": role}, now=now)
    return NewCredentials(staff_id, username, password, secret)


def reset_staff(conn: Connection, master_key: bytes, username: str, *, actor: str, now: datetime) -> NewCredentials:
    """Give a staff member a new one-time password and TOTP secret, unlock them, end their sessions."""
    member = _existing(conn, username)
    password, secret = credentials.new_password(), credentials.new_totp_secret()
    staff_store.update_staff(conn, member.id, password_hash=credentials.hash_password(password),
                             password_must_change=True,
                             totp_secret_enc=credentials.seal_totp_secret(master_key, secret),
                             totp_enrolled=False, totp_last_step=0, failed_attempts=0, locked_until=None)
    staff_store.delete_sessions(conn, staff_id=member.id)
    audit.append(conn, actor=actor, action="staff.reset", reason="credentials reset",
                 detail={"staff": username}, now=now)
    return NewCredentials(member.id, username, password, secret)


def disable_staff(conn: Connection, username: str, *, actor: str, now: datetime) -> None:
    """Disable a staff member and end their sessions."""
    member = _existing(conn, username)
    staff_store.update_staff(conn, member.id, disabled_at=now)
    staff_store.delete_sessions(conn, staff_id=member.id)
    audit.append(conn, actor=actor, action="staff.disable", reason="staff identity disabled",
                 detail={"staff": username}, now=now)


def check_password(conn: Connection, username: str, password: str, now: datetime,
                   limits: SignInLimits = DEFAULT_LIMITS) -> StaffMember | None:
    """The staff member when the password is right and they may sign in; failures count toward lockout."""
    member = staff_store.staff_by_username(conn, username)
    if member is None:
        credentials.hash_password(password)  # same cost either way: no username probing by timing
        audit.append(conn, actor="console", action="staff.login_failed", reason="unknown username", now=now)
        return None
    if member.disabled_at is not None or _locked(member, now):
        audit.append(conn, actor=f"staff:{username}", action="staff.login_refused",
                     reason="disabled" if member.disabled_at else "locked out", now=now)
        return None
    password_hash, _sealed, _step = staff_store.secrets_of(conn, member.id)
    if not credentials.password_matches(password_hash, password):
        record_failure(conn, member, "wrong password", now, limits)
        return None
    return member


def check_totp(conn: Connection, master_key: bytes, member: StaffMember, code: str, now: datetime,
               limits: SignInLimits = DEFAULT_LIMITS) -> bool:
    """True when `code` is a fresh TOTP code of the member; marks enrolment done on the first success."""
    if member.disabled_at is not None or _locked(member, now):
        return False
    _hash, sealed, last_step = staff_store.secrets_of(conn, member.id)
    step = credentials.totp_step(credentials.open_totp_secret(master_key, sealed), code, now, last_step)
    if step is None:
        record_failure(conn, member, "wrong second-factor code", now, limits)
        return False
    staff_store.update_staff(conn, member.id, totp_last_step=step, totp_enrolled=True, failed_attempts=0)
    audit.append(conn, actor=f"staff:{member.username}", action="staff.login", reason="password and TOTP accepted",
                 now=now)
    return True


def record_failure(conn: Connection, member: StaffMember, reason: str, now: datetime,
                   limits: SignInLimits = DEFAULT_LIMITS) -> None:
    """Count a failed attempt; lock the account for `limits.lockout` after `limits.max_failed_attempts`."""
    failures = member.failed_attempts + 1
    locked = failures >= limits.max_failed_attempts
    staff_store.update_staff(conn, member.id, failed_attempts=0 if locked else failures,
                             locked_until=now + limits.lockout if locked else member.locked_until)
    audit.append(conn, actor=f"staff:{member.username}", action="staff.login_failed",
                 reason=reason + ("; locked out" if locked else ""), now=now)


def set_password(conn: Connection, member: StaffMember, password: str, now: datetime) -> None:
    """Replace the one-time password with the staff member's own."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"password: at least {MIN_PASSWORD_LENGTH} characters")
    staff_store.update_staff(conn, member.id, password_hash=credentials.hash_password(password),
                             password_must_change=False)
    audit.append(conn, actor=f"staff:{member.username}", action="staff.password_set", reason="own password set",
                 now=now)


def start_session(conn: Connection, staff_id: int, now: datetime) -> str:
    """A new session after the password step; returns the cookie value (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    staff_store.insert_session(conn, token, staff_id, "password", secrets.token_urlsafe(32), now)
    return token


def live_session(conn: Connection, token: str, now: datetime, limits: SignInLimits = DEFAULT_LIMITS) -> Session | None:
    """The session a cookie names, if neither idle too long nor too old; touching it keeps it alive."""
    session = staff_store.session_by_token(conn, token) if token else None
    if session is None:
        return None
    if now - session.last_seen_at > limits.idle_timeout or now - session.created_at > limits.session_lifetime:
        staff_store.delete_sessions(conn, hashed=session.token_hash)
        return None
    staff_store.touch_session(conn, session.token_hash, now)
    return session


def acknowledge(conn: Connection, member: StaffMember, version_hash: str, now: datetime) -> None:
    """Record that the staff member acknowledged the policy version in force."""
    if not staff_store.has_acknowledged(conn, member.id, version_hash):
        staff_store.insert_acknowledgement(conn, member.id, version_hash, now)
        audit.append(conn, actor=f"staff:{member.username}", action="staff.acknowledge",
                     reason="privacy policy acknowledged", detail={"version": version_hash}, now=now)


def _existing(conn: Connection, username: str) -> StaffMember:
    member = staff_store.staff_by_username(conn, username)
    if member is None:
        raise StaffError(f"username: no staff member {username!r}")
    return member


def _locked(member: StaffMember, now: datetime) -> bool:
    return member.locked_until is not None and member.locked_until > now
