"""One-time codes e-mailed to a customer: six digits, good for 10 minutes, once, for 5 tries, and only in
the browser that asked (bound to a random flow cookie). Only an HMAC of each code is stored.

Every try is counted in one conditional UPDATE before the code is compared, so parallel guesses cannot
exceed the 5 tries; the caller commits either way.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, update

from custodian.portal.tables import portal_code

CODE_LIFETIME = timedelta(minutes=10)
MAX_TRIES = 5
PURPOSES = ("enrol", "sign_in", "new_email")


@dataclass(frozen=True)
class Issued:
    """A new code and the flow token naming it (the browser keeps the token as a cookie)."""

    flow: str
    code: str


@dataclass(frozen=True)
class Accepted:
    """A code that matched: whose account it was for, and the sealed new address it confirms, if any."""

    id: int
    account_id: int
    target_enc: bytes | None


def code_key(master_key: bytes) -> bytes:
    """The key the code HMACs are made under, derived from the master key for this one use."""
    return hmac.new(master_key, b"custodian portal codes", hashlib.sha256).digest()


def flow_hash(flow: str) -> str:
    """How a flow token is stored."""
    return hashlib.sha256(flow.encode()).hexdigest()


def _code_hash(key: bytes, flow: str, code: str) -> str:
    return hmac.new(key, f"{flow}\x00{code}".encode(), hashlib.sha256).hexdigest()


def issue(conn: Connection, key: bytes, *, purpose: str, account_id: int | None, now: datetime,
          target_enc: bytes | None = None) -> Issued:
    """Store a new code for `purpose` (expired codes are swept on the way)."""
    if purpose not in PURPOSES:
        raise ValueError(f"purpose: one of {', '.join(PURPOSES)}")
    conn.execute(delete(portal_code).where(portal_code.c.expires_at < now - CODE_LIFETIME))
    flow, code = secrets.token_urlsafe(32), f"{secrets.randbelow(10**6):06d}"
    conn.execute(insert(portal_code).values(
        flow_hash=flow_hash(flow), purpose=purpose, account_id=account_id, code_hash=_code_hash(key, flow, code),
        target_enc=target_enc, tries=0, created_at=now, expires_at=now + CODE_LIFETIME))
    return Issued(flow, code)


def check(conn: Connection, key: bytes, *, flow: str, purpose: str, code: str, now: datetime,
          consume: bool = True) -> Accepted | None:
    """The accepted code of this flow, used up now unless `consume` is False (then `use` it once what it
    guards is done); None when wrong, expired, used, out of tries, or for no account."""
    c = portal_code.c
    tried = conn.execute(update(portal_code)
                         .where(c.flow_hash == flow_hash(flow), c.purpose == purpose, c.used_at.is_(None),
                                c.expires_at > now, c.tries < MAX_TRIES)
                         .values(tries=c.tries + 1)
                         .returning(c.id, c.code_hash, c.account_id, c.target_enc)).first()
    given = "".join(code.split())
    if tried is None or tried.account_id is None or not hmac.compare_digest(tried.code_hash,
                                                                            _code_hash(key, flow, given)):
        return None
    accepted = Accepted(tried.id, tried.account_id, tried.target_enc)
    return accepted if not consume or use(conn, accepted, now) else None


def use(conn: Connection, accepted: Accepted, now: datetime) -> bool:
    """Use an accepted code up; False when another request used it first."""
    c = portal_code.c
    return conn.execute(update(portal_code).where(c.id == accepted.id, c.used_at.is_(None)).values(used_at=now)
                        .returning(c.id)).first() is not None
