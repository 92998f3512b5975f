"""Finding the account a record belongs to: by reference, or by who held a number at that instant."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.records import payload
from custodian.records.rules import Assignment, holder_at
from custodian.records.tables import account, number_assignment


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
    """Who held which number when, decrypted once per import run and held in memory.

    Resolving a million call records by blind index would cost an HMAC per distinct counterpart;
    the number history is small next to the call volume, so it is opened once instead.
    Numbers of crypto-shredded accounts are unreadable and so resolve to no one.
    """

    def __init__(self, conn: Connection, keyring: Keyring) -> None:
        self._history: dict[str, list[Assignment]] = {}
        rows = conn.execute(select(number_assignment.c.account_id, number_assignment.c.number_enc,
                                   number_assignment.c.assigned_from, number_assignment.c.assigned_to)
                            .order_by(number_assignment.c.assigned_from))
        for row in rows:
            try:
                cipher = keyring.cipher(conn, row.account_id)
            except AccountShredded:
                continue
            number = cipher.open(row.number_enc, payload.aad("number_assignment", "number", row.account_id))
            self._history.setdefault(number, []).append(
                Assignment(row.account_id, row.assigned_from, row.assigned_to))

    def holder(self, e164: str, moment: datetime) -> int | None:
        """The account holding `e164` at `moment`, if the provider assigned it to anyone then."""
        history = self._history.get(e164)
        return holder_at(history, moment) if history else None
