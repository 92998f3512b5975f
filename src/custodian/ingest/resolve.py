"""Finding the account a record belongs to: by reference, or by who held a number at that instant."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from custodian.crypto.keyring import Keyring
from custodian.records import store
from custodian.records.rules import Assignment, holder_at
from custodian.records.tables import account


class AccountRefs:
    """Account reference -> id, cached for one import run."""

    def __init__(self) -> None:
        self._ids: dict[str, int | None] = {}

    def get(self, conn: Connection, ref: str) -> int | None:
        """The id of account `ref`, or None if there is no such account."""
        if ref not in self._ids:
            self._ids[ref] = conn.execute(select(account.c.id).where(account.c.ref == ref)).scalar()
        return self._ids[ref]


class NumberDirectory:
    """Who held which number when, loaded once per run from the number history (by blind index)."""

    def __init__(self, conn: Connection, keyring: Keyring) -> None:
        self._index_key_conn = conn
        self._keyring = keyring
        self._history: dict[bytes, list[Assignment]] = store.all_assignments(conn)
        self._tokens: dict[str, bytes] = {}

    def token(self, conn: Connection, e164: str) -> bytes:
        """The blind index of an E.164 number (cached)."""
        cached = self._tokens.get(e164)
        if cached is None:
            cached = self._tokens[e164] = self._keyring.blind_index(conn, "number", e164)
        return cached

    def holder(self, conn: Connection, e164: str, moment: datetime) -> int | None:
        """The account holding `e164` at `moment`, if the provider assigned it to anyone then."""
        if not e164.startswith("+"):
            return None
        history = self._history.get(self.token(conn, e164))
        return holder_at(history, moment) if history else None
