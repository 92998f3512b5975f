"""An authenticator app (TOTP) as the customer's second factor, with the staff console's TOTP helpers
(`staff/credentials.py`): the secret sealed under a key derived from the master key, no code accepted twice.
Once confirmed, its codes replace the e-mailed one on a new browser."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from custodian.audit import store as audit
from custodian.portal import store
from custodian.portal.service import ACTOR
from custodian.portal.store import OnlineAccount
from custodian.staff import credentials


def start(conn: Connection, master_key: bytes, online: OnlineAccount) -> str:
    """A new secret waiting for its first code (an enrolled authenticator stays until the new one is confirmed)."""
    if online.totp_enrolled:
        raise ValueError("an authenticator is already in use; remove it first")
    secret = credentials.new_totp_secret()
    store.update_online(conn, online.id, totp_secret_enc=credentials.seal_totp_secret(master_key, secret),
                        totp_last_step=0)
    return secret


def pending_secret(conn: Connection, master_key: bytes, online: OnlineAccount) -> str:
    """The secret waiting for its first code, or "" when none is (or one is already in use)."""
    sealed, _step = store.totp_of(conn, online.id)
    return credentials.open_totp_secret(master_key, sealed) if sealed and not online.totp_enrolled else ""


def check(conn: Connection, master_key: bytes, online: OnlineAccount, code: str, now: datetime) -> bool:
    """True when `code` is a fresh code of the account's authenticator (the pending one while enrolling); the
    time step is remembered so the code works once."""
    sealed, last_step = store.totp_of(conn, online.id)
    if sealed is None:
        return False
    step = credentials.totp_step(credentials.open_totp_secret(master_key, sealed), code, now, last_step)
    if step is None:
        return False
    store.update_online(conn, online.id, totp_last_step=step)
    return True


def confirm(conn: Connection, master_key: bytes, online: OnlineAccount, code: str, now: datetime) -> bool:
    """Put the pending authenticator in use when `code` is right; audited."""
    if online.totp_enrolled or not check(conn, master_key, online, code, now):
        return False
    store.update_online(conn, online.id, totp_enrolled=True)
    audit.append(conn, actor=ACTOR, action="portal.totp_enrolled", account_id=online.account_id,
                 reason="authenticator app enrolled as the second factor", now=now)
    return True


def remove(conn: Connection, online: OnlineAccount, now: datetime) -> None:
    """Stop using the authenticator: new browsers get an e-mailed code again; audited."""
    store.update_online(conn, online.id, totp_secret_enc=None, totp_enrolled=False, totp_last_step=0)
    audit.append(conn, actor=ACTOR, action="portal.totp_removed", account_id=online.account_id,
                 reason="authenticator app removed; e-mailed codes again", now=now)


def qr_of(secret: str, account_ref: str) -> str:
    """The provisioning QR code as inline SVG."""
    return credentials.qr_svg(credentials.provisioning_uri(secret, account_ref))
