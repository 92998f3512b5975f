"""Finding the account a record belongs to: by reference, or by who held a number at that instant."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from custodian.crypto.keyring import AccountShredded, Keyring
from custodian.crypto.tables import account_key
from custodian.records import payload
from custodian.records.rules import Assignment, holder_at
from custodian.records.tables import account, number_assignment


class AccountRefs:
    """Account reference -> id, cached for one import run; crypto-shredded accounts take no new records."""

    def __init__(self) -> None:
        self._ids: dict[str, tuple[int | None, bool]] = {}

    def get(self, conn: Connection, ref: str) -> int | None:
        """The id of account `ref`, or None if there is no such account or it was crypto-shredded."""
        account_id, shredded = self._lookup(conn, ref)
        return None if shredded else account_id

    def missing_reason(self, conn: Connection, ref: str, field: str = "account_ref") -> str:
        """Why `get` returned None for `ref`, naming the field."""
        account_id, shredded = self._lookup(conn, ref)
        if account_id is not None and shredded:
            return f"{field}: the account was crypto-shredded and takes no new records"
        return f"{field}: no such account"

    def _lookup(self, conn: Connection, ref: str) -> tuple[int | None, bool]:
        if ref not in self._ids:
            row = conn.execute(
                select(account.c.id, account_key.c.wrapped_key.is_(None).label("shredded"))
                .select_from(account.outerjoin(account_key, account_key.c.account_id == account.c.id))
                .where(account.c.ref == ref)
            ).first()
            self._ids[ref] = (row.id, bool(row.shredded)) if row else (None, False)
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
