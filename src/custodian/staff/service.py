"""Staff use cases: enrolment, credential issues and their approval, sessions, acknowledgement
(sign-in itself is in `staff.sign_in`).

Every outcome that matters is appended to the audit chain on the caller's connection.

Separation of duties: one-time credentials issued in the console (add or reset) by a privacy
officer do not open a session until a *second* privacy officer — neither the issuer nor the member
— approves them, so no officer can create or reset a member and then act as it alone. Credentials
issued by an operator at the shell (`custodian staff add/reset`) work at once: whoever runs the
CLI already holds the database and the master key, which a console approval could not stop; the
issue is audited and listed with every other on the officer's staff page. So do console issues by
the policy's named `staff.credentials_admin` (a provider with one officer): only the shell
activates a policy, so naming one is the shell operator's decision, on record in the version.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from custodian.access.types import PRIVACY_OFFICER
from custodian.audit import store as audit
from custodian.staff import credentials
from custodian.staff import store as staff_store
from custodian.staff.store import CredentialIssue, Session, StaffMember

MIN_PASSWORD_LENGTH = 12
CHANNELS = ("console", "shell")
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
    # Activity is written at most this often: a page view in between only reads, so the session may end up
    # to this much before its idle timeout, never after it.
    touch_every: timedelta = timedelta(minutes=1)


DEFAULT_LIMITS = SignInLimits()


@dataclass(frozen=True)
class NewCredentials:
    """What a new or reset staff member is given once: a one-time password and a TOTP secret."""

    staff_id: int
    username: str
    password: str
    totp_secret: str


def add_staff(conn: Connection, master_key: bytes, *, username: str, display_name: str, role: str,
              roles: tuple[str, ...], actor: str, channel: str, now: datetime,
              credentials_admin: str | None = None) -> NewCredentials:
    """Create a staff identity in `role` (one of `roles`) with a one-time password and a TOTP secret;
    issued in the `console` they wait for a second officer's approval, at the `shell` they work at once."""
    if not USERNAME.match(username):
        raise StaffError("username: lower-case letters, digits, '.', '_' or '-', starting with a letter")
    if role not in roles:
        raise StaffError(f"role: {role!r} is not a role of the policy in force ({', '.join(roles)})")
    if staff_store.staff_by_username(conn, username) is not None:
        raise StaffError(f"username: {username!r} is taken")
    _check_channel(channel)
    password, secret = credentials.new_password(), credentials.new_totp_secret()
    staff_id = staff_store.insert_staff(
        conn, username=username, display_name=display_name or username, role=role,
        password_hash=credentials.hash_password(password), password_must_change=True,
        totp_secret_enc=credentials.seal_totp_secret(master_key, secret), totp_enrolled=False, totp_last_step=0,
        failed_attempts=0, created_at=now, credentials_pending=_needs_approval(channel, actor, credentials_admin))
    audit.append(conn, actor=actor, action="staff.add", reason="staff identity created",
                 detail={"staff": username, "role": role, "channel": channel}, now=now)
    _record_issue(conn, staff_id, "add", channel, actor, now, _needs_approval(channel, actor, credentials_admin))
    return NewCredentials(staff_id, username, password, secret)


def reset_staff(conn: Connection, master_key: bytes, username: str, *, actor: str, channel: str,
                now: datetime, credentials_admin: str | None = None) -> NewCredentials:
    """Give a staff member a new one-time password and TOTP secret, unlock them, end their sessions
    (issued in the `console`, the new credentials wait for a second officer's approval)."""
    member = _existing(conn, username)
    _check_channel(channel)
    password, secret = credentials.new_password(), credentials.new_totp_secret()
    staff_store.update_staff(conn, member.id, password_hash=credentials.hash_password(password),
                             password_must_change=True,
                             totp_secret_enc=credentials.seal_totp_secret(master_key, secret),
                             totp_enrolled=False, totp_last_step=0, failed_attempts=0, locked_until=None,
                             credentials_pending=_needs_approval(channel, actor, credentials_admin))
    staff_store.delete_sessions(conn, staff_id=member.id)
    audit.append(conn, actor=actor, action="staff.reset", reason="credentials reset",
                 detail={"staff": username, "channel": channel}, now=now)
    _record_issue(conn, member.id, "reset", channel, actor, now, _needs_approval(channel, actor, credentials_admin))
    return NewCredentials(member.id, username, password, secret)


