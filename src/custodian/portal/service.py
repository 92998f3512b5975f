"""Enrolment and sign-in of a customer's online account, with the staff console's rules: attempts counted
atomically before the argon2 check, which runs outside any transaction; every refusal does the same
argon2 work against a dummy hash, so the answer time tells nothing about which accounts exist."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, select

from custodian.access.service import addresses_of_record
from custodian.audit import store as audit
from custodian.crypto.keyring import Keyring
from custodian.crypto.passwords import dummy_hash, hash_secret, secret_matches
from custodian.db.engine import transaction
from custodian.kernel.email import email_problem
from custodian.portal import store
from custodian.portal.rules import online_password_problem
from custodian.portal.store import OnlineAccount
from custodian.records import payload
from custodian.records import store as records
from custodian.records.address_rules import notice_address
from custodian.records.tables import number_assignment
from custodian.staff.service import DEFAULT_LIMITS, SignInLimits, session_fate

ACTOR = "customer"  # audit actor of the customer's own acts; the event names the account, never a person


class PortalError(ValueError):
    """A portal operation refused, with a reason naming the field."""


def enrolment_account(conn: Connection, keyring: Keyring, account_ref: str, email: str) -> int | None:
    """The open account with this reference whose e-mail of record is `email` and that has no online account yet."""
    if email_problem(email.strip()):
        return None
    account_id = records.account_id_by_ref(conn, account_ref.strip())
    if account_id is None or store.online_of(conn, account_id=account_id) is not None:
        return None
    view = records.read_account(conn, keyring, account_id)
    if view.status == "closed" or not view.email or view.email != email.strip().lower():
        return None
    return account_id


def password_refusal(conn: Connection, keyring: Keyring, account_id: int, password: str) -> str | None:
    """Why `password` may not be this account's online password, or None."""
    view = records.read_account(conn, keyring, account_id)
    cipher = keyring.cipher(conn, account_id)
    aad = payload.aad("number_assignment", "number", account_id)
    numbers = [cipher.open(sealed, aad) for sealed in conn.execute(
        select(number_assignment.c.number_enc).where(number_assignment.c.account_id == account_id)).scalars()]
    address = view.address
    personal = [view.first_name, view.last_name, *( (address.street, address.city) if address else ())]
    return online_password_problem(password, account_ref=view.ref, numbers=[*numbers, view.contact_phone],
                                   personal=personal)


def enrol(conn: Connection, account_id: int, password_hash: str, now: datetime) -> int:
    """Create the online account (the caller checked the code and the password rules, and hashed the password
    outside the transaction); audited."""
    if store.online_of(conn, account_id=account_id) is not None:
        raise PortalError("account: an online account already exists; sign in instead")
    online_id = store.insert_online(conn, account_id, password_hash, now)
    audit.append(conn, actor=ACTOR, action="portal.enrol", account_id=account_id,
                 reason="online account created with an e-mailed code and a password of the customer's choosing",
                 now=now)
    return online_id


def check_password(engine: Engine, account_ref: str, password: str, now: datetime,
                   limits: SignInLimits = DEFAULT_LIMITS) -> OnlineAccount | None:
    """The online account when the password is right and not locked; every attempt counts toward lockout."""
    with transaction(engine) as conn:
        account_id = records.account_id_by_ref(conn, account_ref.strip())
        claimed = store.claim_attempt(conn, account_id, now, limits.max_failed_attempts, limits.lockout) \
            if account_id is not None else None
    locked = claimed is not None and claimed[1] > limits.max_failed_attempts
    right = secret_matches(claimed[0].password_hash if claimed and not locked else dummy_hash(), password)
    with transaction(engine) as conn:
        if claimed is None:
            audit.append(conn, actor=ACTOR, action="portal.login_failed", reason="no online account", now=now)
            return None
        online, position = claimed
        if locked or not right:
            reason = "locked out" if locked else "wrong password" + (
                "; locked out" if position >= limits.max_failed_attempts else "")
            audit.append(conn, actor=ACTOR, action="portal.login_failed", account_id=online.account_id,
                         reason=reason, now=now)
            return None
        store.update_online(conn, online.id, failed_attempts=0, locked_until=None)
    return online


def count_failure(conn: Connection, online: OnlineAccount, reason: str, now: datetime,
                  limits: SignInLimits = DEFAULT_LIMITS) -> None:
    """Count a wrong second-factor code toward the same lockout as wrong passwords."""
    store.claim_attempt(conn, online.account_id, now, limits.max_failed_attempts, limits.lockout)
    audit.append(conn, actor=ACTOR, action="portal.login_failed", account_id=online.account_id, reason=reason,
                 now=now)


def signed_in(conn: Connection, online: OnlineAccount, how: str, now: datetime) -> str:
    """A full session after both factors; returns the cookie value; audited."""
    store.update_online(conn, online.id, failed_attempts=0, locked_until=None)
    audit.append(conn, actor=ACTOR, action="portal.login", account_id=online.account_id, reason=how, now=now)
    return store.insert_session(conn, online.id, "full", now)


def live_session(conn: Connection, token: str, now: datetime,
                 limits: SignInLimits = DEFAULT_LIMITS) -> store.PortalSession | None:
    """The session a cookie names, if neither idle too long nor too old (the console's limits)."""
    session = store.session_by_token(conn, token) if token else None
    if session is None:
        return None
    fate = session_fate(session.last_seen_at, session.created_at, now, limits)
    if fate == "ended":
        store.delete_sessions(conn, hashed=session.token_hash)
        return None
    if fate == "touch":
        store.touch_session(conn, session.token_hash, now)
    return session


def session_needs_write(conn: Connection, token: str, now: datetime, limits: SignInLimits = DEFAULT_LIMITS) -> bool:
    """True when `live_session` would end or touch the session (the guard reads first, writes only then)."""
    session = store.session_by_token(conn, token) if token else None
    return session is not None and session_fate(session.last_seen_at, session.created_at, now, limits) != "fresh"


def change_password(conn: Connection, online: OnlineAccount, password_hash: str, keep_session: str,
                    now: datetime) -> None:
    """Store a new online password (rules checked, hash made by the caller); other sessions and remembered
    devices end."""
    store.update_online(conn, online.id, password_hash=password_hash, password_set_at=now)
    store.delete_sessions(conn, online_id=online.id, keep=keep_session)
    store.forget_devices(conn, online.id)
    audit.append(conn, actor=ACTOR, action="portal.password_set", account_id=online.account_id,
                 reason="online password changed; other sessions ended", now=now)


def contact_of(conn: Connection, keyring: Keyring, account_id: int) -> tuple[str, str]:
    """(account reference, e-mail of record) for a code mail."""
    view = records.read_account(conn, keyring, account_id)
    return view.ref, view.email


def notice_to(conn: Connection, keyring: Keyring, account_id: int, now: datetime) -> str:
    """Where a change notice goes: the e-mail of record as it was 30 days ago (64.2010(f))."""
    return notice_address(addresses_of_record(conn, keyring, account_id), "email", now)


def hash_password(password: str) -> str:
    """The argon2id hash of an online password (call outside any transaction)."""
    return hash_secret(password)
