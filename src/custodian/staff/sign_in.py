"""Staff sign-in that holds under attack: the password step, the second factor, changing a password.

Every attempt is counted in one atomic statement *before* its password is checked, so parallel
guesses cannot slip past the lockout (`store.claim_attempt`). The argon2 check itself runs outside
any database transaction: a slow hash never holds SQLite's write lock, so a flood of sign-ins
cannot stall the rest of the service. Every refusal — unknown username, disabled, locked, awaiting
approval, wrong password — does the same argon2 work (a check against a dummy hash), so the answer
time tells nothing about which usernames exist or what state they are in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine

from custodian.audit import store as audit
from custodian.crypto.passwords import dummy_hash
from custodian.db.engine import transaction
from custodian.staff import credentials
from custodian.staff import store as staff_store
from custodian.staff.service import DEFAULT_LIMITS, MIN_PASSWORD_LENGTH, SignInLimits, StaffError
from custodian.staff.store import Attempt, StaffMember


def check_password(engine: Engine, username: str, password: str, now: datetime,
                   limits: SignInLimits = DEFAULT_LIMITS) -> StaffMember | None:
    """The staff member when the password is right and they may sign in; every attempt counts toward lockout."""
    with transaction(engine) as conn:
        attempt = staff_store.claim_attempt(conn, username, now, limits.max_failed_attempts, limits.lockout)
    refusal = _refusal(attempt, limits)
    # The one argon2 check of this attempt, outside any transaction; a refusal checks the dummy hash.
    right = credentials.password_matches(attempt.password_hash if attempt and not refusal else dummy_hash(),
                                         password)
    with transaction(engine) as conn:
        if attempt is None:
            audit.append(conn, actor="console", action="staff.login_failed", reason="unknown username", now=now)
            return None
        actor = f"staff:{attempt.member.username}"
        if refusal:
            audit.append(conn, actor=actor, action="staff.login_refused", reason=refusal, now=now)
            return None
        if not right:
            locked = attempt.position >= limits.max_failed_attempts
            audit.append(conn, actor=actor, action="staff.login_failed",
                         reason="wrong password" + ("; locked out" if locked else ""), now=now)
            return None
        if attempt.member.locked_until is not None:  # this attempt reached the limit and set the lock: lift it
            staff_store.release_lock(conn, attempt.member.id, attempt.member.locked_until)
    return attempt.member


def _refusal(attempt: Attempt | None, limits: SignInLimits) -> str:
    """Why a counted attempt may not sign in whatever its password, or '' when it may."""
    if attempt is None:
        return ""
    if attempt.member.disabled_at is not None:
        return "disabled"
    if attempt.position > limits.max_failed_attempts:
        return "locked out"
    if attempt.member.credentials_pending:
        return "one-time credentials await a second privacy officer's approval"
    return ""


def check_totp(conn: Connection, master_key: bytes, member: StaffMember, code: str, now: datetime,
               limits: SignInLimits = DEFAULT_LIMITS) -> bool:
    """True when `code` is a fresh TOTP code of the member; marks enrolment done on the first success."""
    current = staff_store.staff_by_id(conn, member.id)
    if current is None or current.disabled_at is not None or _locked(current, now):
        return False
    _hash, sealed, last_step = staff_store.secrets_of(conn, member.id)
    step = credentials.totp_step(credentials.open_totp_secret(master_key, sealed), code, now, last_step)
    if step is None:
        record_failure(conn, member, "wrong second-factor code", now, limits)
        return False
    staff_store.update_staff(conn, member.id, totp_last_step=step, totp_enrolled=True, failed_attempts=0,
                             locked_until=None)
    audit.append(conn, actor=f"staff:{member.username}", action="staff.login", reason="password and TOTP accepted",
                 now=now)
    return True


def record_failure(conn: Connection, member: StaffMember, reason: str, now: datetime,
                   limits: SignInLimits = DEFAULT_LIMITS) -> None:
    """Count a failed step atomically; the member is locked for `limits.lockout` at `limits.max_failed_attempts`."""
    failures = staff_store.count_failure(conn, member.id, now, limits.max_failed_attempts, limits.lockout)
    locked = failures >= limits.max_failed_attempts
    audit.append(conn, actor=f"staff:{member.username}", action="staff.login_failed",
                 reason=reason + ("; locked out" if locked else ""), now=now)


def change_password(engine: Engine, member: StaffMember, current: str, new: str, *, keep_session: str,
                    now: datetime, limits: SignInLimits = DEFAULT_LIMITS) -> None:
    """Replace the member's password: the current one must be given (a wrong one counts toward lockout),
    and every other session of the member ends, so a session left open elsewhere does not outlive it."""
    if len(new) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"new_password: at least {MIN_PASSWORD_LENGTH} characters")
    with engine.connect() as conn:
        password_hash, _sealed, _step = staff_store.secrets_of(conn, member.id)
    right = credentials.password_matches(password_hash, current)
    new_hash = credentials.hash_password(new) if right else ""
    if not right:
        with transaction(engine) as conn:  # committed: the refusal below must not roll back the count
            record_failure(conn, member, "wrong current password", now, limits)
        raise StaffError("current_password: that is not your current password")
    with transaction(engine) as conn:
        staff_store.update_staff(conn, member.id, password_hash=new_hash, password_must_change=False)
        staff_store.delete_sessions(conn, staff_id=member.id, keep=keep_session)
        audit.append(conn, actor=f"staff:{member.username}", action="staff.password_set",
                     reason="own password set; other sessions ended", now=now)


def _locked(member: StaffMember, now: datetime) -> bool:
    return member.locked_until is not None and member.locked_until > now