def approve_issue(conn: Connection, issue_id: int, approver: StaffMember, now: datetime) -> CredentialIssue:
    """A second privacy officer lets pending one-time credentials be used: never their issuer, never the
    member they are for."""
    found = staff_store.issues(conn, issue_id=issue_id)
    if not found:
        raise StaffError("issue: no such credential issue")
    issue, by = found[0], f"staff:{approver.username}"
    if approver.role != PRIVACY_OFFICER:
        raise StaffError("approver: only a privacy officer approves credentials")
    if issue.state != "pending":
        raise StaffError(f"issue: already {issue.state}")
    if issue.issued_by == by:
        raise StaffError("approver: a second privacy officer must approve the credentials you issued")
    if issue.staff_id == approver.id:
        raise StaffError("approver: you cannot approve your own credentials")
    if not staff_store.decide_issue(conn, issue_id, "approved", by, now):  # another officer was quicker
        raise StaffError("issue: already decided")
    staff_store.update_staff(conn, issue.staff_id, credentials_pending=False)
    audit.append(conn, actor=by, action="staff.credentials_approved", reason="one-time credentials approved",
                 detail={"staff": issue.username, "issue": issue_id, "issued_by": issue.issued_by}, now=now)
    return issue


def _needs_approval(channel: str, actor: str, credentials_admin: str | None) -> bool:
    """Console issues wait for a second officer, unless issued by the policy's named `credentials_admin`."""
    return channel == "console" and not (credentials_admin and actor == f"staff:{credentials_admin}")


def _record_issue(conn: Connection, staff_id: int, action: str, channel: str, actor: str, now: datetime,
                  pending: bool) -> None:
    staff_store.supersede_pending(conn, staff_id, now)
    staff_store.insert_issue(conn, staff_id=staff_id, action=action, channel=channel, issued_by=actor,
                             issued_at=now, state="pending" if pending else "not_required")


def _check_channel(channel: str) -> None:
    if channel not in CHANNELS:
        raise StaffError(f"channel: one of {', '.join(CHANNELS)}")


def disable_staff(conn: Connection, username: str, *, actor: str, now: datetime) -> None:
    """Disable a staff member and end their sessions."""
    member = _existing(conn, username)
    staff_store.update_staff(conn, member.id, disabled_at=now)
    staff_store.delete_sessions(conn, staff_id=member.id)
    audit.append(conn, actor=actor, action="staff.disable", reason="staff identity disabled",
                 detail={"staff": username}, now=now)


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


def session_fate(last_seen_at: datetime, created_at: datetime, now: datetime, limits: SignInLimits) -> str:
    """What a request does to a session (console or portal): "ended" when idle too long or too old, "touch" when
    alive and its recorded activity is `limits.touch_every` old or older, else "fresh" (nothing to write)."""
    if now - last_seen_at > limits.idle_timeout or now - created_at > limits.session_lifetime:
        return "ended"
    return "touch" if now - last_seen_at >= limits.touch_every else "fresh"


def live_session(conn: Connection, token: str, now: datetime, limits: SignInLimits = DEFAULT_LIMITS) -> Session | None:
    """The session a cookie names, if neither idle too long nor too old; touching it keeps it alive."""
    session = staff_store.session_by_token(conn, token) if token else None
    if session is None:
        return None
    fate = session_fate(session.last_seen_at, session.created_at, now, limits)
    if fate == "ended":
        staff_store.delete_sessions(conn, hashed=session.token_hash)
        return None
    if fate == "touch":
        staff_store.touch_session(conn, session.token_hash, now)
    return session


def session_needs_write(conn: Connection, token: str, now: datetime, limits: SignInLimits = DEFAULT_LIMITS) -> bool:
    """True when `live_session` would write (end or touch the session): a reader checks this first, so a page
    view opens a writing transaction at most once a minute per session."""
    session = staff_store.session_by_token(conn, token) if token else None
    return session is not None and session_fate(session.last_seen_at, session.created_at, now, limits) != "fresh"


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

