"""Token buckets kept in the database, so a limit holds across every worker process.

A bucket allows `attempts` per `period`: it holds at most `attempts` tokens, refills evenly, and
each attempt takes one. Taking is a single conditional `UPDATE ... RETURNING` (PostgreSQL re-checks
the condition on the row it waited for; SQLite writers are serialised), so parallel requests can
never take more tokens than there are. Buckets are named by an HMAC of their scope and the client
address or username under a key derived from the master key: neither is stored in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, Float, case, delete, literal, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from custodian.audit import store as audit
from custodian.db.engine import transaction
from custodian.staff.tables import rate_bucket

STALE_AFTER = timedelta(days=1)  # a bucket untouched this long is full again (periods are at most a day)


@dataclass(frozen=True)
class Rate:
    """`attempts` per `period`."""

    attempts: int
    period: timedelta

    @property
    def per_second(self) -> float:
        """Tokens refilled per second."""
        return self.attempts / self.period.total_seconds()


@dataclass(frozen=True)
class ThrottleRates:
    """The limits of the public doors (settings `CUSTODIAN_SIGN_IN_PER_*`, `CUSTODIAN_INTAKE_PER_ADDRESS_PER_HOUR`)."""

    sign_in_per_address: Rate = Rate(10, timedelta(minutes=1))
    sign_in_per_username: Rate = Rate(5, timedelta(minutes=1))
    intake_per_address: Rate = Rate(20, timedelta(hours=1))
    # The cookie banner's record and the SMS gateway's inbound messages: busy doors, but still bounded.
    consent_per_address: Rate = Rate(120, timedelta(minutes=1))
    gateway_per_address: Rate = Rate(600, timedelta(minutes=1))


class Throttled(Exception):
    """Too many attempts: come back after `retry_after` seconds."""

    def __init__(self, scope: str, retry_after: int) -> None:
        super().__init__(f"too many attempts ({scope}); retry after {retry_after} seconds")
        self.scope = scope
        self.retry_after = retry_after


def bucket_key(key: bytes, scope: str, value: str) -> str:
    """The stored name of one bucket: HMAC-SHA256 of scope and value."""
    return hmac.new(key, f"{scope}\x00{value}".encode(), hashlib.sha256).hexdigest()


def bucket_secret(master_key: bytes) -> bytes:
    """The key naming buckets, derived from the master key for this one use."""
    return hmac.new(master_key, b"custodian rate buckets", hashlib.sha256).digest()


def admit(engine: Engine, key: bytes, buckets: list[tuple[str, str, Rate]], *, actor: str, action: str,
          now: datetime) -> None:
    """Take a token from each (scope, value, rate) bucket in one short transaction; when one is empty,
    audit the refusal (its scope only: no address, username or password) and raise Throttled."""
    refused: Throttled | None = None
    with transaction(engine) as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:  # a bucket's count may be lost in a crash (it only refills early): no wait for the WAL flush
            conn.execute(text("SET LOCAL synchronous_commit TO OFF"))
        try:
            for scope, value, rate in buckets:
                take(conn, key, scope, value, rate, now)
        except Throttled as exc:
            refused = exc
            if postgres:  # the refusal's audit event is kept as durably as every other
                conn.execute(text("SET LOCAL synchronous_commit TO ON"))
            audit.append(conn, actor=actor, action=action, reason=f"too many attempts per {exc.scope.split('.')[-1]}",
                         detail={"scope": exc.scope, "retry_after": exc.retry_after}, now=now)
    if refused is not None:
        raise refused


def take(conn: Connection, key: bytes, scope: str, value: str, rate: Rate, now: datetime) -> None:
    """Take one token from the bucket of (`scope`, `value`), or raise Throttled with the seconds to wait."""
    name, t = bucket_key(key, scope, value), now.timestamp()
    if _create_full(conn, name, rate, t):
        conn.execute(delete(rate_bucket).where(rate_bucket.c.stamp < t - STALE_AFTER.total_seconds()))
    c = rate_bucket.c
    at = literal(t, Float)
    elapsed = case((at > c.stamp, at - c.stamp), else_=literal(0.0, Float))
    refilled = c.tokens + elapsed * literal(rate.per_second, Float)
    filled = case((refilled > rate.attempts, literal(float(rate.attempts), Float)), else_=refilled)
    taken = conn.execute(update(rate_bucket).where(c.bucket_key == name, filled >= 1)
                         .values(tokens=filled - 1, stamp=case((at > c.stamp, at), else_=c.stamp))
                         .returning(c.tokens)).first()
    if taken is None:
        row = conn.execute(select(c.tokens, c.stamp).where(c.bucket_key == name)).one()
        now_tokens = min(float(rate.attempts), row.tokens + max(0.0, t - row.stamp) * rate.per_second)
        raise Throttled(scope, max(1, math.ceil((1 - now_tokens) / rate.per_second)))


def _create_full(conn: Connection, name: str, rate: Rate, t: float) -> bool:
    """Create the bucket full if it does not exist; True when this call created it."""
    make = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    made = conn.execute(make(rate_bucket).values(bucket_key=name, tokens=float(rate.attempts), stamp=t)
                        .on_conflict_do_nothing(index_elements=["bucket_key"]).returning(rate_bucket.c.bucket_key))
    return made.first() is not None  # (rowcount is not reliable here on psycopg)
